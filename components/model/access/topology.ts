/**
 * Mesh-wide invariants on the set of clusters, shared by the config parser, the IstioMesh component and
 * the policy pack: unique DNS-1123 cluster names, and API servers the other clusters can reach.
 */
import { ConfigIssue } from "../config/errors";
import { apiServerUrlProblem, canonicalApiServer } from "./apiServer";
import { isDns1123Label } from "../istio/names";

/** What the checks need to know of one cluster. */
export interface TopologyCluster {
    /** Cluster name. */
    name: string;
    /** Network name. */
    network: string;
    /** API server URL the other clusters' istiod will use, if known. */
    apiServerUrl?: string;
    /** Where the URL came from, for the message. */
    apiServerUrlSource?: "config" | "kubeconfig" | "unknown";
    /** Context name, for the message. */
    context?: string;
    /** True when links to this cluster use a reader token (so the URL must be known here). */
    usesReaderToken: boolean;
    /**
     * True when the caller already reported why the URL is unknown (kubeconfig file or context missing), so
     * no second, vaguer "unknown" issue is added.
     */
    apiServerUrlExplained?: boolean;
    /**
     * True when an API server URL is given but not known yet (another resource's output): the checks of the URL
     * are skipped here, and the caller runs them again once it is known.
     */
    apiServerUrlDeferred?: boolean;
}

/**
 * Returns the issues with a set of clusters; `pathOf(i, field)` renders the path of cluster i's field
 * (config path in stack config, args path in components). Checks: DNS-1123 names, unique names, one API
 * server per cluster, and every linked API server known and reachable ({@link apiServerUrlProblem}).
 */
export function checkTopology(
    clusters: TopologyCluster[],
    allowLoopbackApiServer: boolean,
    pathOf: (i: number, field: string) => string = (i, f) => `clusters[${i}].${f}`,
): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const seen = new Map<string, number>();
    clusters.forEach((c, i) => {
        if (!isDns1123Label(c.name)) {
            issues.push({ path: pathOf(i, "name"), message: `${JSON.stringify(c.name)} is not a DNS-1123 label` });
        }
        if (!isDns1123Label(c.network)) {
            issues.push({ path: pathOf(i, "network"), message: `${JSON.stringify(c.network)} is not a DNS-1123 label` });
        }
        const first = seen.get(c.name);
        if (first !== undefined) {
            issues.push({
                path: pathOf(i, "name"),
                message: `duplicate cluster name ${JSON.stringify(c.name)} (also ${pathOf(first, "name")}): cluster names must be unique`,
            });
        } else {
            seen.set(c.name, i);
        }
    });
    const urlSeen = new Map<string, number>();
    clusters.forEach((c, i) => {
        const key = c.apiServerUrl ? canonicalApiServer(c.apiServerUrl) : undefined;
        if (!key) return;
        const first = urlSeen.get(key);
        if (first === undefined) urlSeen.set(key, i);
        else {
            issues.push({
                path: pathOf(i, "apiServerUrl"),
                message: `${c.apiServerUrl} is also the API server of ${pathOf(first, "name").replace(/\.name$/, "")} (${clusters[first].name}): each cluster needs its own API server; check the context/apiServerUrl of both`,
            });
        }
    });
    if (clusters.length < 2) return issues;
    clusters.forEach((c, i) => {
        if (!c.usesReaderToken) return;
        const at = pathOf(i, "apiServerUrl");
        if (!c.apiServerUrl) {
            if (c.apiServerUrlExplained || c.apiServerUrlDeferred) return;
            issues.push({
                path: at,
                message: `cluster ${c.name} is linked to ${clusters.length - 1} other cluster(s), but its API server URL is unknown: set apiServerUrl to the address the other clusters' istiod can reach (istioctl's --server)`,
            });
            return;
        }
        const from = c.apiServerUrlSource === "kubeconfig" ? ` (read from kubeconfig context ${c.context ?? "current-context"})` : "";
        const problem = apiServerUrlProblem(c.apiServerUrl, allowLoopbackApiServer, from);
        if (problem) issues.push({ path: at, message: problem });
    });
    return issues;
}
