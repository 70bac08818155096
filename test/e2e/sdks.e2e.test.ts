/**
 * The component package's generated Python and Go SDKs compile: scripts/check-sdks.sh infers the schema from
 * plugin/, generates both SDKs in a temp dir and compiles them (the Go one against the Pulumi and
 * pulumi-kubernetes Go SDKs from the module proxy). Needs the pulumi and sdk toolchain groups, python3 and go.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { REPO, requireToolchain } from "./harness";

describe("other languages: the generated Python and Go SDKs compile", function () {
    this.timeout(20 * 60 * 1000);

    it("scripts/check-sdks.sh passes", () => {
        const env = requireToolchain();
        const r = spawnSync("bash", [path.join(REPO, "scripts", "check-sdks.sh")], { env, encoding: "utf8", maxBuffer: 64 << 20 });
        assert.equal(r.status, 0, `check-sdks failed:\n${r.stderr.slice(-8000)}`);
        assert.match(r.stderr, /python: \d+ files compiled/);
        assert.match(r.stderr, /go: \d+ files built and vetted/);
    });
});
