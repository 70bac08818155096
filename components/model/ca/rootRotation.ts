/**
 * Root CA rotation, phase by phase (docs/root-ca.md). The mesh moves from the root of generation `g` (A) to the
 * root of generation `g + 1` (B) in three `pulumi up`s, each cluster one phase at a time:
 *
 * | phase         | `root-cert.pem` (trust) | intermediate signed by |
 * |---------------|-------------------------|------------------------|
 * | `oldOnly`     | A                       | A                      |
 * | `trustBoth`   | A then B                | A                      |
 * | `signWithNew` | A then B                | B                      |
 * | `newOnly`     | B                       | B                      |
 *
 * A's PEM text stays first and byte-for-byte unchanged while it is trusted: Istio 1.29 accepts a changed
 * `root-cert.pem` only when one bundle contains the other as bytes (with `ISTIO_MULTIROOT_MESH`).
 * The one rule across clusters: the root any cluster signs with is trusted by every cluster. It allows
 * clusters at most one phase apart, and nothing else. Pure.
 * @see https://github.com/istio/istio/issues/53961
 */
import { ConfigIssue } from "../config/errors";

/** A cluster's phase in a root rotation, in order. */
export const RootPhase = {
    /** Trust and sign with the current root A (where a rotation starts; a cluster may wait here while others move). */
    oldOnly: "oldOnly",
    /** Trust A and the next root B; intermediates still signed by A. */
    trustBoth: "trustBoth",
    /** Trust A and B; intermediates signed by B. */
    signWithNew: "signWithNew",
    /** Trust B only; A's material leaves the stack once every cluster is here. */
    newOnly: "newOnly",
} as const;
/** A cluster's phase in a root rotation. */
export type RootPhase = (typeof RootPhase)[keyof typeof RootPhase];

/** The phases in order: a step is a move to a neighbour. */
export const ROOT_PHASES: readonly RootPhase[] = ["oldOnly", "trustBoth", "signWithNew", "newOnly"];

/** The position of `p` in {@link ROOT_PHASES}. */
export function phaseIndex(p: RootPhase): number {
    return ROOT_PHASES.indexOf(p);
}

/** True if `s` names a phase. */
export function isRootPhase(s: unknown): s is RootPhase {
    return typeof s === "string" && (ROOT_PHASES as readonly string[]).includes(s);
}

/** Where a cluster stands: the current root's generation, and its phase of the rotation to the next (if any). */
export interface RootState {
    /** Generation of the current root A (1 for the mesh's first root). */
    generation: number;
    /** Phase of the rotation to generation + 1; `oldOnly` when none is under way. */
    phase: RootPhase;
}

/** What a cluster's `cacerts` holds in a state: trusted root generations (bundle order) and the signing one. */
export interface ClusterRootPlan {
    /** Generations in `root-cert.pem`, in order (the older first). */
    trust: number[];
    /** Generation whose intermediate signs this cluster's workload certificates. */
    signWith: number;
}

/** The `cacerts` content a state calls for. */
export function clusterRootPlan(s: RootState): ClusterRootPlan {
    const g = s.generation;
    switch (s.phase) {
        case "oldOnly":
            return { trust: [g], signWith: g };
        case "trustBoth":
            return { trust: [g, g + 1], signWith: g };
        case "signWithNew":
            return { trust: [g, g + 1], signWith: g + 1 };
        case "newOnly":
            return { trust: [g + 1], signWith: g + 1 };
    }
}

/**
 * A state as the steady state it equals, if any: `newOnly` of generation g is generation g + 1 with no
 * rotation (the same `cacerts`), so finishing a rotation by setting `ca.rootGeneration` is a no-op.
 */
export function settledState(s: RootState): RootState {
    return s.phase === "newOnly" ? { generation: s.generation + 1, phase: "oldOnly" } : s;
}

/** Root generations the stack holds material for, given every cluster's phase (the current root first). */
export function rootsInStack(generation: number, phases: RootPhase[]): number[] {
    const roots: number[] = [];
    if (!phases.length || phases.some((p) => p !== "newOnly")) roots.push(generation);
    if (phases.some((p) => p !== "oldOnly")) roots.push(generation + 1);
    return roots;
}

/**
 * Whether root `gen` signs some cluster's intermediate (so its key stays `protect`ed): the current root while any
 * cluster is at `oldOnly` or `trustBoth`, the next one once any is at `signWithNew` or `newOnly`. A root nothing
 * chains to may go: B when a rotation is rolled back to `oldOnly`, A when every cluster reaches `newOnly`.
 */
export function rootSigns(gen: number, generation: number, phases: RootPhase[]): boolean {
    const signingNew = (p: RootPhase) => phaseIndex(p) >= phaseIndex("signWithNew");
    return gen === generation ? phases.some((p) => !signingNew(p)) : phases.some(signingNew);
}

/** Resource-name suffix of a root or intermediate generation: none for the first (names never change). */
export function generationSuffix(gen: number): string {
    return gen === 1 ? "" : `-g${gen}`;
}

/** Common name of a generated root: the first keeps Istio's `Root CA`; later ones are told apart (`Root CA G2`). */
export function rootCommonName(gen: number): string {
    return gen === 1 ? "Root CA" : `Root CA G${gen}`;
}

/** Annotations on a `cacerts` Secret naming its state, so a preview reads where a cluster stands. */
export const RootAnnotations = {
    generation: "istio-multicluster.dev/root-generation",
    phase: "istio-multicluster.dev/root-phase",
} as const;

/** The annotations of a state; none for generation 1 without rotation (how every stack started). */
export function rootStateAnnotations(s: RootState): Record<string, string> {
    if (s.generation === 1 && s.phase === "oldOnly") return {};
    return { [RootAnnotations.generation]: String(s.generation), [RootAnnotations.phase]: s.phase };
}

/** The state a `cacerts` Secret's annotations record (none: generation 1, no rotation); undefined if unreadable. */
export function rootStateOf(annotations: Record<string, string> | undefined): RootState | undefined {
    const g = annotations?.[RootAnnotations.generation];
    const p = annotations?.[RootAnnotations.phase];
    if (g === undefined && p === undefined) return { generation: 1, phase: "oldOnly" };
    const generation = Number(g);
    if (!Number.isInteger(generation) || generation < 1 || !isRootPhase(p)) return undefined;
    return { generation, phase: p };
}

/**
 * The cross-cluster rule on desired phases: a cluster signs with B only while every cluster trusts B, and drops
 * A only while no cluster signs with A. `pathOf(cluster)` renders where a cluster's phase is set.
 */
export function rootPhaseIssues(phases: { cluster: string; phase: RootPhase }[], pathOf: (cluster: string) => string): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const notTrusting = phases.filter((c) => c.phase === "oldOnly").map((c) => c.cluster);
    const signingOld = phases.filter((c) => phaseIndex(c.phase) <= phaseIndex("trustBoth")).map((c) => c.cluster);
    for (const c of phases) {
        if (c.phase === "signWithNew" && notTrusting.length) {
            issues.push({
                path: pathOf(c.cluster),
                message: `cluster ${c.cluster} would sign with the new root while ${notTrusting.join(", ")} do not trust it yet (oldOnly): their workloads would reject ${c.cluster}'s certificates. Move every cluster to trustBoth first (docs/root-ca.md)`,
            });
        }
        if (c.phase === "newOnly" && signingOld.length) {
            issues.push({
                path: pathOf(c.cluster),
                message: `cluster ${c.cluster} would stop trusting the old root while ${signingOld.join(", ")} still sign with it: ${c.cluster}'s workloads would reject theirs. Move every cluster to signWithNew first (docs/root-ca.md)`,
            });
        }
    }
    return issues;
}
