/**
 * End to end on the proving ground: the real Pulumi engine and providers against three local control planes,
 * with every scenario that means something on kwok nodes (Pulumi.local.yaml). Steps run in order; `after`
 * destroys the stack and removes the backend even when a step fails. Never skipped: a missing tool fails
 * `before` with what to do (requireToolchain).
 */
import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import { createPrivateKey, createPublicKey, X509Certificate } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { stackFileConfig, withoutNamespace } from "../helpers/configs";
import { RecordingMocks, runProgram } from "../helpers/mocks";
import {
    apiserver,
    assertReaderOnly,
    component,
    CLUSTERS,
    clients,
    Clients,
    clusterSnapshot,
    CONTEXTS,
    E2E_STACK,
    KUBECONFIG,
    localStack,
    localUp,
    pulumiCli,
    pulumiRun,
    REPO,
    requireToolchain,
    statusOf,
    disposeLocalStack,
    eventually,
    tokenControllerServes,
} from "./harness";
import { countsOf, credentialFragments, PlannedStep, plannedSteps, registeredByProgram, secretValuesIn, stateLeaks } from "./stateChecks";

const localConfig = YAML.parse(fs.readFileSync(path.join(REPO, "Pulumi.local.yaml"), "utf8")).config;
const clusterConfigs: { name: string; nodes: { name: string; region: string; zone: string }[] }[] =
    localConfig["istio-multicluster:clusters"];
const b64 = (s: string) => Buffer.from(s, "base64").toString("utf8");
const changes = (summary: Record<string, number | undefined>) => Object.entries(summary).filter(([k, v]) => k !== "same" && v);

describe("e2e: mesh on three local control planes (real engine)", function () {
    this.timeout(30 * 60 * 1000);
    let env: NodeJS.ProcessEnv;
    let envVars: Record<string, string>;
    let stack: Stack;
    let backend: string;
    const api = {} as Record<string, Clients>;
    const before0 = {} as Record<string, Record<string, unknown>>;
    const tokensSeen = new Set<string>();
    /** The token of each link at the first up, per `reader->target`. */
    let firstTokens = new Map<string, string>();
    const log: string[] = [];
    const onOutput = (s: string) => log.push(s);

    /** The remote-secret tokens now in the clusters, per `reader->target`. */
    async function liveTokens(): Promise<Map<string, string>> {
        const out = new Map<string, string>();
        for (const reader of CLUSTERS) {
            const list = await api[reader].core.listNamespacedSecret({
                namespace: "istio-system",
                labelSelector: "istio/multiCluster=true",
            });
            for (const s of list.items) {
                const target = s.metadata!.annotations!["networking.istio.io/cluster"];
                out.set(`${reader}->${target}`, YAML.parse(b64(s.data![target])).users[0].user.token);
            }
        }
        return out;
    }

    /** The kubeconfig in `reader`'s remote secret for `target`, as istiod reads it. */
    async function remoteKubeconfig(reader: string, target: string): Promise<string> {
        const s = await api[reader].core.readNamespacedSecret({ namespace: "istio-system", name: `istio-remote-secret-${target}` });
        return b64(s.data![target]);
    }

    async function cacerts(c: string): Promise<Record<string, string>> {
        const s = await api[c].core.readNamespacedSecret({ name: "cacerts", namespace: "istio-system" });
        return Object.fromEntries(Object.entries(s.data!).map(([k, v]) => [k, b64(v)]));
    }

    /** What the program registers under mocks for `config` (the local kubeconfig in place). */
    async function underMocks(config: Record<string, unknown>): Promise<RecordingMocks> {
        const mocks = new RecordingMocks();
        const savedKubeconfig = process.env.KUBECONFIG;
        process.env.KUBECONFIG = KUBECONFIG;
        try {
            await runProgram(mocks, config, E2E_STACK);
        } finally {
            if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
            else process.env.KUBECONFIG = savedKubeconfig;
        }
        return mocks;
    }

    before(async function () {
        env = requireToolchain();
        localUp(env, 3);
        ({ stack, backend, envVars } = await localStack(env));
        for (const c of CLUSTERS) {
            api[c] = await clients({ context: CONTEXTS[c] });
            before0[c] = await clusterSnapshot(api[c]);
        }
        for (const c of CLUSTERS) {
            const crds = (before0[c].crds as string[]).filter((n) => n.endsWith(".istio.io"));
            assert.deepEqual(crds, [], `${c} already has Istio CRDs (left by another run?): npm run local:down, then retry`);
        }
    });

    let failed = false;
    afterEach(function () {
        if (this.currentTest?.state === "failed") failed = true;
    });

    after(async () => {
        await disposeLocalStack(stack, E2E_STACK, backend, onOutput);
        if (failed) fs.writeFileSync(path.join(REPO, "e2e-pulumi.log"), log.join(""));
    });

    it("1. preview on empty clusters plans exactly what the mocks predict, per type and per provider", async () => {
        const events: EngineEvent[] = [];
        const r = await stack.preview({ onOutput, onEvent: (e) => events.push(e) });
        assert.equal(r.changeSummary.delete ?? 0, 0);
        const real = countsOf(registeredByProgram(events));
        const mocks = await underMocks(stackFileConfig(E2E_STACK));
        const predicted = countsOf(
            mocks.resources.map((m) => ({
                type: m.type,
                provider: m.custom && !m.type.startsWith("pulumi:providers:") ? (mocks.providerName(m) ?? "default") : undefined,
            })),
        );
        assert.deepEqual(real.byType, predicted.byType);
        assert.deepEqual(real.byProvider, predicted.byProvider);
        assert.ok((r.changeSummary.create ?? 0) > predicted.total, `the charts' objects come on top: ${JSON.stringify(r.changeSummary)}`);
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

    it("2b. each cacerts chains to the one shared root, with the Makefile's subject, usages and SAN", async () => {
        const roots = new Set<string>();
        for (const c of CLUSTERS) {
            const d = await cacerts(c);
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
            // The tls provider cannot issue pathlen:0 (it sets MaxPathLen 0 without MaxPathLenZero, which Go's x509
            // reads as "no limit"): docs/toolchain.md "Known limits". Istio itself does not need it.
            assert.match(text, /CA:TRUE/);
            assert.match(text, /Digital Signature, Non Repudiation, Key Encipherment, Certificate Sign/);
            assert.equal(d["cert-chain.pem"], d["ca-cert.pem"] + d["root-cert.pem"]);
            const pub = createPublicKey(createPrivateKey(d["ca-key.pem"])).export({ type: "spki", format: "pem" });
            assert.equal(pub, inter.publicKey.export({ type: "spki", format: "pem" }), "ca-key.pem matches ca-cert.pem");
            roots.add(d["root-cert.pem"]);
        }
        assert.equal(roots.size, 1);
    });

    it("2c. istiod carries CLUSTER_ID and network; istio-system is labelled with the network", async () => {
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
                await assertReaderOnly(await clients({ kubeconfig }));
            }
        }
        assert.equal(tokensSeen.size, 6, "one token per link");
        firstTokens = await liveTokens();
    });

    it("2e. the scenarios' objects are in place (samples per zone, CC2/CC3 rules, ServiceEntries, seed 003's 10/90 shift)", async () => {
        const dr = (c: string) =>
            api[c].custom.listNamespacedCustomObject({
                group: "networking.istio.io",
                version: "v1",
                namespace: "sample",
                plural: "destinationrules",
            });
        const names = async (c: string) =>
            ((await dr(c)) as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name).sort();
        assert.deepEqual(await names("cluster1"), ["helloworld", "helloworld2-loc1"]);
        assert.deepEqual(await names("cluster2"), ["helloworld", "helloworld2-loc2"]);
        const deployments = (await api.cluster2.apps.listNamespacedDeployment({ namespace: "sample" })).items;
        assert.equal(
            deployments.filter((d) => d.metadata!.name!.startsWith("helloworld2-")).length,
            5,
            "one helloworld2 per zone of cluster2",
        );
        assert.ok(
            deployments.every((d) => d.status?.readyReplicas === d.spec?.replicas),
            "every Deployment rolled out on kwok nodes",
        );
        const se = (await api.cluster1.custom.listNamespacedCustomObject({
            group: "networking.istio.io",
            version: "v1",
            namespace: "sample",
            plural: "serviceentries",
        })) as { items: { metadata: { name: string } }[] };
        assert.deepEqual(se.items.map((i) => i.metadata.name).sort(), ["istio-io", "mysql-db-1", "mysql-db-2"]);
        for (const c of ["cluster1", "cluster2"]) {
            const vs = (await api[c].custom.getNamespacedCustomObject({
                group: "networking.istio.io",
                version: "v1",
                namespace: "sample",
                plural: "virtualservices",
                name: "helloworld",
            })) as { spec: { http: { route: { weight: number; destination: { subset: string } }[] }[] } };
            assert.deepEqual(
                vs.spec.http[0].route.map((r) => `${r.destination.subset}=${r.weight}`),
                ["v1=10", "v2=90"],
            );
        }
    });

    it("3. a second preview reports no changes, a second up changes nothing, and so after `pulumi refresh`", async () => {
        const p = await stack.preview({ onOutput, diff: true });
        assert.deepEqual(changes(p.changeSummary), [], `no-op preview: ${JSON.stringify(p.changeSummary)}`);
        const u = await stack.up({ onOutput });
        assert.deepEqual(changes(u.summary.resourceChanges ?? {}), []);
        const r = await stack.refresh({ onOutput });
        assert.equal(r.summary.result, "succeeded");
        const again = await stack.preview({ onOutput, diff: true });
        assert.deepEqual(changes(again.changeSummary), [], `preview after refresh: ${JSON.stringify(again.changeSummary)}`);
    });

    it("3a. after `npm run build` the preview still shows 0 changes (the program, not the library, is run)", async () => {
        execFileSync("npm", ["run", "build"], { cwd: REPO, stdio: "pipe" });
        assert.ok(fs.existsSync(path.join(REPO, "dist", "components", "index.js")));
        const p = await stack.preview({ onOutput });
        assert.deepEqual(changes(p.changeSummary), [], `preview after a build: ${JSON.stringify(p.changeSummary)}`);
        assert.doesNotMatch(log.join(""), /Could not find entry point/);
    });

    it("3b. switching istio.baseInstall from release back to objects is refused in the preview, naming the setting", async () => {
        // Pulumi.local.yaml installs the base chart as a Helm release; objects would uninstall it afterwards (docs/scale.md).
        await stack.setConfig("istio-multicluster:istio.baseInstall", { value: "objects" }, true);
        try {
            await assert.rejects(stack.preview({ onOutput }), (e: Error) => {
                // every cluster has the release; each is refused unless its read failed (then it warns), so at least one
                assert.match(e.message, /cluster cluster[123] has Istio's base chart \(the CRDs\) as the Helm release istio-base/);
                assert.match(e.message, /Keep istio.baseInstall "release" for this stack/);
                return true;
            });
        } finally {
            await stack.setConfig("istio-multicluster:istio.baseInstall", { value: "release" }, true);
        }
        const p = await stack.preview({ onOutput });
        assert.deepEqual(changes(p.changeSummary), [], `back on release: ${JSON.stringify(p.changeSummary)}`);
    });

    it("4. `pulumi stack export` holds no private key, token or kubeconfig value outside ciphertext", async () => {
        const plain = pulumiCli(envVars, ["stack", "export", "--stack", E2E_STACK]);
        const decrypted = pulumiCli(envVars, ["stack", "export", "--stack", E2E_STACK, "--show-secrets"]);
        const values = secretValuesIn(JSON.parse(decrypted));
        for (const c of CLUSTERS) values.push((await cacerts(c))["ca-key.pem"]);
        for (const t of tokensSeen) values.push(t);
        const searched = values.flatMap(credentialFragments);
        assert.ok(values.filter((v) => /PRIVATE KEY/.test(v)).length >= 4, "the root's and the three intermediates' keys were found");
        assert.ok(searched.length >= 4 * 20 + 6, `credential fragments searched for: ${searched.length}`);
        assert.deepEqual(stateLeaks(plain, values), []);
        assert.doesNotMatch(plain, /PRIVATE KEY/);
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
                CONTEXTS.cluster2,
                "--remote-contexts",
                CONTEXTS.cluster3,
                "--all-namespaces",
            ],
            { env, encoding: "utf8" },
        );
        const out = `${r.stdout}${r.stderr}`;
        // The one error class that is an artefact of the proving ground: the local API servers run without mutating
        // admission (no container could answer the injector), so gateway pods keep the chart's `image: auto`.
        const errors = out.split("\n").filter((l) => l.startsWith("Error [") && !/^Error \[IST0147\] .*contains `image: auto`/.test(l));
        assert.deepEqual(errors, [], out);
        assert.match(out, /\[cluster-c2-admin\]/, "the remote contexts were analysed");
        assert.match(out, /\[cluster-c3-admin\]/, "the remote contexts were analysed");
    });

    it("5a. rotation: a new token epoch re-issues every link's token; the previous epoch's stays valid until the next rotation", async () => {
        /** Each remote secret's kubeconfig with its token swapped for `token` (another epoch's token of the same link). */
        async function withToken(reader: string, target: string, token: string | undefined): Promise<Clients> {
            const doc = YAML.parse(await remoteKubeconfig(reader, target));
            doc.users[0].user.token = token;
            return clients({ kubeconfig: YAML.stringify(doc) });
        }
        /** Rotates to `epoch` and checks every link holds a new, live, read-only token Secret of the reader ServiceAccount. */
        async function rotateTo(epoch: string): Promise<Map<string, string>> {
            await stack.setConfig("istio-multicluster:tokenRotationEpoch", { value: epoch });
            const r = await stack.up({ onOutput });
            assert.equal(r.summary.result, "succeeded");
            const now = await liveTokens();
            assert.equal(now.size, 6);
            for (const [link, token] of now) {
                assert.ok(!tokensSeen.has(token), `${link}: a new token at epoch ${epoch}`);
                const [reader, target] = link.split("->");
                const list = await api[target].core.listNamespacedSecret({ namespace: "istio-system" });
                const kc = list.items.find((s) => s.type === "kubernetes.io/service-account-token" && b64(s.data?.token ?? "") === token);
                assert.ok(kc, `${link}: the token is a live service-account token Secret in ${target}`);
                await assertReaderOnly(await withToken(reader, target, token));
            }
            for (const t of now.values()) tokensSeen.add(t);
            return now;
        }
        /** Reader token Secrets Pulumi keeps in each cluster: one per reader and kept epoch. */
        async function readerTokenSecrets(c: string): Promise<number> {
            const list = await api[c].core.listNamespacedSecret({
                namespace: "istio-system",
                labelSelector: "app.kubernetes.io/managed-by=pulumi",
            });
            return list.items.filter((s) => s.type === "kubernetes.io/service-account-token").length;
        }

        const second = await rotateTo("2");
        for (const link of second.keys()) {
            const [reader, target] = link.split("->");
            // Grace: a reader istiod that missed the rotation still holds epoch 1's token, and it still works.
            await assertReaderOnly(await withToken(reader, target, firstTokens.get(link)));
        }
        for (const c of CLUSTERS) assert.equal(await readerTokenSecrets(c), 4, `${c}: epochs 1 and 2 for each of its two readers`);

        await rotateTo("3");
        for (const [link, token] of second) {
            const [reader, target] = link.split("->");
            await assertReaderOnly(await withToken(reader, target, token));
            // Epoch 1's Secret was re-issued for epoch 3, so the target's API server refuses its token (legacy
            // service-account tokens are checked against their Secret).
            const stale = await withToken(reader, target, firstTokens.get(link));
            await assert.rejects(stale.core.listNamespace(), (e: unknown) => statusOf(e) === 401, `${link}: epoch 1's token is refused`);
        }
        for (const c of CLUSTERS) assert.equal(await readerTokenSecrets(c), 4, `${c}: epochs 2 and 3 for each of its two readers`);
    });

    it("5b. rotation: a new CA epoch replaces every intermediate and cacerts, the root stays", async () => {
        const before = Object.fromEntries(await Promise.all(CLUSTERS.map(async (c) => [c, await cacerts(c)] as const)));
        await stack.setConfig("istio-multicluster:ca.rotationEpoch", { value: "2" }, true);
        const r = await stack.up({ onOutput });
        assert.equal(r.summary.result, "succeeded");
        for (const c of CLUSTERS) {
            const after = await cacerts(c);
            assert.equal(after["root-cert.pem"], before[c]["root-cert.pem"], `${c}: root unchanged`);
            assert.notEqual(after["ca-cert.pem"], before[c]["ca-cert.pem"], `${c}: new intermediate`);
            assert.notEqual(after["ca-key.pem"], before[c]["ca-key.pem"], `${c}: new intermediate key`);
            assert.ok(new X509Certificate(after["ca-cert.pem"]).verify(new X509Certificate(after["root-cert.pem"]).publicKey));
        }
    });

    it("5c. the policy pack passes the real preview; it refuses a program that registers no mesh, and a broken locality rule", async () => {
        const policy = path.join(REPO, "policy");
        // The local stack's API servers are loopback addresses: the policy's documented opt-in (docs/policy.md).
        const policyConfig = path.join(backend, "policy-config.json");
        fs.writeFileSync(policyConfig, JSON.stringify({ "remote-secret-shape": { allowLoopbackApiServer: true } }));
        const ok = await stack.preview({ onOutput, policyPacks: [policy], policyPackConfigs: [policyConfig] });
        assert.deepEqual(changes(ok.changeSummary), []);
        // The wrong-entry-point failure of a build: the project without Pulumi.yaml `main` runs the library entry.
        const copy = fs.mkdtempSync(path.join(REPO, ".e2e-noentry-"));
        try {
            for (const f of ["package.json", "tsconfig.json", "tsconfig.program.json", "index.ts", `Pulumi.${E2E_STACK}.yaml`])
                fs.copyFileSync(path.join(REPO, f), path.join(copy, f));
            fs.writeFileSync(
                path.join(copy, "Pulumi.yaml"),
                fs.readFileSync(path.join(REPO, "Pulumi.yaml"), "utf8").replace(/^main:.*$/m, ""),
            );
            for (const d of ["node_modules", "dist", "components", "program"]) fs.symlinkSync(path.join(REPO, d), path.join(copy, d));
            const { status, out } = pulumiRun(
                envVars,
                ["preview", "--stack", E2E_STACK, "--policy-pack", policy, "--policy-pack-config", policyConfig],
                copy,
            );
            assert.notEqual(status, 0, out);
            assert.match(out, /mesh-teardown-guard/, out);
            assert.match(out, /holds no mesh/, out);
            assert.match(out, /VirtualService \S+ delete/, out);
        } finally {
            fs.rmSync(copy, { recursive: true, force: true });
        }
        // A user's own program that bypasses the model: a DestinationRule whose distribute weights add up to 90.
        const own = fs.mkdtempSync(path.join(REPO, ".e2e-own-"));
        try {
            fs.writeFileSync(
                path.join(own, "Pulumi.yaml"),
                "name: own-rules\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n",
            );
            fs.writeFileSync(path.join(own, "package.json"), JSON.stringify({ name: "own-rules", version: "0.0.0", main: "index.js" }));
            fs.symlinkSync(path.join(REPO, "node_modules"), path.join(own, "node_modules"));
            fs.writeFileSync(
                path.join(own, "index.js"),
                [
                    'const k8s = require("@pulumi/kubernetes");',
                    `const p = new k8s.Provider("c1", { kubeconfig: ${JSON.stringify(KUBECONFIG)}, context: "c1-admin" });`,
                    'new k8s.apiextensions.CustomResource("broken", { apiVersion: "networking.istio.io/v1", kind: "DestinationRule",',
                    '  metadata: { name: "broken-locality", namespace: "default" },',
                    '  spec: { host: "x.default.svc.cluster.local", trafficPolicy: { loadBalancer: { localityLbSetting: { enabled: true,',
                    '    distribute: [{ from: "region1/zone1/*", to: { "region1/zone1/*": 60, "region2/zone1/*": 30 } }] } } } } }, { provider: p });',
                    "",
                ].join("\n"),
            );
            pulumiCli(envVars, ["stack", "init", "own"], own);
            const { status, out } = pulumiRun(envVars, ["preview", "--stack", "own", "--policy-pack", policy], own);
            assert.notEqual(status, 0, out);
            assert.match(out, /destinationrule-locality-lb/, out);
            assert.match(out, /mandatory/, out);
            await assert.rejects(
                api.cluster1.custom.getNamespacedCustomObject({
                    group: "networking.istio.io",
                    version: "v1",
                    namespace: "default",
                    plural: "destinationrules",
                    name: "broken-locality",
                }),
                (e: unknown) => statusOf(e) === 404,
                "nothing was created",
            );
            pulumiCli(envVars, ["stack", "rm", "own", "--yes", "--force"], own);
        } finally {
            fs.rmSync(own, { recursive: true, force: true });
        }
    });

    it("5d. grow and shrink: a fourth cluster adds only its own resources and six links; removing it changes nothing else", async () => {
        localUp(env, 4);
        const c4 = await clients({ context: "c4-admin" });
        const c4before = await clusterSnapshot(c4);
        const stackFile = path.join(REPO, `Pulumi.${E2E_STACK}.yaml`);
        const original = fs.readFileSync(stackFile, "utf8");
        const grownDoc = YAML.parse(original);
        const clusterList = grownDoc.config["istio-multicluster:clusters"];
        clusterList.push({
            name: "cluster4",
            context: "c4-admin",
            kubeconfig: clusterList[0].kubeconfig,
            network: "network4",
            apiServerUrl: "https://127.0.4.1:6443",
            nodes: ["zone1", "zone2", "zone3"].map((zone, i) => ({ name: `c4n${i + 1}`, region: "region5", zone })),
        });
        const key = (r: { type: string; name: string }) => `${r.type}::${r.name}`;
        const before = new Set((await underMocks(withoutNamespace(YAML.parse(original).config))).resources.map(key));
        const predictedNew = (await underMocks(withoutNamespace(grownDoc.config))).resources
            .map(key)
            .filter((k) => !before.has(k))
            .sort();
        /** The preview's changes: every one of them `op`, every one of them cluster4's. */
        const previewChanges = async (op: "create" | "delete"): Promise<PlannedStep[]> => {
            const events: EngineEvent[] = [];
            await stack.preview({ onOutput, onEvent: (e) => events.push(e) });
            // The default provider of Node.js dynamic resources (the root CA's identity guard) is handed the whole
            // stack config by the engine, so any config change updates it; it touches no cluster, and is the one
            // step outside cluster4 allowed here (checked exactly).
            const steps = plannedSteps(events).filter((st) => st.op !== "same");
            const dynamicProvider = steps.filter((st) => st.urn.endsWith("::pulumi:providers:pulumi-nodejs::default"));
            assert.deepEqual(
                dynamicProvider.map((st) => st.op),
                ["update"],
                "the dynamic-resource provider takes the new config",
            );
            const changed = steps.filter((st) => !dynamicProvider.includes(st));
            assert.deepEqual(
                changed.filter((st) => st.op !== op).map((st) => `${st.op} ${st.urn}`),
                [],
                `only ${op}s`,
            );
            assert.deepEqual(
                changed.filter((st) => !st.urn.includes("cluster4")).map((st) => st.urn),
                [],
                "only cluster4's resources",
            );
            return changed;
        };
        try {
            fs.writeFileSync(stackFile, YAML.stringify(grownDoc));
            const grow = await previewChanges("create");
            assert.deepEqual(
                grow
                    .filter((st) => st.byProgram)
                    .map(key)
                    .sort(),
                predictedNew,
                "what the mocks predict",
            );
            assert.equal(grow.filter((st) => st.type === "istio-multicluster:index:RemoteSecretLink").length, 6, "six new links");
            assert.equal((await stack.up({ onOutput })).summary.result, "succeeded");
            const all = { ...api, cluster4: c4 } as Record<string, Clients>;
            for (const [reader, client] of Object.entries(all)) {
                const list = await client.core.listNamespacedSecret({
                    namespace: "istio-system",
                    labelSelector: "istio/multiCluster=true",
                });
                const targets = list.items.map((x) => x.metadata!.annotations!["networking.istio.io/cluster"]).sort();
                assert.deepEqual(
                    targets,
                    Object.keys(all)
                        .filter((c) => c !== reader)
                        .sort(),
                    `${reader} reads every other cluster`,
                );
                for (const x of list.items) {
                    const target = x.metadata!.annotations!["networking.istio.io/cluster"];
                    if (reader === "cluster4" || target === "cluster4")
                        await assertReaderOnly(await clients({ kubeconfig: b64(x.data![target]) }));
                }
            }
        } finally {
            fs.writeFileSync(stackFile, original);
        }
        const shrink = await previewChanges("delete");
        assert.deepEqual(
            shrink
                .filter((st) => st.byProgram)
                .map(key)
                .sort(),
            predictedNew,
            "everything the grow added",
        );
        assert.equal((await stack.up({ onOutput })).summary.result, "succeeded");
        for (const c of CLUSTERS) {
            const names = (await api[c].core.listNamespacedSecret({ namespace: "istio-system" })).items.map((x) => x.metadata!.name!);
            assert.deepEqual(
                names.filter((n) => n.includes("cluster4")),
                [],
                `${c}: no remote secret or token for cluster4 is left`,
            );
            assert.equal(names.filter((n) => n.startsWith("istio-remote-secret-")).length, 2, `${c}: remote secrets`);
        }
        assert.deepEqual(await clusterSnapshot(c4), c4before, "cluster4 is as before the grow");
        assert.deepEqual(changes((await stack.preview({ onOutput })).changeSummary), []);
        localUp(env, 3);
    });

    it("5e. a rotation interrupted by the target's token controller being down: the up fails naming the new token Secrets and leaves their remote secrets on the old, still valid token; the rerun moves them to the new one", async () => {
        // cluster2's kube-controller-manager (its token controller) is stopped, then the stack rotates to epoch 4.
        // The new token Secrets in cluster2 stay empty: the Kubernetes provider's 5 s await fails each create,
        // naming the Secret, and the program never renders a kubeconfig without a token. The links into cluster1
        // and cluster3 may rotate in the same up; the rerun, with the controller back, must finish all six.
        const held = await liveTokens();
        const intoC2 = ["cluster1->cluster2", "cluster3->cluster2"];
        await stack.setConfig("istio-multicluster:tokenRotationEpoch", { value: "4" });
        component("stop", "c2", "kube-controller-manager", env);
        let failure = "";
        try {
            await stack.up({ onOutput });
        } catch (e) {
            failure = (e as Error).message;
        } finally {
            component("start", "c2", "kube-controller-manager", env);
        }
        assert.ok(failure, "the up fails while cluster2 cannot fill its new token Secrets");
        for (const link of intoC2) {
            const reader = link.split("->")[0];
            assert.match(
                failure,
                new RegExp(
                    `mesh-${reader}-reads-cluster2-token[\\s\\S]*failed to fully initialize or become live: Timeout occurred polling for 'istio-reader-service-account-${reader}-[0-9a-f]{6}'`,
                ),
                `the failed up names ${reader}'s new token Secret on cluster2`,
            );
        }
        for (const token of held.values()) assert.ok(!failure.includes(token), "no token in the error");
        const during = await liveTokens();
        for (const link of intoC2) {
            const [reader, target] = link.split("->");
            assert.equal(during.get(link), held.get(link), `${link}: the remote secret still holds epoch 3's token`);
            // ... and that token still works: the previous epoch's Secret is kept until the rotation completes.
            await assertReaderOnly(await clients({ kubeconfig: await remoteKubeconfig(reader, target) }));
        }

        const r = await stack.up({ onOutput });
        assert.equal(r.summary.result, "succeeded");
        const after = await liveTokens();
        assert.equal(after.size, 6);
        for (const [link, token] of after) {
            const [reader, target] = link.split("->");
            assert.ok(!tokensSeen.has(token), `${link}: a new token at epoch 4`);
            const list = await api[target].core.listNamespacedSecret({ namespace: "istio-system" });
            const live = list.items.find((x) => x.type === "kubernetes.io/service-account-token" && b64(x.data?.token ?? "") === token);
            assert.ok(live, `${link}: the remote secret holds the token of a live token Secret in ${target}`);
            await assertReaderOnly(await clients({ kubeconfig: await remoteKubeconfig(reader, target) }));
        }
        for (const t of after.values()) tokensSeen.add(t);
        const again = await stack.preview({ onOutput });
        assert.deepEqual(changes(again.changeSummary), [], "converged: nothing left to change");
    });

    it("6. destroy leaves every cluster as it was before the up, node labels and CRDs included", async () => {
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
        let failure = "";
        await up.then(
            () => undefined,
            (e) => (failure = (e as Error).message),
        );
        assert.ok(stopped, "the outage happened during the up");
        assert.match(failure, /127\.0\.2\.1:6443|cluster2|connection refused/, "the failed up names the unreachable cluster");
        // The outage is over once the API server is back and its controllers caught up: a token Secret gets its
        // token again (the rerun's token Secrets on cluster2 wait for exactly that; a CI run once started the rerun
        // while the token controller was still re-listing, and the rerun then failed naming those Secrets).
        await new Promise((r) => setTimeout(r, 16000));
        await eventually(120_000, () => tokenControllerServes(api.cluster2), 2000);
        const r = await stack.up({ onOutput });
        assert.equal(r.summary.result, "succeeded");
        for (const c of CLUSTERS) {
            const sec = await api[c].core.listNamespacedSecret({ namespace: "istio-system" });
            const names = sec.items.map((s) => s.metadata!.name!);
            assert.equal(names.filter((n) => n.startsWith("istio-remote-secret-")).length, 2, `${c}: remote secrets`);
            // Two readers, each with the current and the previous epoch's token (5a left the stack at epoch 3).
            assert.equal(names.filter((n) => n.startsWith("istio-reader-service-account-")).length, 4, `${c}: reader tokens`);
            assert.equal(names.filter((n) => n === "cacerts").length, 1);
        }
        const again = await stack.preview({ onOutput });
        assert.deepEqual(changes(again.changeSummary), []);
        await stack.destroy({ onOutput });
        for (const c of CLUSTERS) assert.deepEqual(await clusterSnapshot(api[c]), before0[c], `${c} is as before`);
    });
});
