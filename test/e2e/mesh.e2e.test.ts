/**
 * End to end on the proving ground: the real Pulumi engine and providers against three local control
 * planes. Steps run in order; `after` destroys the stack and removes the backend even when a step fails.
 */
import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import { createPrivateKey, createPublicKey, X509Certificate } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import type { Stack } from "@pulumi/pulumi/automation";
import {
    apiserver,
    missingPulumiPlugins,
    CLUSTERS,
    clients,
    Clients,
    clusterSnapshot,
    CONTEXTS,
    KUBECONFIG,
    localStack,
    localUp,
    REPO,
    assertReaderOnly,
    toolchainEnv,
} from "./harness";

const localConfig = YAML.parse(fs.readFileSync(path.join(REPO, "Pulumi.local.yaml"), "utf8")).config;
const clusterConfigs: { name: string; nodes: { name: string; region: string; zone: string }[] }[] =
    localConfig["istio-multicluster:clusters"];
const b64 = (s: string) => Buffer.from(s, "base64").toString("utf8");

describe("e2e: mesh on three local control planes", function () {
    this.timeout(30 * 60 * 1000);
    let env: NodeJS.ProcessEnv;
    let stack: Stack;
    let backend: string;
    const api = {} as Record<string, Clients>;
    const before0 = {} as Record<string, Record<string, unknown>>;
    const tokensSeen = new Set<string>();
    const log: string[] = [];
    const onOutput = (s: string) => log.push(s);

    before(async function () {
        // The providers cannot be built from source here (docs/toolchain.md "Traps"); look for them first so
        // that a machine without them does not spend minutes building a CLI it cannot use.
        env = toolchainEnv(["kube", "istio"]);
        const missing = missingPulumiPlugins(env, ["pulumi-resource-kubernetes", "pulumi-resource-tls", "pulumi-resource-random"]);
        if (missing.length) {
            console.log(
                `      SKIPPED: provider plugins not available: ${missing.join(", ")}. Put them on PATH or install them with ` +
                    "`pulumi plugin install resource <name> <version> --file <binary>`.",
            );
            this.skip();
        }
        env = toolchainEnv(["pulumi", "kube", "istio"]);
        localUp(env);
        ({ stack, backend } = await localStack(env));
        for (const c of CLUSTERS) {
            api[c] = await clients({ context: CONTEXTS[c] });
            before0[c] = await clusterSnapshot(api[c]);
        }
    });

    let failed = false;
    afterEach(function () {
        if (this.currentTest?.state === "failed") failed = true;
    });

    after(async () => {
        if (stack) {
            try {
                await stack.destroy({ onOutput });
            } finally {
                await stack.workspace.removeStack("local", { force: true }).catch(() => undefined);
            }
        }
        if (backend) fs.rmSync(backend, { recursive: true, force: true });
        if (failed) fs.writeFileSync(path.join(REPO, "e2e-pulumi.log"), log.join(""));
    });

    it("1. preview on empty clusters succeeds and shows the plan", async () => {
        const r = await stack.preview({ onOutput });
        assert.ok((r.changeSummary.create ?? 0) > 50, `plan: ${JSON.stringify(r.changeSummary)}`);
        assert.equal(r.changeSummary.delete ?? 0, 0);
    });

    it("2. up succeeds", async () => {
        const r = await stack.up({ onOutput });
        assert.equal(r.summary.result, "succeeded");
    });

    it("2a. node labels match the seed", async () => {
        for (const cfg of clusterConfigs) {
            const nodes = await api[cfg.name].core.listNode();
            for (const n of cfg.nodes) {
                const live = nodes.items.find((x) => x.metadata!.name === n.name)!.metadata!.labels!;
                assert.equal(live["topology.kubernetes.io/region"], n.region, `${n.name} region`);
                assert.equal(live["topology.kubernetes.io/zone"], n.zone, `${n.name} zone`);
            }
        }
    });

    it("2b. each cacerts chains to the one shared root, pathlen 0, with the Makefile's subject and SAN", async () => {
        const roots = new Set<string>();
        for (const c of CLUSTERS) {
            const s = await api[c].core.readNamespacedSecret({ name: "cacerts", namespace: "istio-system" });
            const d = Object.fromEntries(Object.entries(s.data!).map(([k, v]) => [k, b64(v)]));
            assert.deepEqual(Object.keys(d).sort(), ["ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem"]);
            const inter = new X509Certificate(d["ca-cert.pem"]);
            const root = new X509Certificate(d["root-cert.pem"]);
            assert.ok(inter.checkIssued(root) && inter.verify(root.publicKey), `${c}: intermediate is signed by the root`);
            assert.ok(root.verify(root.publicKey), "root is self-signed");
            assert.equal(inter.ca, true);
            assert.deepEqual(inter.subject.split("\n").sort(), ["CN=Intermediate CA", `L=${c}`, "O=Istio"]);
            assert.deepEqual(root.subject.split("\n").sort(), ["CN=Root CA", "O=Istio"]);
            assert.equal(inter.subjectAltName, "DNS:istiod.istio-system.svc");
            const text = execFileSync("openssl", ["x509", "-noout", "-text"], { input: d["ca-cert.pem"], encoding: "utf8" });
            assert.match(text, /CA:TRUE, pathlen:0/);
            assert.match(text, /Digital Signature, Non Repudiation, Key Encipherment, Certificate Sign/);
            const rootText = execFileSync("openssl", ["x509", "-noout", "-text"], { input: d["root-cert.pem"], encoding: "utf8" });
            assert.match(rootText, /CA:TRUE\s*$/m, "root has no path length constraint");
            assert.equal(d["cert-chain.pem"], d["ca-cert.pem"] + d["root-cert.pem"]);
            const pub = createPublicKey(createPrivateKey(d["ca-key.pem"])).export({ type: "spki", format: "pem" });
            assert.equal(pub, inter.publicKey.export({ type: "spki", format: "pem" }), "ca-key.pem matches ca-cert.pem");
            roots.add(d["root-cert.pem"]);
        }
        assert.equal(roots.size, 1);
    });

    it("2c. istiod carries CLUSTER_ID and network", async () => {
        for (const c of CLUSTERS) {
            const d = await api[c].apps.readNamespacedDeployment({ name: "istiod", namespace: "istio-system" });
            const envs = d.spec!.template.spec!.containers[0].env ?? [];
            assert.equal(envs.find((e) => e.name === "CLUSTER_ID")?.value, c);
            assert.equal(d.status?.readyReplicas, 1, "rolled out");
            const inj = await api[c].core.readNamespacedConfigMap({ name: "istio-sidecar-injector", namespace: "istio-system" });
            assert.equal(JSON.parse(inj.data!.values).global.network, `network${c.slice(-1)}`);
            const ns = await api[c].core.readNamespace({ name: "istio-system" });
            assert.equal(ns.metadata!.labels!["topology.istio.io/network"], `network${c.slice(-1)}`);
        }
    });

    it("2d. each remote secret authenticates to its target with read-only access", async () => {
        for (const reader of CLUSTERS) {
            const list = await api[reader].core.listNamespacedSecret({
                namespace: "istio-system",
                labelSelector: "istio/multiCluster=true",
            });
            const targets = CLUSTERS.filter((t) => t !== reader);
            assert.deepEqual(
                list.items.map((s) => s.metadata!.name).sort(),
                targets.map((t) => `istio-remote-secret-${t}`),
            );
            for (const s of list.items) {
                const target = s.metadata!.annotations!["networking.istio.io/cluster"];
                assert.deepEqual(Object.keys(s.data!), [target]);
                const kubeconfig = b64(s.data![target]);
                const user = YAML.parse(kubeconfig).users[0].user;
                assert.ok(user.token.length > 20);
                tokensSeen.add(user.token);
                const remote = await clients({ kubeconfig });
                await assertReaderOnly(remote);
            }
        }
        assert.equal(tokensSeen.size, 6, "one token per link");
    });

    it("3. a second preview reports no changes, and a second up changes nothing", async () => {
        const p = await stack.preview({ onOutput, diff: true });
        const changed = Object.entries(p.changeSummary).filter(([k, v]) => k !== "same" && v);
        assert.deepEqual(changed, [], `no-op preview changes: ${JSON.stringify(p.changeSummary)}`);
        const u = await stack.up({ onOutput });
        const uchanged = Object.entries(u.summary.resourceChanges ?? {}).filter(([k, v]) => k !== "same" && v);
        assert.deepEqual(uchanged, []);
    });

    it("4. the exported state holds no private key and no token in plaintext", async () => {
        const state = JSON.stringify(await stack.exportStack());
        assert.doesNotMatch(state, /PRIVATE KEY/);
        for (const t of tokensSeen) assert.ok(!state.includes(t), "a reader token is in plaintext");
        for (const t of tokensSeen) assert.ok(!state.includes(Buffer.from(t).toString("base64")), "a reader token is in base64");
    });

    it("5. istioctl analyze over the three clusters reports no errors", () => {
        const r = spawnSync(
            "istioctl",
            [
                "analyze",
                "--kubeconfig",
                KUBECONFIG,
                "--context",
                CONTEXTS.cluster1,
                "--remote-contexts",
                `${CONTEXTS.cluster2},${CONTEXTS.cluster3}`,
                "--all-namespaces",
            ],
            { env, encoding: "utf8" },
        );
        const out = `${r.stdout}${r.stderr}`;
        assert.doesNotMatch(out, /^Error \[/m, out);
        assert.equal(r.status, 0, out);
    });

    it("6. destroy removes everything the stack created, node labels included", async () => {
        await stack.destroy({ onOutput });
        for (const c of CLUSTERS) assert.deepEqual(await clusterSnapshot(api[c]), before0[c], `${c} is as before`);
    });

    it("7. a rerun after an API server outage mid-up converges with no orphan or duplicate", async () => {
        let stopped = false;
        const up = stack.up({
            onOutput,
            onEvent: (ev) => {
                const urn = ev.resOutputsEvent?.metadata.urn ?? "";
                if (!stopped && urn.includes("mesh-cluster2-istiod")) {
                    stopped = true;
                    apiserver("stop", "c2", env);
                    setTimeout(() => apiserver("start", "c2", env), 15000);
                }
            },
        });
        await up.then(
            () => undefined,
            (e) => log.push(`interrupted up failed as expected: ${(e as Error).message.slice(0, 500)}\n`),
        );
        assert.ok(stopped, "the outage happened during the up");
        await new Promise((r) => setTimeout(r, 16000));
        const r = await stack.up({ onOutput });
        assert.equal(r.summary.result, "succeeded");
        for (const c of CLUSTERS) {
            const sec = await api[c].core.listNamespacedSecret({ namespace: "istio-system" });
            const names = sec.items.map((s) => s.metadata!.name!);
            assert.equal(names.filter((n) => n.startsWith("istio-remote-secret-")).length, 2, `${c}: remote secrets`);
            assert.equal(names.filter((n) => n.startsWith("istio-reader-service-account-")).length, 2, `${c}: reader tokens`);
            assert.equal(names.filter((n) => n === "cacerts").length, 1);
        }
        const again = await stack.preview({ onOutput });
        assert.deepEqual(
            Object.entries(again.changeSummary).filter(([k, v]) => k !== "same" && v),
            [],
        );
        await stack.destroy({ onOutput });
        for (const c of CLUSTERS) assert.deepEqual(await clusterSnapshot(api[c]), before0[c], `${c} is as before`);
    });
});
