/**
 * The program as `pulumi up -s dev` runs it, under mocks: seed 000's three clusters from Pulumi.dev.yaml,
 * API servers discovered from kubeconfig contexts; and invalid stack config registering nothing.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { clustersConfig, stackFileConfig, TEST_KUBECONFIG } from "../helpers/configs";
import { RecordingMocks, runProgram } from "../helpers/mocks";

const mocks = new RecordingMocks();

/** The program under the shared helper, as stack `dev`. */
const runDev = (config: Record<string, unknown>) => runProgram(mocks, config, "dev");

describe("dev stack (seed 000) under mocks", () => {
    const savedKubeconfig = process.env.KUBECONFIG;
    before(() => (process.env.KUBECONFIG = TEST_KUBECONFIG));
    after(() => (savedKubeconfig === undefined ? delete process.env.KUBECONFIG : (process.env.KUBECONFIG = savedKubeconfig)));

    it("produces three clusters' worth of mesh and exactly six istioctl-shaped remote secrets", async () => {
        const { outputs } = await runDev(stackFileConfig("dev"));
        const secrets = mocks.ofType("kubernetes:core/v1:Secret");
        assert.equal(secrets.filter((s) => s.inputs.metadata.name === "cacerts").length, 3);
        const remote = secrets.filter((s) => s.inputs.metadata.labels?.["istio/multiCluster"] === "true");
        assert.equal(remote.length, 6);
        assert.deepEqual(remote.map((s) => `${mocks.providerName(s)}:${s.inputs.metadata.name}`).sort(), [
            "mesh-cluster1-k8s:istio-remote-secret-cluster2",
            "mesh-cluster1-k8s:istio-remote-secret-cluster3",
            "mesh-cluster2-k8s:istio-remote-secret-cluster1",
            "mesh-cluster2-k8s:istio-remote-secret-cluster3",
            "mesh-cluster3-k8s:istio-remote-secret-cluster1",
            "mesh-cluster3-k8s:istio-remote-secret-cluster2",
        ]);
        const ns = mocks.ofType("kubernetes:core/v1:Namespace").filter((n) => n.inputs.metadata.name === "istio-system");
        assert.deepEqual(ns.map((n) => n.inputs.metadata.labels["topology.istio.io/network"]).sort(), ["network1", "network2", "network3"]);
        const charts = mocks.ofType("kubernetes:helm.sh/v4:Chart").map((c) => c.inputs.chart);
        assert.deepEqual(charts.sort(), ["base", "base", "base", "gateway", "gateway", "gateway", "istiod", "istiod", "istiod"]);
        assert.equal(mocks.ofType("kubernetes:networking.istio.io/v1:Gateway").length, 3);
        // The providers use the seed's contexts.
        const providers = mocks.ofType("pulumi:providers:kubernetes");
        assert.deepEqual(providers.map((p) => p.inputs.context).sort(), ["c1-admin", "c2-admin", "c3-admin"]);
        // Secrets are updated in place: a replaced remote secret is briefly absent, and istiod drops that cluster.
        // (Provider inputs reach the engine JSON-encoded as strings.)
        for (const p of providers) assert.equal(String(p.inputs.enableSecretMutable), "true", `${p.name} enableSecretMutable`);
        // API servers come from the kubeconfig contexts.
        const kc = remote.find((s) => s.inputs.metadata.name === "istio-remote-secret-cluster2")!;
        assert.match(Buffer.from(kc.inputs.data.cluster2, "base64").toString(), /server: https:\/\/192\.0\.2\.12:6443/);
        // Seed 000's scenarios: one helloworld2 and one sleep client per zone (11 zones), and CC2/CC3/DNSP objects.
        const deployments = mocks.ofType("kubernetes:apps/v1:Deployment").map((d) => d.inputs.metadata.name);
        assert.equal(deployments.filter((n: string) => n.startsWith("helloworld2-")).length, 11);
        assert.equal(deployments.filter((n: string) => n.startsWith("sleepz")).length, 11);
        assert.deepEqual(
            mocks
                .ofType("kubernetes:networking.istio.io/v1:DestinationRule")
                .map((d) => `${mocks.providerName(d)}:${d.inputs.metadata.name}`)
                .sort(),
            ["mesh-cluster1-k8s:helloworld2-loc1", "mesh-cluster2-k8s:helloworld2-loc2"],
        );
        assert.deepEqual(
            mocks
                .ofType("kubernetes:networking.istio.io/v1:ServiceEntry")
                .map((d) => d.inputs.metadata.name)
                .sort(),
            ["istio-io", "mysql-db-1", "mysql-db-2"],
        );
        assert.deepEqual(outputs.remoteSecrets.cluster1, ["istio-remote-secret-cluster2", "istio-remote-secret-cluster3"]);
    });

    it("labels seed 000's eleven nodes, following the kubectl commands (c1n3 and c3n3 in zone3)", async () => {
        await runDev(stackFileConfig("dev"));
        const labels = Object.fromEntries(
            mocks
                .ofType("kubernetes:core/v1:NodePatch")
                .map((p) => [
                    p.inputs.metadata.name,
                    `${p.inputs.metadata.labels["topology.kubernetes.io/region"]}/${p.inputs.metadata.labels["topology.kubernetes.io/zone"]}`,
                ]),
        );
        assert.deepEqual(labels, {
            c1n1: "region1/zone1",
            c1n2: "region1/zone2",
            c1n3: "region1/zone3",
            c2n1: "region2/zone1",
            c2n2: "region2/zone2",
            c2n3: "region2/zone3",
            c2n4: "region4/zone4",
            c2n5: "region4/zone5",
            c3n1: "region3/zone1",
            c3n2: "region3/zone2",
            c3n3: "region3/zone3",
        });
    });
});

describe("invalid stack config", () => {
    const cases: { name: string; config: Record<string, unknown>; says: RegExp }[] = [
        {
            name: "duplicate cluster",
            config: (() => {
                const c: any = clustersConfig(2);
                c.clusters[1].name = "cluster1";
                return c;
            })(),
            says: /clusters\[1\]\.name: duplicate cluster name/,
        },
        {
            name: "misspelled top-level key",
            config: { ...clustersConfig(2), clsuters: [] },
            says: /istio-multicluster:clsuters: unknown config key/,
        },
        {
            name: "loopback API server",
            config: (() => {
                const c: any = clustersConfig(2);
                c.clusters[0].apiServerUrl = "https://127.0.0.1:6443";
                return c;
            })(),
            says: /clusters\[0\]\.apiServerUrl: https:\/\/127\.0\.0\.1:6443 .*loopback/,
        },
    ];
    for (const c of cases) {
        it(`fails before registering anything: ${c.name}`, async () => {
            await assert.rejects(runDev(c.config), (e: unknown) => {
                assert.ok(pulumi.RunError.isInstance(e as Error), "a RunError, printed without a stack trace");
                assert.match((e as Error).message, c.says);
                return true;
            });
            assert.equal(mocks.resources.length, 0);
        });
    }
});
