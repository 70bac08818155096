/**
 * Resource policies: each checks one Kubernetes object as the program (or a chart it renders) registers it.
 * Factories only; index.ts builds the PolicyPack. All logic lives in ../components/model.
 */
import { EnforcementLevel, ReportViolation, ResourceValidation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { resourcePolicy } from "./define";
import {
    CACERTS_LAYOUTS,
    checkCaCertsEntries,
    checkDestinationRuleLocality,
    checkRemoteSecret,
    checkVirtualServiceWeights,
    DEFAULT_ALLOWED_HUBS,
    INSECURE_KUBECONFIG_OPTIONS,
    isCaCertsSecret,
    isHubAllowed,
    isImageFromAllowedHub,
    isRemoteSecret,
    isUnknown,
    podSpecImages,
    SecretObject,
    secretKeys,
} from "../components/model";
import { isPlainObject } from "../components/model/config/objects";
import { read, secretness } from "./props";

/** Istio networking API versions a DestinationRule/VirtualService/Gateway may be registered with. */
const ISTIO_NETWORKING_VERSIONS = ["v1", "v1beta1", "v1alpha3"];
/** Type tokens of an Istio networking kind in every API version. */
export function istioTypes(kind: string): string[] {
    return ISTIO_NETWORKING_VERSIONS.map((v) => `kubernetes:networking.istio.io/${v}:${kind}`);
}
export const SECRET_TYPE = "kubernetes:core/v1:Secret";
/** Helm chart resources whose `values` carry `global.hub`. */
export const CHART_TYPES = ["kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v3:Release"];

/** Where the pod spec sits in each workload kind. */
const POD_SPEC_PATHS: Record<string, string[]> = {
    "kubernetes:core/v1:Pod": ["spec"],
    "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
    "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
    "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
    "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};

function get(obj: unknown, path: readonly string[]): unknown {
    let cur = obj;
    for (const k of path) {
        if (isUnknown(cur)) return cur;
        if (cur === null || typeof cur !== "object") return undefined;
        cur = (cur as Record<string, unknown>)[k];
    }
    return cur;
}

/** The plain props of a resource, with unknown values as UNKNOWN. */
export function plainProps(args: { props: Record<string, unknown> }): Record<string, unknown> {
    const p = read(() => args.props);
    return isPlainObject(p) ? p : {};
}

/** A Secret's props in the shape the model checks take. */
export function secretObject(props: Record<string, unknown>): SecretObject {
    const md = props.metadata;
    const m = (k: string) => (isUnknown(md) ? md : (md as Record<string, unknown> | undefined)?.[k]) as never;
    return {
        name: m("name"),
        namespace: m("namespace"),
        labels: m("labels"),
        annotations: m("annotations"),
        data: props.data as never,
        stringData: props.stringData as never,
    };
}

const describeIs = (types: string[]) => (args: ResourceValidationArgs) => types.includes(args.type);

/** A validation of the Secrets `select` picks (remote secrets, cacerts): `check` gets the Secret as plain data. */
function onSecrets(
    select: (s: SecretObject) => boolean,
    check: (s: SecretObject, args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation {
    return (args, report) => {
        if (args.type !== SECRET_TYPE) return;
        const s = secretObject(plainProps(args));
        if (select(s)) check(s, args, report);
    };
}

/** A factory of DestinationRule policies reporting one side (errors or warnings) of Istio's locality LB validation. */
function destinationRulePolicy(name: string, description: string, side: "errors" | "warnings", defaultLevel: EnforcementLevel) {
    const applies = describeIs(istioTypes("DestinationRule"));
    return resourcePolicy(
        {
            name,
            description,
            validateResource: (args, report) => {
                if (!applies(args)) return;
                for (const m of checkDestinationRuleLocality(plainProps(args).spec)[side]) report(m);
            },
        },
        defaultLevel,
    );
}

/** DestinationRule locality LB settings pass Istio's ValidateLocalityLbSetting (errors only). */
export const destinationRuleLocality = destinationRulePolicy(
    "destinationrule-locality-lb",
    "DestinationRule localityLbSetting (every traffic policy, port level and subset) must pass Istio's locality LB validation.",
    "errors",
    "mandatory",
);

/** The warnings of the same validation: failover/failoverPriority without outlierDetection has no effect. */
export const destinationRuleFailoverOutlier = destinationRulePolicy(
    "destinationrule-failover-needs-outlier-detection",
    "Locality failover without outlierDetection in the same traffic policy does nothing (Istio only warns).",
    "warnings",
    "advisory",
);

/** Config of {@link virtualServiceWeights}. */
export interface RouteWeightsConfig {
    /** Require weights to add up to 100. @default true */
    requireSum100?: boolean;
}

const isVirtualService = describeIs(istioTypes("VirtualService"));

/** VirtualService http/tcp/tls route weights are sane and (by default) add up to 100. */
export const virtualServiceWeights = resourcePolicy({
    name: "virtualservice-route-weights",
    description: "VirtualService route weights: none negative, not all zero, none missing among several, adding up to 100.",
    configSchema: { properties: { requireSum100: { type: "boolean", default: true } } },
    validateResource: (args, report) => {
        if (!isVirtualService(args)) return;
        const cfg = args.getConfig<RouteWeightsConfig>();
        for (const e of checkVirtualServiceWeights(plainProps(args).spec, { requireSum100: cfg.requireSum100 ?? true })) report(e);
    },
});

/** Config of {@link remoteSecretShape}. */
export interface RemoteSecretConfig {
    /** Kubeconfig options istiod accepts here (its PILOT_INSECURE_MULTICLUSTER_KUBECONFIG_OPTIONS). @default [] */
    allowedInsecureKubeconfigOptions?: string[];
    /** Accept loopback API servers (single-host test setups). @default false */
    allowLoopbackApiServer?: boolean;
    /** istiod's namespace. @default "istio-system" */
    istioNamespace?: string;
}

/** Remote secrets are exactly what istioctl writes and istiod accepts. */
export const remoteSecretShape = resourcePolicy({
    name: "remote-secret-shape",
    description:
        "Secrets labelled istio/multiCluster=true: named istio-remote-secret-<cluster> with one entry <cluster>, or istio-remote-secrets with one entry per cluster; each a kubeconfig istiod accepts, with a non-loopback API server.",
    configSchema: {
        properties: {
            allowedInsecureKubeconfigOptions: {
                type: "array",
                items: { type: "string", enum: [...INSECURE_KUBECONFIG_OPTIONS] },
                default: [],
            },
            allowLoopbackApiServer: { type: "boolean", default: false },
            istioNamespace: { type: "string", default: "istio-system" },
        },
    },
    validateResource: onSecrets(isRemoteSecret, (s, args, report) => {
        const cfg = args.getConfig<RemoteSecretConfig>();
        for (const e of checkRemoteSecret(s, {
            allowedInsecureKubeconfigOptions: cfg.allowedInsecureKubeconfigOptions ?? [],
            allowLoopbackApiServer: cfg.allowLoopbackApiServer ?? false,
            istioNamespace: cfg.istioNamespace,
        })) {
            report(e);
        }
    }),
});

/**
 * `cacerts` is complete (either layout) and its private key is a Pulumi secret. Secret-ness is read from the
 * props when secret tracking is on (index.ts); otherwise the policy requires `additionalSecretOutputs` to
 * cover the field (what @pulumi/kubernetes' Secret class always sets).
 */
export const caCertsComplete = resourcePolicy({
    name: "cacerts-complete-and-secret",
    description:
        "cacerts has every entry istiod needs (ca-cert/ca-key/root-cert/cert-chain.pem or tls.crt/tls.key/ca.crt) and its private key is a Pulumi secret.",
    validateResource: onSecrets(isCaCertsSecret, (s, args, report) => {
        for (const e of checkCaCertsEntries(s)) report(e);
        const keys = secretKeys(s);
        if (isUnknown(keys)) return;
        for (const key of [CACERTS_LAYOUTS.istio.key, CACERTS_LAYOUTS.tls.key]) {
            for (const field of ["data", "stringData"] as const) {
                const map = s[field];
                if (!map || isUnknown(map) || !(key in map)) continue;
                const secret = secretness(args.props, [field, key]);
                const covered = (args.opts?.additionalSecretOutputs ?? []).includes(field);
                if (secret === false) {
                    report(
                        `cacerts ${field}["${key}"] (the CA private key) is not a Pulumi secret: wrap it in pulumi.secret() so it is encrypted in state`,
                    );
                } else if (secret === undefined && !covered) {
                    report(
                        `cacerts ${field}["${key}"] (the CA private key): cannot confirm it is a Pulumi secret and "${field}" is not in additionalSecretOutputs; use k8s.core.v1.Secret or pulumi.secret()`,
                    );
                }
            }
        }
    }),
});

/** Config of {@link imagesFromAllowedHubs}. */
export interface ImageHubConfig {
    /** Registries (repository prefixes) images may come from. */
    allowedHubs?: string[];
}

/** Workload images and Istio chart hubs come from allowed registries (`image: auto` of injected gateways is fine). */
export const imagesFromAllowedHubs = resourcePolicy({
    name: "images-from-allowed-hubs",
    description:
        "Container images (Pods, Deployments, DaemonSets, StatefulSets, Jobs) and chart global.hub/hub values come from allowed registries.",
    configSchema: {
        properties: { allowedHubs: { type: "array", items: { type: "string" }, default: [...DEFAULT_ALLOWED_HUBS] } },
    },
    validateResource: (args, report) => {
        const cfg = args.getConfig<ImageHubConfig>();
        const hubs = cfg.allowedHubs && cfg.allowedHubs.length ? cfg.allowedHubs : [...DEFAULT_ALLOWED_HUBS];
        const podPath = POD_SPEC_PATHS[args.type];
        if (podPath) {
            const props = plainProps(args);
            for (const { path, image } of podSpecImages(get(props, podPath), podPath.join("."))) {
                if (isUnknown(image)) continue;
                if (!isImageFromAllowedHub(image, hubs)) report(`${path}: image ${image} is not from an allowed hub (${hubs.join(", ")})`);
            }
            return;
        }
        if (CHART_TYPES.includes(args.type)) {
            const values = plainProps(args).values;
            for (const path of [["global", "hub"], ["hub"]]) {
                const hub = get(values, path);
                if (typeof hub !== "string" || hub === "") continue;
                if (!isHubAllowed(hub, hubs)) report(`values.${path.join(".")}: hub ${hub} is not an allowed hub (${hubs.join(", ")})`);
            }
        }
    },
});

/** All resource policies at their default levels. */
export function resourcePolicies(): ResourceValidationPolicy[] {
    return [
        destinationRuleLocality(),
        destinationRuleFailoverOutlier(),
        virtualServiceWeights(),
        remoteSecretShape(),
        caCertsComplete(),
        imagesFromAllowedHubs(),
    ];
}
