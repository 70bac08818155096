import { strict as assert } from "assert";
import { parseMeshConfig, readerTokenSecretName, readerTokenSlots, tokenEpochProblem } from "../../components/model";
import { clustersConfig } from "../helpers/configs";

describe("reader-token slots (model)", () => {
    const shape = (epoch: string, keep = true) =>
        readerTokenSlots(epoch, keep).map((s) => `${s.secretResourceSuffix}=${s.epoch}${s.current ? "*" : ""}`);

    it("alternates the current epoch between the odd and even slot, keeping the previous epoch in the other", () => {
        assert.deepEqual(shape("1"), ["token=1*"]);
        assert.deepEqual(shape("2"), ["token-even=2*", "token=1"]);
        assert.deepEqual(shape("3"), ["token=3*", "token-even=2"]);
        assert.deepEqual(shape("10"), ["token-even=10*", "token=9"]);
        assert.deepEqual(shape("0"), ["token-even=0*"], "no epoch before 0");
    });

    it("the odd slot keeps the single token's logical names; grace off is that single slot for any epoch", () => {
        assert.deepEqual(readerTokenSlots("1", true), [
            { epoch: "1", current: true, secretResourceSuffix: "token", randomIdSuffix: "token-suffix" },
        ]);
        assert.deepEqual(shape("2", false), ["token=2*"]);
        assert.deepEqual(shape("2026-q1", false), ["token=2026-q1*"]);
    });

    it("needs a whole number with grace, and says how to fix it", () => {
        for (const bad of ["2026-q1", "1.5", "-1", "02", " 2", "9007199254740993"]) {
            const p = tokenEpochProblem(bad, true);
            assert.ok(p, bad);
            assert.equal(p.path, "tokenRotationEpoch");
            assert.match(p.message, /whole number.*keepPreviousToken: false/s);
            assert.throws(() => readerTokenSlots(bad, true), /tokenRotationEpoch/);
        }
        assert.equal(tokenEpochProblem("2026-q1", false), undefined);
        assert.equal(tokenEpochProblem("7", true), undefined);
    });

    it("the config layer: keepPreviousToken defaults to true, and a non-numeric epoch is refused only with it", () => {
        assert.equal(parseMeshConfig(clustersConfig(2)).keepPreviousToken, true);
        assert.throws(
            () => parseMeshConfig({ ...clustersConfig(2), tokenRotationEpoch: "2026-q1" }),
            /tokenRotationEpoch: "2026-q1" is not a whole number/,
        );
        const off = parseMeshConfig({ ...clustersConfig(2), tokenRotationEpoch: "2026-q1", keepPreviousToken: false });
        assert.equal(off.tokenRotationEpoch, "2026-q1");
        assert.throws(
            () => parseMeshConfig({ ...clustersConfig(2), keepPreviousToken: "yes" }),
            /keepPreviousToken: must be true or false/,
        );
    });

    it("names a token Secret after the reader and the slot's suffix", () => {
        assert.equal(readerTokenSecretName("cluster1", "a1b2c3"), "istio-reader-service-account-cluster1-a1b2c3");
    });
});
