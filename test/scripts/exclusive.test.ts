/**
 * scripts/local/exclusive.sh: one run at a time on the machine's local control planes. Run against a temporary
 * ISTIO_MC_CACHE, so it never touches the real lock.
 */
import { strict as assert } from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const script = path.join(__dirname, "..", "..", "scripts", "local", "exclusive.sh");

describe("scripts/local/exclusive.sh (the local control planes' lock)", function () {
    this.timeout(30000);
    let cache: string;
    beforeEach(() => {
        cache = fs.mkdtempSync(path.join(os.tmpdir(), "exclusive-"));
    });
    afterEach(() => fs.rmSync(cache, { recursive: true, force: true }));

    const env = (extra: Record<string, string> = {}) => {
        const e: NodeJS.ProcessEnv = { ...process.env, ISTIO_MC_CACHE: cache, ...extra };
        delete e.ISTIO_MC_LOCAL_LOCK;
        return e;
    };
    const run = (args: string[], extra: Record<string, string> = {}) =>
        spawnSync("bash", [script, ...args], { env: env(extra), encoding: "utf8" });

    /**
     * Starts a holder that keeps the lock until `release` is created; resolves once it holds it (its owner file is
     * written), to an object whose `exited` resolves to its exit code.
     */
    async function holder(release: string): Promise<{ exited: Promise<number | null> }> {
        const p = spawn("bash", [script, "bash", "-c", `while [ ! -e ${release} ]; do sleep 0.1; done`], { env: env() });
        const exited = new Promise<number | null>((resolve) => p.on("exit", resolve));
        const owner = path.join(cache, "local.owner");
        for (let i = 0; i < 100 && !(fs.existsSync(owner) && fs.readFileSync(owner, "utf8")); i++) {
            await new Promise((r) => setTimeout(r, 50));
        }
        return { exited };
    }

    it("runs the command and passes on its exit code", () => {
        assert.equal(run(["bash", "-c", "echo ran; exit 7"]).status, 7);
        assert.equal(run(["bash", "-c", "echo ran"]).stdout, "ran\n");
    });

    it("a second run waits, names the holder, and fails after ISTIO_MC_LOCK_WAIT", async () => {
        const release = path.join(cache, "release");
        const { exited } = await holder(release);
        const r = run(["echo", "second"], { ISTIO_MC_LOCK_WAIT: "1" });
        fs.writeFileSync(release, "");
        assert.equal(await exited, 0);
        assert.equal(r.status, 1);
        assert.equal(r.stdout, "", "the second command must not have run");
        assert.match(r.stderr, /in use by another run \(pid \d+, since .*: bash -c while/);
        assert.match(r.stderr, /still in use after 1s by: pid \d+/);
    });

    it("a second run goes ahead once the first has finished", async () => {
        const release = path.join(cache, "release");
        const { exited } = await holder(release);
        setTimeout(() => fs.writeFileSync(release, ""), 500);
        const second = await new Promise<{ code: number | null; out: string }>((resolve) => {
            const p = spawn("bash", [script, "echo", "second"], { env: env({ ISTIO_MC_LOCK_WAIT: "20" }) });
            let out = "";
            p.stdout.on("data", (d) => (out += d));
            p.on("exit", (code) => resolve({ code, out }));
        });
        assert.equal(await exited, 0);
        assert.deepEqual(second, { code: 0, out: "second\n" });
    });

    it("a nested call runs straight through instead of waiting for itself", () => {
        const r = run(["bash", script, "echo", "inner"], { ISTIO_MC_LOCK_WAIT: "1" });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, "inner\n");
    });

    it("a process the command leaves running (a control plane) does not keep the lock", () => {
        const pidFile = path.join(cache, "daemon.pid");
        // the daemon outlives the command, as etcd and kube-apiserver outlive up.sh
        const r = run(["bash", "-c", `setsid sleep 30 </dev/null >/dev/null 2>&1 & echo $! > ${pidFile}`]);
        assert.equal(r.status, 0, r.stderr);
        const pid = Number(fs.readFileSync(pidFile, "utf8"));
        try {
            const next = run(["echo", "next"], { ISTIO_MC_LOCK_WAIT: "1" });
            assert.equal(next.status, 0, next.stderr);
            assert.equal(next.stdout, "next\n");
        } finally {
            process.kill(pid);
        }
    });

    it("refuses a wait that is not a whole number of seconds", () => {
        const r = run(["echo", "x"], { ISTIO_MC_LOCK_WAIT: "10m" });
        assert.equal(r.status, 1);
        assert.match(r.stderr, /ISTIO_MC_LOCK_WAIT must be a whole number of seconds \(got '10m'\)/);
    });
});
