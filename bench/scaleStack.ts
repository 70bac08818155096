/**
 * The stack `npm run bench:scale` runs at N clusters: Pulumi.local.yaml without its traffic scenarios, with seed 000's
 * three clusters first and then cluster4.. on the local control planes c4.. (as e2e step 5d adds cluster4).
 */
import * as YAML from "yaml";
import { localStackFileText } from "../test/e2e/harness";
import { ProcedureCluster } from "./serialProcedure";

/** The local stack's config (Pulumi.local.yaml, no scenarios) with clusters 1..n: seed 000's three, then cK like e2e step 5d. */
export function stackConfig(n: number): { config: Record<string, unknown>; clusters: ProcedureCluster[] } {
    const doc = YAML.parse(localStackFileText()) as { config: Record<string, unknown> };
    const seed = doc.config["istio-multicluster:clusters"] as (Omit<ProcedureCluster, "context"> & { context: string; kubeconfig: string })[];
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
    return { config: doc.config, clusters: list };
}

