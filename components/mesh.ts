/**
 * IstioMesh — a multi-primary, multi-network mesh over N clusters as one component: one SharedRootCA, a
 * MeshCluster and EastWestGateway per cluster, and every ordered pair of clusters linked (every istiod discovers
 * the endpoints of every other cluster): N×(N−1) RemoteSecretLinks, or one ReaderRemoteSecrets per cluster.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { meshClusterArgsIssues, rootRotationArgsIssues, sharedRootCAArgsIssues } from "./argsChecks";
import { ArgsIssues } from "./argsErrors";
import { ClusterAccess } from "./clusterAccess";
import { EastWestGateway } from "./eastWestGateway";
import { HelmValues, IstioRevisionArgs, MeshCluster, MeshClusterIstioArgs, NamespaceMetadataArgs } from "./meshCluster";
import { CheckedEndpoint, checkMeshEndpoints } from "./meshEndpoints";
import {
    ChartSourceModel,
    ClusterRevisionsModel,
    GatewayServiceType,
    resolveRevisions,
    MeshModel,
    MULTIROOT_REQUIRED,
    NodeTopology,
    readerTokenSlots,
    RemoteSecretLayout,
    remoteSecretLayoutProblem,
    remoteSecretNameFor,
    tokenEpochProblem,
} from "./model";
import { ReaderRemoteSecrets } from "./readerRemoteSecrets";
import { RemoteSecretLink, tokenSuffix } from "./remoteSecretLink";
import { ExistingRootCA, SharedRootCA, SharedRootCAArgs } from "./sharedRootCA";
import { TokenWaitOptions } from "./serviceAccountToken";
import { TypeScriptOnly } from "./typeScriptOnly";

/** East-west gateway settings of one {@link IstioMesh} cluster. */
export interface IstioMeshGatewayArgs {
    /**
     * Whether the cluster gets an east-west gateway (needed wherever a peer is on another network).
     * @default true
     */
    enabled?: boolean;
    /**
     * Service type of `istio-eastwestgateway`.
     * @default "LoadBalancer"
     */
    serviceType?: GatewayServiceType;
    /**
     * Annotations on the gateway Service (MetalLB pools, cloud load balancer settings).
     * @default {}
     */
    serviceAnnotations?: Record<string, string>;
    /**
     * Canary mode: the revision whose gateway pods this network's Service selects, over
     * `istio.eastWestGatewayRevision`.
     * @default istio.eastWestGatewayRevision
     * @see docs/upgrades.md
     */
    revision?: string;
}

/** One control plane of a canary upgrade across an {@link IstioMesh}. */
export interface IstioMeshRevisionArgs extends IstioRevisionArgs {
    /**
     * Install on these clusters only (add a revision one cluster at a time).
     * @default every cluster
     */
    clusters?: string[];
}

/** Istio settings of an {@link IstioMesh}: those of every {@link MeshCluster}, plus the gateway chart's values. */
export interface IstioMeshIstioArgs extends MeshClusterIstioArgs {
    /**
     * Extra values merged over the generated `gateway` chart values of every east-west gateway.
     * @default {}
     */
    gatewayValues?: HelmValues;
    /**
     * Canary mode: the control planes, and on which clusters each runs.
     * @default unset (in-place)
     * @see docs/upgrades.md
     */
    revisions?: IstioMeshRevisionArgs[];
    /**
     * Canary mode: the revision whose east-west gateway pods each network's Service selects; required once a
     * cluster runs more than one revision.
     * @default the cluster's only revision
     */
    eastWestGatewayRevision?: string;
}

/** CA settings of an {@link IstioMesh}: {@link SharedRootCAArgs} without `clusterNames` (the mesh's clusters). */
export interface IstioMeshCaArgs extends Omit<SharedRootCAArgs, "clusterNames"> {
    /** Sign the intermediates with this existing root instead of generating one. */
    existingRoot?: ExistingRootCA;
    /**
     * Every istiod trusts more than one root and proxies take trust anchors over xDS (MeshClusterArgs.rootCA.multiRoot).
     * Required by `rootRotation`; set it in its own `pulumi up` first.
     * @default false
     * @see docs/root-ca.md
     */
    multiRoot?: boolean;
}

/** One cluster of an {@link IstioMesh}. */
export interface IstioMeshClusterArgs {
    /** Istio cluster name; a DNS-1123 label unique in the mesh. */
    name: string;
    /** Istio network name. Clusters on different networks talk through their east-west gateways. */
    network: string;
    /**
     * Kubeconfig and context for this cluster (ignored when `provider` is set); either may be another resource's
     * output, e.g. the kubeconfig of a cluster created in the same program.
     * @default {} ($KUBECONFIG or ~/.kube/config, its current-context)
     */
    access?: ClusterAccess;
    /** An existing Kubernetes provider for this cluster. */
    provider?: k8s.Provider;
    /**
     * API server URL as reachable from the other clusters' istiod (istioctl's `--server`), e.g. a cluster resource's
     * endpoint output. Required unless `remoteKubeconfig` is set. A value known at construction is checked then
     * (https, reachable, unique in the mesh); an output is checked the same way once it resolves, failing
     * `pulumi up` before any remote secret is written with it.
     */
    apiServerUrl?: pulumi.Input<string>;
    /**
     * `tls-server-name` for that API server, when it differs from the URL host (a DNS name or IP address); an
     * output is checked once it resolves.
     */
    tlsServerName?: pulumi.Input<string>;
    /**
     * Kubeconfig the other clusters use to reach this one, instead of a reader token (seed 003: Rancher token).
     * Pass a secret.
     */
    remoteKubeconfig?: pulumi.Input<string>;
    /** Node region/zone labels. @default [] */
    nodes?: NodeTopology[];
    /**
     * East-west gateway settings.
     * @default { enabled: true, serviceType: "LoadBalancer", serviceAnnotations: {} }
     */
    eastWestGateway?: IstioMeshGatewayArgs;
    /** Extra labels/annotations for `istio-system`. */
    namespaceMetadata?: NamespaceMetadataArgs;
    /**
     * Canary mode: this cluster's revision tags (tag → revision), merged over `istio.revisionTags`.
     * @default istio.revisionTags
     * @see docs/upgrades.md
     */
    revisionTags?: Record<string, string>;
}

/** Arguments of {@link IstioMesh}. */
export interface IstioMeshArgs {
    /** Mesh identifier (`global.meshID`). */
    meshID: string;
    /** The clusters; every ordered pair is linked. */
    clusters: IstioMeshClusterArgs[];
    /** Istio settings shared by every cluster, plus gateway chart value overrides. */
    istio: IstioMeshIstioArgs;
    /**
     * CA settings (see {@link SharedRootCAArgs}); a new root is generated unless `existingRoot` is set.
     * @default {} (an RSA 4096 root of 10 years, intermediates of 1 year)
     */
    ca?: IstioMeshCaArgs;
    /**
     * Changing this value issues new reader tokens for every link. With `keepPreviousToken` (the default) a plain
     * whole-number string: raise it by 1 to rotate.
     * @default "1"
     * @see RemoteSecretLinkArgs.rotationEpoch
     */
    tokenRotationEpoch?: pulumi.Input<string>;
    /**
     * Keep every link's previous-epoch token valid until the next rotation (two token slots per link by epoch parity).
     * @default true
     * @see RemoteSecretLinkArgs.keepPreviousToken
     */
    keepPreviousToken?: boolean;
    /**
     * Accept loopback API server URLs in remote secrets (single-host test setups only).
     * @default false
     */
    allowLoopbackApiServer?: boolean;
    /** Bounds of the reader-token read-back. */
    tokenWait?: TokenWaitOptions;
    /**
     * Take over `istio-remote-secret-<target>` Secrets that already exist (written by `istioctl create-remote-secret`).
     * @default false
     * @see RemoteSecretLinkArgs.adoptExisting
     */
    adoptExistingRemoteSecrets?: boolean;
    /**
     * How the remote secrets are laid out in each reader: `perLink`, a {@link RemoteSecretLink} per ordered pair
     * (`istio-remote-secret-<target>`, istioctl's shape); or `perReader`, a {@link ReaderRemoteSecrets} per cluster
     * (one `istio-remote-secrets` with an entry per target: N Secrets instead of N·(N−1)). Each link has its own
     * reader token either way. Decided when the mesh is created: switching an existing mesh is refused in
     * `pulumi preview`. `perReader` cannot be combined with `adoptExistingRemoteSecrets`.
     * @default "perLink"
     * @see docs/scale.md
     */
    remoteSecretLayout?: RemoteSecretLayout;
}

/** The parts of an IstioMesh, child components: TypeScript only (a component cannot cross languages). */
interface IstioMeshParts {
    ca: SharedRootCA;
    clusters: Record<string, MeshCluster>;
    gateways: Record<string, EastWestGateway>;
    links: Record<string, RemoteSecretLink>;
    readers: Record<string, ReaderRemoteSecrets>;
}
const parts = new TypeScriptOnly<IstioMesh, IstioMeshParts>();

/** A multi-primary, multi-network Istio mesh across N clusters. */
export class IstioMesh extends pulumi.ComponentResource {
    /** The shared root certificate, PEM (plain: it is public). */
    public readonly rootCertPem: pulumi.Output<string>;
    /** Names of the mesh's clusters, in the order given. */
    public readonly clusterNames: string[];
    /** Remote secrets as `<reader>-><target>` → the Secret's name in the reader's `istio-system`. */
    public readonly remoteSecretNames: Record<string, string>;

    /** The shared CA. TypeScript only. */
    public get ca(): SharedRootCA {
        return parts.get(this).ca;
    }
    /** Clusters by name. TypeScript only. */
    public get clusters(): Record<string, MeshCluster> {
        return parts.get(this).clusters;
    }
    /** East-west gateways by cluster name (only where enabled). TypeScript only. */
    public get gateways(): Record<string, EastWestGateway> {
        return parts.get(this).gateways;
    }
    /** Links keyed `<reader>-><target>` (`perLink` layout; empty with `perReader`). TypeScript only. */
    public get links(): Record<string, RemoteSecretLink> {
        return parts.get(this).links;
    }
    /** Each reader's remote secret by cluster name (`perReader` layout; empty with `perLink`). TypeScript only. */
    public get readers(): Record<string, ReaderRemoteSecrets> {
        return parts.get(this).readers;
    }

    /**
     * @param name The _unique_ name of this component.
     * @param args Mesh, clusters, Istio and CA settings.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: IstioMeshArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:IstioMesh", name, {}, opts);
        const { issues, endpoints, revisions } = validateMeshArgs(args);
        issues.throwIfAny(this);
        const keepPreviousToken = args.keepPreviousToken ?? true;
        const epoch = args.tokenRotationEpoch ?? "1";

        const layout = args.remoteSecretLayout ?? "perLink";
        const { ca, clusters, gateways, links, readers } = parts.set(this, {
            ca: new SharedRootCA(
                `${name}-ca`,
                { ...caArgsWithoutMeshKeys(args.ca), clusterNames: args.clusters.map((c) => c.name) },
                { parent: this },
            ),
            clusters: {},
            gateways: {},
            links: {},
            readers: {},
        });
        for (const c of args.clusters) {
            const cluster = new MeshCluster(
                `${name}-${c.name}`,
                {
                    clusterName: c.name,
                    network: c.network,
                    meshID: args.meshID,
                    provider: c.provider,
                    access: c.access,
                    nodes: c.nodes,
                    caCerts: ca.caCerts[c.name],
                    rootCA: { multiRoot: args.ca?.multiRoot ?? false, ...ca.rootStates[c.name] },
                    istio: clusterIstioArgs(args.istio, c.name, revisions.get(c.name)?.tags),
                    namespaceMetadata: c.namespaceMetadata,
                },
                { parent: this },
            );
            clusters[c.name] = cluster;
            if (c.eastWestGateway?.enabled ?? true) {
                gateways[c.name] = new EastWestGateway(
                    `${name}-${c.name}-eastwest`,
                    {
                        cluster,
                        serviceType: c.eastWestGateway?.serviceType,
                        serviceAnnotations: c.eastWestGateway?.serviceAnnotations,
                        values: args.istio.gatewayValues,
                        revision: revisions.get(c.name)?.gatewayRevision,
                    },
                    { parent: this },
                );
            }
        }

        // One token-name suffix per target cluster and token slot (readers are told apart by name), rotated by
        // tokenRotationEpoch; with keepPreviousToken the previous epoch's slot keeps its suffix.
        const slots = keepPreviousToken
            ? readerTokenSlots(epoch as string, true)
            : readerTokenSlots("1", false).map((slot) => ({ ...slot, epoch }));
        const suffixes = Object.fromEntries(
            args.clusters
                .filter((c) => !c.remoteKubeconfig)
                .map((c) => [c.name, slots.map((slot) => tokenSuffix(`${name}-${c.name}-${slot.randomIdSuffix}`, slot.epoch, this))]),
        );
        const endpointOf = Object.fromEntries(args.clusters.map((c, i) => [c.name, endpoints[i]]));
        const remoteSecretNames: Record<string, string> = {};
        for (const reader of args.clusters) {
            const targets = args.clusters.filter((t) => t.name !== reader.name);
            for (const t of targets) remoteSecretNames[`${reader.name}->${t.name}`] = remoteSecretNameFor(layout, t.name);
            if (layout === "perReader") {
                if (!targets.length) continue;
                readers[reader.name] = new ReaderRemoteSecrets(
                    `${name}-${reader.name}-remote-secrets`,
                    {
                        reader: clusters[reader.name],
                        targets: targets.map((target) => ({
                            target: clusters[target.name],
                            apiServerUrl: endpointOf[target.name].apiServerUrl,
                            tlsServerName: endpointOf[target.name].tlsServerName,
                            kubeconfig: target.remoteKubeconfig,
                            tokenSuffix: suffixes[target.name]?.[0],
                            previousTokenSuffix: suffixes[target.name]?.[1],
                        })),
                        rotationEpoch: epoch,
                        keepPreviousToken,
                        tokenWait: args.tokenWait,
                    },
                    { parent: this },
                );
                continue;
            }
            for (const target of targets) {
                links[`${reader.name}->${target.name}`] = new RemoteSecretLink(
                    `${name}-${reader.name}-reads-${target.name}`,
                    {
                        reader: clusters[reader.name],
                        target: clusters[target.name],
                        apiServerUrl: endpointOf[target.name].apiServerUrl,
                        tlsServerName: endpointOf[target.name].tlsServerName,
                        kubeconfig: target.remoteKubeconfig,
                        rotationEpoch: epoch,
                        keepPreviousToken,
                        tokenSuffix: suffixes[target.name]?.[0],
                        previousTokenSuffix: suffixes[target.name]?.[1],
                        tokenWait: args.tokenWait,
                        adoptExisting: args.adoptExistingRemoteSecrets,
                    },
                    { parent: this },
                );
            }
        }

        this.rootCertPem = ca.rootCertPem;
        this.clusterNames = args.clusters.map((c) => c.name);
        this.remoteSecretNames = remoteSecretNames;
        this.registerOutputs({
            rootCertPem: this.rootCertPem,
            clusterNames: this.clusterNames,
            remoteSecretNames: this.remoteSecretNames,
        });
    }
}

/**
 * Every bad field of IstioMesh args, including those its children (SharedRootCA, MeshCluster) would refuse, so
 * that nothing below the mesh registers when any is wrong.
 */
function validateMeshArgs(args: IstioMeshArgs): {
    issues: ArgsIssues;
    endpoints: CheckedEndpoint[];
    revisions: Map<string, ClusterRevisionsModel>;
} {
    const issues = new ArgsIssues("IstioMesh");
    const clusters = args.clusters ?? [];
    // Endpoints known now are checked now; outputs once they resolve (the remote secrets wait on that check).
    const checked = checkMeshEndpoints(
        clusters.map((c) => ({ ...c, usesReaderToken: !c.remoteKubeconfig })),
        args.allowLoopbackApiServer ?? false,
        "IstioMesh: invalid args",
    );
    for (const i of checked.issues) issues.add(i.path, i.message);
    const keepPreviousToken = args.keepPreviousToken ?? true;
    const epoch = args.tokenRotationEpoch ?? "1";
    const epochProblem = tokenEpochProblem(epoch, keepPreviousToken && clusters.some((c) => !c.remoteKubeconfig));
    if (epochProblem) issues.add(epochProblem.path, epochProblem.message);
    const layoutProblem = remoteSecretLayoutProblem(args.remoteSecretLayout, args.adoptExistingRemoteSecrets);
    if (layoutProblem) issues.add(layoutProblem.path, layoutProblem.message);
    if (!clusters.length) issues.add("clusters", "list at least one cluster");
    // Cluster names are checked above; the CA's other fields are reported under `ca.`.
    for (const i of sharedRootCAArgsIssues({ ...args.ca, rootRotation: undefined, clusterNames: ["c"] }))
        issues.add(`ca.${i.propertyPath}`, i.reason);
    // The rotation's per-cluster phases are checked against the mesh's real cluster names.
    for (const i of rootRotationArgsIssues({ ...args.ca, clusterNames: clusters.map((c) => c.name) }))
        issues.add(`ca.${i.propertyPath}`, i.reason);
    if (args.ca?.rootRotation && !args.ca.multiRoot) issues.add("ca.multiRoot", MULTIROOT_REQUIRED);
    // Mesh-wide fields (meshID, istio.*) once, per-cluster ones (nodes) under `clusters[i].`; names and networks
    // are checked above, so the checks run with a valid stand-in for them.
    // The revisions are checked across the mesh (where each runs, per-cluster tags), not on the stand-in.
    const revisions = resolveRevisions({
        istio: {
            ...args.istio,
            chart: { kind: args.istio?.chart?.kind ?? "repo", path: args.istio?.chart?.path ?? "", repo: "" } as ChartSourceModel,
            revisions: args.istio?.revisions?.map((r) => ({ ...r, chartPath: r.chart ? "(args)" : undefined })),
        },
        clusters: clusters.map((c) => ({
            name: c.name,
            revisionTags: c.revisionTags,
            eastWestGateway: { enabled: c.eastWestGateway?.enabled ?? true, revision: c.eastWestGateway?.revision },
        })),
        chartKey: "chart",
    });
    for (const i of revisions.issues) issues.add(i.path, i.message);
    const stand = {
        clusterName: "c",
        network: "n",
        meshID: args.meshID,
        istio: { ...args.istio, revisions: undefined, revisionTags: undefined },
    };
    for (const x of meshClusterArgsIssues(stand).issues) issues.add(x.propertyPath, x.reason);
    clusters.forEach((c, i) => {
        for (const x of meshClusterArgsIssues({ ...stand, nodes: c.nodes }).issues) {
            if (x.propertyPath.startsWith("nodes")) issues.add(`clusters[${i}].${x.propertyPath}`, x.reason);
        }
    });
    return { issues, endpoints: checked.endpoints, revisions: revisions.clusters };
}

/** The CA args SharedRootCA takes (IstioMesh's own `multiRoot` goes to the clusters). */
function caArgsWithoutMeshKeys(ca: IstioMeshCaArgs | undefined): Omit<SharedRootCAArgs, "clusterNames"> {
    const rest: IstioMeshCaArgs = { ...ca };
    delete rest.multiRoot;
    return rest;
}

/** A cluster's Istio args: the mesh's, with only the revisions it runs and its own tags (canary mode). */
function clusterIstioArgs(istio: IstioMeshIstioArgs, cluster: string, tags: Record<string, string> | undefined): MeshClusterIstioArgs {
    if (!istio.revisions) return istio;
    const revisions = istio.revisions.filter((r) => !r.clusters || r.clusters.includes(cluster)).map(({ clusters: _, ...r }) => r);
    return { ...istio, revisions, revisionTags: tags };
}

/** Secret material the model only names (config keys), resolved by the caller. */
export interface MeshSecrets {
    /** Existing root CA, when `ca.existingRoot*Secret` is configured. */
    existingRoot?: ExistingRootCA;
    /** The next root of a rotation, when `ca.rootRotation.nextRoot*Secret` is configured. */
    nextRoot?: ExistingRootCA;
    /** tls-frontend's TSIG key secret, when its rfc2136 solver names a config key. */
    tsigSecret?: pulumi.Input<string>;
    /** Supplied kubeconfigs by target cluster name. */
    remoteKubeconfigs?: Record<string, pulumi.Input<string>>;
}

/** Maps the validated model (plus resolved secrets) onto {@link IstioMeshArgs}. Pure apart from the secrets passed in. */
export function meshArgsFromModel(model: MeshModel, secrets: MeshSecrets = {}): IstioMeshArgs {
    return {
        meshID: model.meshID,
        allowLoopbackApiServer: model.allowLoopbackApiServer,
        adoptExistingRemoteSecrets: model.adoptExistingRemoteSecrets,
        remoteSecretLayout: model.remoteSecretLayout,
        tokenRotationEpoch: model.tokenRotationEpoch,
        keepPreviousToken: model.keepPreviousToken,
        clusters: model.clusters.map((c) => ({
            name: c.name,
            network: c.network,
            access: { kubeconfig: c.kubeconfig, context: c.context },
            apiServerUrl: c.apiServerUrl,
            tlsServerName: c.tlsServerName,
            remoteKubeconfig: secrets.remoteKubeconfigs?.[c.name],
            nodes: c.nodes,
            eastWestGateway: { ...c.eastWestGateway, revision: c.revisions?.gatewayRevision },
            namespaceMetadata: c.namespaceMetadata,
            revisionTags: c.revisions?.tags,
        })),
        istio: {
            version: model.istio.version,
            chart: model.istio.chart,
            hub: model.istio.hub,
            tag: model.istio.tag,
            dnsCapture: model.istio.dnsCapture,
            dnsAutoAllocate: model.istio.dnsAutoAllocate,
            keepCrdsOnDestroy: model.istio.keepCrdsOnDestroy,
            baseInstall: model.istio.baseInstall,
            baseValues: model.istio.values.base,
            istiodValues: model.istio.values.istiod,
            gatewayValues: model.istio.values.gateway,
            revisions: model.istio.revisions?.revisions.map((r) => ({
                name: r.name,
                version: r.version,
                chart: r.chart,
                clusters: r.clusters,
            })),
        },
        ca: {
            keyAlgorithm: model.ca.keyAlgorithm,
            rsaBits: model.ca.rsaBits,
            ecdsaCurve: model.ca.ecdsaCurve,
            rootValidityHours: model.ca.rootValidityHours,
            intermediateValidityHours: model.ca.intermediateValidityHours,
            earlyRenewalHours: model.ca.earlyRenewalHours,
            rotationEpoch: model.ca.rotationEpoch,
            protectRoot: model.ca.protectRoot,
            allowRootReplacement: model.ca.allowRootReplacement,
            existingRoot: secrets.existingRoot,
            multiRoot: model.ca.multiRoot,
            ...(model.ca.rootGeneration !== 1 ? { rootGeneration: model.ca.rootGeneration } : {}),
            ...(model.ca.rootRotation
                ? {
                      rootRotation: {
                          phase: "oldOnly" as const,
                          clusterPhases: model.ca.rootRotation.phases,
                          ...(secrets.nextRoot ? { nextRoot: secrets.nextRoot } : {}),
                      },
                  }
                : {}),
        },
    };
}
