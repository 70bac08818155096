/**
 * The stack `npm run bench:scale` runs at N clusters: Pulumi.local.yaml without its traffic scenarios, with seed 000's
 * three clusters first and then cluster4.. on the local control planes c4.. (as e2e step 5d adds cluster4).
 */
import * as YAML from "yaml";
import { localStackFileText } from "../test/e2e/harness";
import { ProcedureCluster } from "./serialProcedure";

/** The local stack's config (Pulumi.local.yaml, no scenarios) with clusters 1..n: seed 000's three, then cK like e2e step 5d. */
export function stackConfig(n: number, sets: ConfigSet[] = []): { config: Record<string, unknown>; clusters: ProcedureCluster[] } {
    const doc = YAML.parse(localStackFileText()) as { config: Record<string, unknown> };
    const seed = doc.config["istio-multicluster:clusters"] as (Omit<ProcedureCluster, "context"> & {
        context: string;
        kubeconfig: string;
    })[];
    const list = seed.slice(0, n);
    for (let k = seed.length + 1; k <= n; k++) {
        list.push({
            name: `cluster${k}`,
            context: `c${k}-admin`,
            kubeconfig: seed[0].kubeconfig,
            network: `network${k}`,
            apiServerUrl: `https://127.0.${k}.1:6443`,
            nodes: ["zone1", "zone2", "zone3"].map((zone, i) => ({ name: `c${k}n${i + 1}`, region: `region${k + 1}`, zone })),
        });
    }
    doc.config["istio-multicluster:clusters"] = list;
    doc.config["istio-multicluster:scenarios"] = [];
    for (const { path, value } of sets) setPath(doc.config, path, value);
    return { config: doc.config, clusters: list };
}

/** One `--set KEY=VALUE` of bench:scale: a config path below the project namespace, and its YAML-parsed value. */
export interface ConfigSet {
    /** The key's path, e.g. ["istio", "baseInstall"]. */
    path: string[];
    /** The value as YAML reads it (`true` a boolean, `7` a number, `release` a string). */
    value: unknown;
}

/** Parses `KEY=VALUE` (KEY dotted, as `pulumi config set --path` takes it), naming what is wrong. */
export function parseConfigSet(arg: string): ConfigSet {
    const eq = arg.indexOf("=");
    const key = eq > 0 ? arg.slice(0, eq) : "";
    if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/.test(key)) {
        throw new Error(`--set ${arg}: expected KEY=VALUE with a dotted config key, e.g. istio.baseInstall=release`);
    }
    return { path: key.split("."), value: YAML.parse(arg.slice(eq + 1)) as unknown };
}

/** Sets `path` (namespaced at its first key) in a stack file's config map, creating the maps on the way. */
function setPath(config: Record<string, unknown>, [first, ...rest]: string[], value: unknown): void {
    const top = `istio-multicluster:${first}`;
    if (!rest.length) {
        config[top] = value;
        return;
    }
    let at = (config[top] ??= {}) as Record<string, unknown>;
    for (const k of rest.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
    at[rest[rest.length - 1]] = value;
}
