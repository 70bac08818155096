import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeCacertsAtomically } from "../../scripts/local/istiod";
import { CACERTS_DIR, CACERTS_KEYS, cacertsChanges, cacertsFiles } from "../../scripts/local/istiodPlan";

const b64 = (s: string) => Buffer.from(s).toString("base64");
const secret = (over: Record<string, string> = {}) => ({
    "ca-cert.pem": b64("INTERMEDIATE A\n"),
    "ca-key.pem": b64("KEY A\n"),
    "root-cert.pem": b64("ROOT A\n"),
    "cert-chain.pem": b64("INTERMEDIATE A\nROOT A\n"),
    ...over,
});

describe("host istiod cacerts: what a changed Secret rewrites", () => {
    it("projects the four keys istiod reads, decoded; other keys of the Secret are left out", () => {
        const r = cacertsFiles(secret({ "ca-crl.pem": b64("CRL") }), "c1");
        assert.deepEqual(r.problems, []);
        assert.deepEqual(Object.keys(r.files!).sort(), [...CACERTS_KEYS].sort());
        assert.equal(r.files!["cert-chain.pem"], "INTERMEDIATE A\nROOT A\n");
    });
    it("refuses a missing Secret or a partial one, naming what lacks (nothing to write then)", () => {
        assert.deepEqual(cacertsFiles(undefined, "c2"), { problems: ["c2: Secret istio-system/cacerts not found"] });
        const partial = secret();
        delete (partial as Record<string, string>)["ca-key.pem"];
        const r = cacertsFiles(partial, "c1");
        assert.equal(r.files, undefined);
        assert.deepEqual(r.problems, ["c1: Secret istio-system/cacerts lacks ca-key.pem"]);
    });
    it("nothing changed: nothing to write", () => {
        const wanted = cacertsFiles(secret(), "c1").files!;
        assert.deepEqual(cacertsChanges(wanted, { ...wanted }), []);
    });
    it("a new intermediate: the keys that differ, sorted; an unreadable file counts as changed", () => {
        const wanted = cacertsFiles(secret({ "ca-cert.pem": b64("INTERMEDIATE B\n"), "ca-key.pem": b64("KEY B\n") }), "c1").files!;
        const current = cacertsFiles(secret(), "c1").files!;
        assert.deepEqual(cacertsChanges(wanted, current), ["ca-cert.pem", "ca-key.pem"]);
        assert.deepEqual(cacertsChanges(wanted, { ...wanted, "root-cert.pem": undefined }), ["root-cert.pem"]);
    });
    it("a root bundle grown to A+B: root-cert.pem only (a byte-level change such as a trailing newline counts)", () => {
        const before = cacertsFiles(secret(), "c1").files!;
        assert.deepEqual(cacertsChanges(cacertsFiles(secret({ "root-cert.pem": b64("ROOT A\nROOT B\n") }), "c1").files!, before), [
            "root-cert.pem",
        ]);
        assert.deepEqual(cacertsChanges({ ...before, "cert-chain.pem": before["cert-chain.pem"] + "\n" }, before), ["cert-chain.pem"]);
    });
});

describe("host istiod cacerts: written as the kubelet updates a mounted Secret", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "cacerts-test-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const root = () => path.join(dir, CACERTS_DIR);
    const read = (k: string) => fs.readFileSync(path.join(root(), k), "utf8");

    it("keys are symlinks into ..data, which points at one timestamped directory; a rewrite swaps it and removes the old one", () => {
        writeCacertsAtomically(dir, { "ca-cert.pem": "A", "root-cert.pem": "R" });
        const first = fs.readlinkSync(path.join(root(), "..data"));
        assert.match(first, /^\.\.\d{4}_/);
        assert.equal(fs.readlinkSync(path.join(root(), "ca-cert.pem")), path.join("..data", "ca-cert.pem"));
        assert.equal(read("ca-cert.pem"), "A");
        assert.equal(fs.statSync(path.join(root(), first, "ca-cert.pem")).mode & 0o777, 0o600);

        writeCacertsAtomically(dir, { "ca-cert.pem": "B", "root-cert.pem": "R+S" });
        const second = fs.readlinkSync(path.join(root(), "..data"));
        assert.notEqual(second, first);
        assert.equal(read("ca-cert.pem"), "B");
        assert.equal(read("root-cert.pem"), "R+S");
        assert.equal(fs.existsSync(path.join(root(), first)), false);
        assert.deepEqual(
            fs.readdirSync(root()).sort(),
            [second, "..data", "ca-cert.pem", "root-cert.pem"].sort(),
            "no temporary names left behind",
        );
    });
    it("replaces plain files (an istiod started before this layout) by links, without a moment where a key is absent", () => {
        fs.mkdirSync(root(), { recursive: true });
        fs.writeFileSync(path.join(root(), "ca-cert.pem"), "OLD");
        writeCacertsAtomically(dir, { "ca-cert.pem": "NEW" });
        assert.equal(fs.lstatSync(path.join(root(), "ca-cert.pem")).isSymbolicLink(), true);
        assert.equal(read("ca-cert.pem"), "NEW");
    });
});
