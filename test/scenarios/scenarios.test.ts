/**
 * The seed scenarios under mocks: each id yields exactly the seeds' resources on the right clusters (specs compared
 * with the seeds' YAML, every Istio resource schema-validated), conflicts and bad settings are rejected with nothing
 * registered, deselecting an id removes its resources, and seed 003's rancher stack renders.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { DestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule";
import { Gateway } from "@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway";
import { ServiceEntry } from "@kubernetes-models/istio/networking.istio.io/v1beta1/ServiceEntry";
import { VirtualService } from "@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService";
import { rancherStackConfig, stackFileConfig, TEST_KUBECONFIG } from "../helpers/configs";
import { Recorded, RecordingMocks, runProgram } from "../helpers/mocks";
import { CC2, CC3, CC4, DNSP1, DNSP2, NETPOL, RANCHER, SHIFTING, TLS } from "./seedYaml";

const mocks = new RecordingMocks();

const run = (config: Record<string, unknown>) => runProgram(mocks, config);

/** Seed 000's dev stack with the given scenarios. */
const dev = (scenarios: unknown, scenarioSettings?: unknown) => ({
    ...stackFileConfig("dev"),
    scenarios,
    ...(scenarioSettings !== undefined ? { scenarioSettings } : {}),
});

const ISTIO = "kubernetes:networking.istio.io/v1:";
const istio = () => mocks.resources.filter((r) => r.type.startsWith(ISTIO));
const scenarioIstio = () => istio().filter((r) => r.inputs.metadata.name !== "cross-network-gateway");
const find = (kind: string, name: string, namespace?: string): Recorded[] =>
    mocks.resources.filter(
        (r) =>
            r.inputs?.kind === kind &&
            r.inputs.metadata?.name === name &&
            (namespace === undefined || r.inputs.metadata.namespace === namespace),
    );
const one = (kind: string, name: string, namespace?: string): Recorded => {
    const rs = find(kind, name, namespace);
    assert.equal(rs.length, 1, `exactly one ${kind} ${name}, got ${rs.length}`);
    return rs[0];
};
const onCluster = (r: Recorded) => mocks.providerName(r)?.replace(/^mesh-(.*)-k8s$/, "$1");

/** Every Istio resource the program wrote passes @kubernetes-models/istio's schema (v1beta1 = v1 schema). */
function validateIstioResources(): number {
    const classes: Record<string, new (o: any) => { validate(): void }> = { DestinationRule, Gateway, ServiceEntry, VirtualService };
    let n = 0;
    for (const r of istio()) {
        assert.equal(r.inputs.apiVersion, "networking.istio.io/v1");
        const cls = classes[r.inputs.kind];
        assert.ok(cls, `no schema for ${r.inputs.kind}`);
        new cls({ ...r.inputs, apiVersion: "networking.istio.io/v1beta1" }).validate();
        n++;
    }
    return n;
}

/** The seed's object without apiVersion/kind (the program writes networking.istio.io/v1). */
const specOf = (doc: any) => doc.spec;

describe("scenarios under mocks (dev stack, seed 000)", function () {
    const saved = process.env.KUBECONFIG;
    before(() => (process.env.KUBECONFIG = TEST_KUBECONFIG));
    after(() => (saved === undefined ? delete process.env.KUBECONFIG : (process.env.KUBECONFIG = saved)));

    it("no scenarios: nothing beyond the mesh", async () => {
        const out = await run(dev([]));
        assert.equal(out.scenarios, undefined);
        assert.equal(scenarioIstio().length, 0);
        assert.equal(mocks.ofType("kubernetes:apps/v1:Deployment").length, 0);
    });

    it("samples: sample namespace, helloworld2 per zone pinned to its zone, a sleep client per zone, on every cluster", async () => {
        const out = await run(dev(["samples"]));
        assert.deepEqual(out.outputs.scenarios, ["samples"]);
        const ns = mocks.ofType("kubernetes:core/v1:Namespace").filter((n) => n.inputs.metadata.name === "sample");
        assert.deepEqual(ns.map(onCluster).sort(), ["cluster1", "cluster2", "cluster3"]);
        for (const n of ns) assert.deepEqual(n.inputs.metadata.labels, { "istio-injection": "enabled" });
        const svcs = find("Service", "helloworld2", "sample");
        assert.deepEqual(svcs.map(onCluster).sort(), ["cluster1", "cluster2", "cluster3"]);
        assert.deepEqual(svcs[0].inputs.spec, { ports: [{ port: 5000, name: "http" }], selector: { app: "helloworld2" } });
        const deps = mocks.ofType("kubernetes:apps/v1:Deployment");
        const hw = deps.filter((d) => d.inputs.metadata.labels.app === "helloworld2");
        assert.deepEqual(hw.map((d) => `${onCluster(d)}:${d.inputs.metadata.name}`).sort(), [
            "cluster1:helloworld2-c1z1",
            "cluster1:helloworld2-c1z2",
            "cluster1:helloworld2-c1z3",
            "cluster2:helloworld2-c2z1",
            "cluster2:helloworld2-c2z2",
            "cluster2:helloworld2-c2z3",
            "cluster2:helloworld2-c2z4",
            "cluster2:helloworld2-c2z5",
            "cluster3:helloworld2-c3z1",
            "cluster3:helloworld2-c3z2",
            "cluster3:helloworld2-c3z3",
        ]);
        const c2z4 = one("Deployment", "helloworld2-c2z4").inputs;
        assert.equal(c2z4.metadata.namespace, "sample");
        assert.deepEqual(c2z4.spec.template.metadata.labels, { app: "helloworld2", version: "c2z4" });
        assert.deepEqual(c2z4.spec.template.spec.nodeSelector, {
            "topology.kubernetes.io/region": "region4",
            "topology.kubernetes.io/zone": "zone4",
        });
        assert.deepEqual(c2z4.spec.template.spec.containers[0].env, [{ name: "SERVICE_VERSION", value: "c2z4" }]);
        const sleeps = deps.filter((d) => d.inputs.metadata.labels.app === "sleep");
        assert.deepEqual(sleeps.map((d) => `${onCluster(d)}:${d.inputs.metadata.name}`).sort(), [
            "cluster1:sleepz1",
            "cluster1:sleepz2",
            "cluster1:sleepz3",
            "cluster2:sleepz1",
            "cluster2:sleepz2",
            "cluster2:sleepz3",
            "cluster2:sleepz4",
            "cluster2:sleepz5",
            "cluster3:sleepz1",
            "cluster3:sleepz2",
            "cluster3:sleepz3",
        ]);
        const sleep = sleeps.find((d) => d.inputs.metadata.name === "sleepz2" && onCluster(d) === "cluster1")!.inputs;
        assert.equal(sleep.spec.template.spec.containers[0].name, "sleep");
        assert.deepEqual(sleep.spec.template.spec.containers[0].command, ["/bin/sleep", "infinity"]);
        // Workloads wait for istiod (injection), the namespace and the zone labels they are pinned to.
        const edges = (await out.edges.get("scenarios-samples-cluster1-helloworld2-c1z2"))!.sort();
        assert.deepEqual(edges, [
            "mesh-cluster1-istiod",
            "mesh-cluster1-node-c1n1",
            "mesh-cluster1-node-c1n2",
            "mesh-cluster1-node-c1n3",
            "scenarios-cluster1-sample",
        ]);
        assert.deepEqual(await out.edges.get("scenarios-cluster1-sample-ns"), ["mesh-cluster1-istiod"]);
        assert.equal(scenarioIstio().length, 0);
    });

    const ruleCases: { id: string; seed: any[]; cluster: string }[] = [
        { id: "cc2", seed: CC2, cluster: "cluster1" },
        { id: "cc3", seed: CC3, cluster: "cluster2" },
        { id: "cc4", seed: CC4, cluster: "cluster2" },
    ];
    for (const c of ruleCases) {
        it(`${c.id}: exactly the seed's VirtualService and DestinationRule, on ${c.cluster}`, async () => {
            const out = await run(dev(["samples", c.id]));
            const got = scenarioIstio();
            assert.equal(got.length, 2);
            for (const doc of c.seed) {
                const r = one(doc.kind, doc.metadata.name, "sample");
                assert.equal(onCluster(r), c.cluster);
                assert.deepEqual(r.inputs.spec, specOf(doc));
                assert.deepEqual((await out.edges.get(r.name))!.sort(), [
                    `mesh-${c.cluster}-base`,
                    `mesh-${c.cluster}-istiod`,
                    `scenarios-${c.cluster}-sample`,
                ]);
            }
            assert.equal(validateIstioResources(), got.length + 3);
        });
    }

    it("cc2-cc4 keep the type tokens and names of the components LocalityPolicy replaced (stable URNs)", async () => {
        const urnParts = async (ids: string[]) => {
            await run(dev(["samples", ...ids]));
            return mocks.resources
                .filter((r) => /^scenarios-cc\d/.test(r.name))
                .map((r) => `${r.type}::${r.name}`)
                .sort();
        };
        const cc = (id: string, type: string) => [
            `${ISTIO}DestinationRule::scenarios-${id}-dr`,
            `${ISTIO}VirtualService::scenarios-${id}-vs`,
            `istio-multicluster:index:${type}::scenarios-${id}`,
        ];
        assert.deepEqual(await urnParts(["cc2", "cc3"]), [...cc("cc2", "LocalityFailover"), ...cc("cc3", "WeightedDistribution")].sort());
        assert.deepEqual(await urnParts(["cc4"]), cc("cc4", "RegionFailover").sort());
    });

    it("cc1: nothing beyond the mesh and the samples", async () => {
        await run(dev(["samples"]));
        const before = mocks.resources.length;
        await run(dev(["samples", "cc1"]));
        assert.equal(mocks.resources.length, before);
    });

    it("dnsp1 + dnsp2: the seed's three ServiceEntries in cluster1/sample", async () => {
        await run(dev(["samples", "dnsp1", "dnsp2"]));
        const got = scenarioIstio();
        assert.equal(got.length, 3);
        for (const doc of [...DNSP1, ...DNSP2]) {
            const r = one("ServiceEntry", doc.metadata.name, "sample");
            assert.equal(onCluster(r), "cluster1");
            assert.deepEqual(r.inputs.spec, specOf(doc));
        }
        validateIstioResources();
    });

    it("dnsp1 alone creates the sample namespace it needs, only on its cluster", async () => {
        await run(dev(["dnsp1"]));
        const ns = mocks.ofType("kubernetes:core/v1:Namespace").filter((n) => n.inputs.metadata.name === "sample");
        assert.deepEqual(ns.map(onCluster), ["cluster1"]);
    });

    it("helloworld + shifting on the dev stack: v1 on cluster1, v2 on cluster2, shifting and ingress gateway on both", async () => {
        await run(dev(["helloworld", "shifting"]));
        assert.deepEqual(find("Deployment", "helloworld-v1").map(onCluster), ["cluster1"]);
        assert.deepEqual(find("Deployment", "helloworld-v2").map(onCluster), ["cluster2"]);
        assert.deepEqual(find("Service", "helloworld", "sample").map(onCluster).sort(), ["cluster1", "cluster2"]);
        for (const doc of SHIFTING) {
            const rs = find(doc.kind, doc.metadata.name, "sample");
            assert.deepEqual(rs.map(onCluster).sort(), ["cluster1", "cluster2"]);
            for (const r of rs) assert.deepEqual(r.inputs.spec, specOf(doc));
        }
        const ingress = mocks.ofType("kubernetes:helm.sh/v4:Chart").filter((c) => c.inputs.name === "istio-ingressgateway");
        assert.deepEqual(ingress.map(onCluster).sort(), ["cluster1", "cluster2"]);
        assert.equal(ingress[0].inputs.chart, "gateway");
        assert.equal(ingress[0].inputs.namespace, "istio-system");
        assert.deepEqual(ingress[0].inputs.values.labels, { istio: "ingressgateway", app: "istio-ingressgateway" });
        validateIstioResources();
    });

    it("removing an id from the list removes exactly its resources", async () => {
        await run(dev(["samples", "cc2", "dnsp1"]));
        const all = new Set(mocks.resources.map((r) => `${r.type}::${r.name}`));
        assert.ok(find("DestinationRule", "helloworld2-loc1").length === 1);
        await run(dev(["samples", "dnsp1"]));
        const after = new Set(mocks.resources.map((r) => `${r.type}::${r.name}`));
        const gone = [...all].filter((k) => !after.has(k)).sort();
        assert.deepEqual(gone, [
            "istio-multicluster:index:LocalityFailover::scenarios-cc2",
            `${ISTIO}DestinationRule::scenarios-cc2-dr`,
            `${ISTIO}VirtualService::scenarios-cc2-vs`,
        ]);
        assert.deepEqual(
            [...after].filter((k) => !all.has(k)),
            [],
        );
        await run(dev([]));
        assert.equal(mocks.resources.filter((r) => r.name.startsWith("scenarios")).length, 0);
    });

    it("settings override the seed defaults (cc3 on cluster3 with other weights, shifting 50/50)", async () => {
        await run(
            dev(["samples", "cc3", "helloworld", "shifting"], {
                cc3: { cluster: "cluster3", distribute: [{ from: "region3/zone1/*", to: { "region3/zone2/*": 70, "region1/*": 30 } }] },
                shifting: { weights: { v1: 50, v2: 50 } },
            }),
        );
        const dr = one("DestinationRule", "helloworld2-loc2");
        assert.equal(onCluster(dr), "cluster3");
        assert.deepEqual(dr.inputs.spec.trafficPolicy.loadBalancer.localityLbSetting.distribute, [
            { from: "region3/zone1/*", to: { "region3/zone2/*": 70, "region1/*": 30 } },
        ]);
        assert.deepEqual(dr.inputs.spec.trafficPolicy.outlierDetection, CC3[1].spec.trafficPolicy.outlierDetection);
        const vs = find("VirtualService", "helloworld")[0];
        assert.deepEqual(
            vs.inputs.spec.http[0].route.map((r: any) => r.weight),
            [50, 50],
        );
        validateIstioResources();
    });

    const bad: { name: string; scenarios: unknown; settings?: unknown; says: RegExp }[] = [
        {
            name: "cc3 and cc4 together",
            scenarios: ["samples", "cc3", "cc4"],
            says: /scenarios: cc3 and cc4 conflict: both write the DestinationRule for host helloworld2\.sample\.svc\.cluster\.local \(helloworld2-loc2, helloworld2-loc-failover\) on cluster cluster2/,
        },
        {
            name: "cc2 moved onto cc3's cluster (same VirtualService)",
            scenarios: ["samples", "cc2", "cc3"],
            settings: { cc2: { cluster: "cluster2" } },
            says: /cc2 and cc3 conflict: both write the DestinationRule for host helloworld2\.sample\.svc\.cluster\.local .* on cluster cluster2/,
        },
        {
            name: "unknown scenario id",
            scenarios: ["samples", "cc5"],
            says: /scenarios\[1\]: unknown scenario "cc5": use one of samples, cc1/,
        },
        { name: "scenario listed twice", scenarios: ["samples", "samples"], says: /scenarios\[1\]: samples is listed twice/ },
        { name: "scenarios not a list", scenarios: "samples", says: /scenarios: must be a list of scenario ids/ },
        { name: "cc2 without samples", scenarios: ["cc2"], says: /scenarios: cc2 needs samples .*: add samples to scenarios/ },
        { name: "shifting without helloworld", scenarios: ["shifting"], says: /shifting needs helloworld/ },
        { name: "tls-frontend without shifting", scenarios: ["helloworld", "tls-frontend"], says: /tls-frontend needs shifting/ },
        {
            name: "unknown cluster",
            scenarios: ["samples", "cc2"],
            settings: { cc2: { cluster: "cluster9" } },
            says: /scenarioSettings\.cc2\.cluster: unknown cluster "cluster9": use one of cluster1, cluster2, cluster3/,
        },
        {
            name: "unknown cluster in a list",
            scenarios: ["networkpolicy"],
            settings: { networkpolicy: { clusters: ["cluster1", "nope"] } },
            says: /scenarioSettings\.networkpolicy\.clusters\[1\]: unknown cluster "nope"/,
        },
        {
            name: "distribute weights != 100",
            scenarios: ["samples", "cc3"],
            settings: { cc3: { distribute: [{ from: "region2/zone1/*", to: { "region1/*": 50, "region3/*": 40 } }] } },
            says: /scenarioSettings\.cc3: Istio would reject this DestinationRule: .*total locality weight 90 != 100/,
        },
        {
            name: "failover from = to",
            scenarios: ["samples", "cc4"],
            settings: { cc4: { failover: [{ from: "region4", to: "region4" }] } },
            says: /scenarioSettings\.cc4: Istio would reject this DestinationRule: .*failover/,
        },
        {
            name: "failover to a zone",
            scenarios: ["samples", "cc4"],
            settings: { cc4: { failover: [{ from: "region4", to: "region3/zone1" }] } },
            says: /scenarioSettings\.cc4: Istio would reject this DestinationRule/,
        },
        {
            name: "shifting weights != 100",
            scenarios: ["helloworld", "shifting"],
            settings: { shifting: { weights: { v1: 10, v2: 80 } } },
            says: /scenarioSettings\.shifting\.weights: v1 10 \+ v2 80 = 90: route weights must add up to 100/,
        },
        {
            name: "tls-frontend weights != 100",
            scenarios: ["helloworld", "shifting", "tls-frontend"],
            settings: { "tls-frontend": { weights: { v1: 95, v2: 10 } } },
            says: /scenarioSettings\["tls-frontend"\]\.weights: .*must add up to 100/,
        },
        {
            name: "tls-frontend without the stack's own host, e-mail and dns01 solver",
            scenarios: ["helloworld", "shifting", "tls-frontend"],
            says: /scenarioSettings\["tls-frontend"\]\.host: tls-frontend needs the public host name .*set it in the stack file[\s\S]*\.email: [\s\S]*\.webhook: /,
        },
        {
            name: "dnsp2 without the stack's own databases",
            scenarios: ["samples", "dnsp2"],
            settings: {},
            says: /scenarioSettings\.dnsp2\.databases: dnsp2 needs the external TCP services .*set them in the stack file/,
        },
        {
            name: "misspelled setting",
            scenarios: ["samples", "cc2"],
            settings: { cc2: { clsuter: "cluster1" } },
            says: /scenarioSettings\.cc2: unknown field\(s\) "clsuter"/,
        },
        {
            name: "settings for an unknown scenario",
            scenarios: ["samples"],
            settings: { cc9: {} },
            says: /scenarioSettings: unknown field\(s\) "cc9"/,
        },
        {
            name: "bad outlier interval",
            scenarios: ["samples", "cc2"],
            settings: { cc2: { outlierDetection: { interval: "soon" } } },
            says: /scenarioSettings\.cc2\.outlierDetection\.interval: must be a duration/,
        },
        {
            name: "helloworld version v3",
            scenarios: ["helloworld"],
            settings: { helloworld: { versions: { cluster1: ["v3"] } } },
            says: /scenarioSettings\.helloworld\.versions\.cluster1\[0\]: must be v1 or v2/,
        },
        {
            name: "rancher without cluster ids",
            scenarios: ["rancher"],
            says: /scenarioSettings\.rancher\.clusterIds: rancher needs the Rancher cluster id/,
        },
    ];
    for (const c of bad) {
        it(`rejects, registering nothing: ${c.name}`, async () => {
            await assert.rejects(run(dev(c.scenarios, c.settings)), (e: unknown) => {
                assert.ok(pulumi.RunError.isInstance(e as Error), "a RunError, printed without a stack trace");
                assert.match((e as Error).message, c.says);
                return true;
            });
            assert.equal(mocks.resources.length, 0);
        });
    }
});

describe("rancher stack (seed 003) under mocks", () => {
    const config = (extra: Record<string, unknown> = {}): any => rancherStackConfig(extra);

    it("renders seed 003: Rancher namespace metadata, LimitRange, helloworld v1/v2, shifting, TLS frontend, NetworkPolicies", async () => {
        const out = await run(config());
        assert.deepEqual(out.outputs.scenarios, ["helloworld", "shifting", "tls-frontend", "networkpolicy", "rancher"]);
        // istio-system as the seed creates it (cluster 01, with the project id of cluster 01).
        const [, nsDoc, limitDoc] = RANCHER;
        const ns = mocks
            .ofType("kubernetes:core/v1:Namespace")
            .find((n) => n.inputs.metadata.name === "istio-system" && onCluster(n) === "mcsps-test-k8s-01")!;
        assert.deepEqual(ns.inputs.metadata, nsDoc.metadata);
        const ns2 = mocks
            .ofType("kubernetes:core/v1:Namespace")
            .find((n) => n.inputs.metadata.name === "istio-system" && onCluster(n) === "mcsps-test-k8s-02")!;
        assert.equal(ns2.inputs.metadata.annotations["field.cattle.io/projectId"], "c-pzk8b:istio");
        assert.equal(ns2.inputs.metadata.labels["topology.istio.io/network"], "mcsps-test-02");
        const limits = find("LimitRange", "istio-limitrange", "istio-system");
        assert.deepEqual(limits.map(onCluster).sort(), ["mcsps-test-k8s-01", "mcsps-test-k8s-02"]);
        assert.deepEqual(limits[0].inputs.spec, limitDoc.spec);
        assert.deepEqual(limits[0].inputs.metadata.labels, limitDoc.metadata.labels);
        // No management context configured: no Project, no extra provider.
        assert.equal(find("Project", "istio").length, 0);
        assert.equal(mocks.ofType("pulumi:providers:kubernetes").length, 2);
        // MTR mirror, mesh and networks.
        const istiod = mocks.ofType("kubernetes:helm.sh/v4:Chart").filter((c) => c.inputs.name === "istiod");
        for (const i of istiod) {
            assert.equal(i.inputs.values.global.hub, "mtr.devops.telekom.de/istio");
            assert.equal(i.inputs.values.global.meshID, "mcsps-test");
        }
        // Remote secrets carry the supplied kubeconfigs, not reader tokens.
        const remote = mocks.ofType("kubernetes:core/v1:Secret").filter((s) => s.inputs.metadata.labels?.["istio/multiCluster"] === "true");
        assert.deepEqual(remote.map((s) => `${onCluster(s)}:${s.inputs.metadata.name}`).sort(), [
            "mcsps-test-k8s-01:istio-remote-secret-mcsps-test-k8s-02",
            "mcsps-test-k8s-02:istio-remote-secret-mcsps-test-k8s-01",
        ]);
        const s01 = remote.find((s) => s.inputs.metadata.name === "istio-remote-secret-mcsps-test-k8s-01")!;
        assert.match(Buffer.from(s01.inputs.data["mcsps-test-k8s-01"], "base64").toString(), /k8s\/clusters\/c-f7r9g/);
        assert.equal(
            mocks.ofType("kubernetes:core/v1:Secret").filter((s) => s.inputs.type === "kubernetes.io/service-account-token").length,
            0,
        );
        // helloworld v1 on cluster 1, v2 on cluster 2, Service on both.
        assert.deepEqual(find("Deployment", "helloworld-v1").map(onCluster), ["mcsps-test-k8s-01"]);
        assert.deepEqual(find("Deployment", "helloworld-v2").map(onCluster), ["mcsps-test-k8s-02"]);
        const v2 = one("Deployment", "helloworld-v2").inputs;
        assert.equal(v2.spec.template.spec.containers[0].image, "docker.io/istio/examples-helloworld-v2:1.0");
        assert.deepEqual(v2.spec.template.metadata.labels, { app: "helloworld", version: "v2" });
        assert.deepEqual(find("Service", "helloworld", "sample").map(onCluster).sort(), ["mcsps-test-k8s-01", "mcsps-test-k8s-02"]);
        // Traffic shifting on both clusters.
        for (const doc of SHIFTING) {
            const rs = find(doc.kind, doc.metadata.name, "sample");
            assert.equal(rs.length, 2);
            for (const r of rs) assert.deepEqual(r.inputs.spec, specOf(doc));
        }
        // TLS frontend on cluster 01, exactly the seed's objects.
        const [gwDoc, vsDoc, certDoc, issuerDoc] = TLS;
        const gw = one("Gateway", "helloworld-ssl-gateway", "istio-system");
        assert.equal(onCluster(gw), "mcsps-test-k8s-01");
        assert.deepEqual(gw.inputs.spec, gwDoc.spec);
        // No address under mocks and none configured: no external-dns annotation yet.
        assert.deepEqual(gw.inputs.metadata.annotations ?? {}, {});
        assert.deepEqual(one("VirtualService", "helloworld-ssl", "istio-system").inputs.spec, vsDoc.spec);
        const cert = one("Certificate", "helloistio", "istio-system");
        assert.equal(cert.inputs.apiVersion, "cert-manager.io/v1");
        assert.deepEqual(cert.inputs.spec, certDoc.spec);
        const issuer = one("ClusterIssuer", "letsencrypt-wild");
        assert.deepEqual(issuer.inputs.spec, issuerDoc.spec);
        assert.equal(issuer.inputs.metadata.namespace, undefined);
        // NetworkPolicies on both clusters, exactly as the seed.
        for (const doc of NETPOL) {
            const nsName = doc.metadata.name === "np-helloworld" ? "sample" : "istio-system";
            const rs = find("NetworkPolicy", doc.metadata.name, nsName);
            assert.deepEqual(rs.map(onCluster).sort(), ["mcsps-test-k8s-01", "mcsps-test-k8s-02"]);
            for (const r of rs) assert.deepEqual(r.inputs.spec, doc.spec);
        }
        validateIstioResources();
    });

    it("creates the Rancher Projects through the management cluster when its context is configured", async () => {
        const base = stackFileConfig("rancher") as any;
        await run(
            config({
                scenarioSettings: {
                    ...base.scenarioSettings,
                    rancher: { ...base.scenarioSettings.rancher, management: { context: "rancher-local" } },
                },
            }),
        );
        const projects = find("Project", "istio");
        assert.equal(projects.length, 2);
        for (const p of projects) assert.equal(mocks.providerName(p), "scenarios-rancher-management");
        const p1 = projects.find((p) => p.inputs.metadata.namespace === "c-f7r9g")!;
        assert.equal(p1.inputs.apiVersion, "management.cattle.io/v3");
        assert.deepEqual(p1.inputs.spec, RANCHER[0].spec);
        assert.equal(projects.find((p) => p.inputs.metadata.namespace === "c-pzk8b")!.inputs.spec.clusterName, "c-pzk8b");
        const mgmt = mocks.ofType("pulumi:providers:kubernetes").find((p) => p.name === "scenarios-rancher-management")!;
        assert.equal(mgmt.inputs.context, "rancher-local");
    });

    it("uses a configured ingress address as the external-dns target", async () => {
        const base = stackFileConfig("rancher") as any;
        await run(
            config({
                scenarioSettings: {
                    ...base.scenarioSettings,
                    "tls-frontend": { ...base.scenarioSettings["tls-frontend"], ingressAddress: "80.158.47.22" },
                },
            }),
        );
        assert.deepEqual(one("Gateway", "helloworld-ssl-gateway").inputs.metadata.annotations, TLS[0].metadata.annotations);
    });

    it("fails naming the secret config key when a supplied kubeconfig is missing", async () => {
        const c = config();
        delete c["mcsps-test-k8s-02-kubeconfig"];
        await assert.rejects(run(c), /mcsps-test-k8s-02-kubeconfig/);
    });
});
