/**
 * scripts/toolchain.sh --check for the istio group: besides istioctl, pilot-discovery, meshxds and helm it reports
 * one pilot-discovery and one charts link per Istio release (the current one and the previous minor's, for canary
 * upgrades), and exits 1 when any is missing. Run against a temporary cache of stand-in binaries, so nothing is
 * downloaded or built.
 */
import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.join(__dirname, "..", "..");
const CURRENT = "1.30.3";
const PREVIOUS = "1.29.1";

describe("scripts/toolchain.sh --check: both Istio releases", function () {
    this.timeout(30000);
    let dir: string;
    let cache: string;
    const bin = () => path.join(cache, "bin");

    /** An executable stand-in that prints `out`. */
    function fake(file: string, out: string) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, `#!/bin/sh\necho '${out}'\n`, { mode: 0o755 });
    }
    function charts(name: string) {
        const d = path.join(dir, name);
        fs.mkdirSync(path.join(d, "base"), { recursive: true });
        fs.writeFileSync(path.join(d, "base", "Chart.yaml"), "name: base\n");
        return d;
    }

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "toolchain-check-"));
        cache = path.join(dir, "cache");
        fake(path.join(bin(), "istioctl"), `client version: ${CURRENT}`);
        fake(path.join(bin(), "pilot-discovery"), `client version: ${CURRENT}`);
        fs.symlinkSync(path.join(bin(), "pilot-discovery"), path.join(bin(), `pilot-discovery-${CURRENT}`));
        fake(path.join(cache, "build", `istio-${PREVIOUS}`, "bin", "pilot-discovery"), `client version: ${PREVIOUS}`);
        fs.symlinkSync(
            path.join(cache, "build", `istio-${PREVIOUS}`, "bin", "pilot-discovery"),
            path.join(bin(), `pilot-discovery-${PREVIOUS}`),
        );
        fake(path.join(bin(), "helm"), "v3.22.0");
        // meshxds counts only when built from the current tools/meshxds: its name carries that source's hash
        const hash = execFileSync("bash", ["-c", 'cat "$1"/tools/meshxds/*.go | sha256sum | cut -c1-12', "_", root], {
            encoding: "utf8",
        }).trim();
        fake(path.join(cache, "build", "istioctl-x", "bin", `meshxds-${hash}`), "Usage");
        fs.symlinkSync(path.join(cache, "build", "istioctl-x", "bin", `meshxds-${hash}`), path.join(bin(), "meshxds"));
        const current = charts("charts-current");
        fs.writeFileSync(path.join(cache, "istio-charts-dir"), current + "\n");
        fs.symlinkSync(current, path.join(cache, "istio-charts"));
        fs.symlinkSync(current, path.join(cache, `istio-charts-${CURRENT}`));
        fs.symlinkSync(charts("charts-previous"), path.join(cache, `istio-charts-${PREVIOUS}`));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    function check(extraPath = "", env: Record<string, string> = {}) {
        return spawnSync("bash", [path.join(root, "scripts", "toolchain.sh"), "--check", "--only", "istio"], {
            encoding: "utf8",
            env: { PATH: `${extraPath ? extraPath + ":" : ""}/usr/bin:/bin`, HOME: dir, ISTIO_MC_CACHE: cache, ...env },
        });
    }
    const line = (out: string, name: string) => out.split("\n").find((l) => l.startsWith(name + " ")) ?? "";

    it("lists each release's pilot-discovery and charts link, and passes when all are there", () => {
        const r = check();
        assert.equal(r.status, 0, r.stdout + r.stderr);
        assert.match(line(r.stdout, `pilot-discovery-${CURRENT}`), /\bcache\b/);
        assert.match(
            line(r.stdout, `pilot-discovery-${PREVIOUS}`),
            new RegExp(`cache +${cache}/build/istio-${PREVIOUS}/bin/pilot-discovery$`),
        );
        assert.match(line(r.stdout, `istio-charts-${CURRENT} link`), new RegExp(`-> ${dir}/charts-current$`));
        assert.match(line(r.stdout, `istio-charts-${PREVIOUS} link`), new RegExp(`-> ${dir}/charts-previous$`));
    });

    it("fails, saying MISSING, without the previous release's binary or charts link", () => {
        fs.unlinkSync(path.join(bin(), `pilot-discovery-${PREVIOUS}`));
        fs.unlinkSync(path.join(cache, `istio-charts-${PREVIOUS}`));
        const r = check();
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(line(r.stdout, `pilot-discovery-${PREVIOUS}`), /MISSING$/);
        assert.match(line(r.stdout, `istio-charts-${PREVIOUS} link`), /MISSING$/);
        assert.match(line(r.stdout, `pilot-discovery-${CURRENT}`), /\bcache\b/);
    });

    it("fails without the current release's versioned link, even with the unversioned one", () => {
        fs.unlinkSync(path.join(bin(), `pilot-discovery-${CURRENT}`));
        fs.unlinkSync(path.join(cache, `istio-charts-${CURRENT}`));
        const r = check();
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(line(r.stdout, "pilot-discovery"), /\bcache\b/);
        assert.match(line(r.stdout, `pilot-discovery-${CURRENT}`), /MISSING$/);
        assert.match(line(r.stdout, `istio-charts-${CURRENT} link`), /MISSING$/);
    });

    it("accepts a versioned pilot-discovery on the user's PATH only when it reports that version", () => {
        fs.unlinkSync(path.join(bin(), `pilot-discovery-${PREVIOUS}`));
        const userBin = path.join(dir, "user-bin");
        fake(path.join(userBin, `pilot-discovery-${PREVIOUS}`), `client version: ${PREVIOUS}`);
        let r = check(userBin);
        assert.equal(r.status, 0, r.stdout + r.stderr);
        assert.match(line(r.stdout, `pilot-discovery-${PREVIOUS}`), new RegExp(`PATH +${userBin}/pilot-discovery-${PREVIOUS}$`));
        fake(path.join(userBin, `pilot-discovery-${PREVIOUS}`), "client version: 1.29.0");
        r = check(userBin);
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(line(r.stdout, `pilot-discovery-${PREVIOUS}`), /MISSING$/);
    });

    it("checks the release named by ISTIO_PREVIOUS_VERSION", () => {
        const r = check("", { ISTIO_PREVIOUS_VERSION: "1.29.0" });
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(line(r.stdout, "pilot-discovery-1.29.0"), /MISSING$/);
        assert.match(line(r.stdout, "istio-charts-1.29.0 link"), /MISSING$/);
    });
});
