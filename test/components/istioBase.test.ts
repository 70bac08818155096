/**
 * The `base` chart's two forms (istio.baseInstall) under mocks: `objects` (a helm.v4.Chart, the default) and
 * `release` (one helm.v3.Release whose post-renderer drops the CRDs' keep policy unless keepCrdsOnDestroy), and
 * the post-renderer itself.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { clustersConfig } from "../helpers/configs";
import { RecordingMocks, runProgram } from "../helpers/mocks";
import { ownCrdsPostRenderer, POST_RENDERER_FILE } from "../../components/istioBase";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS file Helm executes; no typings
const { ownCrds } = require("../../components/helm/ownCrdsPostRenderer.cjs") as { ownCrds(text: string): string };

const root = path.join(__dirname, "..", "..");
const rendererPath = path.join(root, "components", POST_RENDERER_FILE);

describe("istio.baseInstall (mocks)", () => {
    const mocks = new RecordingMocks();
    const run = (istio: Record<string, unknown>) => runProgram(mocks, { ...clustersConfig(2), istio });

    it("objects (default): one helm.v4.Chart per cluster for base, as before", async () => {
        await run({});
        assert.equal(mocks.ofType("kubernetes:helm.sh/v3:Release").length, 0);
        assert.deepEqual(
            mocks
                .ofType("kubernetes:helm.sh/v4:Chart")
                .map((r) => r.name)
                .filter((n) => n.endsWith("-base"))
                .sort(),
            ["mesh-cluster1-base", "mesh-cluster2-base"],
        );
    });

    it("release: one helm.v3.Release per cluster, named istio-base in istio-system, owning its CRDs", async () => {
        const result = await run({ baseInstall: "release" });
        const releases = mocks.ofType("kubernetes:helm.sh/v3:Release");
        assert.deepEqual(releases.map((r) => r.name).sort(), ["mesh-cluster1-base", "mesh-cluster2-base"]);
        assert.equal(mocks.ofType("kubernetes:helm.sh/v4:Chart").length, 2 * 2, "istiod and the gateway stay charts");
        for (const r of releases) {
            assert.equal(r.inputs.name, "istio-base");
            assert.equal(r.inputs.namespace, "istio-system");
            assert.equal(r.inputs.chart, "base");
            assert.equal(r.inputs.version, "1.30.3");
            assert.deepEqual(r.inputs.repositoryOpts, { repo: "https://istio-release.storage.googleapis.com/charts" });
            // relative to the program's directory (here the repository), so a preview elsewhere sees no diff
            assert.equal(r.inputs.postrender, `.${path.sep}${path.join("components", POST_RENDERER_FILE)}`);
        }
        // istiod and the remote secrets' tokens still wait for the base install
        const deps = async (name: string) => (await result.edges.get(name)) ?? [];
        assert.ok((await deps("mesh-cluster1-istiod")).includes("mesh-cluster1-base"));
        assert.ok((await deps("mesh-cluster1-reads-cluster2-token")).includes("mesh-cluster2-base"));
    });

    it("release from a local chart directory: the chart's path, and the Istio version recorded for upgrades", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "charts-"));
        for (const c of ["base", "istiod", "gateway"]) {
            fs.mkdirSync(path.join(dir, c));
            fs.writeFileSync(path.join(dir, c, "Chart.yaml"), `name: ${c}\nversion: 1.30.3\n`);
        }
        try {
            await run({ baseInstall: "release", chartPath: dir });
            const [r] = mocks.ofType("kubernetes:helm.sh/v3:Release");
            assert.equal(r.inputs.chart, path.join(dir, "base"));
            assert.equal(r.inputs.version, "1.30.3");
            assert.equal(r.inputs.repositoryOpts, undefined);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("release with keepCrdsOnDestroy: no post-renderer, so Helm keeps the CRDs on uninstall", async () => {
        await run({ baseInstall: "release", keepCrdsOnDestroy: true });
        for (const r of mocks.ofType("kubernetes:helm.sh/v3:Release")) assert.equal(r.inputs.postrender, undefined);
    });
});

describe("ownCrdsPostRenderer: the path the release gets", () => {
    it("is ./-relative under the working directory and absolute outside it", () => {
        assert.equal(ownCrdsPostRenderer(root), `.${path.sep}${path.join("components", POST_RENDERER_FILE)}`);
        assert.equal(ownCrdsPostRenderer("/nonexistent-elsewhere"), rendererPath);
    });

    it("names the missing file and the fix when the package lacks it", () => {
        assert.throws(
            () => ownCrdsPostRenderer(root, "/nonexistent"),
            /istio.baseInstall "release": the Helm post-renderer .* is missing; reinstall the package/,
        );
    });
});

describe("helm/ownCrdsPostRenderer.cjs", () => {
    const crd = (annotations: string) =>
        `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: a.istio.io\n${annotations}spec:\n  group: istio.io\n`;

    it("drops the keep policy from CRDs, keeping their other annotations", () => {
        const out = ownCrds(crd('  annotations:\n    helm.sh/resource-policy: keep\n    x: "1"\n'));
        assert.equal(out, crd('  annotations:\n    x: "1"\n'));
    });

    it("removes an annotations map the policy leaves empty", () => {
        assert.equal(ownCrds(crd("  annotations:\n    helm.sh/resource-policy: keep\n")), crd(""));
    });

    it("leaves the keep policy on anything that is not a CRD, and keeps every document", () => {
        const sa = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: r\n  annotations:\n    helm.sh/resource-policy: keep\n";
        const out = ownCrds(`${sa}---\n${crd("  annotations:\n    helm.sh/resource-policy: keep\n")}`);
        assert.equal(out, `${sa}---\n${crd("")}`);
    });

    it("as Helm runs it: stdin to stdout, and exit 1 naming the problem on manifests that do not parse", () => {
        const ok = spawnSync(rendererPath, { input: crd("  annotations:\n    helm.sh/resource-policy: keep\n"), encoding: "utf8" });
        assert.equal(ok.status, 0, ok.stderr);
        assert.equal(ok.stdout, crd(""));
        const bad = spawnSync(rendererPath, { input: "a: [\n", encoding: "utf8" });
        assert.equal(bad.status, 1);
        assert.match(bad.stderr, /ownCrdsPostRenderer: the rendered manifests do not parse as YAML/);
    });
});
