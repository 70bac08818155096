/**
 * Proof of a root CA rotation on the local 3-cluster mesh with real istiods (docs/root-ca.md): root A (generation 1)
 * to root B (generation 2), one `pulumi up` per phase, with cluster1 moving first within the first phase and cluster3
 * rolled back and forward once:
 *   multiRoot (its own up) → trustBoth on cluster1 → trustBoth everywhere → signWithNew → cluster3 back to trustBoth
 *   → signWithNew → newOnly → rootGeneration 2 (no change).
 * At every phase and on every cluster, a workload certificate issued by that cluster's host istiod (its CA on 15012,
 * a `sample/default` service-account token of that cluster, as a proxy's agent asks) verifies against the bundle each
 * other cluster's istiod publishes (ConfigMap `istio-ca-root-cert`), and chains to the root its phase signs with. After
 * the last phase a certificate chaining to A verifies nowhere. The host istiods get each new `cacerts` as a mounted
 * Secret would (files swapped in place, scripts/local/istiod.ts syncIstiodFiles): never restarted by a phase (the pid
 * is checked). A poller checks from the first phase to the last that every istiod keeps every cluster synced and serves
 * the other networks' east-west gateways in EDS. Refusals checked live: a phase before multiRoot, a skipped phase, a rollback
 * past newOnly with a generated root.
 * Never skipped: a missing tool fails `before` with what to do.
 */
import { strict as assert } from "assert";
import { X509Certificate } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import {
    issueWorkloadCertAsync,
    pemCertificates,
    serviceAccountToken,
    verifiesAgainst,
    rootCertConfigMap,
} from "../../scripts/local/caClient";
import {
    clusterz,
    HostIstiod,
    labelInjectedPods,
    runningIstiods,
    startIstiods,
    stopIstiods,
    syncIstiodFiles,
} from "../../scripts/local/istiod";
import { outbound, trustAnchorsAsync, xdsViewAsync } from "../../scripts/local/xds";
import {
    CLUSTERS,
    ClusterName,
    clients,
    Clients,
    CONTEXTS,
    disposeLocalStack,
    editStackConfig,
    eventually,
    localStack,
    localUp,
    REPO,
    requireToolchain,
} from "./harness";

const STACK = "rootrotation";
const LOCAL = { cluster1: "c1", cluster2: "c2", cluster3: "c3" } as const;
const HELLOWORLD2 = "helloworld2.sample.svc.cluster.local";
const NETWORK = { cluster1: "network1", cluster2: "network2", cluster3: "network3" } as const;
type Phase = "oldOnly" | "trustBoth" | "signWithNew" | "newOnly";

describe("e2e: root CA rotation A → B in phases, cross-cluster trust checked on every cluster at every phase", function () {
    this.timeout(45 * 60 * 1000);
    let stack: Stack;
    let backend: string;
    const log: string[] = [];
    const onOutput = (s: string) => log.push(s);
    const gateway = {} as Record<ClusterName, string>;
    const api = {} as Record<ClusterName, Clients>;
    const problems: string[] = [];
    let polls = 0;
    let polling = false;
    let poller: Promise<void> | undefined;
    const pollsDuringUp: number[] = [];
    /** When the suite's `before` began (mocha loads every file first: not at load). */
    let t0 = Date.now();
    const at = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;
    /** Root certificates by generation, as read from the bundles. */
    const root: Record<1 | 2, string> = { 1: "", 2: "" };
    /** A workload certificate chain issued under A (kept for the last check). */
    let chainUnderA: string[] = [];
    /** Host istiod pids after the multiRoot step: no phase restarts them. */
    let pids: string[] = [];

    const clusterOf = (h: HostIstiod) => (Object.keys(LOCAL) as ClusterName[]).find((k) => LOCAL[k] === h.local)!;
    const istiodOf = (c: ClusterName) => runningIstiods().find((h) => h.local === LOCAL[c])!;

    function setCa(ca: Record<string, unknown>): void {
        editStackConfig(STACK, (c) => {
            c["istio-multicluster:ca"] = ca;
        });
    }
    const rotation = (phase: Phase, clusters: Partial<Record<ClusterName, Phase>> = {}) =>
        setCa({ multiRoot: true, rootRotation: { phase, ...(Object.keys(clusters).length ? { clusters } : {}) } });

    /** The preview's changed resources as `op type name`, sorted (the Kubernetes and tls resources; providers left out). */
    async function previewSteps(): Promise<string[]> {
        const steps: string[] = [];
        await stack.preview({
            onOutput,
            onEvent: (e) => {
                const m = e.resourcePreEvent?.metadata;
                // A replacement shows as three steps (create-replacement, replace, delete-replaced): count it once.
                const skip = ["same", "read", "create-replacement", "delete-replaced"];
                if (!m || skip.includes(m.op) || m.type.startsWith("pulumi:providers:")) return;
                steps.push(`${m.op} ${m.type} ${m.urn.split("::").pop()}`);
            },
        });
        steps.sort();
        console.log(`      preview: ${steps.length ? steps.join("; ") : "no change"}`);
        return steps;
    }
    async function refusedPreview(): Promise<string> {
        const out: string[] = [];
        await assert.rejects(stack.preview({ onOutput: (x) => out.push(x) }));
        return out.join("");
    }
    async function up(): Promise<void> {
        const before = polls;
        const r = await stack.up({ onOutput });
        assert.equal(r.summary.result, "succeeded");
        if (polling) pollsDuringUp.push(polls - before);
        await startIstiods({ clusters: Object.values(LOCAL) });
        await syncIstiodFiles({ clusters: Object.values(LOCAL) });
    }

    /** The generations a bundle holds, in order (by the roots seen so far). */
    function generationsIn(bundle: string): number[] {
        return pemCertificates(bundle).map((p) => {
            const fp = new X509Certificate(p).fingerprint256;
            if (root[1] && new X509Certificate(root[1]).fingerprint256 === fp) return 1;
            if (root[2] && new X509Certificate(root[2]).fingerprint256 === fp) return 2;
            return 0;
        });
    }
    /**
     * Waits until every cluster's istiod publishes the expected bundle (generations, in order) in the namespaces'
     * ConfigMap, and, once it runs multi-root, serves the same roots as trust anchors over xDS (PCDS, what a proxy's
     * agent with PROXY_CONFIG_XDS_AGENT takes without a restart).
     */
    async function bundlesAre(expected: Record<ClusterName, number[]>, overXds = true): Promise<Record<ClusterName, string>> {
        const out = {} as Record<ClusterName, string>;
        await eventually(90_000, async () => {
            for (const c of CLUSTERS) {
                out[c] = rootCertConfigMap(LOCAL[c], "sample");
                assert.deepEqual(generationsIn(out[c]), expected[c], `${c}: the roots its istiod publishes in sample/istio-ca-root-cert`);
                if (!overXds) continue;
                const anchors = await trustAnchorsAsync(istiodOf(c), { cluster: c, network: NETWORK[c] });
                assert.deepEqual(
                    generationsIn(anchors.join("")).sort(),
                    [...expected[c]].sort(),
                    `${c}: the trust anchors its istiod serves over xDS (PCDS)`,
                );
            }
        });
        return out;
    }
    /** A workload certificate from `c`'s istiod, verified against `c`'s own bundle for the connection. */
    async function issue(c: ClusterName, bundle: string): Promise<string[]> {
        const token = serviceAccountToken(LOCAL[c], "sample", "default");
        const cert = await issueWorkloadCertAsync(istiodOf(c), {
            cluster: c,
            namespace: "sample",
            serviceAccount: "default",
            token,
            rootPem: bundle,
        });
        assert.ok(cert.verified, `${c}: istiod's serving certificate verified against its own bundle`);
        assert.deepEqual(cert.leaf.uris, ["spiffe://cluster.local/ns/sample/sa/default"]);
        return cert.chain;
    }
    /**
     * Every cluster's certificate verifies against every other cluster's bundle and chains to the root its phase
     * signs with. Retries while istiod is still switching its signing CA (it reloads the files asynchronously).
     */
    async function crossTrust(
        bundles: Record<ClusterName, string>,
        signsWith: Record<ClusterName, 1 | 2>,
    ): Promise<Record<ClusterName, string[]>> {
        const chains = {} as Record<ClusterName, string[]>;
        for (const c of CLUSTERS) {
            await eventually(60_000, async () => {
                chains[c] = await issue(c, bundles[c]);
                assert.ok(
                    verifiesAgainst(chains[c], root[signsWith[c]]),
                    `${c}: its certificate chains to root generation ${signsWith[c]}`,
                );
            });
            for (const o of CLUSTERS) {
                assert.ok(verifiesAgainst(chains[c], bundles[o]), `${c}'s workload certificate verifies against ${o}'s istio-ca-root-cert`);
            }
        }
        return chains;
    }
    const all = <T>(v: T) => ({ cluster1: v, cluster2: v, cluster3: v }) as Record<ClusterName, T>;
    const currentPids = () =>
        runningIstiods()
            .map((h) => `${h.local}:${h.pid}`)
            .sort();

    /** What is wrong with what `h` serves (empty: every cluster synced, every other network's gateway in EDS). */
    async function servingProblems(h: HostIstiod): Promise<string[]> {
        const c = clusterOf(h);
        const out: string[] = [];
        const listed = await clusterz(h).catch((e: Error) => (out.push(`${c}: clusterz: ${e.message}`), undefined));
        for (const o of listed ? CLUSTERS : []) {
            const x = listed!.find((e) => e.id === o);
            if (x?.syncStatus !== "synced") out.push(`${c}: cluster ${o} ${x?.syncStatus ?? "absent"}`);
        }
        const locality = { cluster1: "region1/zone1", cluster2: "region2/zone1", cluster3: "region3/zone1" }[c];
        const network = NETWORK[c];
        const view = await xdsViewAsync(h, { cluster: c, network, locality }).catch(
            (e: Error) => (out.push(`${c}: xDS: ${e.message.split("\n")[0]}`), undefined),
        );
        const eps = view?.endpoints[outbound(HELLOWORLD2, 5000)] ?? [];
        for (const o of view ? CLUSTERS.filter((x) => x !== c) : []) {
            if (!eps.some((e) => e.address === gateway[o] && e.port === 15443)) out.push(`${c}: EDS of helloworld2 lacks ${o}'s gateway`);
        }
        return out;
    }
    function startPolling(): void {
        polling = true;
        poller = (async () => {
            while (polling) {
                const found = await Promise.all(runningIstiods().map((h) => servingProblems(h)));
                for (const p of found.flat()) problems.push(`${at()} ${p}`);
                polls++;
                await new Promise((r) => setTimeout(r, 300));
            }
        })();
    }

    before(async function () {
        t0 = Date.now();
        const env = requireToolchain();
        localUp(env, 3);
        stopIstiods(Object.values(LOCAL));
        ({ stack, backend } = await localStack(env, STACK, (config) => {
            config["istio-multicluster:scenarios"] = ["samples"];
            delete config["istio-multicluster:scenarioSettings"];
        }));
    });

    let failed = false;
    afterEach(function () {
        if (this.currentTest?.state === "failed") failed = true;
    });
    after(async () => {
        polling = false;
        await poller;
        if (failed) {
            for (const h of runningIstiods()) {
                const f = path.join(h.dir, "istiod.log");
                if (fs.existsSync(f)) fs.copyFileSync(f, path.join(REPO, `e2e-rootrotation-istiod-${h.local}.log`));
            }
            fs.writeFileSync(path.join(REPO, "e2e-rootrotation-pulumi.log"), log.join(""));
        }
        stopIstiods(Object.values(LOCAL));
        // The roots are protected (ca.protectRoot): lift it for the teardown.
        if (stack) {
            editStackConfig(STACK, (c) => {
                c["istio-multicluster:ca"] = { ...c["istio-multicluster:ca"], protectRoot: false };
            });
            await stack.up({ onOutput }).catch(() => undefined);
        }
        await disposeLocalStack(stack, STACK, backend, onOutput);
    });

    it("0. the mesh comes up on root A; every cluster's certificate verifies against every other's bundle", async () => {
        const r = await stack.up({ onOutput });
        assert.equal(r.summary.result, "succeeded");
        const outputs = await stack.outputs();
        root[1] = String(outputs.rootCertPem?.value ?? "");
        assert.equal(pemCertificates(root[1]).length, 1, "the stack outputs root A");
        for (const c of CLUSTERS) labelInjectedPods(LOCAL[c]);
        await startIstiods({ clusters: Object.values(LOCAL) });
        for (const c of CLUSTERS) {
            api[c] = await clients({ context: CONTEXTS[c] });
            const svc = await api[c].core.readNamespacedService({ namespace: "istio-system", name: "istio-eastwestgateway" });
            gateway[c] = svc.status!.loadBalancer!.ingress![0].ip!;
        }
        const bundles = await bundlesAre(all([1]), false);
        chainUnderA = (await crossTrust(bundles, all(1 as const))).cluster1;
    });

    it("1. a phase is refused while istiod runs without multi-root; multiRoot alone is its own up (istiod env, proxy metadata)", async () => {
        rotation("trustBoth");
        assert.match(
            await refusedPreview(),
            /run without ISTIO_MULTIROOT_MESH=true[\s\S]*Set ca\.multiRoot to true in its own `pulumi up` first/,
        );
        setCa({ multiRoot: true });
        const steps = await previewSteps();
        assert.ok(steps.length > 0 && steps.every((s) => !s.includes("tls:") && !s.includes("cacerts")), "multiRoot touches istiod only");
        const before = currentPids();
        await up();
        pids = currentPids();
        assert.ok(
            pids.every((p) => !before.includes(p)),
            "the istiod Deployments' env changed: each host istiod was rolled (restarted) with it",
        );
        for (const c of CLUSTERS) {
            const istiod = await api[c].apps.readNamespacedDeployment({ namespace: "istio-system", name: "istiod" });
            const env = istiod.spec!.template.spec!.containers[0].env ?? [];
            assert.ok(
                env.some((e) => e.name === "ISTIO_MULTIROOT_MESH" && e.value === "true"),
                `${c}: istiod runs multi-root`,
            );
            const mesh = await api[c].core.readNamespacedConfigMap({ namespace: "istio-system", name: "istio" });
            assert.match(mesh.data!.mesh, /PROXY_CONFIG_XDS_AGENT: "true"/, `${c}: proxies take trust anchors over xDS`);
        }
        await crossTrust(await bundlesAre(all([1])), all(1 as const));
        // From here on every istiod keeps running: the continuity claim covers every phase. (The multiRoot step
        // restarts them on the same addresses, stop then start: unlike a Deployment's rolling update with surge, that
        // leaves a gap no phase has.)
        startPolling();
    });

    it("2. trustBoth on cluster1 alone: root B is created, only cluster1's cacerts change; trust holds across", async () => {
        rotation("oldOnly", { cluster1: "trustBoth" });
        const steps = await previewSteps();
        assert.deepEqual(steps.filter((s) => s.startsWith("create")).length, 3, "B's guard, key and certificate");
        assert.deepEqual(
            steps.filter((s) => s.startsWith("update")),
            ["update kubernetes:core/v1:Secret mesh-cluster1-cacerts"],
        );
        await up();
        await eventually(90_000, () => {
            root[2] = pemCertificates(rootCertConfigMap(LOCAL.cluster1, "sample"))[1] ?? "";
            assert.ok(root[2], "cluster1's istiod publishes a second root");
        });
        const bundles = await bundlesAre({ cluster1: [1, 2], cluster2: [1], cluster3: [1] });
        await crossTrust(bundles, all(1 as const));
    });

    it("3. skipping a phase is refused in preview, naming the cluster", async () => {
        rotation("signWithNew");
        assert.match(await refusedPreview(), /cluster cluster2: root generation 1 → root generation 1 → 2, signWithNew skips 1 phase/);
    });

    it("4. trustBoth everywhere", async () => {
        rotation("trustBoth");
        await up();
        await crossTrust(await bundlesAre(all([1, 2])), all(1 as const));
    });

    it("5. signWithNew: intermediates signed by B replace A's; every cluster's certificates chain to B and verify everywhere", async () => {
        rotation("signWithNew");
        const steps = await previewSteps();
        assert.equal(steps.filter((s) => s.startsWith("update")).length, 3, "the three cacerts");
        assert.equal(steps.filter((s) => s.startsWith("create")).length, 9, "key, CSR, certificate per cluster under B");
        assert.equal(steps.filter((s) => s.startsWith("delete")).length, 9, "A's intermediates");
        await up();
        await crossTrust(await bundlesAre(all([1, 2])), all(2 as const));
    });

    it("6. rollback: cluster3 back to trustBoth signs under A again; then forward to signWithNew", async () => {
        rotation("signWithNew", { cluster3: "trustBoth" });
        await up();
        await crossTrust(await bundlesAre(all([1, 2])), { cluster1: 2, cluster2: 2, cluster3: 1 });
        rotation("signWithNew");
        await up();
        await crossTrust(await bundlesAre(all([1, 2])), all(2 as const));
    });

    it("7. newOnly: A leaves every bundle and the stack; B's certificates verify everywhere, A's nowhere", async () => {
        rotation("newOnly");
        const steps = await previewSteps();
        assert.equal(steps.filter((s) => s.startsWith("update")).length, 3, "the three cacerts");
        assert.deepEqual(
            steps.filter((s) => s.startsWith("delete")).map((s) => s.split(" ")[1]),
            [
                "pulumi-nodejs:dynamic/istio-multicluster:RootCAIdentityGuard",
                "tls:index/privateKey:PrivateKey",
                "tls:index/selfSignedCert:SelfSignedCert",
            ],
            "A's guard, key and certificate",
        );
        await up();
        const bundles = await bundlesAre(all([2]));
        await crossTrust(bundles, all(2 as const));
        for (const c of CLUSTERS)
            assert.ok(!verifiesAgainst(chainUnderA, bundles[c]), `a certificate under A does not verify against ${c}'s bundle`);
        assert.deepEqual(currentPids(), pids, "no phase restarted an istiod");
    });

    it("8. a rollback past newOnly is refused (A would be a new key); rootGeneration 2 ends the rotation with no change", async () => {
        rotation("signWithNew");
        assert.match(await refusedPreview(), /root generation 1 is not in the stack, yet clusters would still trust it/);
        setCa({ multiRoot: true, rootGeneration: 2 });
        assert.deepEqual(await previewSteps(), [], "the same resources");
    });

    it("continuity: every istiod kept every cluster synced and the other networks' gateways in EDS throughout", async () => {
        polling = false;
        await poller;
        console.log(
            `      continuity: ${polls} polls over ${at()}; during each up: ${pollsDuringUp.join(", ")}; problems: ${problems.length}`,
        );
        assert.deepEqual(problems, []);
        assert.equal(pollsDuringUp.length, 6, "the six phase ups ran under polling");
        assert.ok(Math.min(...pollsDuringUp) >= 3, `every up polled at least 3 times: ${pollsDuringUp.join(", ")}`);
    });
});
