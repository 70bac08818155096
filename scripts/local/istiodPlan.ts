/**
 * How to run one istiod revision of a cluster as a host process, derived only from what `pulumi up` created in that
 * cluster: the istiod Deployment the chart rendered (arguments, environment, image), the revision's mesh ConfigMap
 * (mesh config, mesh networks) and the shared `cacerts` Secret (the plugged-in CA). A cluster may run several
 * revisions side by side (canary upgrades): the revision-less install is Deployment `istiod` with ConfigMap `istio`
 * (REVISION=default), revision r is `istiod-<r>` with `istio-<r>` (REVISION=r). Pure: no I/O, so every refusal is
 * unit-tested (test/scripts/istiodPlan.test.ts); scripts/local/istiod.ts reads the objects, writes the files and
 * starts it.
 * @see docs/istiod-on-host.md
 */

/** The revision of a revision-less install (its REVISION env and `istio.io/rev` label). */
export const DEFAULT_REVISION = "default";

/** An istiod Deployment (apps/v1), the subset the plan reads in the API's JSON shape. */
export interface IstiodDeployment {
    metadata?: { name?: string };
    spec?: { template?: { spec?: { serviceAccountName?: string; containers?: ContainerLike[] } } };
}

/** The subset of a Kubernetes object this plan reads (the API's JSON shape), for one revision. */
export interface IstiodObjects {
    /** istio-system/istiod or istio-system/istiod-<revision> (apps/v1 Deployment), or undefined when absent. */
    deployment?: IstiodDeployment;
    /** istio-system/istio (or istio-<revision>) ConfigMap's data, or undefined when absent. */
    meshConfig?: Record<string, string>;
    /** istio-system/cacerts Secret's data (base64 values, as the API returns them), or undefined when absent. */
    cacerts?: Record<string, string>;
}

interface EnvVarLike {
    name: string;
    value?: string;
    valueFrom?: { fieldRef?: { fieldPath: string }; resourceFieldRef?: { resource: string } } & Record<string, unknown>;
}
interface ContainerLike {
    name: string;
    image?: string;
    args?: string[];
    env?: EnvVarLike[];
}

/** The istiod Deployment's name for a revision, as the chart names it. */
export function istiodDeploymentName(revision: string): string {
    return revision === DEFAULT_REVISION ? "istiod" : `istiod-${revision}`;
}

/** The revision's mesh ConfigMap, as the chart names it. */
export function meshConfigMapName(revision: string): string {
    return revision === DEFAULT_REVISION ? "istio" : `istio-${revision}`;
}

function discoveryContainer(d: IstiodDeployment | undefined): ContainerLike | undefined {
    return d?.spec?.template?.spec?.containers?.find((c) => c.name === "discovery");
}

/** The revision an istiod Deployment serves: its discovery container's REVISION env, else `default`. */
export function deploymentRevision(d: IstiodDeployment): string {
    return discoveryContainer(d)?.env?.find((e) => e.name === "REVISION")?.value || DEFAULT_REVISION;
}

/**
 * The Istio version an image runs, from its tag (`docker.io/istio/pilot:1.29.1` → `1.29.1`; a `-distroless` or
 * `-debug` variant suffix is dropped); undefined when the image has no tag that names a release (a digest, `latest`).
 */
export function imageVersion(image: string | undefined): string | undefined {
    const tag = /:([^:/@]+)$/.exec(image ?? "")?.[1];
    const m = /^(\d+\.\d+\.\d+(?:-(?:alpha|beta|rc)\.\d+)?)(?:-(?:distroless|debug))?$/.exec(tag ?? "");
    return m?.[1];
}

/** One istiod revision installed in a cluster. */
export interface InstalledRevision {
    revision: string;
    deployment: IstiodDeployment;
    /** The Istio version its image names (undefined when the tag names none). */
    version?: string;
}

/**
 * The istiod revisions among a cluster's istiod Deployments (those labelled `app=istiod` in istio-system), the
 * revision-less one first, then by name; refuses a Deployment whose name does not match its REVISION (e.g. a chart
 * installed with `revision: default`, which would collide with the revision-less install).
 */
export function installedRevisions(
    deployments: IstiodDeployment[],
    context: string,
): { revisions: InstalledRevision[]; problems: string[] } {
    const problems: string[] = [];
    const revisions: InstalledRevision[] = [];
    for (const d of deployments) {
        const name = d.metadata?.name ?? "?";
        if (name !== "istiod" && !name.startsWith("istiod-")) continue; // not the istiod chart's (app=istiod but another name)
        const revision = deploymentRevision(d);
        if (name !== istiodDeploymentName(revision)) {
            problems.push(
                `${context}: Deployment istio-system/${name} runs REVISION=${revision}, so it would be named ${istiodDeploymentName(revision)}: ` +
                    `install the istiod chart ${revision === DEFAULT_REVISION ? 'with a revision other than "default", or without one' : `with revision "${revision}"`}`,
            );
            continue;
        }
        revisions.push({ revision, deployment: d, version: imageVersion(discoveryContainer(d)?.image) });
    }
    revisions.sort((a, b) =>
        a.revision === DEFAULT_REVISION ? -1 : b.revision === DEFAULT_REVISION ? 1 : a.revision.localeCompare(b.revision),
    );
    return { revisions, problems };
}

/** Where the host process binds: every port on the cluster's own loopback address. */
export interface IstiodPorts {
    grpc: number;
    http: number;
    monitoring: number;
    https: number;
    secureGrpc: number;
}
export const ISTIOD_PORTS: IstiodPorts = { grpc: 15010, http: 8080, monitoring: 15014, https: 15017, secureGrpc: 15012 };

/** What to run: arguments after the binary, environment, and files relative to the working directory. */
export interface IstiodPlan {
    /** The istiod revision (`default` for the revision-less install). */
    revision: string;
    /** The Istio version the Deployment's image names, when its tag names one (selects the pilot-discovery binary). */
    version?: string;
    clusterId: string;
    args: string[];
    env: Record<string, string>;
    files: Record<string, string>;
}

/** Files the cacerts Secret must hold (istiod reads them from ./etc/cacerts, its default plugged-in CA dir). */
export const CACERTS_KEYS = ["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"] as const;
/** Where istiod reads its plugged-in CA, relative to its working directory (its default LocalCertDir, ./etc/cacerts). */
export const CACERTS_DIR = "etc/cacerts";

/**
 * The files the `cacerts` Secret's data (base64 values, as the API returns them) projects into {@link CACERTS_DIR}, by
 * key: the four istiod reads (other keys are left out, as at start), or the problems that stop a rewrite (a missing
 * Secret or key: istiod must never see a partial set).
 */
export function cacertsFiles(
    cacerts: Record<string, string> | undefined,
    context: string,
): { files?: Record<string, string>; problems: string[] } {
    if (!cacerts) return { problems: [`${context}: Secret istio-system/cacerts not found`] };
    const missing = CACERTS_KEYS.filter((k) => !cacerts[k]);
    if (missing.length) return { problems: [`${context}: Secret istio-system/cacerts lacks ${missing.join(", ")}`] };
    return { files: Object.fromEntries(CACERTS_KEYS.map((k) => [k, Buffer.from(cacerts[k], "base64").toString("utf8")])), problems: [] };
}

/**
 * What a running istiod's cacerts files lack to match the Secret: the keys whose content differs from (or is absent in)
 * `current` (file name → content, undefined when unreadable). Empty: nothing to write. When non-empty, the whole set is
 * written at once (as the kubelet does for a mounted Secret), so istiod never reads a key of the new set beside one of
 * the old.
 */
export function cacertsChanges(wanted: Record<string, string>, current: Record<string, string | undefined>): string[] {
    return Object.keys(wanted)
        .filter((k) => current[k] !== wanted[k])
        .sort();
}

/** Flags the host process sets itself; the Deployment's own values (in-pod addresses) are dropped. */
const HOST_FLAGS = [
    "--grpcAddr",
    "--httpAddr",
    "--monitoringAddr",
    "--httpsAddr",
    "--secureGRPCAddr",
    "--kubeconfig",
    "--meshConfig",
    "--networksConfig",
    "--ctrlz_port",
];

/**
 * The plan for one revision (`where.revision`, `default` when unset: Deployment `istiod`, ConfigMap `istio`), or
 * every reason it cannot be made (each names the object and what to do).
 */
export function istiodPlan(
    objects: IstiodObjects,
    where: { context: string; address: string; kubeconfig: string; podName: string; revision?: string },
): { plan?: IstiodPlan; problems: string[] } {
    const problems: string[] = [];
    const upFirst = "run `pulumi up` of the local stack first";
    const revision = where.revision ?? DEFAULT_REVISION;
    const deploymentName = istiodDeploymentName(revision);
    const cmName = meshConfigMapName(revision);
    const container = discoveryContainer(objects.deployment);
    if (!objects.deployment) problems.push(`${where.context}: Deployment istio-system/${deploymentName} not found: ${upFirst}`);
    else if (!container) problems.push(`${where.context}: Deployment istio-system/${deploymentName} has no "discovery" container`);
    else if (deploymentRevision(objects.deployment) !== revision)
        problems.push(
            `${where.context}: Deployment istio-system/${deploymentName} runs REVISION=${deploymentRevision(objects.deployment)}, not ${revision}: ` +
                `install the istiod chart with revision "${revision}"`,
        );
    if (!objects.meshConfig) problems.push(`${where.context}: ConfigMap istio-system/${cmName} not found: ${upFirst}`);
    else if (!objects.meshConfig.mesh) problems.push(`${where.context}: ConfigMap istio-system/${cmName} has no "mesh" key`);
    if (!objects.cacerts) problems.push(`${where.context}: Secret istio-system/cacerts not found: ${upFirst}`);
    else {
        const missing = CACERTS_KEYS.filter((k) => !objects.cacerts![k]);
        if (missing.length) problems.push(`${where.context}: Secret istio-system/cacerts lacks ${missing.join(", ")}`);
    }
    const env: Record<string, string> = {};
    for (const e of container?.env ?? []) {
        const v = envValue(e, objects.deployment?.spec?.template?.spec?.serviceAccountName ?? "istiod", where);
        if (typeof v === "string") env[e.name] = v;
        else if (v) problems.push(`${where.context}: ${deploymentName} env ${e.name}: ${v.problem}`);
    }
    if (container && !env.CLUSTER_ID)
        problems.push(
            `${where.context}: Deployment istio-system/${deploymentName} sets no CLUSTER_ID (values.global.multiCluster.clusterName)`,
        );
    if (problems.length) return { problems };

    // The webhooks' caBundle patching and the injector's config name stay off: nothing here can call the host process.
    env.INJECTION_WEBHOOK_CONFIG_NAME = "";
    env.VALIDATION_WEBHOOK_CONFIG_NAME = "";
    const a = where.address;
    const args = [
        ...dropFlags(container!.args ?? ["discovery"], HOST_FLAGS),
        `--kubeconfig=${where.kubeconfig}`,
        "--meshConfig=./etc/istio/config/mesh",
        "--networksConfig=./etc/istio/config/meshNetworks",
        `--grpcAddr=${a}:${ISTIOD_PORTS.grpc}`,
        `--httpAddr=${a}:${ISTIOD_PORTS.http}`,
        `--monitoringAddr=${a}:${ISTIOD_PORTS.monitoring}`,
        `--httpsAddr=${a}:${ISTIOD_PORTS.https}`,
        `--secureGRPCAddr=${a}:${ISTIOD_PORTS.secureGrpc}`,
        "--ctrlz_port=0",
    ];
    const files: Record<string, string> = {
        "etc/istio/config/mesh": objects.meshConfig!.mesh,
        "etc/istio/config/meshNetworks": objects.meshConfig!.meshNetworks ?? "networks: {}\n",
    };
    for (const [k, v] of Object.entries(cacertsFiles(objects.cacerts, where.context).files!)) files[`${CACERTS_DIR}/${k}`] = v;
    const version = imageVersion(container!.image);
    return { plan: { revision, ...(version ? { version } : {}), clusterId: env.CLUSTER_ID, args, env, files }, problems };
}

/** An env var's value as the pod would see it; undefined for resource limits (host defaults apply). */
function envValue(
    e: EnvVarLike,
    serviceAccount: string,
    where: { address: string; podName: string },
): string | undefined | { problem: string } {
    if (e.value !== undefined) return e.value;
    if (!e.valueFrom) return "";
    if (e.valueFrom.resourceFieldRef) return undefined;
    const field = e.valueFrom.fieldRef?.fieldPath;
    switch (field) {
        case "metadata.namespace":
            return "istio-system";
        case "metadata.name":
            return where.podName;
        case "spec.serviceAccountName":
            return serviceAccount;
        case "status.podIP":
        case "status.hostIP":
            return where.address;
        default:
            return { problem: `valueFrom ${JSON.stringify(e.valueFrom)} has no host equivalent` };
    }
}

function dropFlags(args: string[], flags: string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < args.length; i++) {
        const flag = flags.find((f) => args[i] === f || args[i].startsWith(`${f}=`));
        if (!flag) out.push(args[i]);
        else if (args[i] === flag) i++; // "--flag value": skip the value too
    }
    return out;
}
