/**
 * Refusals are ResourceErrors that format as their message: the Node.js language host runs `util.inspect` on
 * every uncaught error (for its trace span), and inspecting a ResourceError otherwise walks the resource behind it.
 */
import { strict as assert } from "assert";
import * as util from "util";
import * as pulumi from "@pulumi/pulumi";
import { InvalidArgsError } from "../../components/argsErrors";
import { refusal } from "../../components/refusal";

/** A stand-in for a component with a large graph behind it. */
const heavy = { children: Array.from({ length: 2000 }, (_, i) => ({ i, nested: { more: [i, i, i] } })) } as unknown as pulumi.Resource;

describe("refusal", () => {
    it("is a ResourceError against the resource, with its stack hidden", () => {
        const e = refusal("cluster c1 has istio-system/x", heavy);
        assert.ok(pulumi.ResourceError.isInstance(e));
        assert.equal(e.resource, heavy);
        assert.equal(e.hideStack, true);
        assert.equal(e.message, "cluster c1 has istio-system/x");
    });

    it("formats as its message under util.inspect, colours and all, never walking the resource", () => {
        const e = refusal("refused: keep it", heavy);
        assert.equal(util.inspect(e), "Error: refused: keep it");
        assert.equal(util.inspect(e, { colors: true }), "Error: refused: keep it");
        const plain = new pulumi.ResourceError("refused: keep it", heavy, true);
        assert.ok(util.inspect(plain).length > 10 * util.inspect(e).length, "a plain ResourceError shows the resource");
    });

    it("InvalidArgsError formats as its message too", () => {
        const e = new InvalidArgsError("X", [{ propertyPath: "a", reason: "is bad" }], heavy);
        assert.equal(util.inspect(e), "InvalidArgsError: X: args.a is bad");
    });
});
