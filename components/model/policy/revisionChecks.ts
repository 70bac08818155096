/**
 * The canary-upgrade guards on what a stack deploys (the policy pack's `istio-revisions` rule), the same rules the
 * config model applies (model/revisions): at most one minor release between any two control planes of the mesh,
 * whatever cluster they run on; and on each cluster, every revision tag, the east-west gateway Service's selector and
 * every `istio.io/rev` namespace label pointing at a control plane (or tag) that cluster runs. Pure.
 * @see docs/upgrades.md
 */
import { parseIstioVersion } from "../istio/versions";
import type { ClusterInventory, MeshIssue } from "./meshInventory";

/** Every revision problem of the mesh. */
export function checkRevisions(clusters: ClusterInventory[]): MeshIssue[] {
    const issues: MeshIssue[] = [];
    const planes = clusters.flatMap((c) =>
        (c.controlPlanes ?? []).flatMap((p) => {
            const v = p.version ? parseIstioVersion(p.version) : undefined;
            return v ? [{ cluster: c.clusterName ?? c.label, revision: p.revision, version: p.version!, minor: v.minor }] : [];
        }),
    );
    if (planes.length) {
        const lo = planes.reduce((a, b) => (b.minor < a.minor ? b : a));
        const hi = planes.reduce((a, b) => (b.minor > a.minor ? b : a));
        if (hi.minor - lo.minor > 1) {
            issues.push({
                area: "revisions",
                message: `control planes ${hi.cluster}/${hi.revision} (${hi.version}) and ${lo.cluster}/${lo.revision} (${lo.version}) are ${hi.minor - lo.minor} minor releases apart; Istio supports one between the clusters of a mesh: upgrade ${lo.cluster} through 1.${lo.minor + 1} first (docs/upgrades.md)`,
            });
        }
    }
    for (const c of clusters) {
        const present = new Set((c.controlPlanes ?? []).map((p) => p.revision));
        if (!present.size) continue;
        const name = c.clusterName ?? c.label;
        const missing = (what: string, rev: string) =>
            issues.push({
                area: "revisions",
                cluster: c.label,
                message: `cluster ${name}: ${what} points at revision ${rev}, which the cluster does not run (it runs ${[...present].join(", ")}); keep ${rev} until nothing uses it (docs/upgrades.md)`,
            });
        const tags = c.revisionTags ?? {};
        for (const [tag, rev] of Object.entries(tags)) if (!present.has(rev)) missing(`tag ${tag}`, rev);
        if (c.gatewayRevision !== undefined && !present.has(c.gatewayRevision)) missing("the east-west gateway Service", c.gatewayRevision);
        for (const [ns, rev] of Object.entries(c.namespaceRevisions ?? {})) {
            if (!present.has(rev) && tags[rev] === undefined) missing(`namespace ${ns} (istio.io/rev=${rev})`, rev);
        }
    }
    return issues;
}
