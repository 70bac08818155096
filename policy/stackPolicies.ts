/**
 * Stack policies: checks across all resources of a stack (their outputs, after preview/update), grouping
 * resources per cluster by their Kubernetes provider. Factories only; index.ts builds the PolicyPack.
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { stackPolicy } from "./define";
import {
    CACERTS_LAYOUTS,
    cacertsLayout,
    checkCaChain,
    checkEastWestGateways,
    checkMeshIdentity,
    checkRemoteSecretMesh,
    checkRevisions,
    EASTWEST_GATEWAY_NAME,
    checkSharedRoot,
    ClusterInventory,
    findCredentials,
    isCaCertsSecret,
    isRemoteSecret,
    isUnknown,
    ISTIO_NAMESPACE,
    Labels,
    READER_REMOTE_SECRET,
    REVISION_LABEL,
    MeshIssue,
    resolveServiceHost,
    secretKeys,
    secretValue,
    virtualServiceSubsetReferences,
} from "../components/model";
import { isPlainObject } from "../components/model/config/objects";
import { read, secretness } from "./props";
import { CHART_TYPES, istioTypes, plainProps, SECRET_TYPE, secretObject } from "./resourcePolicies";

/** A resource with plain props and the cluster (provider) it belongs to. */
export interface ClusterResource {
    /** The policy SDK's resource. */
    resource: PolicyResource;
    /** Type token. */
    type: string;
    /** Plain props (outputs), unknown values as UNKNOWN. */
    props: Record<string, unknown>;
    /** Key of its cluster: the provider URN, inherited from children for components, or "default". */
    cluster: string;
}

/** One cluster's resources, keyed as in {@link ClusterResource.cluster}, with a readable label. */
export interface ClusterGroup {
    /** Provider URN (or "default"). */
    key: string;
    /** Provider name, for messages. */
    label: string;
    /** Its resources. */
    resources: ClusterResource[];
}

function obj(v: unknown): Record<string, unknown> | undefined {
    return isPlainObject(v) ? v : undefined;
}
function str(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
}
function meta(r: ClusterResource): Record<string, unknown> {
    return obj(r.props.metadata) ?? {};
}

/** Groups the stack's resources by cluster (provider). Components take the provider of their first descendant that has one. */
export function groupByCluster(resources: PolicyResource[]): ClusterGroup[] {
    const childProvider = new Map<string, PolicyResource["provider"]>();
    for (const r of resources) {
        if (!r.provider) continue;
        for (let p = r.parent; p; p = p.parent) {
            if (!childProvider.has(p.urn)) childProvider.set(p.urn, r.provider);
        }
    }
    const groups = new Map<string, ClusterGroup>();
    for (const r of resources) {
        if (r.type.startsWith("pulumi:")) continue;
        const provider = r.provider ?? childProvider.get(r.urn);
        const key = provider?.urn ?? "default";
        const g = groups.get(key) ?? { key, label: provider?.name ?? "default", resources: [] };
        g.resources.push({ resource: r, type: r.type, props: plainProps(r), cluster: key });
        groups.set(key, g);
    }
    return [...groups.values()];
}

function istiodGlobal(g: ClusterGroup): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const take = (global: Record<string, unknown> | undefined) => {
        if (!global) return;
        const mc = obj(global.multiCluster);
        if (out.clusterName === undefined && typeof mc?.clusterName === "string") out.clusterName = mc.clusterName;
        if (out.meshID === undefined && typeof global.meshID === "string") out.meshID = global.meshID;
        if (out.network === undefined && typeof global.network === "string") out.network = global.network;
    };
    // 1. The istiod chart's values (inputs of a Chart/Release when the engine passes them).
    for (const r of g.resources) {
        if (!CHART_TYPES.includes(r.type)) continue;
        const values = obj(r.props.values);
        const global = obj(values?.global);
        if (global && (obj(global.multiCluster)?.clusterName !== undefined || global.meshID !== undefined)) take(global);
    }
    // 2. The values the istiod chart renders into the istio-sidecar-injector ConfigMap.
    for (const r of g.resources) {
        if (r.type !== "kubernetes:core/v1:ConfigMap" || !String(meta(r).name ?? "").startsWith("istio-sidecar-injector")) continue;
        const text = str(obj(r.props.data)?.values);
        if (!text) continue;
        try {
            take(obj(obj(JSON.parse(text))?.global));
        } catch {
            // not JSON: ignore
        }
    }
    // 3. istiod's CLUSTER_ID.
    if (out.clusterName === undefined) {
        for (const r of g.resources) {
            if (r.type !== "kubernetes:apps/v1:Deployment" || !String(meta(r).name ?? "").startsWith("istiod")) continue;
            const containers = (obj(obj(obj(obj(r.props.spec)?.template)?.spec)) ?? {}).containers;
            for (const c of Array.isArray(containers) ? containers : []) {
                for (const e of Array.isArray(obj(c)?.env) ? (obj(c)!.env as unknown[]) : []) {
                    if (obj(e)?.name === "CLUSTER_ID" && typeof obj(e)?.value === "string") out.clusterName ??= obj(e)!.value;
                }
            }
        }
    }
    return out;
}

function hasAutoPassthrough(r: ClusterResource): boolean {
    const servers = obj(r.props.spec)?.servers;
    return (Array.isArray(servers) ? servers : []).some((s) => {
        const port = obj(obj(s)?.port);
        return port?.number === 15443 && obj(obj(s)?.tls)?.mode === "AUTO_PASSTHROUGH";
    });
}

function exposes15443(r: ClusterResource): boolean {
    const ports = obj(r.props.spec)?.ports;
    return (Array.isArray(ports) ? ports : []).some((p) => obj(p)?.port === 15443);
}

/** The control planes, tags, gateway cutover and namespace revisions the stack deploys to one cluster. */
function revisionInventory(
    g: ClusterGroup,
): Pick<ClusterInventory, "controlPlanes" | "revisionTags" | "gatewayRevision" | "namespaceRevisions"> {
    const planes = new Map<string, string | undefined>();
    const tags: Record<string, string> = {};
    const namespaceRevisions: Record<string, string> = {};
    let gatewayRevision: string | undefined;
    const plane = (revision: unknown, global: Record<string, unknown> | undefined) => {
        const rev = str(revision) || "default";
        planes.set(rev, planes.get(rev) ?? str(global?.tag));
        return rev;
    };
    for (const r of g.resources) {
        const m = meta(r);
        if (CHART_TYPES.includes(r.type)) {
            // an istiod chart: its values name the cluster (the base and gateway charts' do not)
            const values = obj(r.props.values);
            const global = obj(values?.global);
            if (obj(global?.multiCluster)?.clusterName === undefined) continue;
            const rev = plane(values?.revision, global);
            for (const t of Array.isArray(values?.revisionTags) ? values.revisionTags : []) if (typeof t === "string") tags[t] = rev;
        } else if (r.type === "kubernetes:core/v1:ConfigMap" && String(m.name ?? "").startsWith("istio-sidecar-injector")) {
            try {
                const values = obj(JSON.parse(str(obj(r.props.data)?.values) ?? ""));
                plane(values?.revision, obj(values?.global));
            } catch {
                // not JSON: ignore
            }
        } else if (r.type === "kubernetes:core/v1:Service") {
            const labels = obj(m.labels) ?? {};
            if (String(m.name ?? "").startsWith("istiod-revision-tag-") && str(labels["istio.io/tag"])) {
                tags[str(labels["istio.io/tag"])!] = str(labels[REVISION_LABEL]) ?? "default";
            }
            if (m.name === EASTWEST_GATEWAY_NAME) gatewayRevision = str(obj(obj(r.props.spec)?.selector)?.[REVISION_LABEL]);
        } else if (r.type === "kubernetes:core/v1:Namespace") {
            const rev = str(obj(m.labels)?.[REVISION_LABEL]);
            if (rev && str(m.name)) namespaceRevisions[str(m.name)!] = rev;
        }
    }
    return {
        controlPlanes: [...planes].map(([revision, version]) => ({ revision, version })),
        revisionTags: tags,
        gatewayRevision,
        namespaceRevisions,
    };
}

/** What the stack deploys to one cluster, for the mesh checks of the model. */
export function clusterInventory(g: ClusterGroup): ClusterInventory {
    const global = istiodGlobal(g);
    const inv: ClusterInventory = {
        label: g.label,
        clusterName: str(global.clusterName),
        meshID: str(global.meshID),
        network: str(global.network),
        remoteSecretTargets: [],
        ...revisionInventory(g),
        multiRoot: istiodMultiRoot(g),
    };
    const gateways = g.resources.filter((r) => istioTypes("Gateway").includes(r.type));
    if (gateways.some((r) => isUnknown(r.props.spec))) inv.hasAutoPassthroughGateway = undefined;
    else inv.hasAutoPassthroughGateway = gateways.some(hasAutoPassthrough);
    const services = g.resources.filter((r) => r.type === "kubernetes:core/v1:Service");
    inv.exposes15443 =
        services.some((r) => isUnknown(r.props.spec)) && !services.some(exposes15443) ? undefined : services.some(exposes15443);
    for (const r of g.resources) {
        if (r.type === "kubernetes:core/v1:Namespace" && meta(r).name === ISTIO_NAMESPACE) {
            const net = obj(meta(r).labels)?.[Labels.network];
            if (typeof net === "string") inv.namespaceNetwork = net;
        }
        if (r.type !== SECRET_TYPE) continue;
        const s = secretObject(r.props);
        if (isRemoteSecret(s)) {
            const ann = obj(s.annotations)?.[Labels.clusterAnnotation];
            const keys = secretKeys(s);
            if (s.name === READER_REMOTE_SECRET) {
                // The per-reader layout: every entry is a cluster (unknown entries leave the link check open).
                inv.remoteSecretTargets.push(...(isUnknown(keys) ? [undefined] : keys));
                continue;
            }
            const target = typeof ann === "string" ? ann : !isUnknown(keys) && keys.length === 1 ? keys[0] : undefined;
            inv.remoteSecretTargets.push(target);
        } else if (isCaCertsSecret(s)) {
            const keys = secretKeys(s);
            if (isUnknown(keys)) continue;
            const layout = CACERTS_LAYOUTS[cacertsLayout(keys).layout];
            const root = secretValue(s, layout.root);
            if (typeof root === "string") inv.rootCertPem = root;
            const cert = secretValue(s, layout.cert);
            if (typeof cert === "string") inv.signingCertPem = cert;
        }
    }
    return inv;
}

/**
 * Whether the cluster's istiod runs multi-root: from the istiod chart's `pilot.env` or an istiod Deployment's env
 * (undefined: neither is in the stack, or unknown).
 */
function istiodMultiRoot(g: ClusterGroup): boolean | undefined {
    const on = (env: unknown) =>
        (Array.isArray(env) ? env : []).some((e) => obj(e)?.name === "ISTIO_MULTIROOT_MESH" && str(obj(e)?.value) === "true");
    // What the chart rendered, when the stack holds it: every istiod Deployment's env.
    const deployments = g.resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment" && str(meta(r).name)?.startsWith("istiod"));
    if (deployments.length) {
        return deployments.every((d) => {
            const containers = obj(obj(obj(d.props.spec)?.template)?.spec)?.containers;
            return (Array.isArray(containers) ? containers : []).some((c) => on(obj(c)?.env));
        });
    }
    // Otherwise what the istiod charts are given: `pilot.env`.
    const charts = g.resources.filter(
        (r) => CHART_TYPES.includes(r.type) && obj(obj(obj(r.props.values)?.global)?.multiCluster)?.clusterName !== undefined,
    );
    if (!charts.length || charts.some((r) => isUnknown(obj(obj(r.props.values)?.pilot)?.env))) return undefined;
    return charts.every((r) => str(obj(obj(obj(r.props.values)?.pilot)?.env)?.ISTIO_MULTIROOT_MESH) === "true");
}

/** Only the groups that look like mesh clusters (an istiod identity, a cacerts or remote secrets). */
export function meshInventory(resources: PolicyResource[]): ClusterInventory[] {
    return groupByCluster(resources)
        .map(clusterInventory)
        .filter(
            (c) => c.clusterName !== undefined || c.meshID !== undefined || c.rootCertPem !== undefined || c.remoteSecretTargets.length > 0,
        );
}

/** A factory of stack policies that report the issues a model check finds in the stack's mesh inventory. */
function inventoryPolicy(name: string, description: string, check: (inventory: ClusterInventory[]) => MeshIssue[]) {
    return stackPolicy({
        name,
        description,
        validateStack: (args, report) => {
            for (const i of check(meshInventory(args.resources))) report(i.message);
        },
    });
}

/** One meshID, unique cluster names, istio-system network label == istiod global.network. */
export const meshIdentity = inventoryPolicy(
    "mesh-identity",
    "All clusters share one meshID, have unique cluster names, and label istio-system with istiod's network.",
    checkMeshIdentity,
);

/** Clusters on different networks each have a 15443 east-west Service and an AUTO_PASSTHROUGH Gateway. */
export const eastWestGateways = inventoryPolicy(
    "east-west-gateways",
    "With more than one network, every cluster exposes 15443 and has an AUTO_PASSTHROUGH Gateway.",
    checkEastWestGateways,
);

/** Full mesh of remote secrets; none pointing outside the stack. */
export const remoteSecretFullMesh = inventoryPolicy(
    "remote-secret-full-mesh",
    "Every ordered pair of clusters is linked (istio-remote-secret-<target>, or an entry <target> in istio-remote-secrets), and no link points at a cluster not in the stack.",
    checkRemoteSecretMesh,
);

/** Control planes within one minor of each other mesh-wide; tags, gateway cutover and namespaces on a present revision. */
export const istioRevisions = inventoryPolicy(
    "istio-revisions",
    "Istio control planes of the mesh span at most one minor release, and every revision tag, east-west gateway Service and istio.io/rev namespace label points at a control plane its cluster runs.",
    checkRevisions,
);

/** Every signing root is trusted mesh-wide, and each signing cert chains to its bundle (docs/root-ca.md). Unknown (preview) values are skipped. */
export const caCertsSharedRoot = stackPolicy({
    name: "cacerts-shared-root",
    description:
        "Every cluster's cacerts trusts the root each cluster signs with (one shared root, or during a rotation the roots of each cluster's phase), its signing certificate chains to a root of its bundle, and a bundle of several roots sits beside a multi-root istiod.",
    validateStack: (args, report) => {
        for (const i of checkSharedRoot(meshInventory(args.resources))) report(i.message);
        for (const g of groupByCluster(args.resources)) {
            for (const r of g.resources) {
                if (r.type !== SECRET_TYPE) continue;
                const s = secretObject(r.props);
                if (!isCaCertsSecret(s)) continue;
                const keys = secretKeys(s);
                if (isUnknown(keys)) continue;
                const layout = CACERTS_LAYOUTS[cacertsLayout(keys).layout];
                const cert = secretValue(s, layout.cert);
                const root = secretValue(s, layout.root);
                const chain = layout === CACERTS_LAYOUTS.istio ? secretValue(s, "cert-chain.pem") : undefined;
                if (typeof cert !== "string" || typeof root !== "string" || isUnknown(chain)) continue;
                for (const e of checkCaChain(cert, root, chain)) report(`cacerts in ${g.label}: ${e}`, r.resource.urn);
            }
        }
    },
});

/** No stack output carries a private key or a token kubeconfig that is not a Pulumi secret. */
export const noPlaintextCredentialOutputs = stackPolicy({
    name: "no-plaintext-credentials-in-outputs",
    description: "Stack outputs must not carry PEM private keys or kubeconfigs with tokens unless they are Pulumi secrets.",
    validateStack: (args, report) => {
        for (const r of args.resources) {
            if (r.type !== "pulumi:pulumi:Stack") continue;
            const outputs = read(() => r.props);
            if (!outputs || typeof outputs !== "object") continue;
            for (const [name, value] of Object.entries(outputs as Record<string, unknown>)) {
                for (const f of findCredentials(value, name)) {
                    const segments = f.path.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== "");
                    const secret = secretness(r.props, segments);
                    if (secret === true) continue;
                    const why = secret === undefined ? "and its secret-ness cannot be read (secret tracking is off)" : "in plain text";
                    report(`stack output ${f.path} carries a ${f.kind} ${why}: export it with pulumi.secret()`, r.urn);
                }
            }
        }
    },
});

/** VirtualService subsets exist in a DestinationRule for the same host in the same cluster. */
export const virtualServiceSubsetsExist = stackPolicy({
    name: "virtualservice-subsets-exist",
    description: "Every subset a VirtualService routes to is defined by a DestinationRule for the same host in the same cluster.",
    validateStack: (args, report) => {
        for (const g of groupByCluster(args.resources)) {
            const subsets = new Map<string, Set<string>>();
            const unknownHosts = new Set<string>();
            let anyUnknownDr = false;
            for (const r of g.resources) {
                if (!istioTypes("DestinationRule").includes(r.type)) continue;
                const spec = obj(r.props.spec);
                const ns = str(meta(r).namespace) ?? "default";
                if (!spec || typeof spec.host !== "string") {
                    anyUnknownDr = true;
                    continue;
                }
                const host = resolveServiceHost(spec.host, ns);
                const set = subsets.get(host) ?? new Set<string>();
                if (!Array.isArray(spec.subsets)) {
                    if (isUnknown(spec.subsets)) unknownHosts.add(host);
                } else {
                    for (const s of spec.subsets) {
                        const n = obj(s)?.name;
                        if (typeof n === "string") set.add(n);
                        else unknownHosts.add(host);
                    }
                }
                subsets.set(host, set);
            }
            for (const r of g.resources) {
                if (!istioTypes("VirtualService").includes(r.type)) continue;
                const ns = str(meta(r).namespace) ?? "default";
                for (const ref of virtualServiceSubsetReferences(r.props.spec)) {
                    const host = resolveServiceHost(ref.host, ns);
                    if (unknownHosts.has(host) || subsets.get(host)?.has(ref.subset)) continue;
                    if (!subsets.has(host) && anyUnknownDr) continue;
                    const defined = subsets.get(host);
                    const what = defined
                        ? `its DestinationRule defines ${JSON.stringify([...defined])}`
                        : "no DestinationRule for that host";
                    report(
                        `VirtualService ${str(meta(r).name) ?? r.resource.name} ${ref.path} routes to subset ${ref.subset} of ${host}, but ${what} in ${g.label}: requests get 503 (no healthy upstream)`,
                        r.resource.urn,
                    );
                }
            }
        }
    },
});

/** All stack policies at their default levels. */
export function stackPolicies(): StackValidationPolicy[] {
    return [
        meshIdentity(),
        eastWestGateways(),
        remoteSecretFullMesh(),
        istioRevisions(),
        caCertsSharedRoot(),
        noPlaintextCredentialOutputs(),
        virtualServiceSubsetsExist(),
    ];
}
