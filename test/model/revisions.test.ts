/**
 * Canary revisions in the config: what each step of the upgrade sequence resolves to per cluster, and every guard
 * (skew, a revision still used by a tag, gateway or namespace, names, chart sources), each naming its key.
 */
import { strict as assert } from "assert";
import fc from "fast-check";
import { MeshConfigError, parseMeshConfig } from "../../components/model";
import { clustersConfig } from "../helpers/configs";

/** A 3-cluster config with `istio` over the defaults and per-cluster extras. */
function config(istio: Record<string, unknown>, perCluster: Record<number, Record<string, unknown>> = {}): Record<string, unknown> {
    const c = clustersConfig(3) as { clusters: Record<string, unknown>[] };
    return { ...c, clusters: c.clusters.map((x, i) => ({ ...x, ...(perCluster[i] ?? {}) })), istio };
}

/** The issues of a config that must fail, as `path: message` lines. */
function issuesOf(raw: Record<string, unknown>): string[] {
    try {
        parseMeshConfig(raw);
    } catch (e) {
        assert.ok(e instanceof MeshConfigError, String(e));
        return e.issues.map((i) => `${i.path}: ${i.message}`);
    }
    assert.fail("expected the config to be refused");
}

const OLD = { version: "1.29.1" };
const NEW = { version: "1.30.3" };

describe("istio.revisions (canary upgrades)", () => {
    it("in-place by default: no revisions in the model, and the canary keys alone are refused", () => {
        const m = parseMeshConfig(config({ version: "1.30.3" }));
        assert.equal(m.istio.revisions, undefined);
        assert.ok(m.clusters.every((c) => c.revisions === undefined));
        const issues = issuesOf(
            config(
                { version: "1.30.3", revisionTags: { default: "x" }, eastWestGatewayRevision: "x" },
                { 1: { revisionTags: { canary: "x" } } },
            ),
        );
        assert.deepEqual(
            issues.map((i) => i.split(":")[0]),
            ["istio.revisionTags", "istio.eastWestGatewayRevision", "clusters[1].revisionTags"],
        );
        assert.ok(issues.every((i) => /only means something with istio\.revisions/.test(i)));
    });

    it("one revision: named from its version, the default tag and the gateway on it everywhere", () => {
        const m = parseMeshConfig(config({ version: "1.29.1", revisions: [OLD] }));
        assert.deepEqual(
            m.istio.revisions!.revisions.map((r) => [r.name, r.version, r.clusters]),
            [["1-29-1", "1.29.1", ["cluster1", "cluster2", "cluster3"]]],
        );
        for (const c of m.clusters)
            assert.deepEqual(c.revisions, { installed: ["1-29-1"], tags: { default: "1-29-1" }, gatewayRevision: "1-29-1" });
    });

    it("the sequence resolves step by step: add on one cluster, then all, move tags per cluster, cut over, remove", () => {
        // 1. the new revision on cluster1 only (CRDs first: istio.version is the newest release)
        const s1 = parseMeshConfig(
            config({
                version: "1.30.3",
                revisions: [OLD, { ...NEW, clusters: ["cluster1"] }],
                revisionTags: { default: "1-29-1" },
                eastWestGatewayRevision: "1-29-1",
            }),
        );
        assert.deepEqual(
            s1.clusters.map((c) => c.revisions!.installed),
            [["1-29-1", "1-30-3"], ["1-29-1"], ["1-29-1"]],
        );
        // 2. on every cluster; 3. tags move on cluster1 and cluster2, cluster3 stays behind
        const s3 = parseMeshConfig(
            config(
                { version: "1.30.3", revisions: [OLD, NEW], revisionTags: { default: "1-30-3" }, eastWestGatewayRevision: "1-29-1" },
                { 2: { revisionTags: { default: "1-29-1" } } },
            ),
        );
        assert.deepEqual(
            s3.clusters.map((c) => c.revisions!.tags.default),
            ["1-30-3", "1-30-3", "1-29-1"],
        );
        // 4. the gateway cutover, cluster3 still behind
        const s4 = parseMeshConfig(
            config(
                { version: "1.30.3", revisions: [OLD, NEW], revisionTags: { default: "1-30-3" }, eastWestGatewayRevision: "1-30-3" },
                { 2: { revisionTags: { default: "1-29-1" }, eastWestGateway: { revision: "1-29-1" } } },
            ),
        );
        assert.deepEqual(
            s4.clusters.map((c) => c.revisions!.gatewayRevision),
            ["1-30-3", "1-30-3", "1-29-1"],
        );
        // 5. the old revision removed where nothing uses it any more
        const s5 = parseMeshConfig(
            config(
                {
                    version: "1.30.3",
                    revisions: [{ ...OLD, clusters: ["cluster3"] }, NEW],
                    revisionTags: { default: "1-30-3" },
                    eastWestGatewayRevision: "1-30-3",
                },
                { 2: { revisionTags: { default: "1-29-1" }, eastWestGateway: { revision: "1-29-1" } } },
            ),
        );
        assert.deepEqual(
            s5.clusters.map((c) => c.revisions!.installed),
            [["1-30-3"], ["1-30-3"], ["1-29-1", "1-30-3"]],
        );
    });

    it("refuses removing a revision a tag, the gateway or the namespaces still use, naming each key", () => {
        const issues = issuesOf(
            config({
                version: "1.30.3",
                revisions: [NEW],
                revisionTags: { default: "1-29-1", canary: "1-30-3" },
                eastWestGatewayRevision: "1-29-1",
                namespaceRevision: "1-29-1",
            }),
        );
        const paths = issues.map((i) => i.split(":")[0]);
        assert.equal(paths.filter((p) => p === "istio.revisionTags.default").length, 3);
        assert.equal(paths.filter((p) => p === "istio.eastWestGatewayRevision").length, 3);
        assert.equal(paths.filter((p) => p === "istio.namespaceRevision").length, 3);
        assert.match(issues[0], /points at revision "1-29-1", which cluster cluster1 does not run \(it runs 1-30-3\)/);
        assert.ok(!paths.includes("istio.revisionTags.canary"));
    });

    it("with two revisions on a cluster, the default tag and the gateway revision must be said", () => {
        const issues = issuesOf(config({ version: "1.30.3", revisions: [OLD, NEW] }));
        assert.equal(issues.filter((i) => i.startsWith("istio.revisionTags.default: cluster")).length, 3);
        assert.equal(issues.filter((i) => i.startsWith("istio.eastWestGatewayRevision: cluster")).length, 3);
        // a cluster without a gateway needs no gateway revision
        const noGw = issuesOf(
            config(
                { version: "1.30.3", revisions: [OLD, NEW], revisionTags: { default: "1-29-1" } },
                { 0: { eastWestGateway: { enabled: false } } },
            ),
        );
        assert.equal(noGw.length, 2);
    });

    it("skew: more than one minor between revisions, or the CRDs behind the newest revision, is refused", () => {
        const far = issuesOf(
            config({
                version: "1.30.3",
                revisions: [{ version: "1.28.4" }, NEW],
                revisionTags: { default: "1-28-4" },
                eastWestGatewayRevision: "1-28-4",
            }),
        );
        assert.deepEqual(far, [
            "istio.revisions: revisions 1-28-4 (1.28.4) and 1-30-3 (1.30.3) are 2 minor releases apart; Istio supports one: upgrade through 1.29 first",
        ]);
        const behind = issuesOf(
            config({ version: "1.29.1", revisions: [OLD, NEW], revisionTags: { default: "1-29-1" }, eastWestGatewayRevision: "1-29-1" }),
        );
        assert.deepEqual(behind, [
            "istio.version: the base chart (CRDs) is 1.29.1 but revision 1-30-3 runs 1.30.3: set istio.version to 1.30.3 (CRDs go first in an upgrade)",
        ]);
        const ahead = issuesOf(config({ version: "1.31.0", revisions: [OLD] }));
        assert.match(ahead[0], /^istio\.version: the base chart \(CRDs\) 1\.31\.0 is more than one minor ahead of revision 1-29-1/);
    });

    it("names: `default` is reserved, duplicates and unknown clusters are refused, a tag may not shadow a revision", () => {
        const issues = issuesOf(
            config({
                version: "1.30.3",
                revisions: [
                    { ...NEW, name: "default" },
                    { ...NEW, name: "stable", clusters: ["cluster9"] },
                    { ...OLD, name: "stable" },
                ],
                revisionTags: { default: "stable", stable: "stable" },
                eastWestGatewayRevision: "stable",
            }),
        );
        assert.ok(issues.some((i) => /^istio\.revisions\[0\]\.name: "default" is Istio's name for the revision-less install/.test(i)));
        assert.ok(issues.some((i) => /^istio\.revisions\[1\]\.clusters: no such cluster: cluster9/.test(i)));
        assert.ok(issues.some((i) => /^istio\.revisions\[2\]\.name: revision "stable" is listed twice/.test(i)));
        assert.ok(issues.some((i) => /^istio\.revisionTags\.stable: tag "stable" has a revision's name/.test(i)));
    });

    it("every cluster runs a revision; istio.tag is refused; a chart directory serves only istio.version", () => {
        const issues = issuesOf(
            config({
                version: "1.30.3",
                tag: "1.30.3-distroless",
                chartPath: "/charts/1.30.3",
                revisions: [
                    { ...OLD, clusters: ["cluster1"] },
                    { ...NEW, clusters: ["cluster1", "cluster2"] },
                ],
            }),
        );
        assert.ok(issues.includes("istio.tag: with istio.revisions each revision runs its own release's images: remove istio.tag"));
        assert.ok(
            issues.some((i) =>
                /^istio\.revisions\[0\]\.chartPath: the chart directory holds the charts of istio\.version \(1\.30\.3\)/.test(i),
            ),
        );
        assert.ok(issues.some((i) => /^istio\.revisions: cluster cluster3 runs no revision/.test(i)));
        const ok = parseMeshConfig(
            config({
                version: "1.30.3",
                chartPath: "/charts/1.30.3",
                revisions: [{ ...OLD, chartPath: "/charts/1.29.1" }, NEW],
                revisionTags: { default: "1-29-1" },
                eastWestGatewayRevision: "1-29-1",
            }),
        );
        assert.deepEqual(
            ok.istio.revisions!.revisions.map((r) => r.chart),
            [
                { kind: "path", path: "/charts/1.29.1" },
                { kind: "path", path: "/charts/1.30.3" },
            ],
        );
    });

    it("namespaceRevision may name a revision or a tag of every cluster", () => {
        const base = {
            version: "1.30.3",
            revisions: [OLD, NEW],
            revisionTags: { default: "1-29-1", prod: "1-30-3" },
            eastWestGatewayRevision: "1-29-1",
        };
        assert.equal(parseMeshConfig(config({ ...base, namespaceRevision: "prod" })).istio.revisions!.namespaceRevision, "prod");
        assert.equal(parseMeshConfig(config({ ...base, namespaceRevision: "1-30-3" })).istio.revisions!.namespaceRevision, "1-30-3");
        const issues = issuesOf(config({ ...base, namespaceRevision: "canary" }));
        assert.match(issues[0], /^istio\.namespaceRevision: "canary" is neither a revision nor a tag on cluster cluster1/);
    });

    it("property: whatever parses, every tag and gateway of every cluster points at a revision that cluster runs", () => {
        const revs = ["1.29.1", "1.29.4", "1.30.0", "1.30.3"];
        const clusters = ["cluster1", "cluster2", "cluster3"];
        fc.assert(
            fc.property(
                fc.subarray(revs, { minLength: 1 }),
                fc.array(fc.option(fc.subarray(clusters, { minLength: 1 }), { nil: undefined }), { minLength: 4, maxLength: 4 }),
                fc.constantFrom(...revs),
                fc.constantFrom(...revs),
                fc.array(fc.option(fc.constantFrom(...revs), { nil: undefined }), { minLength: 3, maxLength: 3 }),
                (chosen, where, tag, gw, perCluster) => {
                    const name = (v: string) => v.replace(/\./g, "-");
                    const raw = config(
                        {
                            version: "1.30.3",
                            revisions: chosen.map((v, i) => ({ version: v, ...(where[i] ? { clusters: where[i] } : {}) })),
                            revisionTags: { default: name(tag) },
                            eastWestGatewayRevision: name(gw),
                        },
                        Object.fromEntries(perCluster.map((v, i) => [i, v ? { revisionTags: { default: name(v) } } : {}])),
                    );
                    let m;
                    try {
                        m = parseMeshConfig(raw);
                    } catch (e) {
                        assert.ok(e instanceof MeshConfigError);
                        return;
                    }
                    for (const c of m.clusters) {
                        const r = c.revisions!;
                        assert.ok(r.installed.length >= 1);
                        for (const target of Object.values(r.tags)) assert.ok(r.installed.includes(target), `${c.name}: tag → ${target}`);
                        assert.ok(r.installed.includes(r.gatewayRevision));
                    }
                },
            ),
            { numRuns: 300 },
        );
    });
});
