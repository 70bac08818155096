/**
 * `ca.multiRoot`, `ca.rootGeneration` and `ca.rootRotation` of stack config, checked together and resolved to every
 * cluster's phase (model/ca/rootRotation.ts has the rules). Pure.
 * @see docs/root-ca.md
 */
import { ConfigIssue } from "../config/errors";
import type { RootRotationModel } from "../config/types";
import { RootPhase, rootPhaseIssues } from "./rootRotation";

/** Why a rotation needs `ca.multiRoot` (stack config and IstioMesh args alike). */
export const MULTIROOT_REQUIRED =
    "must be true while ca.rootRotation is set: istiod refuses a second trust anchor without ISTIO_MULTIROOT_MESH. Set ca.multiRoot to true and remove ca.rootRotation for one `pulumi up` first (docs/root-ca.md)";

/** The CA keys the rotation rules read (after schema defaults). */
export interface RootRotationConfig {
    multiRoot: boolean;
    allowRootReplacement: boolean;
    rootRotation?: {
        phase: RootPhase;
        clusters: Record<string, RootPhase>;
        nextRootCertSecret?: string;
        nextRootKeySecret?: string;
    };
}

/** Every issue of the rotation settings, and the resolved rotation when there is one. */
export function resolveRootRotation(
    ca: RootRotationConfig,
    clusterNames: string[],
): { rotation?: RootRotationModel; issues: ConfigIssue[] } {
    const r = ca.rootRotation;
    if (!r) return { issues: [] };
    const issues: ConfigIssue[] = [];
    for (const c of Object.keys(r.clusters)) {
        if (!clusterNames.includes(c)) {
            issues.push({
                path: `ca.rootRotation.clusters.${c}`,
                message: `names no cluster of this stack (clusters: ${clusterNames.join(", ")}): fix the name or remove the entry`,
            });
        }
    }
    const phases = Object.fromEntries(clusterNames.map((c) => [c, r.clusters[c] ?? r.phase]));
    issues.push(
        ...rootPhaseIssues(
            clusterNames.map((c) => ({ cluster: c, phase: phases[c]! })),
            (c) => (c in r.clusters ? `ca.rootRotation.clusters.${c}` : "ca.rootRotation.phase"),
        ),
    );
    if (!ca.multiRoot) issues.push({ path: "ca.multiRoot", message: MULTIROOT_REQUIRED });
    if (ca.allowRootReplacement) {
        issues.push({
            path: "ca.allowRootReplacement",
            message:
                "replaces the root in one step and cannot be combined with ca.rootRotation, which replaces it in three: set it to false",
        });
    }
    if (!!r.nextRootCertSecret !== !!r.nextRootKeySecret) {
        issues.push({
            path: r.nextRootCertSecret ? "ca.rootRotation.nextRootKeySecret" : "ca.rootRotation.nextRootCertSecret",
            message: "an existing next root needs both nextRootCertSecret and nextRootKeySecret (or neither, for a generated one)",
        });
    }
    const nextRoot =
        r.nextRootCertSecret && r.nextRootKeySecret
            ? { certConfigKey: r.nextRootCertSecret, keyConfigKey: r.nextRootKeySecret }
            : undefined;
    return { rotation: { phases, ...(nextRoot ? { nextRoot } : {}) }, issues };
}
