/**
 * The stack config this project reads (namespace `istio-multicluster`), as users write it in `Pulumi.<stack>.yaml`
 * or pass it to {@link parseMeshConfig}. Plain, documented types; the zod schema that validates them
 * (configSchema.ts) is checked against these at compile time, and no public declaration mentions zod.
 *
 * Pulumi hands a program JSON-parsed stack config, so where a field holds a name, version, tag or path a number
 * or boolean is taken too and kept as its string (`meshID: 1234`, `zone: 1`); the types here say what to write.
 */
import type { BaseInstall, RemoteSecretLayout, EcdsaCurve, GatewayServiceType, KeyAlgorithm } from "./types";
import type { ScenarioSettingsInput } from "../scenarios/scenarioSettings";
import type { RootPhase } from "../ca/rootRotation";

/** `clusters[].nodes[]`: the region/zone labels of one existing node. */
export interface NodeConfigInput {
    /** Node name as `kubectl get nodes` shows it (a DNS-1123 subdomain). */
    name: string;
    /** `topology.kubernetes.io/region` (a label value). */
    region: string;
    /** `topology.kubernetes.io/zone` (a label value). */
    zone: string;
    /** `topology.istio.io/subzone` (a label value), e.g. a rack. */
    subzone?: string;
}

/** `clusters[].eastWestGateway`: the cluster's east-west gateway. */
export interface GatewayConfigInput {
    /**
     * Whether the cluster gets an east-west gateway (needed wherever a peer is on another network).
     * @default true
     */
    enabled?: boolean;
    /**
     * Service type of `istio-eastwestgateway`: NodePort where no load balancer exists.
     * @default "LoadBalancer"
     */
    serviceType?: GatewayServiceType;
    /**
     * Annotations on the gateway Service (MetalLB pools, cloud load balancer settings); values are strings.
     * @default {}
     */
    serviceAnnotations?: Record<string, string>;
    /**
     * With `istio.revisions`: the revision whose gateway pods this cluster's gateway Service selects (the cutover
     * of a canary upgrade), over `istio.eastWestGatewayRevision`.
     * @default istio.eastWestGatewayRevision
     * @see docs/upgrades.md
     */
    revision?: string;
}

/** `clusters[].namespaceMetadata`: extra metadata on the cluster's `istio-system` namespace. */
export interface NamespaceMetadataConfigInput {
    /**
     * Extra labels (the network label is always set).
     * @default {}
     */
    labels?: Record<string, string>;
    /**
     * Annotations, e.g. Rancher's `field.cattle.io/projectId`.
     * @default {}
     */
    annotations?: Record<string, string>;
}

/** `clusters[]`: one cluster of the mesh. */
export interface ClusterConfigInput {
    /** Istio cluster name (`global.multiCluster.clusterName`): a DNS-1123 label, unique in the mesh. */
    name: string;
    /** Istio network (`global.network`): a DNS-1123 label; clusters on different networks talk through east-west gateways. */
    network: string;
    /**
     * kubeconfig context that reaches the cluster. At least one of `context` and `kubeconfig` is required.
     * @default the kubeconfig's current-context
     */
    context?: string;
    /**
     * kubeconfig file path (a leading `~/` is expanded) or inline kubeconfig YAML (store it with `--secret`).
     * @default $KUBECONFIG (first entry) or ~/.kube/config
     */
    kubeconfig?: string;
    /**
     * API server URL as reachable from the other clusters' istiod (istioctl's `--server`): `https://<host>:<port>`.
     * @default the server of the cluster's kubeconfig context
     */
    apiServerUrl?: string;
    /** `tls-server-name` for the API server certificate, when it differs from the URL host (a DNS name or IP). */
    tlsServerName?: string;
    /**
     * Region/zone labels to apply to existing nodes.
     * @default []
     */
    nodes?: NodeConfigInput[];
    /**
     * East-west gateway settings.
     * @default { enabled: true, serviceType: "LoadBalancer", serviceAnnotations: {} }
     */
    eastWestGateway?: GatewayConfigInput;
    /**
     * Name of a secret config key holding a kubeconfig the other clusters use to reach this one, instead of a
     * reader token (e.g. a Rancher API token).
     * @default unset: an istio-reader-service-account token
     */
    remoteKubeconfigSecret?: string;
    /** Extra labels/annotations on `istio-system`. */
    namespaceMetadata?: NamespaceMetadataConfigInput;
    /**
     * With `istio.revisions`: this cluster's revision tags (tag → revision), merged over `istio.revisionTags`, so
     * that one cluster can move (or stay behind) on its own.
     * @default istio.revisionTags
     * @see docs/upgrades.md
     */
    revisionTags?: Record<string, string>;
}

/** `istio.values`: extra Helm values merged over the generated ones, per chart. */
export interface IstioValuesConfigInput {
    /**
     * Over the `base` chart's values.
     * @default {}
     */
    base?: Record<string, unknown>;
    /**
     * Over the `istiod` chart's values (keys the mesh sets itself are refused).
     * @default {}
     */
    istiod?: Record<string, unknown>;
    /**
     * Over the east-west `gateway` chart's values.
     * @default {}
     */
    gateway?: Record<string, unknown>;
}

/** `istio`: the Istio installation shared by every cluster. */
export interface IstioConfigInput {
    /**
     * Istio release, MAJOR.MINOR.PATCH; also the chart version when charts come from a repository.
     * @default "1.30.3"
     */
    version?: string;
    /** Image registry override (`global.hub`), e.g. a mirror such as `registry.example.com/istio`. */
    hub?: string;
    /** Image tag override (`global.tag`). */
    tag?: string;
    /**
     * Helm repository of the charts (`http(s)://` or `oci://`); not with `chartPath`.
     * @default "https://istio-release.storage.googleapis.com/charts"
     */
    chartRepo?: string;
    /**
     * Accept an `http://` `chartRepo`. The charts install istiod with cluster-admin rights, so a repository
     * reached in clear lets anyone on the path replace them; only for a repository inside a trusted network.
     * @default false
     */
    allowInsecureChartRepo?: boolean;
    /** Local directory holding the charts (base/, istiod/, gateway/) instead of a repository. */
    chartPath?: string;
    /**
     * Sidecar DNS proxying (`ISTIO_META_DNS_CAPTURE`).
     * @default true
     */
    dnsCapture?: boolean;
    /**
     * ServiceEntry address auto-allocation.
     * @default true
     */
    dnsAutoAllocate?: boolean;
    /**
     * Leave the Istio CRDs (and every Istio resource in the cluster) in place on destroy, as `helm uninstall` does.
     * @default false
     */
    keepCrdsOnDestroy?: boolean;
    /**
     * How the `base` chart (Istio's CRDs, the reader service account) is installed: `objects`, a Helm chart whose
     * every object is a Pulumi resource (a preview shows each CRD's diff); `release`, one Helm release (one Pulumi
     * resource holding the values, not the CRDs' schemas: about 60 % less state per cluster).
     * @default "objects"
     * @see docs/scale.md
     */
    baseInstall?: BaseInstall;
    /**
     * Extra Helm values per chart.
     * @default { base: {}, istiod: {}, gateway: {} }
     */
    values?: IstioValuesConfigInput;
    /**
     * Canary mode: the Istio control planes to run side by side, each under its revision name (`istiod-<name>`,
     * `istio.io/rev=<name>`). Unset: one revision-less control plane of `istio.version`, upgraded in place. With
     * revisions, `istio.version` is the release of the `base` chart (the CRDs), which must be the newest
     * revision's. Versions may span at most one minor release.
     * @default unset (in-place)
     * @see docs/upgrades.md
     */
    revisions?: RevisionConfigInput[];
    /**
     * Revision tags (tag → revision) on every cluster; `default` is what `istio-injection=enabled` namespaces and the
     * default validation webhook follow. Required (`default`) once a cluster runs more than one revision.
     * @default { default: <the only revision> } where a cluster runs one
     */
    revisionTags?: Record<string, string>;
    /**
     * The revision whose east-west gateway pods each network's gateway Service selects. Required once a cluster
     * runs more than one revision; `clusters[].eastWestGateway.revision` overrides it per cluster.
     * @default the only revision, where a cluster runs one
     */
    eastWestGatewayRevision?: string;
    /**
     * The revision or tag the mesh's workload namespaces select (label `istio.io/rev`).
     * @default unset: `istio-injection=enabled`, which follows the `default` tag
     */
    namespaceRevision?: string;
}

/** `istio.revisions[]`: one Istio control plane of a canary upgrade. */
export interface RevisionConfigInput {
    /** Istio release of this control plane, e.g. `"1.30.3"` (chart version and image tag). */
    version: string;
    /**
     * Revision name (Istio's `revision` value): a DNS-1123 label other than `default`.
     * @default the version with hyphens, e.g. `1-30-3`
     */
    name?: string;
    /**
     * Directory holding this release's charts, needed when charts come from `istio.chartPath` and this release is
     * not `istio.version`.
     * @default istio.chartPath (or the chart repository, whose chart version is this release)
     */
    chartPath?: string;
    /**
     * Install on these clusters only (add a revision one cluster at a time).
     * @default every cluster
     */
    clusters?: string[];
}

/** `ca`: the mesh's shared root and per-cluster intermediates. */
export interface CaConfigInput {
    /**
     * Key algorithm of the root and intermediates.
     * @default "RSA"
     */
    keyAlgorithm?: KeyAlgorithm;
    /**
     * RSA key size.
     * @default 4096
     */
    rsaBits?: 2048 | 3072 | 4096;
    /**
     * ECDSA curve (with `keyAlgorithm: ECDSA`).
     * @default "P256"
     */
    ecdsaCurve?: EcdsaCurve;
    /**
     * Validity of a generated root, whole hours.
     * @default 87600 (10 years)
     */
    rootValidityHours?: number;
    /**
     * Validity of each intermediate, whole hours.
     * @default 8760 (1 year)
     */
    intermediateValidityHours?: number;
    /**
     * Re-issue an intermediate this many hours before it expires (on the next `pulumi up`).
     * @default 720
     */
    earlyRenewalHours?: number;
    /**
     * Changing this value re-issues every intermediate (a string; a whole number is kept as its string).
     * @default "1"
     */
    rotationEpoch?: string | number;
    /**
     * Mark the generated root `protect`, so no `up` or `destroy` removes it unasked.
     * @default true
     */
    protectRoot?: boolean;
    /**
     * Let an `up` replace the generated root (every workload certificate is re-issued).
     * @default false
     */
    allowRootReplacement?: boolean;
    /** Secret config key holding an existing root certificate (PEM); needs `existingRootKeySecret`. */
    existingRootCertSecret?: string;
    /** Secret config key holding that root's private key (PEM); needs `existingRootCertSecret`. */
    existingRootKeySecret?: string;
    /**
     * istiod accepts more than one trust anchor (`ISTIO_MULTIROOT_MESH=true`) and proxies take new anchors over xDS
     * without a restart (`PROXY_CONFIG_XDS_AGENT` in `meshConfig.defaultConfig.proxyMetadata`). Required by
     * `rootRotation`; set it in its own `pulumi up` first.
     * @default false
     * @see docs/root-ca.md
     */
    multiRoot?: boolean;
    /**
     * Generation of the current root: 1 for the mesh's first; after a rotation to the next root has reached
     * `newOnly` everywhere, raise it by one and remove `rootRotation` (a no-op `up`).
     * @default 1
     */
    rootGeneration?: number;
    /**
     * A rotation from the current root (A) to the next (B, generation `rootGeneration + 1`), one phase per `up`.
     * @default none
     * @see docs/root-ca.md
     */
    rootRotation?: RootRotationConfigInput;
}

/** `ca.rootRotation`: where every cluster stands in the move from the current root A to the next root B. */
export interface RootRotationConfigInput {
    /**
     * The phase of every cluster not listed in `clusters`: `trustBoth` (trust A and B, sign with A), then
     * `signWithNew` (trust both, sign with B), then `newOnly` (trust B; A leaves the stack). `oldOnly` is where a
     * rotation starts.
     */
    phase: RootPhase;
    /**
     * Per-cluster phase, to move clusters one at a time (cluster name → phase). Clusters stay at most one phase apart.
     * @default {}
     */
    clusters?: Record<string, RootPhase>;
    /** Secret config key holding an existing next root's certificate (PEM); needs `nextRootKeySecret`. @default a generated root */
    nextRootCertSecret?: string;
    /** Secret config key holding that root's private key (PEM); needs `nextRootCertSecret`. */
    nextRootKeySecret?: string;
}

/** The whole stack config of a mesh, before defaults: what {@link parseMeshConfig} takes. */
export interface MeshConfigInput {
    /** Mesh identifier (`global.meshID`): a DNS-1123 label. */
    meshID: string;
    /** The clusters (at least one); every ordered pair is linked with a remote secret. */
    clusters: ClusterConfigInput[];
    /**
     * Istio settings.
     * @default {} (Istio 1.30.3 from the official chart repository)
     */
    istio?: IstioConfigInput;
    /**
     * CA settings.
     * @default {} (a generated RSA 4096 root of 10 years, intermediates of 1 year)
     */
    ca?: CaConfigInput;
    /**
     * Accept loopback API server URLs in remote secrets (single-host test setups only).
     * @default false
     */
    allowLoopbackApiServer?: boolean;
    /**
     * Take over `istio-remote-secret-<target>` Secrets that `istioctl create-remote-secret` already wrote.
     * @default false
     */
    adoptExistingRemoteSecrets?: boolean;
    /**
     * How the remote secrets are laid out in each reader cluster: `perLink`, one `istio-remote-secret-<target>`
     * per ordered pair as `istioctl create-remote-secret` writes it; or `perReader`, one `istio-remote-secrets` per
     * reader with an entry per target (N Secrets instead of N·(N−1), and 2 Pulumi resources fewer per link). Each
     * link keeps its own reader token either way. Decided when a stack is created: switching an existing mesh is
     * refused in `pulumi preview` (istiod keeps a cluster registered by the Secret that named it first, and drops it
     * when that Secret goes). `perReader` cannot adopt istioctl's Secrets (`adoptExistingRemoteSecrets`).
     * @default "perLink"
     * @see docs/scale.md
     */
    remoteSecretLayout?: RemoteSecretLayout;
    /**
     * Changing this value issues new reader tokens for every link (a whole number is kept as its string).
     * @default "1"
     */
    tokenRotationEpoch?: string | number;
    /**
     * Keep the previous epoch's reader token valid until the next rotation (two token Secrets per link, by epoch
     * parity), so a reader istiod that missed the rotation never holds a revoked token. Needs a whole-number
     * `tokenRotationEpoch`.
     * @default true
     * @see docs/rotation.md
     */
    keepPreviousToken?: boolean;
    /**
     * Ids of the seed scenarios to deploy on the mesh.
     * @default []
     * @see SCENARIO_IDS
     */
    scenarios?: string[];
    /**
     * Per-scenario overrides of the seeds' defaults.
     * @default {}
     */
    scenarioSettings?: ScenarioSettingsInput;
}
