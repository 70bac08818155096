/**
 * Reads what a cluster runs of Istio's control planes before an upgrade step is planned, so that
 * `pulumi preview` refuses a step out of order (model/revisions/revisionSteps.ts). Core API reads only:
 * - control planes: the `istio-sidecar-injector[-<rev>]` ConfigMaps (label `istio.io/rev`, the chart's values with
 *   `global.tag`, the release this project installs);
 * - tags: the `istiod-revision-tag-<tag>` Services (labels `istio.io/tag`, `istio.io/rev`);
 * - the east-west gateway Service's `istio.io/rev` selector;
 * - namespaces labelled `istio.io/rev`, and pods outside istio-system labelled `istio.io/rev` (injected proxies).
 * An unreadable cluster gives a warning, not a refusal (as the other program-time checks).
 */
import * as pulumi from "@pulumi/pulumi";
import { ClusterAccess, KubeconfigAccess } from "./clusterAccess";
import { checkReader, patiently } from "./clusterClient";
import { DesiredRevisions, EASTWEST_GATEWAY_NAME, ISTIO_NAMESPACE, LiveRevisions, REVISION_LABEL, revisionStepRefusals } from "./model";
import { refusal } from "./refusal";
import { classifyReadError } from "./serviceAccountToken";

/** The live state, or why it could not be read (`skipped`: cluster reads are off). */
export type LiveRevisionsRead = { kind: "read"; live: LiveRevisions } | { kind: "unknown"; why: string } | { kind: "skipped" };

/**
 * Reads the cluster `access` reaches. Pods are listed only for the control planes about to go (those not in
 * `keep`), so a steady-state preview reads no pods at all. Never throws.
 */
export async function readLiveRevisions(access: KubeconfigAccess, keep: string[], requestTimeoutMs = 10000): Promise<LiveRevisionsRead> {
    const reader = await checkReader(access);
    if (reader.kind !== "api") return reader;
    const api = reader.api;
    const read = <T>(f: () => Promise<T>) => patiently(f, requestTimeoutMs);
    try {
        const [injectors, services, namespaces] = await Promise.all([
            read(() => api.listNamespacedConfigMap({ namespace: ISTIO_NAMESPACE, labelSelector: REVISION_LABEL })),
            read(() => api.listNamespacedService({ namespace: ISTIO_NAMESPACE })),
            read(() => api.listNamespace({ labelSelector: REVISION_LABEL })),
        ]);
        const live: LiveRevisions = { controlPlanes: [], tags: {}, namespaces: {}, proxies: {} };
        for (const cm of injectors.items) {
            if (!cm.metadata?.name?.startsWith("istio-sidecar-injector")) continue;
            live.controlPlanes.push({ revision: cm.metadata.labels?.[REVISION_LABEL] ?? "default", version: injectorTag(cm.data?.values) });
        }
        const going = live.controlPlanes.map((c) => c.revision).filter((r) => r !== "default" && !keep.includes(r));
        const pods = going.length
            ? await read(() => api.listPodForAllNamespaces({ labelSelector: `${REVISION_LABEL} in (${going.join(",")})` }))
            : { items: [] };
        for (const s of services.items) {
            const labels = s.metadata?.labels ?? {};
            if (s.metadata?.name?.startsWith("istiod-revision-tag-") && labels["istio.io/tag"]) {
                live.tags[labels["istio.io/tag"]] = labels[REVISION_LABEL] ?? "default";
            }
            if (s.metadata?.name === EASTWEST_GATEWAY_NAME) live.gatewayRevision = s.spec?.selector?.[REVISION_LABEL];
        }
        for (const ns of namespaces.items) live.namespaces[ns.metadata!.name!] = ns.metadata!.labels![REVISION_LABEL];
        for (const p of pods.items) {
            const ns = p.metadata?.namespace ?? "";
            const rev = p.metadata?.labels?.[REVISION_LABEL];
            if (!rev || ns === ISTIO_NAMESPACE) continue;
            const list = (live.proxies[rev] ??= []);
            if (!list.includes(ns)) list.push(ns);
        }
        return { kind: "read", live };
    } catch (e) {
        return { kind: "unknown", why: classifyReadError(e, requestTimeoutMs).message };
    }
}

/** The image tag in an injector ConfigMap's `values` (the chart's values as JSON), which this project sets to the release. */
export function injectorTag(values: string | undefined): string | undefined {
    try {
        const tag = (JSON.parse(values ?? "") as { global?: { tag?: unknown } }).global?.tag;
        return typeof tag === "string" ? tag : undefined;
    } catch {
        return undefined;
    }
}

/** The warning when the check could not tell; the deployment goes on. */
export function uncheckedRevisionsWarning(cluster: string, why: string): string {
    return `could not check which Istio control planes cluster ${cluster} runs: ${why}. The upgrade-step guards (docs/upgrades.md) did not run for it.`;
}

/**
 * Resolves once the cluster was checked: a refusal rejects with a ResourceError naming every out-of-order step, an
 * unreadable cluster warns. Without `access` (the cluster came with its own provider) nothing is read.
 */
export function refuseRevisionStep(
    cluster: pulumi.Resource & { clusterName: string },
    access: ClusterAccess | undefined,
    desired: DesiredRevisions,
): pulumi.Output<void> | undefined {
    if (!access) return undefined;
    return pulumi.output(access).apply(async (a) => {
        const found = await readLiveRevisions(a, desired.mode === "canary" ? desired.revisions.map((r) => r.name) : []);
        if (found.kind === "unknown") void pulumi.log.warn(uncheckedRevisionsWarning(cluster.clusterName, found.why), cluster);
        if (found.kind !== "read") return;
        const refused = revisionStepRefusals(cluster.clusterName, desired, found.live);
        if (refused.length)
            throw refusal(`${refused.join("\n")}\nNothing was changed in ${cluster.clusterName} (docs/upgrades.md).`, cluster);
    });
}
