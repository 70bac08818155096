import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pemCertificates, verifiesAgainst } from "../../scripts/local/caClient";

/** A throwaway PKI made with openssl for these tests: root A → intermediate A → leaf; root B (a rotation's next root); a foreign root. */
interface Pki {
    rootA: string;
    interA: string;
    leaf: string;
    rootB: string;
    foreign: string;
    /** A leaf whose issuer name is intermediate A's, signed by another key (an impostor CA of the same name). */
    forgedLeaf: string;
    /** A certificate signed by the leaf's key, which is no CA. */
    byLeaf: string;
}

function makePki(dir: string): Pki {
    const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
    const key = (name: string) => run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${name}.key`);
    const ext = (name: string, lines: string[]) => fs.writeFileSync(path.join(dir, `${name}.ext`), lines.join("\n") + "\n");
    const selfSigned = (name: string, cn: string) => {
        key(name);
        run(
            "req",
            "-x509",
            "-new",
            "-key",
            `${name}.key`,
            "-subj",
            `/O=test/CN=${cn}`,
            "-days",
            "30",
            "-out",
            `${name}.pem`,
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        );
    };
    const signed = (name: string, cn: string, issuer: string, exts: string[]) => {
        key(name);
        run("req", "-new", "-key", `${name}.key`, "-subj", `/O=test/CN=${cn}`, "-out", `${name}.csr`);
        ext(name, exts);
        run(
            "x509",
            "-req",
            "-in",
            `${name}.csr`,
            "-CA",
            `${issuer}.pem`,
            "-CAkey",
            `${issuer}.key`,
            "-CAcreateserial",
            "-days",
            "10",
            "-extfile",
            `${name}.ext`,
            "-out",
            `${name}.pem`,
        );
    };
    selfSigned("rootA", "Root A");
    selfSigned("rootB", "Root B");
    selfSigned("foreign", "Foreign Root");
    signed("interA", "Intermediate A", "rootA", ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign"]);
    const leafExt = ["basicConstraints=critical,CA:FALSE", "subjectAltName=URI:spiffe://cluster.local/ns/sample/sa/default"];
    signed("leaf", "", "interA", leafExt);
    // an impostor of intermediate A (same subject, another key, under the foreign root) signs the forged leaf
    signed("impostor", "Intermediate A", "foreign", ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign"]);
    signed("forged", "", "impostor", leafExt);
    signed("byLeaf", "", "leaf", leafExt); // the leaf (CA:FALSE) used as an issuer
    const read = (name: string) => fs.readFileSync(path.join(dir, `${name}.pem`), "utf8");
    return {
        rootA: read("rootA"),
        interA: read("interA"),
        leaf: read("leaf"),
        rootB: read("rootB"),
        foreign: read("foreign"),
        forgedLeaf: read("forged"),
        byLeaf: read("byLeaf"),
    };
}

describe("caClient: verifiesAgainst (a workload chain against a root bundle)", function () {
    this.timeout(60_000);
    let dir: string;
    let pki: Pki;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "caclient-test-"));
        pki = makePki(dir);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("accepts istiod's chain shape (leaf, intermediate, root) against the shared root", () => {
        assert.equal(verifiesAgainst([pki.leaf, pki.interA, pki.rootA], pki.rootA), true);
    });
    it("accepts a chain without its root, and a chain element holding several PEMs", () => {
        assert.equal(verifiesAgainst([pki.leaf, pki.interA], pki.rootA), true);
        assert.equal(verifiesAgainst([pki.leaf, pki.interA + pki.rootA], pki.rootA), true);
    });
    it("accepts against a bundle of several roots that holds the right one (a rotation's A+B), in either order", () => {
        assert.equal(verifiesAgainst([pki.leaf, pki.interA, pki.rootA], pki.rootB + pki.rootA), true);
        assert.equal(verifiesAgainst([pki.leaf, pki.interA, pki.rootA], pki.rootA + "\n" + pki.rootB), true);
    });
    it("refuses against a foreign root, and against the next root alone (B)", () => {
        assert.equal(verifiesAgainst([pki.leaf, pki.interA, pki.rootA], pki.foreign), false);
        assert.equal(verifiesAgainst([pki.leaf, pki.interA, pki.rootA], pki.rootB), false);
    });
    it("trusts only the bundle: the root the chain carries does not count by itself", () => {
        assert.equal(verifiesAgainst([pki.leaf, pki.interA, pki.rootA], pki.foreign + pki.rootB), false);
    });
    it("refuses a chain that misses its intermediate, a forged signature, a certificate outside its validity, an empty chain or bundle", () => {
        assert.equal(verifiesAgainst([pki.leaf, pki.rootA], pki.rootA), false);
        assert.equal(verifiesAgainst([pki.forgedLeaf, pki.interA, pki.rootA], pki.rootA), false);
        // the leaf is valid for 10 days, its CAs for 30: not yet valid, expired, and the CAs expired
        const day = 24 * 3600 * 1000;
        assert.equal(verifiesAgainst([pki.leaf, pki.interA], pki.rootA, new Date(Date.now() + 5 * day)), true);
        assert.equal(verifiesAgainst([pki.leaf, pki.interA], pki.rootA, new Date(Date.now() - day)), false);
        assert.equal(verifiesAgainst([pki.leaf, pki.interA], pki.rootA, new Date(Date.now() + 20 * day)), false);
        assert.equal(verifiesAgainst([pki.leaf, pki.interA], pki.rootA, new Date(Date.now() + 40 * day)), false);
        assert.equal(verifiesAgainst([], pki.rootA), false);
        assert.equal(verifiesAgainst([pki.leaf, pki.interA], ""), false);
    });
    it("refuses when a CA:FALSE certificate would have to act as an issuer", () => {
        // the leaf cannot sign anything: a chain that puts it where an intermediate belongs is refused
        assert.equal(verifiesAgainst([pki.byLeaf, pki.leaf, pki.interA, pki.rootA], pki.rootA), false);
    });
    it("pemCertificates splits a bundle in order", () => {
        const certs = pemCertificates(`junk\n${pki.rootA}\n${pki.rootB}`);
        assert.equal(certs.length, 2);
        assert.equal(certs[0].trim(), pki.rootA.trim());
    });
});
