/**
 * The node and subgraph IDs of the mesh picture. Node IDs are readable paths (`cluster1/istiod`), quoted in the
 * DOT text; those of nodes outside every cluster start with `~`, which no cluster name (a DNS-1123 label) has, so
 * they never collide with a cluster's. Subgraph IDs use positions, so any cluster or region name is safe in them. Graphviz draws a subgraph
 * as a box only when its ID starts with `cluster`.
 */

/** Node IDs. */
export const NodeId = {
    /** A cluster's API server. */
    apiServer: (cluster: string) => `${cluster}/api-server`,
    /** A cluster's istiod. */
    istiod: (cluster: string) => `${cluster}/istiod`,
    /** A cluster's east-west gateway. */
    eastWest: (cluster: string) => `${cluster}/istio-eastwestgateway`,
    /** A cluster's ingress gateway (shifting, tls-frontend). */
    ingress: (cluster: string) => `${cluster}/istio-ingressgateway`,
    /** A helloworld version running in a cluster (seed 003). */
    helloworld: (cluster: string, version: string) => `${cluster}/helloworld-${version}`,
    /** A cluster's scenario note. */
    note: (cluster: string) => `${cluster}/scenarios`,
    /** A zone of a cluster. */
    zone: (cluster: string, region: string, zone: string) => `${cluster}/${region}/${zone}`,
    /** A locality no node of the stack is labelled with. */
    noSuchLocality: (locality: string) => `~locality/${locality}`,
    /** A helloworld version a route names but no cluster runs. */
    missingHelloworld: (version: string) => `~helloworld-${version}`,
    /** A public host name (tls-frontend). */
    publicHost: (host: string) => `~public/${host}`,
    /** The shared root CA. */
    rootCa: "~mesh/root-ca",
    /** The legend. */
    legend: "~mesh/legend",
} as const;

/** Subgraph IDs, by position in the model. */
export const SubgraphId = {
    /** The box of the `n`-th network. */
    network: (n: number) => `cluster_network_${n}`,
    /** The box of the `i`-th cluster. */
    cluster: (i: number) => `cluster_c${i}`,
    /** The box of region `k` of cluster `i`. */
    region: (i: number, k: number) => `cluster_c${i}_region_${k}`,
    /** The legend box. */
    legend: "cluster_legend",
} as const;
