/**
 * Reads this project's stack config (namespace `istio-multicluster`) and turns it into the validated mesh
 * model plus the secrets it names. The only place that reads stack config; components get typed args.
 */
import * as pulumi from "@pulumi/pulumi";
import { kubeconfigServer } from "../components/clusterAccess";
import { MeshSecrets } from "../components/mesh";
import { ConfigIssue, MeshConfigError, MeshModel, meshConfigSchema, parseMeshConfig } from "../components/model";

/** Config namespace (= project name). */
export const CONFIG_NAMESPACE = "istio-multicluster";

/** The raw values of every key in the namespace, JSON-decoded where possible. */
export function rawNamespaceConfig(all: Record<string, string> = pulumi.runtime.allConfig()): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(all)) {
        if (!k.startsWith(`${CONFIG_NAMESPACE}:`)) continue;
        const key = k.slice(CONFIG_NAMESPACE.length + 1);
        try {
            raw[key] = JSON.parse(v);
        } catch {
            raw[key] = v;
        }
    }
    return raw;
}

/** The stack's mesh model and secrets. Throws a {@link MeshConfigError} naming every bad key before anything is registered. */
export function loadStack(all?: Record<string, string>): { model: MeshModel; secrets: MeshSecrets } {
    const raw = rawNamespaceConfig(all);
    const known = new Set(Object.keys(meshConfigSchema.shape));
    const referencedSecrets = secretKeysReferenced(raw);
    const unknown = Object.keys(raw).filter((k) => !known.has(k) && !referencedSecrets.has(k));
    const body = Object.fromEntries(Object.entries(raw).filter(([k]) => known.has(k)));

    let model: MeshModel;
    try {
        model = parseMeshConfig(body, { kubeconfigServer: (c) => kubeconfigServer({ kubeconfig: c.kubeconfig, context: c.context }) });
    } catch (e) {
        if (e instanceof MeshConfigError) throw withUnknownKeys(e.issues, unknown);
        throw e;
    }
    if (unknown.length) throw withUnknownKeys([], unknown);

    const cfg = new pulumi.Config(CONFIG_NAMESPACE);
    const secrets: MeshSecrets = { remoteKubeconfigs: {} };
    if (model.ca.existingRoot) {
        secrets.existingRoot = {
            certPem: cfg.requireSecret(model.ca.existingRoot.certConfigKey),
            keyPem: cfg.requireSecret(model.ca.existingRoot.keyConfigKey),
        };
    }
    for (const c of model.clusters) {
        if (c.remoteCredential.kind === "kubeconfig") {
            secrets.remoteKubeconfigs![c.name] = cfg.requireSecret(c.remoteCredential.secretConfigKey);
        }
    }
    return { model, secrets };
}

function secretKeysReferenced(raw: Record<string, any>): Set<string> {
    const keys = new Set<string>();
    const ca = raw.ca ?? {};
    for (const k of [ca.existingRootCertSecret, ca.existingRootKeySecret]) if (typeof k === "string") keys.add(k);
    for (const c of Array.isArray(raw.clusters) ? raw.clusters : []) {
        if (typeof c?.remoteKubeconfigSecret === "string") keys.add(c.remoteKubeconfigSecret);
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
