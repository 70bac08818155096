/**
 * The root-rotation guards against what a cluster runs now (read in preview by components/rootStepCheck.ts): one
 * phase per `up` and cluster, forward or back, and a change of the trusted roots only once istiod runs multi-root.
 * Pure.
 * @see docs/root-ca.md
 */
import { clusterRootPlan, phaseIndex, RootState } from "./rootRotation";

/** What a cluster runs, as far as the root rotation is concerned. */
export interface LiveRootState {
    /** The state its `cacerts` Secret records; undefined: no `cacerts` yet (a new cluster), or unreadable annotations. */
    state?: RootState;
    /** True when the Secret exists but its annotations name no valid state. */
    unreadable?: boolean;
    /** istiod Deployments in istio-system: name and whether `ISTIO_MULTIROOT_MESH` is `true`. */
    istiods: { name: string; multiRoot: boolean }[];
}

/** Position of a state on the one line every rotation walks: (g, newOnly) and (g + 1, oldOnly) coincide. */
export function rootPosition(s: RootState): number {
    return 3 * (s.generation - 1) + phaseIndex(s.phase);
}

/** A state's name for messages, e.g. `generation 1, trustBoth`. */
export function describeRootState(s: RootState): string {
    return s.phase === "oldOnly" ? `root generation ${s.generation}` : `root generation ${s.generation} → ${s.generation + 1}, ${s.phase}`;
}

/**
 * Why moving `cluster` from its live state to `desired` in one `up` is refused (empty: allowed). `key`
 * names the config key that sets the cluster's phase.
 */
export function rootStepRefusals(cluster: string, desired: RootState, live: LiveRootState, key: string): string[] {
    if (!live.state) {
        return live.unreadable
            ? [
                  `cluster ${cluster}: the cacerts Secret's root-rotation annotations are not this project's; cannot tell which phase it is in. Restore them, or remove them to mean root generation 1 (docs/root-ca.md)`,
              ]
            : [];
    }
    const from = live.state;
    const steps = rootPosition(desired) - rootPosition(from);
    const refusals: string[] = [];
    if (Math.abs(steps) > 1) {
        refusals.push(
            `cluster ${cluster}: ${describeRootState(from)} → ${describeRootState(desired)} skips ${Math.abs(steps) - 1} phase(s) of the root rotation; move one phase per \`pulumi up\` (set ${key} to the next phase: trust the new root everywhere, then sign with it, then drop the old one) (docs/root-ca.md)`,
        );
        return refusals;
    }
    const trustChanges = !sameGenerations(clusterRootPlan(from).trust, clusterRootPlan(desired).trust);
    const notMultiRoot = live.istiods.filter((d) => !d.multiRoot).map((d) => d.name);
    if (trustChanges && notMultiRoot.length) {
        refusals.push(
            `cluster ${cluster}: this step changes the roots istiod trusts, but ${notMultiRoot.join(", ")} run without ISTIO_MULTIROOT_MESH=true, and istiod refuses a changed root-cert.pem without it. Set ca.multiRoot to true in its own \`pulumi up\` first (and restart the workloads once, so their proxies take PROXY_CONFIG_XDS_AGENT) (docs/root-ca.md)`,
        );
    }
    return refusals;
}

/** True if both lists name the same generations in the same order. */
function sameGenerations(a: number[], b: number[]): boolean {
    return a.length === b.length && a.every((g, i) => g === b[i]);
}
