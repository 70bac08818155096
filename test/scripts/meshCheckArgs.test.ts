/**
 * `npm run mesh:check` options: `-s` is `--stack`, as in the Pulumi CLI (it used to be ignored, so
 * `-s rancher` silently checked the dev stack).
 */
import { strict as assert } from "assert";
import { optionValue } from "../../scripts/mesh-check";

describe("mesh-check options", () => {
    it("reads --stack and -s, with a space or =", () => {
        assert.equal(optionValue("stack", ["--stack", "rancher"]), "rancher");
        assert.equal(optionValue("stack", ["-s", "rancher"]), "rancher");
        assert.equal(optionValue("stack", ["--stack=local"]), "local");
        assert.equal(optionValue("stack", ["-s=local", "--count", "5"]), "local");
    });
    it("the last occurrence wins, and absent is undefined", () => {
        assert.equal(optionValue("stack", ["-s", "dev", "--stack", "rancher"]), "rancher");
        assert.equal(optionValue("stack", ["--count", "5"]), undefined);
        assert.equal(optionValue("count", ["-s", "dev", "--count", "7"]), "7");
    });
    it("does not take -s for other options, nor a following flag as a value", () => {
        assert.equal(optionValue("scenario", ["-s", "cc1"]), undefined);
        assert.throws(() => optionValue("stack", ["-s", "--count", "5"]), /-s needs a value/);
        assert.throws(() => optionValue("stack", ["--stack"]), /--stack needs a value/);
    });
});
