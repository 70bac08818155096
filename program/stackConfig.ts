/**
 * Reads this project's stack config (namespace `istio-multicluster`) and turns it into the validated mesh
 * model plus the secrets it names. The only place that reads stack config; components get typed args.
 */
import * as pulumi from "@pulumi/pulumi";
import { kubeconfigLookup } from "../components/clusterAccess";
import { missingLocalCharts } from "../components/istioCharts";
import { MeshSecrets } from "../components/mesh";
import { ConfigIssue, MeshConfigError, MeshModel, ParseEnvironment, parseMeshConfig } from "../components/model";
import { meshConfigSchema } from "../components/model/config/configSchema";
import { isPlainObject } from "../components/model/config/objects";

/** Config namespace (= project name). */
export const CONFIG_NAMESPACE = "istio-multicluster";

/**
 * The raw values of every key in the namespace: objects, lists, `true`/`false` and `null` JSON-decoded (the
 * CLI hands them over as JSON text); anything else kept as the text it is, so `meshID: "1234"` stays the
 * string "1234" and `tag: 1.10` does not become 1.1.
 */
export function rawNamespaceConfig(all: Record<string, string> = pulumi.runtime.allConfig()): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(all)) {
        if (!k.startsWith(`${CONFIG_NAMESPACE}:`)) continue;
        const key = k.slice(CONFIG_NAMESPACE.length + 1);
        if (!/^\s*([[{]|true\s*$|false\s*$|null\s*$)/.test(v)) {
            raw[key] = v;
            continue;
        }
        try {
            raw[key] = JSON.parse(v);
        } catch {
            raw[key] = v;
        }
    }
    return raw;
}

/** True if `key` of the namespace is stored encrypted (the SDK's own secret-key list; internal in 3.248). */
function isSecretConfigKey(key: string): boolean {
    const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (k: string) => boolean };
    return runtimeConfig.isConfigSecret?.(`${CONFIG_NAMESPACE}:${key}`) ?? false;
}

/**
 * The facts the model needs from outside the config: kubeconfig files, secret config values (decrypted by
 * the SDK, never logged), local charts. `all` is the config map the values come from.
 */
export function stackEnvironment(all: Record<string, string>): ParseEnvironment {
    return {
        namespace: CONFIG_NAMESPACE,
        kubeconfigServer: (c) => kubeconfigLookup({ kubeconfig: c.kubeconfig, context: c.context }),
        secretValue: (key) => {
            const value = all[`${CONFIG_NAMESPACE}:${key}`];
            return value === undefined ? undefined : { value, secret: isSecretConfigKey(key) };
        },
        isSecretKey: isSecretConfigKey,
        localChartsMissing: (chartPath) => missingLocalCharts(chartPath),
        now: () => new Date(),
    };
}

/** The stack's mesh model and secrets. Throws a {@link MeshConfigError} naming every bad key before anything is registered. */
export function loadStack(all: Record<string, string> = pulumi.runtime.allConfig()): { model: MeshModel; secrets: MeshSecrets } {
    const model = namespaceModel(rawNamespaceConfig(all), stackEnvironment(all));
    const cfg = new pulumi.Config(CONFIG_NAMESPACE);
    const secrets: MeshSecrets = { remoteKubeconfigs: {} };
    if (model.ca.existingRoot) {
        secrets.existingRoot = {
            certPem: cfg.requireSecret(model.ca.existingRoot.certConfigKey),
            keyPem: cfg.requireSecret(model.ca.existingRoot.keyConfigKey),
        };
    }
    const solver = model.scenarios?.tlsFrontend?.solver;
    if (solver?.kind === "rfc2136") secrets.tsigSecret = cfg.requireSecret(solver.tsigSecretConfigKey);
    const next = model.ca.rootRotation?.nextRoot;
    if (next) secrets.nextRoot = { certPem: cfg.requireSecret(next.certConfigKey), keyPem: cfg.requireSecret(next.keyConfigKey) };
    for (const c of model.clusters) {
        if (c.remoteCredential.kind === "kubeconfig") {
            secrets.remoteKubeconfigs![c.name] = cfg.requireSecret(c.remoteCredential.secretConfigKey);
        }
    }
    return { model, secrets };
}

/**
 * The mesh model of the namespace's raw values ({@link rawNamespaceConfig}) under `env`: keys the schema does not
 * know, other than secret keys the config names, are issues too. Throws a {@link MeshConfigError} naming every bad key.
 */
export function namespaceModel(raw: Record<string, unknown>, env: ParseEnvironment): MeshModel {
    const known = new Set(Object.keys(meshConfigSchema.shape));
    const referencedSecrets = secretKeysReferenced(raw);
    const unknown = Object.keys(raw).filter((k) => !known.has(k) && !referencedSecrets.has(k));
    const body = Object.fromEntries(Object.entries(raw).filter(([k]) => known.has(k)));
    let model: MeshModel;
    try {
        model = parseMeshConfig(body, env);
    } catch (e) {
        if (e instanceof MeshConfigError) throw withUnknownKeys(e.issues, unknown);
        throw e;
    }
    if (unknown.length) throw withUnknownKeys([], unknown);
    return model;
}

function secretKeysReferenced(raw: Record<string, unknown>): Set<string> {
    const keys = new Set<string>();
    const field = (o: unknown, k: string): unknown => (isPlainObject(o) ? o[k] : undefined);
    const rotation = field(raw.ca, "rootRotation");
    for (const k of [
        field(raw.ca, "existingRootCertSecret"),
        field(raw.ca, "existingRootKeySecret"),
        field(rotation, "nextRootCertSecret"),
        field(rotation, "nextRootKeySecret"),
        field(field(field(raw.scenarioSettings, "tls-frontend"), "rfc2136"), "tsigSecretConfigKey"),
    ])
        if (typeof k === "string") keys.add(k);
    for (const c of Array.isArray(raw.clusters) ? (raw.clusters as unknown[]) : []) {
        const k = field(c, "remoteKubeconfigSecret");
        if (typeof k === "string") keys.add(k);
    }
    return keys;
}

function withUnknownKeys(issues: ConfigIssue[], unknown: string[]): MeshConfigError {
    const extra = unknown.map((k) => ({
        path: `${CONFIG_NAMESPACE}:${k}`,
        message: "unknown config key: check the spelling against the config reference in README.md",
    }));
    return new MeshConfigError([...issues, ...extra], `Invalid stack config (namespace ${CONFIG_NAMESPACE})`);
}
