/**
 * `bash scripts/local/exclusive.sh npx ts-node --transpile-only scripts/local/pcdsSmoke.ts [--keep] [--no-negative]`:
 * proves `meshxds pcds` / `trustAnchorsAsync` (scripts/local/xds.ts) against a real istiod. It brings the three local
 * clusters up, runs `pulumi up` of a copy of the local stack with `ca: { protectRoot: false, multiRoot: true }` (so the
 * istiod Deployment carries ISTIO_MULTIROOT_MESH=true), starts cluster1's host istiod and checks that the trust anchors
 * it serves a sidecar of cluster1 over PCDS are exactly the certificates of cluster1's `cacerts` root-cert.pem (by
 * SHA-256 fingerprint). Then (unless --no-negative) `pulumi up` with multiRoot off, istiod restarted: PCDS must bring
 * nothing. Prints each step's time; exits 1 on the first failure. Destroys the stack, stops the istiods and stops the
 * clusters (scripts/local/down.sh; not when they were already up) unless --keep.
 * @see docs/istiod-on-host.md
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { X509Certificate } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import * as YAML from "yaml";
import { disposeLocalStack, localStack, localUp, REPO, requireToolchain } from "../../test/e2e/harness";
import { HostIstiod, startIstiods, STATE, stopIstiods } from "./istiod";
import { trustAnchorsAsync } from "./xds";

const STACK = "pcds-smoke";
const LOCAL = "c1";
const PROXY = { cluster: "cluster1", network: "network1", namespace: "sample" };

function step(name: string, t0: number): void {
    console.log(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
}

function kubectl(args: string[]): string {
    const kubeconfig = path.join(STATE, LOCAL, "admin.kubeconfig");
    return execFileSync("kubectl", ["--kubeconfig", kubeconfig, ...args], { encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
}

/** Each certificate of a PEM bundle, as X509Certificate. */
function certsOf(bundle: string): X509Certificate[] {
    return (bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((p) => new X509Certificate(p));
}

function setMultiRoot(multiRoot: boolean): void {
    const file = path.join(REPO, `Pulumi.${STACK}.yaml`);
    const doc = YAML.parse(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
    doc.config["istio-multicluster:ca"] = { protectRoot: false, multiRoot };
    fs.writeFileSync(file, YAML.stringify(doc));
}

async function startIstiod(): Promise<HostIstiod> {
    const [istiod] = (await startIstiods({ clusters: [LOCAL] })).filter((h: HostIstiod) => h.revision === "default");
    assert.ok(istiod, `${LOCAL}'s istiod started`);
    return istiod;
}

async function main(): Promise<void> {
    const keep = process.argv.includes("--keep");
    const negative = !process.argv.includes("--no-negative");
    const all = Date.now();
    const log: string[] = [];
    const onOutput = (s: string) => log.push(s);
    let stack: Stack | undefined;
    let backend: string | undefined;
    let failed = false;
    let wasUp = false;
    try {
        let t0 = Date.now();
        const env = requireToolchain();
        step("toolchain", t0);

        t0 = Date.now();
        try {
            kubectl(["get", "--raw", "/readyz"]);
            wasUp = true;
        } catch {
            wasUp = false;
        }
        localUp(env, 3);
        stopIstiods(["c1", "c2", "c3"]);
        step("local clusters up", t0);

        t0 = Date.now();
        ({ stack, backend } = await localStack(env, STACK, (c) => {
            c["istio-multicluster:ca"] = { protectRoot: false, multiRoot: true };
        }));
        let r = await stack.up({ onOutput });
        assert.equal(r.summary.result, "succeeded");
        step(`pulumi up, multiRoot on (${Object.values(r.summary.resourceChanges ?? {}).reduce((a, b) => a + (b ?? 0), 0)} resources)`, t0);
        const envOf = () =>
            kubectl(["-n", "istio-system", "get", "deployment/istiod", "-o", "jsonpath={.spec.template.spec.containers[0].env}"]);
        assert.match(envOf(), /"name":"ISTIO_MULTIROOT_MESH","value":"true"/, "the istiod Deployment sets ISTIO_MULTIROOT_MESH=true");

        t0 = Date.now();
        let istiod = await startIstiod();
        step(`istiod ${istiod.address} (${istiod.clusterId}, ${istiod.version})`, t0);

        t0 = Date.now();
        const rootPem = Buffer.from(
            kubectl(["-n", "istio-system", "get", "secret", "cacerts", "-o", "jsonpath={.data.root-cert\\.pem}"]),
            "base64",
        ).toString("utf8");
        const roots = certsOf(rootPem);
        assert.ok(roots.length > 0, "cacerts holds a root-cert.pem");
        const anchors = await trustAnchorsAsync(istiod, PROXY);
        step(`trustAnchorsAsync as a sidecar of ${PROXY.cluster}: ${anchors.length} anchor(s)`, t0);
        const served = anchors.map((p) => new X509Certificate(p));
        for (const x of served) console.log(`     served: ${x.subject.replace(/\n/g, ", ")}, sha256 ${x.fingerprint256}`);
        for (const x of roots) console.log(`     cacerts root-cert.pem: ${x.subject.replace(/\n/g, ", ")}, sha256 ${x.fingerprint256}`);
        assert.deepEqual(
            served.map((x) => x.fingerprint256),
            roots.map((x) => x.fingerprint256),
            "the served anchors are exactly cacerts' root-cert.pem",
        );
        assert.ok(
            anchors.every((p) => certsOf(p).length === 1),
            "one certificate per anchor",
        );
        step("served anchors = cacerts root-cert.pem (by fingerprint)", t0);

        if (negative) {
            t0 = Date.now();
            stopIstiods([LOCAL]);
            setMultiRoot(false);
            r = await stack.up({ onOutput });
            assert.equal(r.summary.result, "succeeded");
            assert.doesNotMatch(envOf(), /ISTIO_MULTIROOT_MESH/, "the istiod Deployment no longer sets ISTIO_MULTIROOT_MESH");
            istiod = await startIstiod();
            step("pulumi up, multiRoot off; istiod restarted", t0);
            t0 = Date.now();
            try {
                const got = await trustAnchorsAsync(istiod, PROXY);
                throw new Error(`istiod served PCDS without multiRoot: ${got.length} anchor(s)`);
            } catch (e) {
                const msg = (e as Error).message;
                assert.match(msg, /ISTIO_MULTIROOT_MESH/, msg);
                console.log(`     ${msg.replace(/^meshxds .*? exited \d+: /, "")}`);
            }
            step("without multiRoot: no PCDS response", t0);
        }
        console.log(`all ok (${((Date.now() - all) / 1000).toFixed(0)}s)`);
    } catch (e) {
        failed = true;
        console.error(`FAIL ${(e as Error).message}`);
        fs.writeFileSync(path.join(REPO, "pcds-smoke-pulumi.log"), log.join(""));
    } finally {
        if (!keep) {
            const t0 = Date.now();
            stopIstiods(["c1", "c2", "c3"]);
            await disposeLocalStack(stack, STACK, backend, onOutput).catch((e) => console.error(`destroy: ${(e as Error).message}`));
            if (!wasUp) execFileSync("bash", [path.join(REPO, "scripts", "local", "down.sh")], { stdio: "inherit" });
            step(`cleaned up (stack destroyed, ${wasUp ? "the clusters left up as found" : "clusters down"})`, t0);
        }
    }
    process.exit(failed ? 1 : 0);
}

void main();
