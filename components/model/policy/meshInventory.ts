/**
 * Mesh-wide checks on what is (about to be) deployed, cluster by cluster: one meshID, unique cluster names,
 * network labels that agree with istiod, east-west gateways between networks, a full mesh of remote secrets
 * and one shared root CA. Pure; the policy pack fills the inventory from the resources of a stack, and a
 * program or test can fill it from anything else.
 */
import { checkTopology } from "../access/topology";
import { Labels, READER_REMOTE_SECRET, REMOTE_SECRET_PREFIX } from "../istio/names";

/** What is known of one cluster. Fields left undefined are unknown (not deployed here, or not known yet). */
export interface ClusterInventory {
    /** A label for messages when the name is unknown (e.g. the provider's name). */
    label: string;
    /** istiod's `global.multiCluster.clusterName`. */
    clusterName?: string;
    /** istiod's `global.meshID`. */
    meshID?: string;
    /** istiod's `global.network`. */
    network?: string;
    /** The `topology.istio.io/network` label of the `istio-system` Namespace, if the Namespace is managed here. */
    namespaceNetwork?: string;
    /** True if a Gateway passes 15443 through with TLS AUTO_PASSTHROUGH; undefined if unknown. */
    hasAutoPassthroughGateway?: boolean;
    /** True if a Service exposes port 15443; undefined if unknown. */
    exposes15443?: boolean;
    /** Cluster names this cluster's remote secrets point at (undefined entries: not known yet). */
    remoteSecretTargets: (string | undefined)[];
    /**
     * The `root-cert.pem` of its `cacerts`: one root, or during a rotation the bundle of two (undefined: no cacerts
     * here, or not known yet).
     */
    rootCertPem?: string;
    /** The signing certificate of its `cacerts` (`ca-cert.pem`), when known. */
    signingCertPem?: string;
    /** Whether its istiod runs with `ISTIO_MULTIROOT_MESH=true` (undefined: unknown). */
    multiRoot?: boolean;
    /**
     * The Istio control planes installed here: revision (`default` for the revision-less one) and release (the
     * image tag, when known). Empty: none known.
     */
    controlPlanes?: { revision: string; version?: string }[];
    /** Revision tags here: tag → revision. */
    revisionTags?: Record<string, string>;
    /** The revision the east-west gateway Service selects (`istio.io/rev`), when it selects one. */
    gatewayRevision?: string;
    /** Namespaces labelled `istio.io/rev`: namespace → revision or tag. */
    namespaceRevisions?: Record<string, string>;
}

/** One mesh-level problem, attributed to a cluster label when it concerns one cluster. */
export interface MeshIssue {
    /** Which policy area the problem belongs to. */
    area: "identity" | "eastWest" | "links" | "rootCA" | "revisions";
    /** The cluster label, or undefined for mesh-wide problems. */
    cluster?: string;
    /** What is wrong and how to fix it. */
    message: string;
}

const nameOf = (c: ClusterInventory) => c.clusterName ?? c.label;

/**
 * Identity: one meshID; cluster names unique (and DNS-1123, via {@link checkTopology}); the `istio-system`
 * network label equal to istiod's `global.network` on each cluster.
 */
export function checkMeshIdentity(clusters: ClusterInventory[]): MeshIssue[] {
    const issues: MeshIssue[] = [];
    const meshIDs = new Map<string, string[]>();
    for (const c of clusters) if (c.meshID !== undefined) meshIDs.set(c.meshID, [...(meshIDs.get(c.meshID) ?? []), nameOf(c)]);
    if (meshIDs.size > 1) {
        const list = [...meshIDs].map(([id, cs]) => `${JSON.stringify(id)} (${cs.join(", ")})`).join(", ");
        issues.push({
            area: "identity",
            message: `clusters disagree on global.meshID: ${list}; every cluster of one mesh needs the same meshID`,
        });
    }
    const named = clusters.filter((c) => c.clusterName !== undefined);
    const topo = checkTopology(
        named.map((c) => ({ name: c.clusterName!, network: c.network ?? "unknown", usesReaderToken: false })),
        true,
        (i, f) => `${named[i]!.label}.${f === "name" ? "clusterName" : f}`,
    );
    for (const t of topo) issues.push({ area: "identity", cluster: t.path.split(".")[0], message: `${t.path}: ${t.message}` });
    for (const c of clusters) {
        if (c.network !== undefined && c.namespaceNetwork !== undefined && c.network !== c.namespaceNetwork) {
            issues.push({
                area: "identity",
                cluster: c.label,
                message: `cluster ${nameOf(c)}: istio-system is labelled ${Labels.network}=${c.namespaceNetwork} but istiod has global.network=${c.network}; endpoints get the wrong network and traffic skips the east-west gateway (istio/istio#49412)`,
            });
        }
    }
    return issues;
}

/** East-west: when clusters span more than one network, each needs a 15443 Service and an AUTO_PASSTHROUGH Gateway. */
export function checkEastWestGateways(clusters: ClusterInventory[]): MeshIssue[] {
    const networks = new Set(clusters.map((c) => c.network).filter((n): n is string => n !== undefined));
    if (networks.size < 2) return [];
    const issues: MeshIssue[] = [];
    for (const c of clusters) {
        if (c.network === undefined) continue;
        if (c.exposes15443 === false) {
            issues.push({
                area: "eastWest",
                cluster: c.label,
                message: `cluster ${nameOf(c)} (network ${c.network}) has no Service exposing port 15443: other networks cannot reach its workloads (install the east-west gateway)`,
            });
        }
        if (c.hasAutoPassthroughGateway === false) {
            issues.push({
                area: "eastWest",
                cluster: c.label,
                message: `cluster ${nameOf(c)} (network ${c.network}) has no Gateway with a 15443 server in TLS mode AUTO_PASSTHROUGH (samples/multicluster/expose-services.yaml): cross-network requests fail`,
            });
        }
    }
    return issues;
}

/** Links: every ordered pair of named clusters has a remote secret, and none points at a cluster outside the stack. */
export function checkRemoteSecretMesh(clusters: ClusterInventory[]): MeshIssue[] {
    const issues: MeshIssue[] = [];
    const names = new Set(clusters.map((c) => c.clusterName).filter((n): n is string => n !== undefined));
    for (const reader of clusters) {
        if (reader.clusterName === undefined) continue;
        const targets = reader.remoteSecretTargets;
        const anyUnknown = targets.some((t) => t === undefined);
        for (const t of targets) {
            if (t === undefined) continue;
            if (t === reader.clusterName) {
                issues.push({
                    area: "links",
                    cluster: reader.label,
                    message: `cluster ${t} has a remote secret pointing at itself (istiod ignores it)`,
                });
            } else if (!names.has(t)) {
                issues.push({
                    area: "links",
                    cluster: reader.label,
                    message: `cluster ${reader.clusterName} has ${REMOTE_SECRET_PREFIX}${t}, but no cluster ${t} is in this stack (a stale link: istiod keeps watching an API server that is gone)`,
                });
            }
        }
        if (anyUnknown) continue;
        for (const target of names) {
            if (target === reader.clusterName || targets.includes(target)) continue;
            issues.push({
                area: "links",
                cluster: reader.label,
                message: `cluster ${reader.clusterName} has no ${REMOTE_SECRET_PREFIX}${target} (nor an entry ${target} in ${READER_REMOTE_SECRET}): its istiod cannot discover ${target}'s endpoints (multi-primary needs every ordered pair linked)`,
            });
        }
    }
    return issues;
}
