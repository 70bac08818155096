/**
 * MeshCluster — one primary cluster of the mesh: the nodes' topology labels (`topology.kubernetes.io/region`,
 * `/zone`, `topology.istio.io/subzone`), the `istio-system` namespace labelled with its network, the `cacerts`
 * Secret istiod signs workload certificates with, and istiod from Istio's Helm charts `base` + `istiod`
 * (meshID, cluster name, network).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { meshClusterArgsIssues } from "./argsChecks";
import { ArgsIssues } from "./argsErrors";
import { refusal } from "./refusal";
import { ClusterAccess, expandHome } from "./clusterAccess";
import { baseInstallSwitchRefusal, findCurrentBaseInstall, uncheckedBaseInstallWarning } from "./baseInstallCheck";
import { installIstioBase } from "./istioBase";
import { resolveIstioChart } from "./istioCharts";
import { installIstiodRevisions } from "./istiodRevisions";
import { refuseRevisionStep } from "./revisionStepCheck";
import { refuseRootStep } from "./rootStepCheck";
import { IstioChartSource, toChartSourceModel } from "./chartSource";
import { skipServiceEndpointWait } from "./serviceAwait";
import {
    BaseInstall,
    CACERTS_SECRET,
    ChartSourceModel,
    istiodValues,
    ISTIO_NAMESPACE,
    Labels,
    NodeTopology,
    revisionNameFor,
    RootPhase,
    RootState,
    rootStateAnnotations,
    settledState,
} from "./model";
import { CaCertsBundle } from "./sharedRootCA";

/** Where a cluster's root-rotation phase is set, for refusals. */
const ROOT_PHASE_KEY = "ca.rootRotation.phase or ca.rootRotation.clusters.<cluster> (library: MeshClusterArgs.rootCA.phase)";

/** The entries of a `cacerts` Secret istiod needs. */
const CACERTS_ENTRIES: (keyof CaCertsBundle)[] = ["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"];
import { TypeScriptOnly } from "./typeScriptOnly";

/**
 * Extra Helm values merged over the generated ones. Values may be anything Helm takes (`any`, so that the
 * multi-language schema can carry them as `pulumi.json#/Any`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HelmValues = Record<string, any>;

/** Extra labels and annotations on a cluster's `istio-system` namespace. */
export interface NamespaceMetadataArgs {
    /**
     * Extra labels (the network label is always set by the component).
     * @default {}
     */
    labels?: Record<string, string>;
    /**
     * Annotations, e.g. Rancher's `field.cattle.io/projectId` (seed 003).
     * @default {}
     */
    annotations?: Record<string, string>;
}

/** Istio installation settings for a {@link MeshCluster}. */
export interface MeshClusterIstioArgs {
    /** Istio release, e.g. `"1.30.3"`; also the chart version when charts come from a repository. */
    version: string;
    /**
     * Chart source.
     * @default { kind: "repo", repo: "https://istio-release.storage.googleapis.com/charts" }
     */
    chart?: IstioChartSource;
    /** Image registry override (`global.hub`), e.g. a mirror such as `registry.example.com/istio`. */
    hub?: string;
    /** Image tag override (`global.tag`). */
    tag?: string;
    /**
     * Sidecar DNS proxying (`ISTIO_META_DNS_CAPTURE`).
     * @default true
     */
    dnsCapture?: boolean;
    /**
     * ServiceEntry address auto-allocation (istiod's controller from 1.25, the sidecar's before).
     * @default true
     */
    dnsAutoAllocate?: boolean;
    /**
     * Keep the Istio CRDs on destroy. The `base` chart marks them `helm.sh/resource-policy: keep`, so `helm
     * uninstall` leaves them (and with them every Istio resource in the cluster). By default the stack owns them:
     * `pulumi destroy` deletes them, which deletes every VirtualService, DestinationRule, ServiceEntry… of the
     * cluster, also those created outside the stack. Set `true` for Helm's behaviour.
     * @default false
     * @see https://helm.sh/docs/howto/charts_tips_and_tricks/#tell-helm-not-to-uninstall-a-resource
     */
    keepCrdsOnDestroy?: boolean;
    /**
     * How the `base` chart is installed: `objects`, a `helm.v4.Chart` whose every object (each CRD) is a Pulumi
     * resource; `release`, one `helm.v3.Release` (the state holds its values, not the CRD schemas: about 60 % less
     * state per cluster, and a preview shows a values or version change instead of each CRD's diff).
     * `keepCrdsOnDestroy` holds in both.
     * @default "objects"
     * @see https://www.pulumi.com/registry/packages/kubernetes/api-docs/helm/v3/release/
     */
    baseInstall?: BaseInstall;
    /**
     * Extra values merged over the generated `base` chart values.
     * @default {}
     */
    baseValues?: HelmValues;
    /**
     * Extra values merged over the generated `istiod` chart values.
     * @default {}
     */
    istiodValues?: HelmValues;
    /**
     * Canary mode: the control planes this cluster runs side by side, each an `istiod` chart under its revision
     * name. Unset: one revision-less istiod of `version`, upgraded in place. With revisions, `version` is the `base`
     * chart's (the CRDs), the newest revision's release.
     * @default unset (in-place)
     * @see docs/upgrades.md
     */
    revisions?: IstioRevisionArgs[];
    /**
     * Canary mode: revision tags on this cluster (tag → revision). `default` is what `istio-injection=enabled`
     * namespaces and the default validation webhook follow; required with more than one revision.
     * @default { default: <the only revision> }
     */
    revisionTags?: Record<string, string>;
}

/** One control plane of a canary upgrade on a {@link MeshCluster}. */
export interface IstioRevisionArgs {
    /**
     * Revision name (`istiod-<name>`, `istio.io/rev=<name>`): a DNS-1123 label other than `default`.
     * @default the version with hyphens, e.g. `1-30-3`
     */
    name?: string;
    /** Istio release of this control plane (chart version and image tag). */
    version: string;
    /**
     * Where this release's charts come from.
     * @default the cluster's `istio.chart`
     */
    chart?: IstioChartSource;
}

/** Arguments of {@link MeshCluster}. */
export interface MeshClusterArgs {
    /** Istio cluster name (CLUSTER_ID); a DNS-1123 label unique in the mesh. */
    clusterName: string;
    /** Istio network of this cluster; labels `istio-system` and sets `global.network`. */
    network: string;
    /** Mesh identifier (`global.meshID`), the same on every cluster. */
    meshID: string;
    /**
     * Kubernetes provider for this cluster. When unset, one is created from `access` (with `enableSecretMutable`).
     * Passing your own provider works, but then token Secrets cannot be read back beyond the provider's own wait;
     * give it `enableSecretMutable: true`, or a token or CA rotation replaces the remote secrets and `cacerts`
     * (delete, then create) instead of updating them, and each reading istiod loses the remote cluster meanwhile.
     * @see https://www.pulumi.com/registry/packages/kubernetes/api-docs/provider/#enablesecretmutable_nodejs
     */
    provider?: k8s.Provider;
    /**
     * Kubeconfig and context used to create the provider (ignored when `provider` is set); either may be another
     * resource's output, e.g. the kubeconfig of an EKS or GKE cluster created in the same program.
     * @default {} ($KUBECONFIG or ~/.kube/config, its current-context)
     */
    access?: ClusterAccess;
    /**
     * Region/zone labels to apply to existing nodes (removed again on destroy).
     * @default []
     */
    nodes?: NodeTopology[];
    /**
     * The four `cacerts` entries for this cluster (`ca-cert.pem`, `ca-key.pem`, `root-cert.pem`,
     * `cert-chain.pem`), normally `SharedRootCA.caCerts[clusterName]` (`caCertsByCluster` in other languages).
     */
    caCerts: Record<string, pulumi.Input<string>>;
    /**
     * Trust settings and root-rotation state of this cluster's CA (docs/root-ca.md).
     * @default { multiRoot: false, generation: 1 } (one root, no rotation)
     */
    rootCA?: MeshClusterRootCAArgs;
    /** Istio settings. */
    istio: MeshClusterIstioArgs;
    /** Extra labels and annotations on `istio-system` (e.g. Rancher project annotations, seed 003). */
    namespaceMetadata?: NamespaceMetadataArgs;
}

/** Trust settings and root-rotation state of a cluster; IstioMesh passes `SharedRootCA.rootStates[cluster]`. */
export interface MeshClusterRootCAArgs {
    /**
     * istiod trusts more than one root (`pilot.env.ISTIO_MULTIROOT_MESH`), and proxies take new trust anchors over
     * xDS without a restart (`meshConfig.defaultConfig.proxyMetadata.PROXY_CONFIG_XDS_AGENT`). Needed for any phase
     * but `oldOnly`; set it in its own `up` before a rotation (istiod restarts, and proxies take it when restarted).
     * @default false
     * @see https://github.com/istio/istio/issues/47063
     */
    multiRoot?: boolean;
    /**
     * Generation of the current root (`SharedRootCA.rootStates[cluster].generation`).
     * @default 1
     */
    generation?: number;
    /**
     * Phase of the rotation to the next root that `caCerts` is in (`SharedRootCA.rootStates[cluster].phase`). Recorded
     * on the `cacerts` Secret; a preview refuses a step that skips a phase, or changes the trusted roots while istiod
     * runs without multi-root.
     * @default "oldOnly" (no rotation)
     */
    phase?: RootPhase;
}

/**
 * What {@link EastWestGateway} and {@link RemoteSecretLink} need of a cluster of the mesh. A {@link MeshCluster}
 * is one; other Pulumi languages, which cannot pass a component, pass these values (most are its outputs).
 */
export interface MeshClusterRef {
    /** Istio cluster name (`MeshCluster.clusterName`). */
    clusterName: string;
    /** Istio network (`MeshCluster.network`). */
    network: string;
    /** Istio release installed (`MeshCluster.istioVersion`); also the gateway chart's version. */
    istioVersion: string;
    /**
     * Where the cluster's charts come from (the gateway chart comes from the same place).
     * @default { kind: "repo", repo: "https://istio-release.storage.googleapis.com/charts" }
     */
    chartSource?: IstioChartSource;
    /** The cluster's Kubernetes provider (`MeshCluster.provider`). */
    provider: k8s.Provider;
    /** The `istio-system` namespace (`MeshCluster.namespace`). */
    namespace: k8s.core.v1.Namespace;
    /**
     * The `base` chart (`MeshCluster.base`): CRDs and the reader service account, as objects. Give this or
     * `baseRelease`, whichever the cluster has.
     */
    base?: k8s.helm.v4.Chart;
    /** The `base` chart installed as one Helm release (`MeshCluster.baseRelease`, with `istio.baseInstall: "release"`). */
    baseRelease?: k8s.helm.v3.Release;
    /** The `istiod` chart (`MeshCluster.istiod`; in canary mode, the `default` tag's revision's). */
    istiod: k8s.helm.v4.Chart;
    /**
     * Canary mode: the revisions the cluster runs (`MeshCluster.revisions`), each with its `istiod` chart; the
     * east-west gateway installs a gateway per revision.
     * @default unset (in-place)
     */
    revisions?: MeshClusterRevisionRef[];
    /**
     * Kubeconfig and context, to read token Secrets back beyond the provider's own wait.
     * @default unset: no read-back
     */
    access?: ClusterAccess;
}

/** A revision a cluster runs, as {@link EastWestGateway} needs it. */
export interface MeshClusterRevisionRef {
    /** Revision name. */
    name: string;
    /** Istio release (the gateway chart's version). */
    version: string;
    /**
     * Where its charts come from.
     * @default the cluster's chart source
     */
    chartSource?: IstioChartSource;
    /** Its `istiod` chart: the gateway's pods are injected by it. */
    istiod: k8s.helm.v4.Chart;
}

/**
 * The fields `ref` lacks to be a {@link MeshClusterRef} (empty for a MeshCluster). Components taking a cluster
 * refuse with `args.<key> must be a MeshCluster or carry ...` naming them.
 */
export function missingMeshClusterRefFields(ref: Partial<MeshClusterRef> | undefined): string[] {
    if (!ref) return ["clusterName", "network", "istioVersion", "provider", "namespace", "base", "istiod"];
    if (MeshCluster.isInstance(ref)) return [];
    const strings = (["clusterName", "network", "istioVersion"] as const).filter((k) => typeof ref[k] !== "string" || !ref[k]);
    const isResource = (k: "provider" | "namespace" | "base" | "baseRelease" | "istiod") => pulumi.Resource.isInstance(ref[k]);
    const resources = (["provider", "namespace", "base", "istiod"] as const).filter(
        (k) => !isResource(k) && !(k === "base" && isResource("baseRelease")),
    );
    return [...strings, ...resources];
}

/** The resource that installs a cluster's `base` chart (CRDs, reader service account), whichever form it has. */
export function baseInstallOf(ref: Pick<MeshClusterRef, "base" | "baseRelease">): pulumi.Resource {
    const r = ref.base ?? ref.baseRelease;
    if (!r) throw new Error("a MeshClusterRef without base or baseRelease (missingMeshClusterRefFields reports it first)");
    return r;
}

/** What a MeshCluster shows TypeScript only (a union-typed model value, kubeconfig text). */
interface MeshClusterTsState {
    chartSource: ChartSourceModel;
    access?: ClusterAccess;
}
const tsOnly = new TypeScriptOnly<MeshCluster, MeshClusterTsState>();

/**
 * A Kubernetes cluster joined to the mesh: its provider, node topology labels, the network-labelled
 * `istio-system` namespace, the plugged-in CA and Istio (base, then istiod once the CA is in place).
 */
export class MeshCluster extends pulumi.ComponentResource {
    /** Istio cluster name. */
    public readonly clusterName: string;
    /** Istio network. */
    public readonly network: string;
    /** Istio release installed. */
    public readonly istioVersion: string;
    /** Chart source used (the east-west gateway chart comes from the same place). TypeScript only. */
    public get chartSource(): ChartSourceModel {
        return tsOnly.get(this).chartSource;
    }
    /** How the cluster is reached (undefined when a provider was passed in). TypeScript only: may hold kubeconfig text. */
    public get access(): ClusterAccess | undefined {
        return tsOnly.get(this).access;
    }
    /** The cluster's Kubernetes provider; every child uses it. */
    public readonly provider: k8s.Provider;
    /** The `istio-system` namespace. */
    public readonly namespace: k8s.core.v1.Namespace;
    /** The `cacerts` Secret istiod loads its signing CA from. */
    public readonly cacerts: k8s.core.v1.Secret;
    /** Node label patches. */
    public readonly nodePatches: k8s.core.v1.NodePatch[];
    /** The `base` chart (CRDs, istio-reader-service-account) as objects; unset with `istio.baseInstall: "release"`. */
    public readonly base?: k8s.helm.v4.Chart;
    /** The `base` chart as one Helm release, with `istio.baseInstall: "release"`; unset otherwise. */
    public readonly baseRelease?: k8s.helm.v3.Release;
    /** The `istiod` chart; in canary mode, that of the revision the `default` tag points at. */
    public readonly istiod: k8s.helm.v4.Chart;
    /** Canary mode: the revisions this cluster runs, each with its `istiod` chart; undefined in in-place mode. */
    public readonly revisions?: MeshClusterRevisionRef[];

    /**
     * @param name The _unique_ name of this component.
     * @param args Cluster identity, access, CA material and Istio settings.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: MeshClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:MeshCluster", name, {}, opts);
        const { chartSource, revisionTags } = validateArgs(this, args);

        this.clusterName = args.clusterName;
        this.network = args.network;
        this.istioVersion = args.istio.version;
        tsOnly.set(this, { chartSource, access: args.provider ? undefined : (args.access ?? {}) });
        this.provider =
            args.provider ??
            new k8s.Provider(
                `${name}-k8s`,
                {
                    kubeconfig: this.access?.kubeconfig === undefined ? undefined : pulumi.output(this.access.kubeconfig).apply(expandHome),
                    context: this.access?.context,
                    // Update Secrets in place: by default the provider replaces a Secret whose data changes
                    // (delete, then create), and a remote secret that is briefly absent makes every reading istiod
                    // drop that cluster. In place, istiod swaps to the new credentials only once they have synced.
                    enableSecretMutable: true,
                },
                { parent: this },
            );
        const child = { parent: this, provider: this.provider };

        this.nodePatches = (args.nodes ?? []).map(
            (n) =>
                new k8s.core.v1.NodePatch(
                    `${name}-node-${n.name}`,
                    {
                        metadata: {
                            name: n.name,
                            // The seed labels with --overwrite: take ownership of labels another manager set.
                            annotations: { [Labels.patchForce]: "true" },
                            labels: {
                                [Labels.region]: n.region,
                                [Labels.zone]: n.zone,
                                ...(n.subzone ? { [Labels.subzone]: n.subzone } : {}),
                            },
                        },
                    },
                    child,
                ),
        );

        this.namespace = new k8s.core.v1.Namespace(
            `${name}-istio-system`,
            {
                metadata: {
                    name: ISTIO_NAMESPACE,
                    labels: { ...(args.namespaceMetadata?.labels ?? {}), [Labels.network]: args.network },
                    annotations: args.namespaceMetadata?.annotations,
                },
            },
            child,
        );

        // One root-rotation phase per `up` (rootStepCheck.ts): the cacerts change is planned only after it passed.
        const rootState: RootState = { generation: args.rootCA?.generation ?? 1, phase: args.rootCA?.phase ?? "oldOnly" };
        const rootChecked = refuseRootStep(this, this.access, rootState, ROOT_PHASE_KEY);
        const data = pulumi
            .all([args.caCerts as unknown as Record<string, pulumi.Output<string>>, rootChecked])
            .apply(([b]) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, Buffer.from(v).toString("base64")])));
        // Recorded as the steady state it equals (newOnly of g is g + 1): ending a rotation changes nothing.
        const rootAnnotations = rootStateAnnotations(settledState(rootState));
        this.cacerts = new k8s.core.v1.Secret(
            `${name}-cacerts`,
            {
                metadata: {
                    name: CACERTS_SECRET,
                    namespace: ISTIO_NAMESPACE,
                    ...(Object.keys(rootAnnotations).length ? { annotations: rootAnnotations } : {}),
                },
                type: "Opaque",
                data: pulumi.secret(data),
            },
            { ...child, dependsOn: [this.namespace] },
        );

        const chart = (c: "base" | "istiod") => resolveIstioChart(this.chartSource, c, args.istio.version);
        // One upgrade step per `up`, in order (revisionStepCheck.ts): nothing of Istio is planned before it passed.
        const stepChecked = refuseRevisionStep(
            this,
            this.access,
            args.istio.revisions
                ? {
                      mode: "canary",
                      revisions: args.istio.revisions.map((r) => ({ name: r.name ?? revisionNameFor(r.version), version: r.version })),
                      tags: revisionTags ?? {},
                  }
                : { mode: "inPlace", version: args.istio.version },
        );
        const checks = bothChecks(stepChecked, rootChecked);
        const gated = <T>(v: T): pulumi.Input<T> => (checks ? pulumi.unsecret(checks.apply(() => v)) : v);
        const install = args.istio.baseInstall ?? "objects";
        const base = installIstioBase(
            `${name}-base`,
            {
                chart: chart("base"),
                version: args.istio.version,
                install,
                keepCrdsOnDestroy: args.istio.keepCrdsOnDestroy ?? false,
                values: args.istio.baseValues,
                defaultRevision: revisionTags?.default,
                checked: bothChecks(refuseBaseInstallSwitch(this, this.access, install), stepChecked),
            },
            { ...child, dependsOn: [this.namespace] },
        );
        if (k8s.helm.v3.Release.isInstance(base)) this.baseRelease = base;
        else this.base = base;

        // istiod picks its CA at start-up: the plugged-in cacerts must exist first. Its Service skips the
        // provider's fixed 10 s endpoint settle (serviceAwait.ts); the Deployment still waits for ready pods.
        const istiodOpts = { ...child, dependsOn: [this.namespace, this.cacerts, base], transforms: [skipServiceEndpointWait] };
        if (!args.istio.revisions) {
            this.istiod = new k8s.helm.v4.Chart(
                `${name}-istiod`,
                { ...chart("istiod"), name: "istiod", namespace: ISTIO_NAMESPACE, values: gated(istiodChartValues(args)) },
                istiodOpts,
            );
        } else {
            const tags = revisionTags!;
            const installs = args.istio.revisions.map((r) => {
                const rev = r.name ?? revisionNameFor(r.version);
                const tagsHere = Object.keys(tags).filter((t) => tags[t] === rev);
                return {
                    name: rev,
                    version: r.version,
                    chart: r.chart ? toChartSourceModel(r.chart, "args.istio.revisions[].chart") : chartSource,
                    values: gated(istiodChartValues(args, { name: rev, version: r.version, tags: tagsHere })),
                };
            });
            const charts = installIstiodRevisions(name, installs, istiodOpts);
            this.revisions = installs.map((r) => ({ name: r.name, version: r.version, chartSource: r.chart, istiod: charts[r.name] }));
            this.istiod = charts[tags.default];
        }

        this.registerOutputs({});
    }
}

export { ownCustomResourceDefinitions } from "./istioBase";

/** Both checks as one (either may be absent). */
function bothChecks(a: pulumi.Output<void> | undefined, b: pulumi.Output<void> | undefined): pulumi.Output<void> | undefined {
    if (!a || !b) return a ?? b;
    return pulumi.all([a, b]).apply(() => undefined);
}

/**
 * Resolves once the cluster was checked for the other form of the base chart (baseInstallCheck.ts): a refusal
 * rejects with a ResourceError naming istio.baseInstall, an unreadable cluster warns. Without `access` (the
 * cluster came with its own provider) nothing is read.
 */
function refuseBaseInstallSwitch(
    cluster: MeshCluster,
    access: ClusterAccess | undefined,
    configured: BaseInstall,
): pulumi.Output<void> | undefined {
    if (!access) return undefined;
    return pulumi.output(access).apply(async (a) => {
        const found = await findCurrentBaseInstall(a);
        const refused = baseInstallSwitchRefusal(cluster.clusterName, configured, found);
        if (refused) throw refusal(refused, cluster);
        if (found.kind === "unknown") void pulumi.log.warn(uncheckedBaseInstallWarning(cluster.clusterName, found.why), cluster);
    });
}

/**
 * The `istiod` chart values a MeshCluster passes (exported so tests can render the chart with exactly them); with
 * `revision`, those of that revision's control plane (its release's images, its tags).
 */
export function istiodChartValues(
    args: Pick<MeshClusterArgs, "meshID" | "clusterName" | "network" | "istio" | "rootCA">,
    revision?: { name: string; version: string; tags: string[] },
): Record<string, unknown> {
    return istiodValues({
        meshID: args.meshID,
        clusterName: args.clusterName,
        network: args.network,
        version: revision?.version ?? args.istio.version,
        hub: args.istio.hub,
        tag: revision ? undefined : args.istio.tag,
        revision: revision?.name,
        revisionTags: revision?.tags,
        dnsCapture: args.istio.dnsCapture ?? true,
        dnsAutoAllocate: args.istio.dnsAutoAllocate ?? true,
        multiRoot: args.rootCA?.multiRoot ?? false,
        overrides: args.istio.istiodValues,
    });
}

/** Every bad field of `args`, reported together; else the validated chart source and (canary mode) the tags. */
function validateArgs(
    parent: pulumi.Resource,
    args: MeshClusterArgs,
): { chartSource: ChartSourceModel; revisionTags?: Record<string, string> } {
    const issues = new ArgsIssues("MeshCluster");
    const checked = meshClusterArgsIssues(args);
    for (const i of checked.issues) issues.add(i.propertyPath, i.reason);
    if (!args.caCerts) issues.add("caCerts", "is required (use SharedRootCA.caCerts[clusterName])");
    else {
        const missing = CACERTS_ENTRIES.filter((k) => !(k in args.caCerts));
        if (missing.length) issues.add("caCerts", `lacks ${missing.join(", ")} (use SharedRootCA.caCerts[clusterName])`);
    }
    issues.throwIfAny(parent);
    return { chartSource: checked.chartSource!, revisionTags: checked.revisionTags };
}
