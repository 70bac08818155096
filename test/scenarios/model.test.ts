/**
 * resolveScenarios (pure): defaults from the seeds, zones and versions, shared namespaces/gateways, warnings.
 */
import { strict as assert } from "assert";
import { findWriteConflicts, qualifyHost, resolveScenarios, resolveServiceHost, sampleZones } from "../../components/model";

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
            ["z4/c2z4", "z1/c2z1"],
        );
        // Generated ids never collide: a named zone does not take a numbered zone's id, nor one zone name in two regions.
        const cases: Record<string, string> = {
            "r/zone2 r/eu-1b r/eu-1a": "z2 z1 z3",
            "r/eu-1b r/zone2 r/zone1": "z3 z2 z1",
            "r1/zone1 r2/zone1 r2/zone2": "z1 z3 z2",
            "region1/zone1 region1/zone2 region1/zone3": "z1 z2 z3", // the seed's names
        };
        for (const [localities, shorts] of Object.entries(cases)) {
            const nodes = localities.split(" ").map((l, i) => ({ name: `n${i}`, region: l.split("/")[0], zone: l.split("/")[1] }));
            assert.deepEqual(
                sampleZones(0, nodes).map((z) => z.short),
                shorts.split(" "),
                localities,
            );
        }
        assert.equal(qualifyHost("helloworld2", "sample"), "helloworld2.sample.svc.cluster.local");
        assert.equal(qualifyHost("helloworld2.sample.svc.cluster.local", "x"), "helloworld2.sample.svc.cluster.local");
    });

    it("resolves hosts as istiod does (ResolveShortnameToFQDN): only a name without a dot is qualified", () => {
        assert.equal(resolveServiceHost("helloworld2", "sample"), "helloworld2.sample.svc.cluster.local");
        assert.equal(resolveServiceHost("helloworld2.sample", "x"), "helloworld2.sample");
        assert.equal(resolveServiceHost("*.example.com", "x"), "*.example.com");
        assert.equal(resolveServiceHost("2001:db8::1", "x"), "2001:db8::1");
        assert.equal(qualifyHost("helloworld2.sample", "x"), resolveServiceHost("helloworld2.sample", "x"));
    });

    it("rejects two generated objects with one name, within a scenario too", () => {
        const w = { scenario: "dnsp1" as const, cluster: "cluster1", kind: "ServiceEntry", namespace: "sample", name: "db" };
        const issues = findWriteConflicts([w, { ...w }, { ...w, name: "other" }]);
        assert.equal(issues.length, 1);
        assert.match(issues[0].message, /dnsp1 would create ServiceEntry sample\/db twice on cluster cluster1/);
        assert.equal(issues[0].path, "scenarioSettings.dnsp1");
    });
});
