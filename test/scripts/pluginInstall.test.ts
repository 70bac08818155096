/**
 * scripts/toolchain/pulumi.sh: how a provider plugin is found when the user has none. Our earlier build first, then
 * the ordinary `pulumi plugin install`, and only then a build from a source tree; when neither way works here (no
 * registry, no ../shared/vendor), the message says both. Run against a temporary cache with a stand-in `pulumi` CLI
 * that records its calls, so nothing is downloaded or built.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const toolchain = path.join(__dirname, "..", "..", "scripts", "toolchain");

describe("scripts/toolchain/pulumi.sh: provider plugins the ordinary way first (issue 20)", function () {
    this.timeout(30000);
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "plugins-"));
        for (const d of ["cache/bin", "cache/build", "fakebin", "home", "vendor"]) fs.mkdirSync(path.join(dir, d), { recursive: true });
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** A stand-in `pulumi`: logs its arguments; `plugin install` either installs a plugin into $PULUMI_HOME or fails. */
    function fakePulumi(installs: boolean) {
        const body = installs
            ? 'd="$PULUMI_HOME/plugins/resource-$4-v$5"; mkdir -p "$d"; printf "#!/bin/sh\\necho fake\\n" > "$d/pulumi-resource-$4"; chmod +x "$d/pulumi-resource-$4"'
            : 'echo "warning: Error downloading plugin: dial tcp: lookup plugins.example: no such host" >&2; echo "error: failed to download plugin: $4-$5: failed all 5 attempts" >&2; exit 255';
        const f = path.join(dir, "fakebin", "pulumi");
        fs.writeFileSync(f, `#!/usr/bin/env bash\necho "$*" >> "${dir}/calls"\n${body}\n`);
        fs.chmodSync(f, 0o755);
    }

    /** Runs `steps` with pulumi.sh sourced as toolchain.sh sources it. */
    function run(steps: string) {
        const script = [
            `CACHE=${dir}/cache; BIN=$CACHE/bin; BUILD=$CACHE/build; REPO=${path.join(__dirname, "..", "..")}`,
            `. ${toolchain}/lib.sh; . ${toolchain}/pulumi.sh`,
            "on_path() { return 1; }",
            steps,
        ].join("\n");
        return spawnSync("bash", ["-c", script], {
            encoding: "utf8",
            env: {
                PATH: `${dir}/fakebin:${process.env.PATH}`,
                HOME: `${dir}/home`,
                PULUMI_HOME: `${dir}/home/.pulumi`,
                ISTIO_MC_PROVIDER_SRC: `${dir}/vendor`,
            },
        });
    }
    const calls = () => (fs.existsSync(path.join(dir, "calls")) ? fs.readFileSync(path.join(dir, "calls"), "utf8") : "");

    it("installs the plugin with `pulumi plugin install` and links it, building nothing", () => {
        fakePulumi(true);
        const r = run("plugin_install tls 5.3.0 || build_provider_bridged tls v5 5.3.0");
        assert.equal(r.status, 0, r.stderr);
        assert.equal(calls(), "plugin install resource tls 5.3.0\n");
        assert.equal(fs.readlinkSync(path.join(dir, "cache", "bin", "pulumi-resource-tls")), path.join(dir, "home", ".pulumi", "plugins", "resource-tls-v5.3.0", "pulumi-resource-tls"));
        assert.doesNotMatch(r.stderr, /building/);
    });

    it("without the registry and without a source tree, fails naming both ways and why the first failed", () => {
        fakePulumi(false);
        const r = run("plugin_install random 4.19.1 || build_provider_bridged random v4 4.19.1");
        assert.notEqual(r.status, 0);
        assert.equal(calls(), "plugin install resource random 4.19.1\n");
        assert.match(r.stderr, /pulumi-resource-random 4\.19\.1 is missing, and neither way to get it worked here/);
        assert.match(r.stderr, /1\. the ordinary install, `pulumi plugin install resource random 4\.19\.1` .*: .*no such host/);
        assert.match(r.stderr, /2\. a build from the upstream release tree: .*pulumi-random-4\.19\.1-src\.tar\.gz not found\. [\s\S]*set ISTIO_MC_PROVIDER_SRC/);
        assert.ok(!fs.existsSync(path.join(dir, "cache", "bin", "pulumi-resource-random")));
    });

    it("uses an earlier build of ours before trying any install", () => {
        fakePulumi(true);
        const built = path.join(dir, "cache", "build", "pulumi-resource-kubernetes-4.25.0", "bin");
        fs.mkdirSync(built, { recursive: true });
        fs.writeFileSync(path.join(built, "pulumi-resource-kubernetes"), "#!/bin/sh\n", { mode: 0o755 });
        const r = run("provider_built kubernetes 4.25.0 || plugin_install kubernetes 4.25.0");
        assert.equal(r.status, 0, r.stderr);
        assert.equal(calls(), "");
        assert.equal(fs.readlinkSync(path.join(dir, "cache", "bin", "pulumi-resource-kubernetes")), path.join(built, "pulumi-resource-kubernetes"));
    });

    it("ISTIO_MC_PLUGIN_INSTALL=0 skips the install, and the message says so", () => {
        fakePulumi(true);
        const r = run("ISTIO_MC_PLUGIN_INSTALL=0; plugin_install tls 5.3.0 || build_provider_bridged tls v5 5.3.0");
        assert.notEqual(r.status, 0);
        assert.equal(calls(), "");
        assert.match(r.stderr, /`pulumi plugin install resource tls 5\.3\.0` .*: skipped \(ISTIO_MC_PLUGIN_INSTALL=0\)/);
    });
});
