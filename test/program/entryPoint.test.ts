/**
 * The program's entry point survives a build of the library: after `npm run build` writes
 * dist/components/index.js (package.json's main/exports, the library's entry), Pulumi must still run index.ts.
 * Without `main` in Pulumi.yaml it would run the library entry, register nothing, and `pulumi up` would delete
 * the whole mesh.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { stackFileConfig, TEST_KUBECONFIG } from "../helpers/configs";
import { RecordingMocks, setMocks, setStackConfig, settle } from "../helpers/mocks";
import { resolvePulumiProgramEntry } from "../helpers/pulumiEntry";

const ROOT = path.join(__dirname, "..", "..");
const LIBRARY_ENTRY = path.join(ROOT, "dist", "components", "index.js");

describe("program entry point after a build", function () {
    this.timeout(180_000);
    const savedKubeconfig = process.env.KUBECONFIG;
    before(() => {
        execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "tsconfig.build.json")], {
            cwd: ROOT,
            stdio: "pipe",
        });
        process.env.KUBECONFIG = TEST_KUBECONFIG;
    });
    after(() => (savedKubeconfig === undefined ? delete process.env.KUBECONFIG : (process.env.KUBECONFIG = savedKubeconfig)));

    it("the build wrote the library entry that package.json names", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        assert.equal(path.join(ROOT, pkg.main), LIBRARY_ENTRY);
        assert.ok(fs.existsSync(LIBRARY_ENTRY), "npm run build wrote dist/components/index.js");
    });

    it("without `main` in Pulumi.yaml, Pulumi would take the library entry for the program (the failure mode)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entry-"));
        try {
            const project = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8").replace(/^main:.*$/m, "");
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), project);
            fs.copyFileSync(path.join(ROOT, "package.json"), path.join(dir, "package.json"));
            fs.copyFileSync(path.join(ROOT, "index.ts"), path.join(dir, "index.ts"));
            fs.mkdirSync(path.join(dir, "dist", "components"), { recursive: true });
            fs.copyFileSync(LIBRARY_ENTRY, path.join(dir, "dist", "components", "index.js"));
            assert.equal(resolvePulumiProgramEntry(dir), path.join(dir, "dist", "components", "index.js"));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("Pulumi runs index.ts, which registers the whole mesh", async () => {
        const entry = resolvePulumiProgramEntry(ROOT);
        assert.equal(entry, path.join(ROOT, "index.ts"));
        const mocks = new RecordingMocks();
        await setMocks(mocks, "dev");
        setStackConfig(stackFileConfig("dev"));
        delete require.cache[require.resolve(entry)];
        // Re-running the entry point needs a fresh require of the compiled-on-the-fly module, not an import.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const exported = require(entry) as Record<string, unknown>;
        await settle(mocks);
        assert.ok(pulumi.Output.isInstance(exported.rootCertPem), "the program's stack outputs are exported");
        assert.equal(mocks.ofType("istio-multicluster:index:IstioMesh").length, 1);
        const secrets = mocks.ofType("kubernetes:core/v1:Secret").map((s) => s.inputs.metadata.name as string);
        assert.equal(secrets.filter((n) => n === "cacerts").length, 3);
        assert.equal(secrets.filter((n) => n.startsWith("istio-remote-secret-")).length, 6);
        assert.equal(mocks.ofType("kubernetes:helm.sh/v4:Chart").filter((c) => c.inputs.chart === "istiod").length, 3);
    });
});
