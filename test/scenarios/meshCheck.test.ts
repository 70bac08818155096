/**
 * The pure part of `npm run mesh:check`: config reading, probe planning (seed 000's CC1–CC4 loops), reply parsing,
 * kwok detection and the result tables.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    allAnswered,
    allNodesFake,
    clustersOf,
    configFromPulumiJson,
    configFromStackYaml,
    parseHelloReplies,
    planProbes,
    renderTable,
    scenariosOf,
} from "../../scripts/mesh-check";

const devYaml = fs.readFileSync(path.join(__dirname, "..", "..", "Pulumi.dev.yaml"), "utf8");
const devConfig = (scenarios: string[], scenarioSettings?: unknown) => ({ ...configFromStackYaml(devYaml), scenarios, scenarioSettings });

describe("mesh-check", () => {
    it("reads pulumi config --json (objectValue or JSON strings; secrets skipped) and stack files", () => {
        const cfg = configFromPulumiJson(
            JSON.stringify({
                "istio-multicluster:meshID": { value: "mesh1", secret: false },
                "istio-multicluster:clusters": { value: '[{"name":"a"}]', objectValue: [{ name: "a" }], secret: false },
                "istio-multicluster:scenarios": { value: '["samples","cc1"]', secret: false },
                "istio-multicluster:k": { secret: true },
                "kubernetes:context": { value: "x" },
            }),
        );
        assert.deepEqual(cfg, { meshID: "mesh1", clusters: [{ name: "a" }], scenarios: ["samples", "cc1"] });
        const dev = configFromStackYaml(devYaml);
        assert.equal(dev.meshID, "mesh1");
        assert.deepEqual(
            clustersOf(dev).map((c) => `${c.name}@${c.context}:${c.nodes.length}`),
            ["cluster1@c1-admin:3", "cluster2@c2-admin:5", "cluster3@c3-admin:3"],
        );
    });

    it("plans the seed's loops: CC1 from cluster1/sleepz2, CC2 per zone of cluster1, CC3 per from-rule, CC4 from region4", () => {
        const cfg = devConfig(["samples", "cc1", "cc2", "cc3"]);
        const probes = planProbes(scenariosOf(cfg, clustersOf(cfg)));
        assert.deepEqual(
            probes.map((p) => `${p.scenario} ${p.cluster}/${p.client} ${p.locality}`),
            [
                "CC1 cluster1/sleepz2 region1/zone2",
                "CC2 cluster1/sleepz1 region1/zone1",
                "CC2 cluster1/sleepz2 region1/zone2",
                "CC2 cluster1/sleepz3 region1/zone3",
                "CC3 cluster2/sleepz1 region2/zone1",
                "CC3 cluster2/sleepz2 region2/zone2",
                "CC3 cluster2/sleepz3 region2/zone3",
            ],
        );
        assert.equal(probes[6].expect, "region4/zone5/* 100%");
        const cfg4 = devConfig(["samples", "cc4"]);
        assert.deepEqual(
            planProbes(scenariosOf(cfg4, clustersOf(cfg4))).map((p) => `${p.scenario} ${p.cluster}/${p.client}`),
            ["CC4 cluster2/sleepz4", "CC4 cluster2/sleepz5"],
        );
        // Only samples: CC1 by default; --scenario restricts; without samples there is nothing to run.
        const s = devConfig(["samples"]);
        assert.deepEqual(
            planProbes(scenariosOf(s, clustersOf(s))).map((p) => p.scenario),
            ["CC1"],
        );
        assert.deepEqual(
            planProbes(scenariosOf(cfg, clustersOf(cfg)), ["cc3"]).map((p) => p.scenario),
            ["CC3", "CC3", "CC3"],
        );
        const none = devConfig(["dnsp1"]);
        assert.deepEqual(planProbes(scenariosOf(none, clustersOf(none))), []);
    });

    it("rejects a config the program would reject", () => {
        const cfg = devConfig(["samples", "cc3", "cc4"]);
        assert.throws(() => scenariosOf(cfg, clustersOf(cfg)), /cc3 and cc4 conflict/);
    });

    it("counts answers per version and keeps everything else as errors", () => {
        const r = parseHelloReplies(
            [
                "Hello version: c3z3, instance: helloworld2-c3z3-bbd675db5-bvj7z",
                "Hello version: c1z2, instance: helloworld2-c1z2-69dfd5c6f4-q9ww4",
                "",
                "Hello version: c3z3, instance: helloworld2-c3z3-bbd675db5-bvj7z",
                "upstream connect error or disconnect/reset before headers. reset reason: connection failure",
                "curl: (28) Connection timed out after 5001 milliseconds",
            ].join("\n"),
        );
        assert.deepEqual(r.versions, { c3z3: 2, c1z2: 1 });
        assert.equal(r.errors.length, 2);
        assert.equal(allAnswered([{ result: r }]), false);
        assert.equal(allAnswered([{ result: parseHelloReplies("Hello version: v1, instance: x\n") }]), true);
        assert.equal(allAnswered([{ result: parseHelloReplies("") }]), false);
    });

    it("detects clusters made only of kwok fake nodes", () => {
        const node = (fake: boolean) => ({ metadata: { name: "n", annotations: fake ? { "kwok.x-k8s.io/node": "fake" } : {} } });
        assert.equal(allNodesFake(JSON.stringify({ items: [node(true), node(true)] })), true);
        assert.equal(allNodesFake(JSON.stringify({ items: [node(true), node(false)] })), false);
        assert.equal(allNodesFake(JSON.stringify({ items: [] })), false);
    });

    it("renders one row per client and one column per version", () => {
        const probe = (client: string, locality: string) => ({ scenario: "CC3", cluster: "cluster2", client, locality, expect: "x" });
        const table = renderTable("CC3", [
            { probe: probe("sleepz1", "region2/zone1"), result: { versions: { c1z3: 6, c3z2: 4 }, errors: [] } },
            { probe: probe("sleepz3", "region2/zone3"), result: { versions: { c2z5: 10 }, errors: ["curl: (7)"] } },
        ]);
        assert.equal(
            table,
            [
                "CC3",
                "client           | locality      | c1z3 | c2z5 | c3z2 | errors | expected",
                "-----------------|---------------|------|------|------|--------|---------",
                "cluster2/sleepz1 | region2/zone1 | 6    |      | 4    | 0      | x",
                "cluster2/sleepz3 | region2/zone3 |      | 10   |      | 1      | x",
            ].join("\n"),
        );
    });
});
