/**
 * Mesh-wide invariants on the set of clusters, shared by the config parser, the IstioMesh component and
 * the policy pack: unique DNS-1123 cluster names, and API servers the other clusters can reach.
 */
import { ConfigIssue } from "./errors";
import { isDns1123Label } from "./names";
import { isLoopbackUrl } from "./versions";

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
}

/**
 * Returns the issues with a set of clusters; `pathOf(i, field)` renders the path of cluster i's field
 * (config path in stack config, args path in components).
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
    if (clusters.length < 2) return issues;
    clusters.forEach((c, i) => {
        if (!c.usesReaderToken) return;
        const at = pathOf(i, "apiServerUrl");
        if (!c.apiServerUrl) {
            issues.push({
                path: at,
                message: `cluster ${c.name} is linked to ${clusters.length - 1} other cluster(s), but its API server URL is unknown: set apiServerUrl to the address the other clusters' istiod can reach (istioctl's --server)`,
            });
        } else if (isLoopbackUrl(c.apiServerUrl) && !allowLoopbackApiServer) {
            const from = c.apiServerUrlSource === "kubeconfig" ? ` (read from kubeconfig context ${c.context ?? "current-context"})` : "";
            issues.push({
                path: at,
                message: `${c.apiServerUrl}${from} is a loopback address, which the other clusters' istiod cannot reach: set apiServerUrl to an address reachable from them, or set allowLoopbackApiServer: true for single-host test setups`,
            });
        }
    });
    return issues;
}
