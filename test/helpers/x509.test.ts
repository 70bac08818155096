import * as assert from "node:assert/strict";
import { integer } from "./x509";

// The unit tests' X.509 helper must encode serials the way OpenSSL parses them: a random serial that begins with a
// zero byte once made the policy pack's certificate check fail ("illegal padding") about once in 512 runs.
describe("test helper x509: DER INTEGER", () => {
    const hex = (b: Buffer) => b.toString("hex");

    it("drops leading zero bytes a random serial may start with", () => {
        assert.equal(hex(integer(Buffer.from([0x00, 0x01, 0x02]))), "02020102");
        assert.equal(hex(integer(Buffer.from([0x00, 0x00, 0x7f]))), "02017f");
    });

    it("keeps one zero byte before a high bit, so the number stays positive", () => {
        assert.equal(hex(integer(Buffer.from([0x80]))), "02020080");
        assert.equal(hex(integer(Buffer.from([0x00, 0x00, 0x80, 0x01]))), "0203008001");
    });

    it("encodes zero and small numbers in one byte", () => {
        assert.equal(hex(integer(0)), "020100");
        assert.equal(hex(integer(Buffer.from([0x00, 0x00]))), "020100");
        assert.equal(hex(integer(2)), "020102");
        assert.equal(hex(integer(255)), "020200ff");
    });
});
