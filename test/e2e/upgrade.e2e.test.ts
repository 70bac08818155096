/**
 * Proof of a canary upgrade with two real Istio releases (docs/upgrades.md): the local 3-cluster mesh comes up on
 * Istio 1.29.1 (revision 1-29-1, charts and pilot-discovery from that release's commit), then goes to 1.30.3
 * through the documented sequence, one `pulumi up` per step, with cluster3 left behind on the old revision for
 * two steps (mixed versions across clusters):
 *   1. add 1-30-3 on cluster1 (the CRDs go to 1.30.3 everywhere);  2. add it on cluster2 and cluster3;
 *   3. move the default tag on cluster1 and cluster2;  4. cut their east-west gateways over;
 *   5. cluster3 follows (tag and gateway);  6. remove 1-29-1 (refused while proxies still run it, then done).
 * After each `up` the host istiods are reconciled (one per istiod Deployment, scripts/local/istiod.ts), and a
 * poller checks throughout, every ~second: every proxy identity (cluster × revision it runs) is served by an
 * istiod of that revision which lists every cluster synced and serves each other network's east-west gateway
 * (:15443) in the sample's EDS; every istiod's networkz keeps every network's gateway address; both revisions
 * read the same remote secrets. At the end only 1-30-3 remains, a preview shows no change, destroy is clean.
 *
 * Stand-ins, stated plainly: no pod runs on kwok nodes, so no injector does what injection would do; the suite
 * labels the sample pods `security.istio.io/tlsMode=istio` (labelInjectedPods) and `istio.io/rev=<revision>`
 * (the revision that would have injected them), and "restarting the workloads" is relabelling them.
 * Never skipped: a missing tool fails `before` with what to do.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { clusterz, HostIstiod, labelInjectedPods, runningIstiods, startIstiods, stopIstiods } from "../../scripts/local/istiod";
import { outbound, xdsViewAsync } from "../../scripts/local/xds";
import {
    CACHE,
    CLUSTERS,
    ClusterName,
    clients,
    Clients,
    CONTEXTS,
    KUBECONFIG,
    localStack,
    localUp,
    REPO,
    requireToolchain,
    disposeLocalStack,
    editStackConfig,
    eventually,
} from "./harness";

const STACK = "upgrade";
const OLD = { version: "1.29.1", name: "1-29-1" };
const NEW = { version: "1.30.3", name: "1-30-3" };
const LOCAL = { cluster1: "c1", cluster2: "c2", cluster3: "c3" } as const;
const NETWORK = { cluster1: "network1", cluster2: "network2", cluster3: "network3" } as const;
const HELLOWORLD2 = "helloworld2.sample.svc.cluster.local";
const CHARTS = (v: string) => path.join(CACHE, `istio-charts-${v}`);

describe("e2e: canary upgrade 1.29.1 → 1.30.3 across the mesh with real istiods, continuity polled throughout", function () {
    this.timeout(45 * 60 * 1000);
    let env: NodeJS.ProcessEnv;
    let stack: Stack;
    let backend: string;
    const api = {} as Record<ClusterName, Clients>;
    const log: string[] = [];
    const onOutput = (s: string) => log.push(s);
    /** East-west gateway address per network (the one Service's load-balancer IP, which must never change). */
    const gateway = {} as Record<ClusterName, string>;
    /** The revisions whose proxies the poller checks, per cluster: installed, host istiod started and synced. */
    const checked = {} as Record<ClusterName, Set<string>>;
    const problems: string[] = [];
    let polls = 0;
    let polling = false;
    let poller: Promise<void> | undefined;
    const t0 = Date.now();
    const at = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;

    /** Edits the stack's config file in place. */
    function editConfig(edit: (config: Record<string, any>) => void): void {
        editStackConfig(STACK, edit);
    }
    function setIstio(istio: Record<string, unknown>, perCluster: Partial<Record<ClusterName, Record<string, unknown>>> = {}): void {
        editConfig((c) => {
            c["istio-multicluster:istio"] = { ...c["istio-multicluster:istio"], ...istio };
            for (const cl of c["istio-multicluster:clusters"] as Record<string, unknown>[]) {
                delete cl.revisionTags;
                delete cl.eastWestGateway;
                Object.assign(cl, perCluster[cl.name as ClusterName] ?? {});
            }
        });
    }
    const oldRev = (clusters?: ClusterName[]) => ({
        version: OLD.version,
        chartPath: CHARTS(OLD.version),
        ...(clusters ? { clusters } : {}),
    });
    const newRev = (clusters?: ClusterName[]) => ({ version: NEW.version, ...(clusters ? { clusters } : {}) });
    const behind = (what: "tags" | "tags+gateway") => ({
        cluster3: { revisionTags: { default: OLD.name }, ...(what === "tags+gateway" ? { eastWestGateway: { revision: OLD.name } } : {}) },
    });

    /** The preview's change summary, e.g. { update: 3, create: 6 }. */
    async function previewChanges(): Promise<Record<string, number>> {
        const r = await stack.preview({ onOutput });
        const changes = Object.fromEntries(Object.entries(r.changeSummary).filter(([k]) => k !== "same")) as Record<string, number>;
        console.log(`      preview: ${JSON.stringify(changes)}`);
        return changes;
    }
    /** Polls made while each step's `up` ran (the continuity claim covers every step). */
    const pollsDuringUp: number[] = [];
    async function up(): Promise<void> {
        const before = polls;
        const r = await stack.up({ onOutput });
        assert.equal(r.summary.result, "succeeded");
        pollsDuringUp.push(polls - before);
        await reconcileIstiods();
    }
    /** Starts a host istiod per new revision, stops those whose Deployment went; waits until each serves the mesh. */
    async function reconcileIstiods(): Promise<void> {
        for (const c of CLUSTERS) labelInjectedPods(LOCAL[c]);
        const all = await startIstiods({ clusters: Object.values(LOCAL) });
        for (const h of all) {
            const c = clusterOf(h);
            if (checked[c].has(h.revision)) continue;
            await eventually(60_000, async () => assert.deepEqual(await servingProblems(h), []));
            checked[c].add(h.revision);
        }
    }
    const clusterOf = (h: HostIstiod) => (Object.keys(LOCAL) as ClusterName[]).find((k) => LOCAL[k] === h.local)!;

    /** What is wrong with what `h` serves a proxy of its cluster and revision (empty: all good). */
    async function servingProblems(h: HostIstiod): Promise<string[]> {
        const c = clusterOf(h);
        const out: string[] = [];
        const who = `${c}/${h.revision} (${h.version})`;
        const listed = await clusterz(h).catch((e: Error) => (out.push(`${who}: clusterz: ${e.message}`), undefined));
        for (const o of listed ? CLUSTERS : []) {
            const x = listed!.find((e) => e.id === o);
            if (x?.syncStatus !== "synced") out.push(`${who}: cluster ${o} ${x?.syncStatus ?? "absent"}`);
        }
        const nets = await networkz(h).catch((e: Error) => (out.push(`${who}: networkz: ${e.message}`), undefined));
        for (const o of nets ? CLUSTERS : []) {
            if (!nets!.some((n) => n.network === NETWORK[o] && n.addr === gateway[o]))
                out.push(`${who}: networkz lacks ${NETWORK[o]} at ${gateway[o]}`);
        }
        const view = await xdsViewAsync(h, { cluster: c, network: NETWORK[c], locality: localityOf(c) }).catch(
            (e: Error) => (out.push(`${who}: xDS: ${e.message.split("\n")[0]}`), undefined),
        );
        const eps = view?.endpoints[outbound(HELLOWORLD2, 5000)] ?? [];
        for (const o of view ? CLUSTERS.filter((x) => x !== c) : []) {
            if (!eps.some((e) => e.address === gateway[o] && e.port === 15443))
                out.push(`${who}: EDS of helloworld2 lacks ${o}'s gateway ${gateway[o]}:15443`);
        }
        return out;
    }
    const localityOf = (c: ClusterName) => ({ cluster1: "region1/zone1", cluster2: "region2/zone1", cluster3: "region3/zone1" })[c];

    async function networkz(h: HostIstiod): Promise<{ network: string; addr: string }[]> {
        const r = await fetch(`${h.http}/debug/networkz`, { signal: AbortSignal.timeout(5_000) });
        if (!r.ok) throw new Error(`answered ${r.status}`);
        const body = (await r.json()) as Record<string, unknown>[] | null;
        return (body ?? []).map((g) => ({ network: String(g.Network ?? g.network), addr: String(g.Addr ?? g.addr) }));
    }

    /** Labels sample pods `istio.io/rev=<revision>`, as the revision that would have injected them does. */
    function labelPods(c: ClusterName, revision: string, which = "--all"): void {
        execFileSync(
            "kubectl",
            [
                "--kubeconfig",
                KUBECONFIG,
                "--context",
                CONTEXTS[c],
                "-n",
                "sample",
                "label",
                "pods",
                which,
                "--overwrite",
                `istio.io/rev=${revision}`,
            ],
            {
                stdio: "pipe",
            },
        );
    }
    async function labelProxies(revisionOf: (c: ClusterName) => string): Promise<void> {
        for (const c of CLUSTERS) labelPods(c, revisionOf(c));
    }

    function startPolling(): void {
        polling = true;
        poller = (async () => {
            while (polling) {
                const due = runningIstiods().filter((h) => clusterOf(h) && checked[clusterOf(h)].has(h.revision));
                const found = await Promise.all(due.map((h) => servingProblems(h)));
                for (const p of found.flat()) problems.push(`${at()} ${p}`);
                polls++;
                await new Promise((r) => setTimeout(r, 200));
            }
        })();
    }

    before(async function () {
        env = requireToolchain();
        for (const v of [OLD.version, NEW.version]) {
            assert.ok(fs.existsSync(path.join(CACHE, "bin", `pilot-discovery-${v}`)), `pilot-discovery-${v}: run npm run toolchain`);
            assert.ok(fs.existsSync(CHARTS(v)), `${CHARTS(v)}: run npm run toolchain`);
        }
        localUp(env, 3);
        stopIstiods(Object.values(LOCAL));
        for (const c of CLUSTERS) {
            api[c] = await clients({ context: CONTEXTS[c] });
            checked[c] = new Set();
        }
        ({ stack, backend } = await localStack(env, STACK, (config) => {
            config["istio-multicluster:remoteSecretLayout"] = "perReader";
            config["istio-multicluster:scenarios"] = ["samples"];
            delete config["istio-multicluster:scenarioSettings"];
            config["istio-multicluster:istio"] = {
                ...(config["istio-multicluster:istio"] as object),
                version: OLD.version,
                chartPath: CHARTS(OLD.version),
                revisions: [oldRev()],
                // The base chart omits failurePolicy on a Helm upgrade (it expects istiod's webhook controller to
                // have set Fail and the caBundle), so the API server's default, Fail, applies. No API server here can
                // reach a host istiod, so every write of an Istio object would then fail: keep the chart's own Ignore.
                values: { base: { base: { validationFailurePolicy: "Ignore" } } },
            };
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
                if (fs.existsSync(f)) fs.copyFileSync(f, path.join(REPO, `e2e-upgrade-istiod-${h.local}-${h.revision}.log`));
            }
            fs.writeFileSync(path.join(REPO, "e2e-upgrade-pulumi.log"), log.join(""));
        }
        stopIstiods(Object.values(LOCAL));
        await disposeLocalStack(stack, STACK, backend, onOutput);
    });

    it("0. the mesh comes up on 1.29.1 (revision 1-29-1, default tag, gateway on it); its istiods serve the whole mesh", async () => {
        const r = await stack.up({ onOutput });
        assert.equal(r.summary.result, "succeeded");
        for (const c of CLUSTERS) {
            const svc = await api[c].core.readNamespacedService({ namespace: "istio-system", name: "istio-eastwestgateway" });
            gateway[c] = svc.status!.loadBalancer!.ingress![0].ip!;
            assert.deepEqual(svc.spec!.selector, { istio: "eastwestgateway", "istio.io/rev": OLD.name });
        }
        await labelProxies(() => OLD.name);
        await reconcileIstiods();
        assert.deepEqual(
            runningIstiods()
                .map((h) => `${h.local}/${h.revision}/${h.version}`)
                .sort(),
            ["c1/1-29-1/1.29.1", "c2/1-29-1/1.29.1", "c3/1-29-1/1.29.1"],
        );
        startPolling();
    });

    it("1. adding 1-30-3 on cluster1 previews as the CRDs' upgrade plus the new control plane and gateway there", async () => {
        setIstio({
            version: NEW.version,
            chartPath: CHARTS(NEW.version),
            revisions: [oldRev(), newRev(["cluster1"])],
            revisionTags: { default: OLD.name },
            eastWestGatewayRevision: OLD.name,
        });
        const changes = await previewChanges();
        assert.deepEqual(Object.keys(changes).sort(), ["create", "update"], JSON.stringify(changes));
        await up();
        assert.deepEqual(
            runningIstiods()
                .filter((h) => h.local === "c1")
                .map((h) => h.revision)
                .sort(),
            [OLD.name, NEW.name],
        );
        // both revisions read the same remote secrets
        for (const h of runningIstiods().filter((x) => x.local === "c1")) {
            for (const e of (await clusterz(h)).filter((x) => x.id !== "cluster1"))
                assert.equal(e.secretName, "istio-system/istio-remote-secrets", `${h.revision}`);
        }
    });

    it("2. adding 1-30-3 on cluster2 and cluster3: mixed control planes, every revision serving its cluster", async () => {
        setIstio({ revisions: [oldRev(), newRev()], revisionTags: { default: OLD.name }, eastWestGatewayRevision: OLD.name });
        await up();
        assert.equal(runningIstiods().length, 6);
    });

    it("3. moving the default tag on cluster1 and cluster2 moves its webhook in place (cluster3 stays behind)", async () => {
        setIstio({ revisionTags: { default: NEW.name } }, behind("tags+gateway"));
        const changes = await previewChanges();
        assert.equal(changes.delete ?? 0, 0, `a tag move deletes nothing: ${JSON.stringify(changes)}`);
        await up();
        for (const [c, rev] of [
            ["cluster1", NEW.name],
            ["cluster2", NEW.name],
            ["cluster3", OLD.name],
        ] as const) {
            const svc = await api[c].core.readNamespacedService({ namespace: "istio-system", name: "istiod-revision-tag-default" });
            assert.equal(svc.metadata!.labels!["istio.io/rev"], rev, `${c}: the default tag's Service`);
            const mwc = await api[c].admission.readMutatingWebhookConfiguration({ name: "istio-revision-tag-default" });
            assert.equal(mwc.metadata!.labels!["istio.io/rev"], rev, `${c}: the default tag's webhook`);
        }
        // workloads restarted under the new default revision on cluster1 and cluster2
        await labelProxies((c) => (c === "cluster3" ? OLD.name : NEW.name));
    });

    it("4. cutting the gateways of cluster1 and cluster2 over changes one Service selector each; the address stays", async () => {
        setIstio({ eastWestGatewayRevision: NEW.name }, behind("tags+gateway"));
        const changes = await previewChanges();
        assert.deepEqual(changes, { update: 2 }, "exactly the two Services");
        await up();
        for (const c of CLUSTERS) {
            const svc = await api[c].core.readNamespacedService({ namespace: "istio-system", name: "istio-eastwestgateway" });
            assert.equal(svc.spec!.selector!["istio.io/rev"], c === "cluster3" ? OLD.name : NEW.name);
            assert.equal(svc.status!.loadBalancer!.ingress![0].ip, gateway[c], `${c}: the same address`);
        }
    });

    it("5. cluster3 follows: its tag and gateway on 1-30-3", async () => {
        setIstio({}, {});
        await up();
        await labelProxies(() => NEW.name);
    });

    it("6. removing 1-29-1 is refused while a proxy still runs it, then leaves only 1-30-3 and a no-change preview", async () => {
        setIstio({ revisions: [newRev()] });
        // a workload on cluster2 not restarted yet
        const pod = (await api.cluster2.core.listNamespacedPod({ namespace: "sample" })).items[0];
        labelPods("cluster2", OLD.name, pod.metadata!.name!);
        const out: string[] = [];
        await assert.rejects(stack.preview({ onOutput: (x) => out.push(x) }));
        assert.match(
            out.join(""),
            /cluster cluster2: revision 1-29-1 cannot be removed yet, still in use by proxies in namespace\(s\) sample/,
        );
        await labelProxies(() => NEW.name);
        // the old revision's istiods leave the poller before their Deployments go
        for (const c of CLUSTERS) checked[c].delete(OLD.name);
        await up();
        assert.deepEqual(
            runningIstiods()
                .map((h) => `${h.local}/${h.revision}/${h.version}`)
                .sort(),
            ["c1/1-30-3/1.30.3", "c2/1-30-3/1.30.3", "c3/1-30-3/1.30.3"],
        );
        for (const c of CLUSTERS) {
            const deps = await api[c].apps.listNamespacedDeployment({ namespace: "istio-system" });
            assert.deepEqual(deps.items.map((d) => d.metadata!.name).sort(), ["istio-eastwestgateway-1-30-3", "istiod-1-30-3"], c);
        }
        assert.deepEqual(await previewChanges(), {}, "no change after the last step");
    });

    it("continuity: at every poll, every proxy identity was served by its revision's istiod with the whole mesh", async () => {
        polling = false;
        await poller;
        console.log(
            `      continuity: ${polls} polls over ${at()}; during each step's up: ${pollsDuringUp.join(", ")}; problems: ${problems.length}`,
        );
        assert.deepEqual(problems, [], "served the mesh throughout the upgrade");
        assert.equal(pollsDuringUp.length, 6, "steps 1-6 each ran one up under polling");
        assert.ok(Math.min(...pollsDuringUp) >= 3, `every step's up polled at least 3 times: ${pollsDuringUp.join(", ")}`);
    });
});
