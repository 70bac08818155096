/**
 * Which form of the `base` chart (Istio's CRDs) a cluster already has, read before Pulumi plans to install the
 * other one. Switching `istio.baseInstall` on a cluster that has the base chart is not a plain `pulumi up`:
 * - `release` → `objects` would create the objects and then uninstall the Helm release, which deletes the CRDs
 *   (and with them every Istio resource in the cluster) and the reader service account;
 * - `objects` → `release`: Helm refuses to install over objects without its ownership metadata.
 * Both are refused in `pulumi preview` already, naming the setting.
 */
import { KubeconfigAccess } from "./clusterAccess";
import { checkReader, patiently } from "./clusterClient";
import { BaseInstall, ISTIO_NAMESPACE } from "./model";
import { BASE_RELEASE } from "./istioBase";
import { classifyReadError } from "./serviceAccountToken";

/** The service account the `base` chart creates in both forms (its presence says the chart is installed). */
export const READER_SERVICE_ACCOUNT = "istio-reader-service-account";

/** What a cluster has of the `base` chart. */
export type CurrentBaseInstall =
    /** Nothing yet: either form may be installed. */
    | { kind: "none" }
    /** Helm release `istio-base` in `istio-system` (`release` form), with its status. */
    | { kind: "release"; status: string }
    /** The reader service account without a Helm release (`objects` form, or installed by another tool). */
    | { kind: "objects" }
    /** Could not tell (API server unreachable, no permission, unusable kubeconfig): `why`. */
    | { kind: "unknown"; why: string }
    /** Not looked at: cluster reads are turned off (`ISTIO_MULTICLUSTER_SKIP_CLUSTER_READS`, clusterClient.ts). */
    | { kind: "skipped" };

/** Reads what the cluster `access` reaches has of the base chart, within `requestTimeoutMs` per request. Never throws. */
export async function findCurrentBaseInstall(access: KubeconfigAccess, requestTimeoutMs = 10000): Promise<CurrentBaseInstall> {
    const reader = await checkReader(access);
    if (reader.kind !== "api") return reader;
    const api = reader.api;
    try {
        // Helm keeps each revision of a release as a Secret labelled owner=helm, name=<release>, status=<status>.
        const revisions = await patiently(
            () => api.listNamespacedSecret({ namespace: ISTIO_NAMESPACE, labelSelector: `owner=helm,name=${BASE_RELEASE}` }),
            requestTimeoutMs,
        );
        // An uninstalled release kept as history (`helm uninstall --keep-history`) installs nothing.
        const statuses = revisions.items.map((s) => s.metadata?.labels?.status ?? "unknown").filter((s) => s !== "uninstalled");
        if (statuses.length) return { kind: "release", status: statuses.includes("deployed") ? "deployed" : statuses[statuses.length - 1] };
    } catch (e) {
        if ((e as { code?: unknown }).code !== 404) return { kind: "unknown", why: classifyReadError(e, requestTimeoutMs).message };
    }
    try {
        await patiently(
            () => api.readNamespacedServiceAccount({ name: READER_SERVICE_ACCOUNT, namespace: ISTIO_NAMESPACE }),
            requestTimeoutMs,
        );
        return { kind: "objects" };
    } catch (e) {
        if ((e as { code?: unknown }).code === 404) return { kind: "none" };
        return { kind: "unknown", why: classifyReadError(e, requestTimeoutMs).message };
    }
}

/** The refusal when `configured` cannot be installed over what `cluster` has; undefined when it can. */
export function baseInstallSwitchRefusal(cluster: string, configured: BaseInstall, found: CurrentBaseInstall): string | undefined {
    const keep = `Keep istio.baseInstall "${configured === "objects" ? "release" : "objects"}" for this stack (library users: MeshClusterArgs.istio.baseInstall); switching an existing cluster is not supported yet (docs/scale.md). Nothing was changed in ${cluster}.`;
    if (configured === "objects" && found.kind === "release") {
        return (
            `cluster ${cluster} has Istio's base chart (the CRDs) as the Helm release ${BASE_RELEASE} (istio.baseInstall "release"). ` +
            `Installing it as objects would uninstall that release afterwards, deleting the CRDs, every Istio resource of the cluster ` +
            `and the reader service account the other clusters' remote secrets use. ${keep}`
        );
    }
    if (configured === "release" && found.kind === "objects") {
        return (
            `cluster ${cluster} has Istio's base chart (the CRDs, ${ISTIO_NAMESPACE}/${READER_SERVICE_ACCOUNT}) installed without the Helm ` +
            `release ${BASE_RELEASE}: by this stack with istio.baseInstall "objects" (the default) or by another tool. Helm cannot take ` +
            `those objects over (invalid ownership metadata). ${keep}`
        );
    }
    return undefined;
}

/** The warning when the check could not tell; the deployment goes on. */
export function uncheckedBaseInstallWarning(cluster: string, why: string): string {
    return (
        `could not check how cluster ${cluster} has Istio's base chart installed: ${why}. Switching istio.baseInstall on a cluster ` +
        `that has it is not supported (docs/scale.md).`
    );
}
