/**
 * `scenarioSettings` as a stack (or a program calling {@link parseMeshConfig}) writes it: per-scenario overrides
 * of the seeds' defaults. Plain, documented types; the zod schema that validates them (scenarioSettingsSchema.ts)
 * is checked against these at compile time, and no public declaration mentions zod.
 */

/** A DestinationRule `outlierDetection`, as the CC2–CC4 settings take it. */
export interface OutlierDetectionSetting {
    /** 5xx responses before a host is ejected (a whole number ≥ 0). */
    consecutive5xxErrors?: number;
    /** 502/503/504 responses before a host is ejected (a whole number ≥ 0). */
    consecutiveGatewayErrors?: number;
    /** Time between ejection sweeps, a duration such as `"10s"`. */
    interval?: string;
    /** Minimum ejection duration, such as `"30s"`. */
    baseEjectionTime?: string;
    /** Most hosts ejected at once, percent (0-100). */
    maxEjectionPercent?: number;
}

/** A v1/v2 route split: whole numbers 0-100 that add up to 100. */
export interface RouteWeightsSetting {
    /** Percent of requests to helloworld v1. */
    v1: number;
    /** Percent of requests to helloworld v2. */
    v2: number;
}

/** `scenarioSettings.samples`: seed 000's helloworld2 and sleep workloads, one pair per zone. */
export interface SamplesSettings {
    /**
     * Clusters that run the samples (names from `clusters[].name`).
     * @default every cluster
     */
    clusters?: string[];
    /**
     * helloworld2 image.
     * @default "docker.io/istio/examples-helloworld-v1:1.0"
     */
    helloworldImage?: string;
    /**
     * Image of the sleep (curl) clients.
     * @default "docker.io/curlimages/curl:8.16.0"
     */
    sleepImage?: string;
}

/** Settings of a scenario that applies to one cluster. */
export interface SingleClusterSetting {
    /**
     * The cluster it is applied to (one of `clusters[].name`).
     * @default the first cluster (CC1, DNSP1, DNSP2, CC2) or the second (CC3, CC4)
     */
    cluster?: string;
}

/** `scenarioSettings.cc2`: locality failover (outlier detection only). */
export interface Cc2Settings extends SingleClusterSetting {
    /**
     * The DestinationRule's outlier detection.
     * @default { consecutive5xxErrors: 5, interval: "1s", baseEjectionTime: "30s" }
     */
    outlierDetection?: OutlierDetectionSetting;
}

/** One `localityLbSetting.distribute` rule: from a locality, the share of traffic each target locality gets. */
export interface DistributeRuleSetting {
    /** Source locality such as `region2/zone1/*`. */
    from: string;
    /** Target locality → weight; the weights of one rule add up to 100. */
    to: Record<string, number>;
}

/** `scenarioSettings.cc3`: weighted locality distribution. */
export interface Cc3Settings extends SingleClusterSetting {
    /**
     * The distribute rules.
     * @default seed 000's three rules (region2/zone1 → region1 + region3, region2/zone2 → …, region2/zone3 → region4/zone5)
     */
    distribute?: DistributeRuleSetting[];
    /**
     * The DestinationRule's outlier detection.
     * @default { consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s" }
     */
    outlierDetection?: OutlierDetectionSetting;
}

/** One `localityLbSetting.failover` rule: traffic of region `from` fails over to region `to`. */
export interface FailoverRuleSetting {
    /** Region whose endpoints fail. */
    from: string;
    /** Region that takes over. */
    to: string;
}

/** `scenarioSettings.cc4`: region failover. */
export interface Cc4Settings extends SingleClusterSetting {
    /**
     * The failover rules.
     * @default [{ from: "region4", to: "region3" }]
     */
    failover?: FailoverRuleSetting[];
    /**
     * The DestinationRule's outlier detection.
     * @default { consecutive5xxErrors: 1, interval: "1s", baseEjectionTime: "1m" }
     */
    outlierDetection?: OutlierDetectionSetting;
    /**
     * `connectionPool.http.maxRequestsPerConnection` (a whole number > 0).
     * @default 1
     */
    maxRequestsPerConnection?: number;
}

/** `scenarioSettings.dnsp1`: a ServiceEntry for external TLS hosts, resolved through the sidecar's DNS proxy. */
export interface Dnsp1Settings extends SingleClusterSetting {
    /**
     * External host names (DNS names, `*.` wildcards allowed).
     * @default ["istio.io"]
     */
    hosts?: string[];
}

/** One external TCP service of DNSP2. */
export interface DatabaseSetting {
    /** ServiceEntry name (a Kubernetes object name). */
    name: string;
    /** Its DNS host name. */
    host: string;
}

/** `scenarioSettings.dnsp2`: ServiceEntries for external TCP services on one port (auto-allocated addresses). */
export interface Dnsp2Settings extends SingleClusterSetting {
    /** The external TCP services; required when dnsp2 is selected. */
    databases?: DatabaseSetting[];
    /**
     * Their port (1-65535).
     * @default 3306
     */
    port?: number;
}

/** `scenarioSettings.helloworld`: seed 003's helloworld v1/v2 Deployments. */
export interface HelloworldSettings {
    /**
     * Cluster name → the versions it runs.
     * @default v1 on the first cluster and v2 on the second (both on a single cluster)
     */
    versions?: Record<string, ("v1" | "v2")[]>;
    /**
     * Image prefix; `-v1:1.0` / `-v2:1.0` are appended.
     * @default "docker.io/istio/examples-helloworld"
     */
    image?: string;
}

/** `scenarioSettings.shifting`: seed 003's weighted v1/v2 traffic shifting through an ingress gateway. */
export interface ShiftingSettings {
    /**
     * Clusters that get the route.
     * @default the clusters that run helloworld
     */
    clusters?: string[];
    /**
     * The split.
     * @default { v1: 10, v2: 90 }
     */
    weights?: RouteWeightsSetting;
}

/** The cert-manager dns01 webhook solver of tls-frontend's ACME issuer. */
export interface AcmeWebhookSetting {
    /** The webhook's API group, e.g. `acme.example.com`. */
    groupName: string;
    /** The solver's name, e.g. `mydns`. */
    solverName: string;
}

/**
 * The cert-manager dns01 RFC 2136 solver of tls-frontend's ACME issuer: dynamic DNS updates signed with a TSIG key
 * (bind9, PowerDNS, Knot, Windows DNS, …).
 * @see https://cert-manager.io/docs/configuration/acme/dns01/rfc2136/
 */
export interface AcmeRfc2136Setting {
    /** The authoritative DNS server, `host:port` (port 53 when left off), as cert-manager's controller reaches it. */
    nameserver: string;
    /** The TSIG key's name, as the DNS server knows it. */
    tsigKeyName: string;
    /**
     * The TSIG algorithm.
     * @default "HMACSHA256"
     */
    tsigAlgorithm?: "HMACMD5" | "HMACSHA1" | "HMACSHA256" | "HMACSHA512";
    /** Secret config key holding the TSIG key's base64 secret (`pulumi config set --secret <key> …`). */
    tsigSecretConfigKey: string;
    /**
     * Namespace of the Secret the program writes the TSIG key to: cert-manager's cluster resource namespace.
     * @default "cert-manager"
     */
    secretNamespace?: string;
}

/** How the host's DNS record is published: one record for every participating cluster, the seed's annotation, or none. */
export type TlsFrontendDnsRecords = "dnsEndpoint" | "gatewayAnnotation" | "none";

/** `scenarioSettings["tls-frontend"]`: seed 003's TLS ingress with an ACME (Let's Encrypt) certificate. */
export interface TlsFrontendSettings {
    /**
     * Clusters that get the TLS frontend (each must also be a shifting cluster).
     * @default the first cluster
     */
    clusters?: string[];
    /** Public host name the certificate is issued for; required when tls-frontend is selected. */
    host?: string;
    /**
     * Name of the TLS Secret.
     * @default the host with its dots as dashes (`a.example.com` → `a-example-com`)
     */
    credentialName?: string;
    /** External address external-dns points the host at. */
    ingressAddress?: string;
    /**
     * The split.
     * @default { v1: 90, v2: 10 }
     */
    weights?: RouteWeightsSetting;
    /** ACME account e-mail; required when tls-frontend is selected. */
    email?: string;
    /**
     * ACME directory URL (https).
     * @default "https://acme-v02.api.letsencrypt.org/directory"
     */
    acmeServer?: string;
    /**
     * ClusterIssuer name.
     * @default "letsencrypt-wild"
     */
    issuerName?: string;
    /** The dns01 webhook solver of your DNS provider (seed 003: Designate); this or `rfc2136` is required. */
    webhook?: AcmeWebhookSetting;
    /** The dns01 RFC 2136 solver (TSIG-signed dynamic updates); this or `webhook` is required. */
    rfc2136?: AcmeRfc2136Setting;
    /**
     * The ACME server's TLS root, PEM, for a private ACME server (e.g. Pebble, step-ca) whose certificate the
     * system roots do not cover (the ClusterIssuer's `caBundle`).
     * @default none (the system roots)
     */
    acmeCaBundle?: string;
    /**
     * The DNS zone the host is published in; the host must be inside it (external-dns's `--domain-filter`).
     * @default none (not checked)
     */
    dnsZone?: string;
    /**
     * How the host's A record is published: `dnsEndpoint` writes one external-dns `DNSEndpoint` with every
     * participating cluster's ingress address (one name answered by all clusters, which external-dns cannot do from
     * several clusters' Gateways, kubernetes-sigs/external-dns#1441); `gatewayAnnotation` puts the seed's
     * `external-dns.alpha.kubernetes.io/target` on each Gateway (one cluster only); `none` publishes nothing.
     * @default "dnsEndpoint"
     */
    dnsRecords?: TlsFrontendDnsRecords;
    /**
     * The cluster that holds the `DNSEndpoint` (whose external-dns, with the `crd` source, owns the record).
     * @default the first tls-frontend cluster
     */
    dnsEndpointCluster?: string;
    /**
     * TTL of the record, seconds.
     * @default 60
     */
    recordTtl?: number;
}

/** `scenarioSettings.networkpolicy`: seed 003's NetworkPolicies for the sample namespace. */
export interface NetworkPolicySettings {
    /**
     * Clusters that get them.
     * @default every cluster
     */
    clusters?: string[];
}

/** The Rancher management cluster's access, for seed 003's project objects. */
export interface RancherManagementSetting {
    /** kubeconfig context of the Rancher management (local) cluster. */
    context: string;
    /**
     * kubeconfig file path.
     * @default $KUBECONFIG or ~/.kube/config
     */
    kubeconfig?: string;
}

/** `scenarioSettings.rancher`: seed 003's Rancher project, its namespace annotations and LimitRange. */
export interface RancherSettings {
    /** Cluster name → Rancher cluster id such as `c-f7r9g`, for every cluster of the mesh. */
    clusterIds: Record<string, string>;
    /** Where the Rancher management cluster is reached, when the project is created there. */
    management?: RancherManagementSetting;
    /**
     * Rancher project name.
     * @default "istio"
     */
    projectName?: string;
    /**
     * Whether `istio-system` gets the seed's LimitRange.
     * @default true
     */
    limitRange?: boolean;
}

/**
 * `scenarioSettings` — per-scenario overrides; every field defaults from the seeds, except the stack's own:
 * tls-frontend's host, email and webhook, and dnsp2's databases. Settings of a scenario that is not selected are
 * a warning.
 */
export interface ScenarioSettingsInput {
    /** Seed 000's sample workloads. */
    samples?: SamplesSettings;
    /** CC1: cross-cluster calls from the sleep clients. */
    cc1?: SingleClusterSetting;
    /** CC2: locality failover. */
    cc2?: Cc2Settings;
    /** CC3: weighted distribution. */
    cc3?: Cc3Settings;
    /** CC4: region failover. */
    cc4?: Cc4Settings;
    /** DNSP1: external TLS hosts. */
    dnsp1?: Dnsp1Settings;
    /** DNSP2: external TCP services. */
    dnsp2?: Dnsp2Settings;
    /** Seed 003's helloworld. */
    helloworld?: HelloworldSettings;
    /** Seed 003's traffic shifting. */
    shifting?: ShiftingSettings;
    /** Seed 003's TLS frontend. */
    "tls-frontend"?: TlsFrontendSettings;
    /** Seed 003's NetworkPolicies. */
    networkpolicy?: NetworkPolicySettings;
    /** Seed 003's Rancher extras. */
    rancher?: RancherSettings;
}
