/**
 * resolveScenarios (pure): defaults from the seeds, zones and versions, shared namespaces/gateways, warnings.
 */
import { strict as assert } from "assert";
import { qualifyHost, resolveScenarios, sampleZones } from "../../components/model";

const clusters = [1, 2, 3].map((k) => ({
    name: `cluster${k}`,
    nodes: [
        { name: `c${k}n1`, region: `region${k}`, zone: "zone1" },
        { name: `c${k}n2`, region: `region${k}`, zone: "zone2" },
    ],
}));

describe("resolveScenarios", () => {
    it("fills the seed defaults and the shared sample namespaces / ingress gateways", () => {
        const { model, issues } = resolveScenarios(["samples", "cc2", "cc3", "dnsp1", "helloworld", "shifting"], {}, clusters);
        assert.deepEqual(issues, []);
        assert.deepEqual(model.selected, ["samples", "cc2", "cc3", "dnsp1", "helloworld", "shifting"]);
        assert.equal(model.cc2!.cluster, "cluster1");
        assert.equal(model.cc3!.cluster, "cluster2");
        assert.deepEqual(model.helloworld!.versions, { cluster1: ["v1"], cluster2: ["v2"] });
        assert.deepEqual(model.shifting!.clusters, ["cluster1", "cluster2"]);
        assert.deepEqual(model.sampleNamespaceClusters, ["cluster1", "cluster2", "cluster3"]);
        assert.deepEqual(model.ingressGatewayClusters, ["cluster1", "cluster2"]);
    });

    it("surfaces warnings instead of failing: unselected settings, regions no node has", () => {
        const { issues, model } = resolveScenarios(["samples", "cc4"], { cc2: { cluster: "cluster1" } }, clusters);
        assert.deepEqual(issues, []);
        const w = model.warnings.map((x) => `${x.path}: ${x.message}`);
        assert.ok(
            w.some((m) => /scenarioSettings\.cc2: settings for cc2, which is not selected/.test(m)),
            w.join("\n"),
        );
        assert.ok(
            w.some((m) => /scenarioSettings\.cc4: locality region4: no node .*region=region4/.test(m)),
            w.join("\n"),
        );
    });

    it("needs a second cluster for cc3's default and says so", () => {
        const { issues } = resolveScenarios(["samples", "cc3"], {}, clusters.slice(0, 1));
        assert.match(issues.map((i) => `${i.path}: ${i.message}`).join("\n"), /scenarioSettings\.cc3\.cluster: cc3 defaults to cluster #2/);
    });

    it("numbers zones and qualifies hosts", () => {
        assert.deepEqual(
            sampleZones(1, [
                { name: "a", region: "r", zone: "zone4" },
                { name: "b", region: "r", zone: "zone4" },
                { name: "c", region: "r", zone: "eu-1b" },
            ]).map((z) => `${z.short}/${z.version}`),
            ["z4/c2z4", "z2/c2z2"],
        );
        assert.equal(qualifyHost("helloworld2", "sample"), "helloworld2.sample.svc.cluster.local");
        assert.equal(qualifyHost("helloworld2.sample.svc.cluster.local", "x"), "helloworld2.sample.svc.cluster.local");
    });
});
