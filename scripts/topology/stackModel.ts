/**
 * The mesh model of a stack file (`Pulumi.<stack>.yaml`), read offline: the same namespace handling and
 * validation as `program/stackConfig.ts`, but without a Pulumi engine, kubeconfig files or decrypted secrets,
 * so that a picture drawn from it depends on the stack file alone.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import type { KubeconfigLookup, MeshModel, ParseEnvironment } from "../../components/model";
import { CONFIG_NAMESPACE, namespaceModel, rawNamespaceConfig } from "../../program/stackConfig";
import { meshConfigSchema } from "../../components/model/config/configSchema";

/** The project directory (where the stack files live). */
export const PROJECT_DIR = path.join(__dirname, "..", "..");

/**
 * The config map `pulumi` hands a program for a stack file's `config:` section: top-level scalars as the text
 * written in the file (so `tag: 1.10` stays "1.10"), lists and maps as JSON. Encrypted values (`{ secure: ... }`)
 * are left out and their keys returned in `encrypted`.
 */
export function stackFileConfigMap(text: string): { all: Record<string, string>; encrypted: string[] } {
    const doc = YAML.parseDocument(text);
    if (doc.errors.length) throw new Error(`not valid YAML: ${doc.errors[0]!.message}`);
    const config = doc.get("config", true);
    const all: Record<string, string> = {};
    const encrypted: string[] = [];
    if (config === undefined || config === null) return { all, encrypted };
    if (!YAML.isMap(config)) throw new Error("its config: section is not a mapping of keys to values");
    for (const pair of config.items) {
        const key = YAML.isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const value = pair.value;
        if (YAML.isScalar(value)) {
            all[key] = value.source ?? String(value.value);
        } else if (YAML.isMap(value) && value.has("secure")) {
            encrypted.push(key);
        } else if (value !== null && value !== undefined) {
            all[key] = JSON.stringify((value as YAML.Node).toJSON());
        }
    }
    return { all, encrypted };
}

/**
 * What the model needs from outside the config, answered without looking outside: each cluster's kubeconfig
 * context is taken to exist and to name an API server (its real address is only known where `pulumi up` runs,
 * and {@link MeshModel} marks it `apiServerUrlSource: "kubeconfig"`; the placeholder address is never drawn).
 * Secret values are not read, so the checks that need them are skipped.
 */
export function offlineEnvironment(): ParseEnvironment {
    const lookup = (c: { name: string; context?: string; kubeconfig?: string }): KubeconfigLookup => ({
        status: "found",
        source: c.kubeconfig
            ? { kind: "file", path: c.kubeconfig, explicit: true }
            : { kind: "file", path: "$KUBECONFIG", explicit: false },
        context: c.context ?? "current-context",
        server: `https://${c.name}.kubeconfig.invalid:6443`,
        credentials: [],
    });
    return { namespace: CONFIG_NAMESPACE, kubeconfigServer: lookup };
}

/** The validated model of `Pulumi.<stack>.yaml` in `dir`; errors name the file and the config keys to fix. */
export function stackFileModel(stack: string, dir = PROJECT_DIR): MeshModel {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        const stacks = fs
            .readdirSync(dir)
            .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
            .filter((s): s is string => !!s)
            .sort();
        throw new Error(`no stack file ${file}: pass --stack with one of ${stacks.join(", ") || "(none found)"}`);
    }
    let parsed: ReturnType<typeof stackFileConfigMap>;
    try {
        parsed = stackFileConfigMap(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new Error(`${file}: ${(e as Error).message}`, { cause: e });
    }
    const known = new Set(Object.keys(meshConfigSchema.shape).map((k) => `${CONFIG_NAMESPACE}:${k}`));
    const unreadable = parsed.encrypted.filter((k) => known.has(k));
    if (unreadable.length) {
        throw new Error(
            `${file}: ${unreadable.join(", ")} ${unreadable.length > 1 ? "are" : "is"} encrypted, and the picture is drawn from the ` +
                `stack file without decrypting it: keep the mesh layout (clusters, networks, nodes, scenarios) in plain config and only credentials secret`,
        );
    }
    return namespaceModel(rawNamespaceConfig(parsed.all), offlineEnvironment());
}
