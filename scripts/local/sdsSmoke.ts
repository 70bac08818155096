/**
 * `bash scripts/local/exclusive.sh npx ts-node --transpile-only scripts/local/sdsSmoke.ts [--keep]`: proves
 * `meshxds sds` / `gatewaySecrets` (scripts/local/xds.ts) against a real istiod. It brings the three local clusters up,
 * runs `pulumi up` of a copy of the local stack (its `shifting` scenario installs `istio-ingressgateway` in cluster1),
 * starts cluster1's host istiod, creates a self-signed TLS Secret `istio-system/hello-credential` (SAN
 * hello.mesh.test) and a Gateway with an HTTPS server on 443 (`credentialName: hello-credential`), then asks istiod
 * as the gateway (a token of `istio-system/istio-ingressgateway`, audience istio-ca, over 15012 with TLS verified
 * against istio-ca-root-cert) and checks the served chain is the Secret's certificate. Then what istiod refuses: a
 * token of another namespace (PermissionDenied), a token with the wrong audience (Unauthenticated), a service account
 * that may not list secrets (no SDS response). Prints each step's time; exits 1 on the first failure. Destroys the
 * stack and stops the clusters (scripts/local/down.sh; not when they were already up) unless --keep.
 * @see docs/istiod-on-host.md
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { X509Certificate } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { disposeLocalStack, localStack, localUp, REPO, requireToolchain } from "../../test/e2e/harness";
import { rootCertConfigMap, serviceAccountToken } from "./caClient";
import { HostIstiod, startIstiods, STATE, stopIstiods } from "./istiod";
import { gatewaySecrets, GatewaySds } from "./xds";

const STACK = "sds-smoke";
const LOCAL = "c1";
const CLUSTER = "cluster1";
const NETWORK = "network1";
const SECRET = "hello-credential";
const HOST = "hello.mesh.test";
const GATEWAY = "hello-https";

function step(name: string, t0: number): void {
    console.log(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
}

function kubectl(args: string[], input?: string): string {
    const kubeconfig = path.join(STATE, LOCAL, "admin.kubeconfig");
    return execFileSync("kubectl", ["--kubeconfig", kubeconfig, ...args], { encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"] });
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        try {
            return await probe();
        } catch (e) {
            if (Date.now() > deadline)
                throw new Error(`${what}: not within ${timeoutMs / 1000}s (last: ${(e as Error).message})`, { cause: e });
        }
        await new Promise((r) => setTimeout(r, 1000));
    }
}

/** A self-signed certificate for HOST (ECDSA P-256, one day) made with openssl: PEM certificate and key. */
function selfSigned(dir: string): { cert: string; key: string } {
    execFileSync(
        "openssl",
        ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"].concat([
            "-keyout",
            "tls.key",
            "-out",
            "tls.crt",
            "-subj",
            `/CN=${HOST}`,
            "-addext",
            `subjectAltName=DNS:${HOST}`,
        ]),
        { cwd: dir, stdio: "pipe" },
    );
    return { cert: path.join(dir, "tls.crt"), key: path.join(dir, "tls.key") };
}

async function rejects(what: string, p: Promise<unknown>, pattern: RegExp): Promise<string> {
    try {
        await p;
    } catch (e) {
        const msg = (e as Error).message;
        assert.match(msg, pattern, `${what}: ${msg}`);
        return msg.replace(/^meshxds .*? exited \d+: /, "");
    }
    throw new Error(`${what}: istiod served it`);
}

async function main(): Promise<void> {
    const keep = process.argv.includes("--keep");
    const all = Date.now();
    const log: string[] = [];
    const onOutput = (s: string) => log.push(s);
    let stack: Stack | undefined;
    let backend: string | undefined;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sds-smoke-"));
    let failed = false;
    /** Clusters someone else left up (e.g. with parts they keep) stay up; only the stack goes. */
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
        ({ stack, backend } = await localStack(env, STACK));
        const r = await stack.up({ onOutput });
        assert.equal(r.summary.result, "succeeded");
        step(`pulumi up (${Object.values(r.summary.resourceChanges ?? {}).reduce((a, b) => a + (b ?? 0), 0)} resources)`, t0);

        t0 = Date.now();
        const [istiod] = (await startIstiods({ clusters: [LOCAL] })).filter((h: HostIstiod) => h.revision === "default");
        assert.ok(istiod, `${LOCAL}'s istiod started`);
        step(`istiod ${istiod.address} (${istiod.clusterId}, ${istiod.version})`, t0);
        kubectl([
            "-n",
            "istio-system",
            "get",
            "deployment/istio-ingressgateway",
            "serviceaccount/istio-ingressgateway",
            "role/istio-ingressgateway",
        ]);

        t0 = Date.now();
        const tls = selfSigned(dir);
        kubectl(["-n", "istio-system", "create", "secret", "tls", SECRET, `--cert=${tls.cert}`, `--key=${tls.key}`]);
        kubectl(
            ["apply", "-f", "-"],
            JSON.stringify({
                apiVersion: "networking.istio.io/v1",
                kind: "Gateway",
                metadata: { name: GATEWAY, namespace: "istio-system" },
                spec: {
                    selector: { istio: "ingressgateway" },
                    servers: [
                        {
                            port: { number: 443, name: "https", protocol: "HTTPS" },
                            tls: { mode: "SIMPLE", credentialName: SECRET },
                            hosts: [HOST],
                        },
                    ],
                },
            }),
        );
        const secretCrt = Buffer.from(
            kubectl(["-n", "istio-system", "get", "secret", SECRET, "-o", "jsonpath={.data.tls\\.crt}"]),
            "base64",
        ).toString("utf8");
        step(`Secret istio-system/${SECRET} (self-signed, SAN ${HOST}) and Gateway istio-system/${GATEWAY}`, t0);

        t0 = Date.now();
        const token = serviceAccountToken(LOCAL, "istio-system", "istio-ingressgateway");
        const rootPem = rootCertConfigMap(LOCAL, "istio-system");
        const req = { cluster: CLUSTER, network: NETWORK, token, rootPem };
        let calls = 0;
        const sds: GatewaySds = await until("the gateway's SDS secret", 90_000, async () => {
            calls++;
            const got = await gatewaySecrets(istiod, req);
            if (!got.secrets[`kubernetes://${SECRET}`]) throw new Error(`served ${JSON.stringify(Object.keys(got.secrets))}`);
            return got;
        });
        step(`gatewaySecrets as istio-system/istio-ingressgateway (${calls} call(s))`, t0);
        const served = sds.secrets[`kubernetes://${SECRET}`];
        const chain = sds.chains.find((c) => c.sdsNames.includes(`kubernetes://${SECRET}`));
        console.log(
            JSON.stringify(
                {
                    verified: sds.verified,
                    listeners: sds.listeners,
                    chains: sds.chains,
                    requested: sds.requested,
                    secret: { hasPrivateKey: served.hasPrivateKey, certChainPemBytes: served.certChainPem?.length },
                },
                null,
                2,
            ),
        );
        assert.ok(sds.verified, "istiod's serving certificate verified against istio-ca-root-cert");
        assert.deepEqual(sds.listeners, ["0.0.0.0_443"]);
        assert.ok(chain, "a filter chain refers to the credential");
        assert.deepEqual(chain.serverNames, [HOST]);
        assert.equal(served.certChainPem, secretCrt, "the served chain is the Secret's tls.crt, byte for byte");
        assert.ok(served.hasPrivateKey, "istiod sent the key (not printed)");
        const x = new X509Certificate(served.certChainPem!);
        console.log(`     served: ${x.subject.trim()}, ${x.subjectAltName}, sha256 ${x.fingerprint256}`);
        assert.equal(x.fingerprint256, new X509Certificate(secretCrt).fingerprint256);
        assert.ok(!JSON.stringify(sds).includes("PRIVATE KEY"), "no key bytes in the output");
        step("served chain = Secret's certificate", t0);

        t0 = Date.now();
        const other = serviceAccountToken(LOCAL, "sample", "default");
        const m1 = await rejects("a token of sample/default", gatewaySecrets(istiod, { ...req, token: other }), /PermissionDenied/);
        console.log(`     ${m1}`);
        const wrongAud = serviceAccountToken(LOCAL, "istio-system", "istio-ingressgateway", { audience: "not-istio" });
        const m2 = await rejects("a token with audience not-istio", gatewaySecrets(istiod, { ...req, token: wrongAud }), /Unauthenticated/);
        console.log(`     ${m2}`);
        const dflt = serviceAccountToken(LOCAL, "istio-system", "default");
        const m3 = await rejects(
            "istio-system/default (no secrets RBAC)",
            gatewaySecrets(istiod, { ...req, token: dflt, serviceAccount: "default", timeoutSeconds: 8 }),
            /no secrets \(SDS\)/,
        );
        console.log(`     ${m3.slice(0, 160)}…`);
        const istiodLog = fs.readFileSync(path.join(istiod.dir, "istiod.log"), "utf8");
        const denied = istiodLog.split("\n").find((l) => l.includes("attempted to access unauthorized certificates"));
        console.log(`     istiod.log: ${denied?.replace(/^.*?\twarn\t/, "") ?? "(no line)"}`);
        step("refusals", t0);
        console.log(`all ok (${((Date.now() - all) / 1000).toFixed(0)}s)`);
    } catch (e) {
        failed = true;
        console.error(`FAIL ${(e as Error).message}`);
        fs.writeFileSync(path.join(REPO, "sds-smoke-pulumi.log"), log.join(""));
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
        if (!keep) {
            const t0 = Date.now();
            stopIstiods(["c1", "c2", "c3"]);
            try {
                kubectl(["-n", "istio-system", "delete", "gateway", GATEWAY, "--ignore-not-found"]);
                kubectl(["-n", "istio-system", "delete", "secret", SECRET, "--ignore-not-found"]);
            } catch {
                // the clusters go down next anyway
            }
            await disposeLocalStack(stack, STACK, backend, onOutput).catch((e) => console.error(`destroy: ${(e as Error).message}`));
            if (!wasUp) execFileSync("bash", [path.join(REPO, "scripts", "local", "down.sh")], { stdio: "inherit" });
            step(`cleaned up (stack destroyed, ${wasUp ? "the clusters left up as found" : "clusters down"})`, t0);
        }
    }
    process.exit(failed ? 1 : 0);
}

void main();
