/**
 * How to run one cluster's istiod as a host process, derived only from what `pulumi up` created in that cluster:
 * the istiod Deployment the chart rendered (arguments, environment), the `istio` ConfigMap (mesh config, mesh
 * networks) and the `cacerts` Secret (the plugged-in CA). Pure: no I/O, so every refusal is unit-tested
 * (test/scripts/istiodPlan.test.ts); scripts/local/istiod.ts reads the objects, writes the files and starts it.
 * @see docs/istiod-on-host.md
 */

/** The subset of a Kubernetes object this plan reads (the API's JSON shape). */
export interface IstiodObjects {
    /** istio-system/istiod (apps/v1 Deployment), or undefined when absent. */
    deployment?: {
        spec?: { template?: { spec?: { serviceAccountName?: string; containers?: ContainerLike[] } } };
    };
    /** istio-system/istio ConfigMap's data, or undefined when absent. */
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
    args?: string[];
    env?: EnvVarLike[];
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
    clusterId: string;
    args: string[];
    env: Record<string, string>;
    files: Record<string, string>;
}

/** Files the cacerts Secret must hold (istiod reads them from ./etc/cacerts, its default plugged-in CA dir). */
export const CACERTS_KEYS = ["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"] as const;
/** Flags the host process sets itself; the Deployment's own values (in-pod addresses) are dropped. */
const HOST_FLAGS = ["--grpcAddr", "--httpAddr", "--monitoringAddr", "--httpsAddr", "--secureGRPCAddr", "--kubeconfig", "--meshConfig", "--networksConfig", "--ctrlz_port"];

/** The plan, or every reason it cannot be made (each names the object and what to do). */
export function istiodPlan(
    objects: IstiodObjects,
    where: { context: string; address: string; kubeconfig: string; podName: string },
): { plan?: IstiodPlan; problems: string[] } {
    const problems: string[] = [];
    const upFirst = "run `pulumi up` of the local stack first";
    const container = objects.deployment?.spec?.template?.spec?.containers?.find((c) => c.name === "discovery");
    if (!objects.deployment) problems.push(`${where.context}: Deployment istio-system/istiod not found: ${upFirst}`);
    else if (!container) problems.push(`${where.context}: Deployment istio-system/istiod has no "discovery" container`);
    if (!objects.meshConfig) problems.push(`${where.context}: ConfigMap istio-system/istio not found: ${upFirst}`);
    else if (!objects.meshConfig.mesh) problems.push(`${where.context}: ConfigMap istio-system/istio has no "mesh" key`);
    if (!objects.cacerts) problems.push(`${where.context}: Secret istio-system/cacerts not found: ${upFirst}`);
    else {
        const missing = CACERTS_KEYS.filter((k) => !objects.cacerts![k]);
        if (missing.length) problems.push(`${where.context}: Secret istio-system/cacerts lacks ${missing.join(", ")}`);
    }
    const env: Record<string, string> = {};
    for (const e of container?.env ?? []) {
        const v = envValue(e, objects.deployment?.spec?.template?.spec?.serviceAccountName ?? "istiod", where);
        if (typeof v === "string") env[e.name] = v;
        else if (v) problems.push(`${where.context}: istiod env ${e.name}: ${v.problem}`);
    }
    if (container && !env.CLUSTER_ID) problems.push(`${where.context}: the istiod Deployment sets no CLUSTER_ID (values.global.multiCluster.clusterName)`);
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
    for (const k of CACERTS_KEYS) files[`etc/cacerts/${k}`] = Buffer.from(objects.cacerts![k], "base64").toString("utf8");
    return { plan: { clusterId: env.CLUSTER_ID, args, env, files }, problems };
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
