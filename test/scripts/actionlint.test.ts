/**
 * The GitHub workflows pass actionlint (github.com/rhysd/actionlint). scripts/toolchain/actionlint.sh finds an
 * installed actionlint or builds it into ~/.cache/istio-multicluster/bin (Go module proxy) when missing, so this
 * test never skips: without Go and without actionlint it fails, saying so.
 */
import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.join(__dirname, "..", "..");
const workflows = path.join(root, ".github", "workflows");

describe("GitHub workflows (actionlint)", function () {
    this.timeout(600000);
    let actionlint: string;
    before(() => {
        actionlint = execFileSync("bash", [path.join(root, "scripts", "toolchain", "actionlint.sh")], { encoding: "utf8" }).trim();
    });

    it("has the pull-request preview and the merge-to-main up", () => {
        const preview = fs.readFileSync(path.join(workflows, "preview.yml"), "utf8");
        const up = fs.readFileSync(path.join(workflows, "up.yml"), "utf8");
        assert.match(preview, /pull_request:/);
        assert.match(preview, /command: preview/);
        assert.match(preview, /comment-on-pr: true/);
        assert.match(up, /branches: \[main\]/);
        assert.match(up, /command: up/);
        for (const w of [preview, up]) assert.match(w, /policyPacks: policy/);
    });

    it("finds nothing in .github/workflows", () => {
        const files = fs.readdirSync(workflows).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(workflows, f));
        const r = spawnSync(actionlint, ["-no-color", ...files], { cwd: root, encoding: "utf8" });
        assert.equal(r.status, 0, `actionlint findings:\n${r.stdout}${r.stderr}`);
    });

    it("reports a broken workflow (so the check above can fail)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "actionlint-"));
        const bad = path.join(dir, "bad.yml");
        fs.writeFileSync(bad, "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nosuchthing }}\n");
        const r = spawnSync(actionlint, ["-no-color", bad], { encoding: "utf8" });
        fs.rmSync(dir, { recursive: true, force: true });
        assert.notEqual(r.status, 0);
        assert.match(r.stdout, /nosuchthing/);
    });
});
