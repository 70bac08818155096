/**
 * The resolved scenario model: what {@link resolveScenarios} returns and the components in
 * `components/scenarios/` render. Plain data types only.
 */
import type { ConfigIssue } from "../config/errors";
import type { OutlierDetection } from "../locality/locality";
import type { ScenarioId } from "./scenarioSchema";
import type { NodeTopology } from "../config/types";

/** One zone of a cluster that gets a helloworld2 Deployment and a sleep client (seed 000). */
export interface SampleZone {
    /** `topology.kubernetes.io/region` of the zone's nodes. */
    region: string;
    /** `topology.kubernetes.io/zone`. */
    zone: string;
    /** Short zone id, `z<n>` (`zone3` → `z3`; other names: `z<position>`). The sleep client is `sleep<short>`. */
    short: string;
    /** helloworld2 version label and SERVICE_VERSION, `c<k><short>` (cluster position k), e.g. `c1z2`. */
    version: string;
}

/**
 * The three locality load-balancing policies a helloworld2 DestinationRule can carry. Each names the Pulumi type
 * token (`istio-multicluster:index:<kind>`) its `LocalityPolicy` component registers under, so stacks created
 * before the three policies shared one component keep their URNs.
 */
export type LocalityPolicyKind = "LocalityFailover" | "WeightedDistribution" | "RegionFailover";

/**
 * A DestinationRule + VirtualService pair for helloworld2 (CC2–CC4), fully rendered: every object name, host,
 * namespace and traffic policy is decided here, and the `LocalityPolicy` component writes exactly this.
 */
export interface LocalityRuleModel {
    /** The locality policy this rule applies (and the component type token it registers under). */
    kind: LocalityPolicyKind;
    /** Cluster it is applied to. */
    cluster: string;
    /** Namespace of both objects. */
    namespace: string;
    /** The VirtualService that routes every request for `host` to `host`. */
    virtualService: {
        /** VirtualService name. */
        name: string;
        /** Its `spec.hosts[0]` and route destination, as the seed writes it. */
        host: string;
    };
    /** DestinationRule name. */
    name: string;
    /** DestinationRule host, as the seed writes it. */
    host: string;
    /** `spec.trafficPolicy` of the DestinationRule (built by the `*Policy` functions of scenarioDefaults.ts). */
    trafficPolicy: Record<string, unknown>;
    /** Outlier detection. */
    outlierDetection: OutlierDetection;
    /** CC3: distribute rules. */
    distribute?: { from: string; to: Record<string, number> }[];
    /** CC4: failover rules. */
    failover?: { from: string; to: string }[];
    /** CC4: connectionPool.http.maxRequestsPerConnection. */
    maxRequestsPerConnection?: number;
}

/** A ServiceEntry (DNSP1/2). */
export interface ServiceEntryModel {
    /** Object name. */
    name: string;
    /** `spec`. */
    spec: Record<string, unknown>;
}

/** The helloworld route both seed-003 VirtualServices split between subsets v1 and v2. */
export interface WeightedRouteModel {
    /** Destination host (the helloworld Service). */
    host: string;
    /** Destination port. */
    port: number;
    /** Route weights of the subsets; whole numbers that add up to 100. */
    weights: { v1: number; v2: number };
}

/** shifting, rendered: the same three objects on each of its clusters. */
export interface ShiftingModel {
    /** Clusters it is applied to. */
    clusters: string[];
    /** Namespace of the three objects. */
    namespace: string;
    /** DestinationRule name (its host is `route.host`, subsets v1 and v2). */
    destinationRule: string;
    /** Gateway name (HTTP 80 on the ingress gateway). */
    gateway: string;
    /** VirtualService name. */
    virtualService: string;
    /** `/hello` through the gateway. */
    route: WeightedRouteModel;
    /** The same as `route.weights`. */
    weights: { v1: number; v2: number };
}

/** tls-frontend's dns01 solver: a provider's webhook, or RFC 2136 with a TSIG key the program writes to a Secret. */
export type AcmeSolverModel =
    | { kind: "webhook"; groupName: string; solverName: string }
    | {
          kind: "rfc2136";
          /** `host:port` of the authoritative server. */
          nameserver: string;
          tsigKeyName: string;
          tsigAlgorithm: "HMACMD5" | "HMACSHA1" | "HMACSHA256" | "HMACSHA512";
          /** Secret config key holding the TSIG secret (the program reads it). */
          tsigSecretConfigKey: string;
          /** Where the Secret goes (cert-manager's cluster resource namespace), and its name and key. */
          secretNamespace: string;
          secretName: string;
          secretKey: string;
      };

/** How tls-frontend publishes the host. */
export interface TlsFrontendDnsModel {
    /** `dnsEndpoint`: one DNSEndpoint with every cluster's address; `gatewayAnnotation`: the seed's; `none`. */
    mode: "dnsEndpoint" | "gatewayAnnotation" | "none";
    /** The cluster holding the DNSEndpoint (mode `dnsEndpoint`). */
    cluster: string;
    /** The DNSEndpoint's name and namespace. */
    name: string;
    namespace: string;
    /** Record TTL, seconds. */
    ttl: number;
}

/** tls-frontend, rendered. */
export interface TlsFrontendModel {
    /** Clusters it is applied to. */
    clusters: string[];
    /** Public host name. */
    host: string;
    /** TLS Secret the Certificate writes and the Gateway uses. */
    credentialName: string;
    /** Fixed external-dns target; none: the ingress gateway's address. */
    ingressAddress?: string;
    /** The same as `route.weights`. */
    weights: { v1: number; v2: number };
    /** ACME account e-mail. */
    email: string;
    /** ACME directory URL. */
    acmeServer: string;
    /** ClusterIssuer name. */
    issuerName: string;
    /** The ACME issuer's dns01 solver. */
    solver: AcmeSolverModel;
    /** The ACME server's TLS root (PEM), for a private ACME server; undefined: the system roots. */
    acmeCaBundle?: string;
    /** The DNS zone the host is in, when set. */
    dnsZone?: string;
    /** How the host's record is published. */
    dns: TlsFrontendDnsModel;
    /** Namespace of the Certificate, Gateway and VirtualService (the ingress gateway's). */
    namespace: string;
    /** Certificate name (the host's first label). */
    certificate: string;
    /** Gateway name (HTTPS 443). */
    gateway: string;
    /** VirtualService name. */
    virtualService: string;
    /** `/hello` through the gateway, to the qualified helloworld host. */
    route: WeightedRouteModel;
}

/** The resolved selection: every setting filled in from the seeds, validated against the clusters. */
export interface ScenariosModel {
    /** Selected ids, in {@link SCENARIO_IDS} order. */
    selected: ScenarioId[];
    /** samples: per cluster, its zones. */
    samples?: { clusters: { cluster: string; index: number; zones: SampleZone[] }[]; helloworldImage: string; sleepImage: string };
    /** cc1: the cluster whose clients mesh-check uses. */
    cc1?: { cluster: string };
    /** cc2: locality-prioritised failover. */
    cc2?: LocalityRuleModel;
    /** cc3: weighted distribution. */
    cc3?: LocalityRuleModel;
    /** cc4: region failover. */
    cc4?: LocalityRuleModel;
    /** dnsp1: external TLS service. */
    dnsp1?: { cluster: string; entries: ServiceEntryModel[] };
    /** dnsp2: two TCP services on the same port. */
    dnsp2?: { cluster: string; entries: ServiceEntryModel[] };
    /** helloworld (seed 003): versions per cluster; the Service goes to each of these clusters. */
    helloworld?: { versions: Record<string, ("v1" | "v2")[]>; image: string };
    /** shifting: clusters and v1/v2 weights through the ingress gateway. */
    shifting?: ShiftingModel;
    /** tls-frontend (seed 003). */
    tlsFrontend?: TlsFrontendModel;
    /** networkpolicy: clusters to get np-istio, np-istio-ports and np-helloworld. */
    networkpolicy?: { clusters: string[] };
    /** rancher: LimitRange per cluster, optional Project through the management cluster. */
    rancher?: {
        clusterIds: Record<string, string>;
        management?: { context: string; kubeconfig?: string };
        projectName: string;
        limitRange: boolean;
    };
    /** Clusters that need the `sample` namespace (union over the selected scenarios). */
    sampleNamespaceClusters: string[];
    /** Clusters that need the `istio-ingressgateway` (shifting, tls-frontend). */
    ingressGatewayClusters: string[];
    /** Accepted, but worth telling the user (the components log them with pulumi.log.warn). */
    warnings: ConfigIssue[];
}

/** A cluster as the scenarios see it: name and node topology. */
export interface ScenarioCluster {
    /** Cluster name. */
    name: string;
    /** Labelled nodes. */
    nodes: NodeTopology[];
}
