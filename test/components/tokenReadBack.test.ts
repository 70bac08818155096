/**
 * The reader-token read-back against a local fake API server: each failure is reported with the link, the
 * Secret and the real cause, a hung request has its own timeout, and an unusable kubeconfig is an error.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readServiceAccountToken } from "../../components/serviceAccountToken";
import { FAKE_TOKEN, fakeKubeconfig, FakeApiServer, startFakeApiServer } from "../helpers/fakeApiServer";

const WHAT = "remote secret cluster2 in cluster1";
const SECRET = /Secret istio-system\/reader-tok/;
const FAST = { timeoutMs: 300, intervalMs: 50, requestTimeoutMs: 200 };

async function readVia(fake: FakeApiServer, wait = FAST) {
    return readServiceAccountToken({ kubeconfig: fake.kubeconfig }, "istio-system", "reader-tok", wait, WHAT);
}

async function refusedWith(p: Promise<unknown>, says: RegExp): Promise<void> {
    await assert.rejects(p, (e: Error) => {
        assert.match(e.message, new RegExp(`^${WHAT}: `));
        assert.match(e.message, SECRET);
        assert.match(e.message, says);
        assert.ok(!e.message.includes(FAKE_TOKEN), `echoes the token: ${e.message}`);
        return true;
    });
}

describe("reader token read-back failure modes (fake API server)", () => {
    let fake: FakeApiServer | undefined;
    afterEach(async () => {
        await fake?.close();
        fake = undefined;
    });

    it("returns the filled token", async () => {
        fake = await startFakeApiServer({ kind: "secret", data: { token: "dA==", "ca.crt": "Y2E=" } });
        assert.deepEqual(await readVia(fake), { token: "dA==", "ca.crt": "Y2E=" });
    });

    it("returns undefined (not an error) when the Secret stays unfilled until the bound", async () => {
        fake = await startFakeApiServer({ kind: "secret", data: {} });
        assert.equal(await readVia(fake), undefined);
        assert.ok(fake.requests() >= 2, "read more than once");
    });

    for (const [status, says] of [
        [403, /403 Forbidden: .*may not get Secrets/],
        [401, /401 Unauthorized/],
        [404, /404 Not Found: the Secret does not exist.*pulumi refresh/],
    ] as const) {
        it(`reports ${status} at once, without retrying`, async () => {
            fake = await startFakeApiServer({ kind: "status", status });
            await refusedWith(readVia(fake), says);
            assert.equal(fake.requests(), 1);
        });
    }

    it("retries a 503 and reports it when the bound runs out", async () => {
        fake = await startFakeApiServer({ kind: "status", status: 503 });
        await refusedWith(readVia(fake), /gave up: HTTP 503/);
        assert.ok(fake.requests() >= 2);
    });

    it("reports a TLS failure (untrusted certificate) without retrying", async () => {
        fake = await startFakeApiServer({ kind: "untrustedTls" });
        await refusedWith(readVia(fake), /TLS: .*certificate-authority-data/);
    });

    it("gives each request its own timeout and reports it", async () => {
        fake = await startFakeApiServer({ kind: "hang" });
        await refusedWith(readVia(fake), /did not answer within 200 ms \(tokenWait\.requestTimeoutMs\)/);
    });

    it("reports an unreachable API server", async () => {
        fake = await startFakeApiServer({ kind: "status", status: 200 });
        const closed = fake.kubeconfig;
        await fake.close();
        fake = undefined;
        const p = readServiceAccountToken({ kubeconfig: closed }, "istio-system", "reader-tok", FAST, WHAT);
        await refusedWith(p, /unreachable \(ECONNREFUSED\)/);
    });

    describe("a kubeconfig it cannot use is an error, never a silent skip", () => {
        it("missing file", async () => {
            const p = readServiceAccountToken({ kubeconfig: "/nonexistent/kc" }, "istio-system", "reader-tok", FAST, WHAT);
            await refusedWith(p, /kubeconfig \/nonexistent\/kc cannot be used: not found/);
        });
        it("context not in it", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kc-"));
            try {
                fs.writeFileSync(path.join(dir, "kc"), fakeKubeconfig("https://192.0.2.1:6443"));
                const p = readServiceAccountToken(
                    { kubeconfig: path.join(dir, "kc"), context: "other" },
                    "istio-system",
                    "reader-tok",
                    FAST,
                    WHAT,
                );
                await refusedWith(p, /context "other" is not in it \(it has: fake\)/);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
        it("malformed inline kubeconfig, without echoing its token", async () => {
            const p = readServiceAccountToken(
                { kubeconfig: `apiVersion: v1\nusers:\n- user:\n    token: ${FAKE_TOKEN}: x\n` },
                "istio-system",
                "reader-tok",
                FAST,
                WHAT,
            );
            await refusedWith(p, /cannot be used: not valid YAML/);
        });
    });
});
