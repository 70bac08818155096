/**
 * The pure parts of `npm run bench:scale`: the N-cluster stack it runs is a valid mesh for every N it accepts, and
 * the plot draws what was measured and nothing that was not. (The figures themselves are printed, never asserted.)
 */
import { strict as assert } from "assert";
import { MAX_MESH_CLUSTERS, parseMeshConfig } from "../../components/model";
import { parseConfigSet, stackConfig } from "../../bench/scaleStack";
import { scalePlot } from "../../bench/scalePlot";
import { withoutNamespace } from "../helpers/configs";

describe("bench:scale", () => {
    it("runs a valid mesh without scenarios at every N from 2 to the ceiling: N networks, N·(N−1) links, one local control plane each", () => {
        for (let n = 2; n <= MAX_MESH_CLUSTERS; n++) {
            const { config, clusters } = stackConfig(n);
            const m = parseMeshConfig(withoutNamespace(config));
            assert.equal(m.clusters.length, n);
            assert.equal(m.links.length, n * (n - 1));
            assert.equal(new Set(m.clusters.map((c) => c.network)).size, n);
            assert.deepEqual(
                clusters.map((c) => c.context),
                Array.from({ length: n }, (_, i) => `c${i + 1}-admin`),
            );
            assert.deepEqual(config["istio-multicluster:scenarios"], []);
        }
    });

    it("--set changes one config key below the project namespace, as `pulumi config set --path` would", () => {
        const { config } = stackConfig(3, [parseConfigSet("istio.baseInstall=release"), parseConfigSet("istio.keepCrdsOnDestroy=true")]);
        const m = parseMeshConfig(withoutNamespace(config));
        assert.equal(m.istio.baseInstall, "release");
        assert.equal(m.istio.keepCrdsOnDestroy, true);
        assert.equal(m.istio.chart.kind, "path", "the rest of the local stack's istio settings stay");
        assert.deepEqual(parseConfigSet("meshID=mesh7"), { path: ["meshID"], value: "mesh7" });
        for (const bad of ["istio.baseInstall", "=release", "istio..x=1", "istio.base-install=release"]) {
            assert.throws(() => parseConfigSet(bad), /--set .*: expected KEY=VALUE with a dotted config key/);
        }
    });

    it("plots one point per measured value, skipping steps that failed or did not run", () => {
        const svg = scalePlot({
            measured: "2026-12-05T00:00:00Z",
            results: [
                {
                    n: 3,
                    steps: [
                        { step: "fresh up", ok: true, ms: 60000 },
                        { step: "no-op preview", ok: true, ms: 12000 },
                    ],
                    serialMs: 40000,
                },
                {
                    n: 5,
                    steps: [
                        { step: "fresh up", ok: false, ms: 1000 },
                        { step: "no-op preview", ok: true, ms: 15000 },
                    ],
                },
            ],
        });
        assert.equal((svg.match(/<circle /g) ?? []).length, 4); // up at 3, preview at 3 and 5, serial at 3
        assert.match(svg, /Pulumi: fresh up/);
        assert.match(svg, /serial procedure/);
    });
});
