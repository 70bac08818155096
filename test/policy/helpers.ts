/**
 * Test helpers for the policy pack, after pulumi-policy-aws src/tests/util.ts: build ResourceValidationArgs /
 * StackValidationArgs by hand and collect reportViolation calls. The PolicyPack itself is never constructed.
 *
 * `engineProps` builds props the way the SDK's server does for a real preview: the engine's wire format (secret
 * signatures, unknown sentinels) deserialized by @pulumi/policy and wrapped in its unknown-checking proxy.
 */
import * as fs from "fs";
import * as path from "path";
import {
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
    unknownCheckingProxy,
} from "@pulumi/policy";
import { setSecretTrackingForTests } from "../../policy/props";

const { deserializeProperties } = require("@pulumi/policy/deserialize");
const rpc = require("@pulumi/pulumi/runtime/rpc");

/** The engine's unknown-string sentinel. */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The engine's unknown-object sentinel. */
export const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";

/** Wraps a value the way the engine marks a secret on the wire. */
export function wireSecret(value: unknown): Record<string, unknown> {
    return { [rpc.specialSigKey]: rpc.specialSecretSig, value };
}

/**
 * Props as the SDK hands them to a policy during a real run: deserialized from the wire format and behind the
 * unknown-checking proxy. With `trackSecrets`, deserialized as installSecretTracking makes the SDK do it.
 */
export function engineProps(wire: Record<string, unknown>, trackSecrets = true): Record<string, any> {
    setSecretTrackingForTests(trackSecrets);
    return unknownCheckingProxy(deserializeProperties({ toJavaScript: () => wire }, trackSecrets));
}

/** Switch secret tracking off again (plain-object props). */
export function resetSecretTracking(): void {
    setSecretTrackingForTests(false);
}

/** A violation reported by a policy. */
export interface Violation {
    message: string;
    urn?: string;
}

/** ResourceValidationArgs for a type token and props, with config and options stubs. */
export function resourceArgs(
    type: string,
    props: Record<string, any>,
    opts: { config?: Record<string, unknown>; additionalSecretOutputs?: string[]; name?: string } = {},
): ResourceValidationArgs {
    return {
        type,
        props,
        urn: `urn:pulumi:test::istio-multicluster::${type}::${opts.name ?? "r"}`,
        name: opts.name ?? "r",
        opts: {
            protect: false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: opts.additionalSecretOutputs ?? [],
        },
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => (opts.config ?? {}) as T,
    } as unknown as ResourceValidationArgs;
}

/** Runs a resource policy (single or array of validations) and returns the violations. */
export async function runResourcePolicy(policy: ResourceValidationPolicy, args: ResourceValidationArgs): Promise<Violation[]> {
    const out: Violation[] = [];
    const vs = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
    for (const v of vs) await v(args, (message, urn) => out.push({ message, urn }));
    return out;
}

/** A provider reference for a cluster. */
export function provider(name: string): PolicyResource["provider"] {
    return {
        type: "pulumi:providers:kubernetes",
        urn: `urn:pulumi:test::istio-multicluster::pulumi:providers:kubernetes::${name}`,
        name,
        props: {},
    };
}

/** A stack resource. */
export function stackResource(
    type: string,
    name: string,
    props: Record<string, any>,
    opts: { provider?: PolicyResource["provider"]; parent?: PolicyResource } = {},
): PolicyResource {
    return {
        type,
        name,
        urn: `urn:pulumi:test::istio-multicluster::${type}::${name}`,
        props,
        opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: {}, additionalSecretOutputs: [] } as never,
        provider: opts.provider,
        parent: opts.parent,
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
    } as unknown as PolicyResource;
}

/** Runs a stack policy over resources and returns the violations. */
export async function runStackPolicy(
    policy: StackValidationPolicy,
    resources: PolicyResource[],
    config: Record<string, unknown> = {},
    stackTags: Record<string, string> = {},
): Promise<Violation[]> {
    const out: Violation[] = [];
    const args = {
        resources,
        stackTags: new Map(Object.entries(stackTags)),
        getConfig: <T extends object>() => config as T,
    } as unknown as StackValidationArgs;
    await policy.validateStack(args, (message, urn) => out.push({ message, urn }));
    return out;
}

/** A PEM fixture (test/policy/fixtures). */
export function pem(name: string): string {
    return fs.readFileSync(path.join(__dirname, "fixtures", `${name}.pem`), "utf8");
}

/** base64 of a string. */
export function b64(s: string): string {
    return Buffer.from(s).toString("base64");
}

/** A reader-token kubeconfig exactly as istioctl renders it. */
export function istioctlKubeconfig(
    cluster: string,
    server: string,
    user: Record<string, unknown> = { token: "eyJhbGciOiJSUzI1NiJ9.reader" },
): string {
    return [
        "apiVersion: v1",
        "clusters:",
        "- cluster:",
        "    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==",
        `    server: ${server}`,
        `  name: ${cluster}`,
        "contexts:",
        "- context:",
        `    cluster: ${cluster}`,
        `    user: ${cluster}`,
        `  name: ${cluster}`,
        `current-context: ${cluster}`,
        "kind: Config",
        "preferences: {}",
        "users:",
        `- name: ${cluster}`,
        "  user:",
        ...Object.entries(user).map(([k, v]) => `    ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`),
        "",
    ].join("\n");
}

/** A remote secret as RemoteSecretLink registers it (data, base64). */
export function remoteSecretProps(
    target: string,
    kubeconfig = istioctlKubeconfig(target, `https://10.0.0.${target.length}:6443`),
): Record<string, any> {
    return {
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
            name: `istio-remote-secret-${target}`,
            namespace: "istio-system",
            labels: { "istio/multiCluster": "true" },
            annotations: { "networking.istio.io/cluster": target },
        },
        type: "Opaque",
        data: { [target]: b64(kubeconfig) },
    };
}

/** The per-reader layout's remote secret as ReaderRemoteSecrets registers it: one entry per target. */
export function readerRemoteSecretProps(
    targets: string[],
    kubeconfig = (t: string) => istioctlKubeconfig(t, `https://10.0.0.${t.length}:6443`),
): Record<string, any> {
    return {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "istio-remote-secrets", namespace: "istio-system", labels: { "istio/multiCluster": "true" } },
        type: "Opaque",
        data: Object.fromEntries(targets.map((t) => [t, b64(kubeconfig(t))])),
    };
}

/** cacerts as MeshCluster registers it (data, base64; the four istiod entries). */
export function cacertsProps(
    intermediate: string,
    root: string,
    key = "-----BEGIN EC PRIVATE KEY-----\nMHc=\n-----END EC PRIVATE KEY-----\n",
): Record<string, any> {
    const ca = pem(intermediate);
    const r = pem(root);
    return {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "cacerts", namespace: "istio-system" },
        type: "Opaque",
        data: { "ca-cert.pem": b64(ca), "ca-key.pem": b64(key), "root-cert.pem": b64(r), "cert-chain.pem": b64(ca + r) },
    };
}
