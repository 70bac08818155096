/**
 * The guards that need the cluster's present state: one upgrade step per `pulumi up`, in order. Compares what a
 * cluster runs now (read before anything is planned, components/revisionStepCheck.ts) with what the config asks,
 * and refuses, naming the object and the step to take first:
 * - an in-place jump over a minor release (1.28 → 1.30), of the revision-less control plane or of a named revision;
 * - removing a revision that a tag, the east-west gateway Service, a namespace or running proxies still use;
 * - pointing a tag at a revision this same `up` adds (its webhook could call an istiod that is not ready yet);
 * - switching a cluster between the revision-less install and revisions (the revision-less injector would keep
 *   injecting beside the `default` tag's).
 * Pure.
 * @see docs/upgrades.md
 */
import { parseIstioVersion } from "../istio/versions";

/** What a cluster runs now. */
export interface LiveRevisions {
    /** Control planes by revision (`default` for the revision-less install), with their release when known. */
    controlPlanes: { revision: string; version?: string }[];
    /** Revision tags: tag → revision (from the tags' `istiod-revision-tag-<tag>` Services). */
    tags: Record<string, string>;
    /** The revision the east-west gateway Service selects (`istio.io/rev`); undefined: none or revision-less. */
    gatewayRevision?: string;
    /** Namespaces labelled `istio.io/rev`: namespace → revision or tag. */
    namespaces: Record<string, string>;
    /** Pods outside `istio-system` labelled `istio.io/rev` (injected proxies): revision → namespaces holding them. */
    proxies: Record<string, string[]>;
}

/** What the config asks of the cluster. */
export type DesiredRevisions =
    { mode: "inPlace"; version: string } | { mode: "canary"; revisions: { name: string; version: string }[]; tags: Record<string, string> };

/** Every refusal for moving `cluster` from `live` to `desired` (empty: the step may go ahead). */
export function revisionStepRefusals(cluster: string, desired: DesiredRevisions, live: LiveRevisions): string[] {
    const out: string[] = [];
    const liveRevision = (r: string) => live.controlPlanes.find((c) => c.revision === r);
    const named = live.controlPlanes.filter((c) => c.revision !== "default");
    if (desired.mode === "inPlace") {
        if (named.length) {
            out.push(
                `cluster ${cluster} runs revisioned control planes (${named.map((c) => c.revision).join(", ")}): going back to a revision-less install is not supported; keep istio.revisions`,
            );
        }
        const jump = minorJump(liveRevision("default")?.version, desired.version);
        if (jump) out.push(`cluster ${cluster}: istio.version ${jump}`);
        return out;
    }
    if (liveRevision("default")) {
        out.push(
            `cluster ${cluster} runs the revision-less control plane (an in-place install): its injector would keep serving istio-injection=enabled beside the default tag's, so canary revisions cannot be added to it; upgrade it in place (istio.version, one minor at a time) or move its workloads to a mesh installed with istio.revisions`,
        );
        return out;
    }
    const wanted = new Set(desired.revisions.map((r) => r.name));
    for (const r of desired.revisions) {
        const jump = minorJump(liveRevision(r.name)?.version, r.version);
        if (jump) out.push(`cluster ${cluster}: revision ${r.name}: ${jump}; add a revision of the new release beside it instead`);
    }
    const liveNames = new Set(live.controlPlanes.map((c) => c.revision));
    for (const [tag, rev] of Object.entries(desired.tags)) {
        if (live.controlPlanes.length && !liveNames.has(rev) && live.tags[tag] !== undefined) {
            out.push(
                `cluster ${cluster}: tag ${tag} would move to revision ${rev}, which this same update installs: its webhook could call an istiod that is not ready yet. Add ${rev} first (tag ${tag} on ${live.tags[tag]}), move the tag in the next pulumi up`,
            );
        }
    }
    for (const gone of live.controlPlanes.filter((c) => !wanted.has(c.revision)).map((c) => c.revision)) {
        const users: string[] = [];
        for (const [tag, rev] of Object.entries(live.tags)) if (rev === gone) users.push(`tag ${tag} (move it to another revision first)`);
        if (live.gatewayRevision === gone) users.push("the east-west gateway Service (cut it over first: istio.eastWestGatewayRevision)");
        const aliases = new Set([
            gone,
            ...Object.entries(live.tags)
                .filter(([, rev]) => rev === gone)
                .map(([t]) => t),
        ]);
        for (const [ns, rev] of Object.entries(live.namespaces))
            if (aliases.has(rev)) users.push(`namespace ${ns} (label istio.io/rev=${rev})`);
        const proxies = live.proxies[gone] ?? [];
        if (proxies.length)
            users.push(`proxies in namespace(s) ${proxies.join(", ")} (restart those workloads after moving their namespace)`);
        if (users.length) {
            out.push(
                `cluster ${cluster}: revision ${gone} cannot be removed yet, still in use by ${users.join("; ")}. Keep it in istio.revisions until then`,
            );
        }
    }
    return out;
}

/** Why going from `from` to `to` in place jumps over a minor release; undefined when it does not (or `from` is unknown). */
function minorJump(from: string | undefined, to: string): string | undefined {
    const a = from ? parseIstioVersion(from) : undefined;
    const b = parseIstioVersion(to);
    if (!a || !b || Math.abs(b.minor - a.minor) <= 1) return undefined;
    return `${from} → ${to} in place jumps over a minor release (Istio upgrades one minor at a time): go to 1.${a.minor + Math.sign(b.minor - a.minor)} first`;
}
