/**
 * Canary revisions through the program under mocks: what each cluster registers (one istiod chart per revision,
 * a gateway chart per revision behind one Service), which values and dependencies they get, that an in-place mesh
 * keeps its resource names (no churn), and the tag-object aliases that let a tag move between charts in place.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { aliasTagObjects, isTagObject } from "../../components/istiodRevisions";
import { clustersConfig } from "../helpers/configs";
import { RecordingMocks, runProgram } from "../helpers/mocks";

const mocks = new RecordingMocks();

/** Three clusters with `istio` and per-cluster extras. */
function config(istio: Record<string, unknown>, perCluster: Record<number, Record<string, unknown>> = {}): Record<string, unknown> {
    const c = clustersConfig(3) as { clusters: Record<string, unknown>[] };
    return {
        ...c,
        clusters: c.clusters.map((x, i) => ({ ...x, ...(perCluster[i] ?? {}) })),
        istio,
        scenarios: ["samples", "networkpolicy"],
    };
}

const charts = () => mocks.ofType("kubernetes:helm.sh/v4:Chart").map((r) => r.name);

describe("canary revisions (mocks)", () => {
    it("an in-place mesh keeps today's resource names: one istiod and one gateway chart per cluster, no separate Service", async () => {
        await runProgram(mocks, config({ version: "1.30.3" }));
        assert.deepEqual(
            charts().filter((n) => n.startsWith("mesh-cluster1-")),
            ["mesh-cluster1-base", "mesh-cluster1-istiod", "mesh-cluster1-eastwest-chart"],
        );
        const istiod = mocks.named("mesh-cluster1-istiod");
        assert.equal(istiod.inputs.values.revision, undefined);
        assert.equal(istiod.inputs.name, "istiod");
        assert.ok(!mocks.resources.some((r) => r.name.endsWith("-eastwest-service")));
        assert.deepEqual(mocks.named("scenarios-cluster1-sample-ns").inputs.metadata.labels, { "istio-injection": "enabled" });
    });

    describe("step 1: the new revision added on cluster1 only", () => {
        let edges: Map<string, Promise<string[]>>;
        before(async () => {
            ({ edges } = await runProgram(
                mocks,
                config(
                    {
                        version: "1.30.3",
                        revisions: [{ version: "1.29.1" }, { version: "1.30.3", clusters: ["cluster1"] }],
                        revisionTags: { default: "1-29-1" },
                        eastWestGatewayRevision: "1-29-1",
                    },
                    { 0: { revisionTags: { canary: "1-30-3" } } },
                ),
            ));
        });

        it("installs an istiod chart per revision where it runs, and no revision-less one", () => {
            assert.deepEqual(
                charts().filter((n) => n.includes("-istiod")),
                [
                    "mesh-cluster1-istiod-1-29-1",
                    "mesh-cluster1-istiod-1-30-3",
                    "mesh-cluster2-istiod-1-29-1",
                    "mesh-cluster3-istiod-1-29-1",
                ],
            );
        });

        it("gives each its release's images, its revision and the tags pointing at it on that cluster", () => {
            const old1 = mocks.named("mesh-cluster1-istiod-1-29-1").inputs;
            const new1 = mocks.named("mesh-cluster1-istiod-1-30-3").inputs;
            const old2 = mocks.named("mesh-cluster2-istiod-1-29-1").inputs;
            assert.deepEqual(
                [old1.name, old1.values.revision, old1.values.revisionTags, old1.values.global.tag],
                ["istiod-1-29-1", "1-29-1", ["default"], "1.29.1"],
            );
            assert.deepEqual(
                [new1.name, new1.values.revision, new1.values.revisionTags, new1.values.global.tag],
                ["istiod-1-30-3", "1-30-3", ["canary"], "1.30.3"],
            );
            assert.equal(new1.values.global.multiCluster.clusterName, "cluster1");
            // the canary tag is cluster1's alone (a mesh-wide one would be refused: cluster2 does not run 1-30-3)
            assert.deepEqual(old2.values.revisionTags, ["default"]);
        });

        it("the base chart (CRDs) is the newest release and its default validation follows the default tag", () => {
            const base = mocks.named("mesh-cluster1-base").inputs;
            assert.equal(base.version, "1.30.3");
            assert.equal(base.values.defaultRevision, "1-29-1");
        });

        it("runs a gateway per revision (no Service of its own) and one Service selecting the cut-over revision", async () => {
            assert.deepEqual(
                charts().filter((n) => n.startsWith("mesh-cluster1-eastwest")),
                ["mesh-cluster1-eastwest-chart-1-29-1", "mesh-cluster1-eastwest-chart-1-30-3"],
            );
            const gw = mocks.named("mesh-cluster1-eastwest-chart-1-30-3").inputs;
            assert.equal(gw.name, "istio-eastwestgateway-1-30-3");
            assert.deepEqual(gw.values.labels, { istio: "eastwestgateway", app: "istio-eastwestgateway-1-30-3" });
            assert.deepEqual([gw.values.revision, gw.values.service.type, gw.values.networkGateway], ["1-30-3", "None", "network1"]);
            const svc = mocks.named("mesh-cluster1-eastwest-service").inputs;
            assert.equal(svc.metadata.name, "istio-eastwestgateway");
            assert.equal(svc.metadata.labels["topology.istio.io/network"], "network1");
            assert.deepEqual(svc.spec.selector, { istio: "eastwestgateway", "istio.io/rev": "1-29-1" });
            assert.deepEqual(
                svc.spec.ports.map((p: { port: number }) => p.port),
                [15021, 15443, 15012, 15017],
            );
            assert.equal(mocks.resources.filter((r) => r.name.endsWith("-eastwest-service")).length, 3);
            // each gateway waits for its own revision's istiod; the Service for the gateway it selects
            assert.deepEqual(await edges.get("mesh-cluster1-eastwest-chart-1-30-3"), ["mesh-cluster1-istiod-1-30-3"]);
            assert.deepEqual(await edges.get("mesh-cluster1-eastwest-service"), ["mesh-cluster1-eastwest-chart-1-29-1"]);
        });
    });

    it("the cutover and the namespace move change only the Service selector and the namespace labels", async () => {
        await runProgram(
            mocks,
            config(
                {
                    version: "1.30.3",
                    revisions: [{ version: "1.29.1" }, { version: "1.30.3" }],
                    revisionTags: { default: "1-30-3" },
                    eastWestGatewayRevision: "1-30-3",
                    namespaceRevision: "default",
                },
                { 2: { revisionTags: { default: "1-29-1" }, eastWestGateway: { revision: "1-29-1" } } },
            ),
        );
        const sel = (c: string) => mocks.named(`mesh-${c}-eastwest-service`).inputs.spec.selector["istio.io/rev"];
        assert.deepEqual(["cluster1", "cluster2", "cluster3"].map(sel), ["1-30-3", "1-30-3", "1-29-1"]);
        assert.deepEqual(mocks.named("scenarios-cluster1-sample-ns").inputs.metadata.labels, { "istio.io/rev": "default" });
        // np-istio admits revision-labelled namespaces too
        const np = mocks.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").find((r) => r.inputs.metadata.name === "np-istio")!;
        assert.equal(np.inputs.spec.ingress[0].from.length, 2);
        assert.equal(mocks.named("mesh-cluster3-base").inputs.values.defaultRevision, "1-29-1");
        assert.deepEqual(mocks.named("mesh-cluster3-istiod-1-30-3").inputs.values.revisionTags, []);
    });

    it("a refused config registers nothing", async () => {
        await assert.rejects(
            runProgram(mocks, config({ version: "1.30.3", revisions: [{ version: "1.30.3" }], revisionTags: { default: "1-29-1" } })),
            /istio\.revisionTags\.default: tag default points at revision "1-29-1", which cluster cluster1 does not run/,
        );
        assert.equal(mocks.ofType("kubernetes:helm.sh/v4:Chart").length, 0);
    });
});

describe("revision tag objects move between charts in place (aliases)", () => {
    const own = "mesh-cluster1-istiod-1-30-3";
    const other = { chart: {} as pulumi.Resource, name: "mesh-cluster1-istiod-1-29-1" };
    const args = (type: string, name: string) =>
        ({ type, name, props: {}, opts: {}, custom: true }) as unknown as pulumi.ResourceTransformArgs;

    it("recognises the tag webhook and Service of its own chart, nothing else", () => {
        const mwc = "kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration";
        assert.ok(isTagObject(mwc, `${own}:istio-revision-tag-default`, own));
        assert.ok(isTagObject("kubernetes:core/v1:Service", `${own}:istio-system/istiod-revision-tag-default`, own));
        assert.ok(!isTagObject(mwc, `${own}:istio-sidecar-injector-1-30-3`, own));
        assert.ok(!isTagObject("kubernetes:core/v1:Service", `${own}:istio-system/istiod-1-30-3`, own));
        assert.ok(!isTagObject(mwc, `${other.name}:istio-revision-tag-default`, own));
    });

    it("aliases each to its namesake under every other revision's chart", () => {
        const r = aliasTagObjects(args("kubernetes:core/v1:Service", `${own}:istio-system/istiod-revision-tag-default`), own, [
            other,
            { chart: undefined, name: "gone" },
        ]);
        assert.deepEqual(r!.opts.aliases, [{ name: `${other.name}:istio-system/istiod-revision-tag-default`, parent: other.chart }]);
        assert.equal(aliasTagObjects(args("kubernetes:apps/v1:Deployment", `${own}:istio-system/istiod-1-30-3`), own, [other]), undefined);
    });
});
