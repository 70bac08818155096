/**
 * Stack configs for tests: N clusters with seed-like topology and test-net API servers.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

/** A valid config with `n` clusters (cluster1..n on network1..n, two nodes each). */
export function clustersConfig(n: number): Record<string, unknown> {
    return {
        meshID: "mesh1",
        clusters: Array.from({ length: n }, (_, i) => ({
            name: `cluster${i + 1}`,
            context: `c${i + 1}-admin`,
            network: `network${i + 1}`,
            apiServerUrl: `https://192.0.2.${i + 1}:6443`,
            nodes: [
                { name: `c${i + 1}n1`, region: `region${i + 1}`, zone: "zone1" },
                { name: `c${i + 1}n2`, region: `region${i + 1}`, zone: "zone2" },
            ],
        })),
    };
}

/** The config of a stack file (Pulumi.<stack>.yaml), keys stripped of the project namespace. */
export function stackFileConfig(stack: string): Record<string, unknown> {
    const file = path.join(__dirname, "..", "..", `Pulumi.${stack}.yaml`);
    return withoutNamespace((YAML.parse(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> }).config);
}

/** A stack file's `config:` map with its keys stripped of the project namespace (`istio-multicluster:`). */
export function withoutNamespace(config: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(config).map(([k, v]) => [k.replace(/^istio-multicluster:/, ""), v]));
}

/** Path of the test kubeconfig whose c1-admin..c3-admin contexts point at test-net addresses. */
export const TEST_KUBECONFIG = path.join(__dirname, "..", "fixtures", "kubeconfig.yaml");

/**
 * A Rancher-token kubeconfig for a downstream cluster, shaped like the one seed 003 has users download
 * (server `https://<rancher>/k8s/clusters/<cluster id>`, a `token-…` bearer token); test values only.
 */
export function rancherKubeconfig(cluster: string, clusterId: string): string {
    return [
        "apiVersion: v1",
        "kind: Config",
        `clusters: [{name: ${cluster}, cluster: {server: "https://rancher.example.test/k8s/clusters/${clusterId}"}}]`,
        `contexts: [{name: ${cluster}, context: {cluster: ${cluster}, user: ${cluster}}}]`,
        `current-context: ${cluster}`,
        `users: [{name: ${cluster}, user: {token: "token-test:not-a-real-token"}}]`,
    ].join("\n");
}

/** The rancher stack's config (Pulumi.rancher.yaml) with its two secret kubeconfigs supplied, plus `extra`. */
export function rancherStackConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        ...stackFileConfig("rancher"),
        ...extra,
        "mcsps-test-k8s-01-kubeconfig": rancherKubeconfig("mcsps-test-k8s-01", "c-f7r9g"),
        "mcsps-test-k8s-02-kubeconfig": rancherKubeconfig("mcsps-test-k8s-02", "c-pzk8b"),
    };
}

/** The secret config keys of {@link rancherStackConfig} (set with `pulumi config set --secret`). */
export const RANCHER_SECRET_KEYS = ["mcsps-test-k8s-01-kubeconfig", "mcsps-test-k8s-02-kubeconfig"];
