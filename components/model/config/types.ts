/**
 * The validated mesh model: plain data, no Pulumi types. Produced by {@link parseMeshConfig} from stack
 * config and consumed by the components (through their typed args) and by the policy pack.
 */
import type { ScenariosModel } from "../scenarios/scenarios";
import type { ClusterRevisionsModel, RevisionsModel } from "../revisions/revisionTypes";
import type { RootPhase } from "../ca/rootRotation";

/** Region/zone (and optional subzone) of one Kubernetes node, as seed 000's `kubectl label` commands set them. */
export interface NodeTopology {
    /** Node name as it appears in `kubectl get nodes`. */
    name: string;
    /** Value for `topology.kubernetes.io/region`. */
    region: string;
    /** Value for `topology.kubernetes.io/zone`. */
    zone: string;
    /** Optional value for `topology.istio.io/subzone` (rack, PDU, ...). */
    subzone?: string;
}

/**
 * Kubernetes Service types the east-west gateway can be exposed with. A value object and a type of the same
 * name (the `as const` enum pattern): TypeScript callers pass the strings, other Pulumi languages get an enum.
 */
export const GatewayServiceType = {
    /** A cloud or MetalLB load balancer address (seed 000's setup). */
    LoadBalancer: "LoadBalancer",
    /** A port on every node, where no load balancer exists (istio/istio#49045). */
    NodePort: "NodePort",
    /** Cluster-internal only (tests, or a gateway fronted by something else). */
    ClusterIP: "ClusterIP",
} as const;
/** Kubernetes Service types the east-west gateway can be exposed with. */
export type GatewayServiceType = (typeof GatewayServiceType)[keyof typeof GatewayServiceType];

/** East-west gateway settings of one cluster. */
export interface EastWestGatewayModel {
    /** Whether the cluster gets an east-west gateway (needed on every cluster whose network differs from a peer's). */
    enabled: boolean;
    /** Service type of `istio-eastwestgateway`. */
    serviceType: GatewayServiceType;
    /** Annotations on the gateway Service (e.g. MetalLB address pools, cloud LB settings). */
    serviceAnnotations: Record<string, string>;
}

/** How other clusters' istiod authenticate to this cluster's API server. */
export type RemoteCredentialModel =
    /** `istioctl create-remote-secret` behaviour: a long-lived token of istio-reader-service-account. */
    | { kind: "readerToken" }
    /** A kubeconfig supplied by the user (seed 003's Rancher token), read from the named secret config key. */
    | { kind: "kubeconfig"; secretConfigKey: string };

/** One cluster of the mesh. */
export interface ClusterModel {
    /** Istio cluster name (`global.multiCluster.clusterName`, CLUSTER_ID). DNS-1123 label, unique. */
    name: string;
    /** Istio network name (`global.network`, `topology.istio.io/network`). */
    network: string;
    /** kubeconfig context used to reach the cluster, if any. */
    context?: string;
    /** Path of the kubeconfig file, if not the default (`$KUBECONFIG` or `~/.kube/config`). */
    kubeconfig?: string;
    /** API server URL as reachable from the other clusters' istiod. */
    apiServerUrl?: string;
    /** Where {@link apiServerUrl} came from: set in config, or read from the kubeconfig. */
    apiServerUrlSource: "config" | "kubeconfig" | "unknown";
    /** TLS server name for the API server certificate, when it differs from the URL host. */
    tlsServerName?: string;
    /** Node topology labels to apply. */
    nodes: NodeTopology[];
    /** East-west gateway settings. */
    eastWestGateway: EastWestGatewayModel;
    /** How remote secrets that point at this cluster authenticate. */
    remoteCredential: RemoteCredentialModel;
    /** Extra labels/annotations on `istio-system` (seed 003: Rancher project annotations). */
    namespaceMetadata?: { labels: Record<string, string>; annotations: Record<string, string> };
    /** Canary mode: the revisions this cluster runs, its tags and gateway cutover; unset in in-place mode. */
    revisions?: ClusterRevisionsModel;
}

/** Kinds of Istio chart source (the `kind` of {@link ChartSourceModel}). */
export const ChartSourceKind = {
    /** A Helm repository URL; chart version = Istio version. */
    Repo: "repo",
    /** A local directory holding the charts. */
    Path: "path",
} as const;
/** Kinds of Istio chart source (the `kind` of {@link ChartSourceModel}). */
export type ChartSourceKind = (typeof ChartSourceKind)[keyof typeof ChartSourceKind];

/** Where the Istio Helm charts come from. */
export type ChartSourceModel =
    /** A Helm repository URL (the official one by default); chart version = Istio version. */
    | { kind: "repo"; repo: string }
    /** A local directory holding base/, istiod/ (or istio-control/istio-discovery/) and gateway/. */
    | { kind: "path"; path: string };

/** Istio installation settings shared by every cluster. */
export interface IstioModel {
    /** Istio release, e.g. `1.30.3`. */
    version: string;
    /** Parsed {@link version}. */
    semver: { major: number; minor: number; patch: number };
    /** Image registry override (`global.hub`), e.g. a mirror. */
    hub?: string;
    /** Image tag override (`global.tag`); defaults to the chart's own. */
    tag?: string;
    /** Chart source. */
    chart: ChartSourceModel;
    /** Enable the sidecar DNS proxy (`ISTIO_META_DNS_CAPTURE`). */
    dnsCapture: boolean;
    /** Enable automatic address allocation for ServiceEntries. */
    dnsAutoAllocate: boolean;
    /** Leave the Istio CRDs (and every Istio resource in the cluster) in place on destroy, as `helm uninstall` does. */
    keepCrdsOnDestroy: boolean;
    /** How the `base` chart is installed: one Pulumi resource per object, or one Helm release. */
    baseInstall: BaseInstall;
    /** Extra Helm values merged over the generated ones, per chart. */
    values: { base: Record<string, unknown>; istiod: Record<string, unknown>; gateway: Record<string, unknown> };
    /** Canary mode (`istio.revisions`): the control planes and the namespaces' revision; unset: in-place. */
    revisions?: RevisionsModel;
}

/** How the `base` chart (Istio's CRDs, the reader service account) is installed. */
export const BaseInstall = {
    /** A `helm.v4.Chart`: every object a Pulumi resource, each CRD's diff in a preview. */
    Objects: "objects",
    /** One `helm.v3.Release`: one Pulumi resource; its state holds the values, not the CRD schemas. */
    Release: "release",
} as const;
/** How the `base` chart is installed. */
export type BaseInstall = (typeof BaseInstall)[keyof typeof BaseInstall];

/**
 * How the remote secrets are laid out in each reader cluster.
 * @see docs/scale.md
 */
export const RemoteSecretLayout = {
    /** One `istio-remote-secret-<target>` per ordered pair, exactly as `istioctl create-remote-secret` writes it. */
    PerLink: "perLink",
    /** One `istio-remote-secrets` per reader, one entry per target (istiod registers every entry as a cluster). */
    PerReader: "perReader",
} as const;
/** How the remote secrets are laid out. */
export type RemoteSecretLayout = (typeof RemoteSecretLayout)[keyof typeof RemoteSecretLayout];

/** Key algorithms of the mesh CA (root and intermediates). */
export const KeyAlgorithm = {
    /** RSA, as Istio's tools/certs Makefiles generate. */
    RSA: "RSA",
    /** ECDSA, on the curve {@link EcdsaCurve} names. */
    ECDSA: "ECDSA",
} as const;
/** Key algorithms of the mesh CA (root and intermediates). */
export type KeyAlgorithm = (typeof KeyAlgorithm)[keyof typeof KeyAlgorithm];

/** ECDSA curves of the mesh CA. */
export const EcdsaCurve = {
    /** NIST P-256. */
    P256: "P256",
    /** NIST P-384. */
    P384: "P384",
    /** NIST P-521. */
    P521: "P521",
} as const;
/** ECDSA curves of the mesh CA. */
export type EcdsaCurve = (typeof EcdsaCurve)[keyof typeof EcdsaCurve];

/** Certificate authority settings. */
export interface CaModel {
    /** Key algorithm of the root and intermediates. */
    keyAlgorithm: KeyAlgorithm;
    /** RSA key size. */
    rsaBits: number;
    /** ECDSA curve. */
    ecdsaCurve: EcdsaCurve;
    /** Validity of a generated root, hours. */
    rootValidityHours: number;
    /** Validity of each intermediate, hours. */
    intermediateValidityHours: number;
    /** Re-issue an intermediate this many hours before it expires (on the next `pulumi up`). */
    earlyRenewalHours: number;
    /** Changing this value re-issues every intermediate (key and certificate). */
    rotationEpoch: string;
    /** Mark the generated root key and certificate `protect`, so no `up` or `destroy` removes them unasked (`ca.protectRoot`). */
    protectRoot: boolean;
    /** Let an `up` replace the generated root (new key, every workload certificate re-issued) (`ca.allowRootReplacement`). */
    allowRootReplacement: boolean;
    /** Use an existing root instead of generating one: names of the secret config keys holding it. */
    existingRoot?: { certConfigKey: string; keyConfigKey: string };
    /** istiod trusts more than one root (`ISTIO_MULTIROOT_MESH`), proxies take anchors over xDS (`ca.multiRoot`). */
    multiRoot: boolean;
    /** Generation of the current root (`ca.rootGeneration`). */
    rootGeneration: number;
    /** A rotation to the next root under way (`ca.rootRotation`); undefined: none. */
    rootRotation?: RootRotationModel;
}

/** A rotation from root generation g to g + 1, resolved per cluster. */
export interface RootRotationModel {
    /** Every cluster's phase (cluster name → phase), defaults applied. */
    phases: Record<string, RootPhase>;
    /** An existing next root: names of the secret config keys holding it; undefined: generated. */
    nextRoot?: { certConfigKey: string; keyConfigKey: string };
}

/** An ordered pair: `reader`'s istiod gets credentials to watch `target`'s API server. */
export interface LinkModel {
    /** Cluster whose istiod reads. The remote secret lives here. */
    reader: string;
    /** Cluster being read. The token Secret lives here. */
    target: string;
    /** The Secret in the reader's `istio-system` that holds this link's kubeconfig (entry `<target>`). */
    remoteSecretName: string;
}

/** The whole validated mesh. */
export interface MeshModel {
    /** `global.meshID`. */
    meshID: string;
    /** Clusters, in config order. */
    clusters: ClusterModel[];
    /** Istio settings. */
    istio: IstioModel;
    /** CA settings. */
    ca: CaModel;
    /** Every ordered pair of distinct clusters (full mesh). */
    links: LinkModel[];
    /** Whether loopback API server URLs are accepted in remote secrets (single-host test setups only). */
    allowLoopbackApiServer: boolean;
    /** Take over remote secrets istioctl already wrote under the same names (`adoptExistingRemoteSecrets`). */
    adoptExistingRemoteSecrets: boolean;
    /** One remote secret per link (istioctl's shape) or one per reader cluster (`remoteSecretLayout`). */
    remoteSecretLayout: RemoteSecretLayout;
    /** Changing this value issues new reader tokens for every link (token rotation). */
    tokenRotationEpoch: string;
    /**
     * Keep the previous epoch's reader token valid until the next rotation (`keepPreviousToken`): each link
     * has two token slots by epoch parity (tokenSlots.ts), so a reader istiod offline during a rotation still
     * holds a live token. Needs a whole-number epoch.
     */
    keepPreviousToken: boolean;
    /** The selected seed scenarios, resolved (see `scenarios.ts`); absent in models built by hand. */
    scenarios?: ScenariosModel;
}
