/**
 * Proof at the control plane: after a real `pulumi up` of the local stack, one real istiod (pilot-discovery) per
 * cluster runs on the host, configured only from what Pulumi created (scripts/local/istiod.ts), and Istio's own ADS
 * client (tools/meshxds) asks it, as a sidecar of a given cluster, network and locality or as the ingress gateway,
 * what it serves. Each assertion is the seed's own expectation for a scenario, checked in that xDS.
 *
 * The stack here uses `remoteSecretLayout: perReader` (one `istio-remote-secrets` per cluster, an entry per remote),
 * the layout docs/scale.md recommends for a new mesh; the engine suite (mesh.e2e) runs the local stack's `perLink`.
 *
 * One stand-in, stated plainly: there is no sidecar injector here (no pods run), so the suite labels the sample
 * pods `security.istio.io/tlsMode=istio`, the label injection adds. Without it istiod treats the endpoints as
 * plaintext workloads and, by design, serves no remote-network endpoints for them.
 * Never skipped: a missing tool fails `before` with what to do.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import * as YAML from "yaml";
import { clusterz, HostIstiod, labelInjectedPods, startIstiods, stopIstiods } from "../../scripts/local/istiod";
import { outbound, ProxyIdentity, xdsView, xdsViewAsync, XdsEndpoint } from "../../scripts/local/xds";
import {
    assertReaderOnly,
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
} from "./harness";
import { distributedWeights, DistributeRule, localityGroups, localityMatches, priorities } from "./xdsExpect";

const STACK = "xds";
const HELLOWORLD2 = "helloworld2.sample.svc.cluster.local";
const EW_PORT = 15443;
const NETWORK = { cluster1: "network1", cluster2: "network2", cluster3: "network3" } as const;
const LOCAL = { cluster1: "c1", cluster2: "c2", cluster3: "c3" } as const;
/** The remote secret every reader has in this suite's layout (perReader). */
const REMOTE_SECRETS = "istio-remote-secrets";

/** Retries `check` until it passes or `ms` elapse; returns how long it took. */
async function eventually(ms: number, check: () => Promise<void> | void): Promise<number> {
    const t0 = Date.now();
    for (;;) {
        try {
            await check();
            return Date.now() - t0;
        } catch (e) {
            if (Date.now() - t0 > ms) throw e;
            await new Promise((r) => setTimeout(r, 1000));
        }
    }
}

describe("e2e: real istiod serves what `pulumi up` built (xDS, per seed claim)", function () {
    this.timeout(30 * 60 * 1000);
    let env: NodeJS.ProcessEnv;
    let stack: Stack;
    let backend: string;
    const api = {} as Record<ClusterName, Clients>;
    const istiod = {} as Record<ClusterName, HostIstiod>;
    const log: string[] = [];
    const onOutput = (s: string) => log.push(s);
    /** Pod IPs of helloworld2 per cluster, and each pod's locality (from its node's labels). */
    const pods = {} as Record<ClusterName, { ip: string; locality: string }[]>;

    function view(cluster: ClusterName, proxy: Omit<ProxyIdentity, "cluster" | "network"> = {}) {
        return xdsView(istiod[cluster], { cluster, network: NETWORK[cluster], ...proxy });
    }
    function helloworld2(cluster: ClusterName, locality: string): XdsEndpoint[] {
        const v = view(cluster, { locality });
        const eps = v.endpoints[outbound(HELLOWORLD2, 5000)];
        assert.ok(eps, `${cluster} served no EDS for ${HELLOWORLD2}:5000 (clusters: ${Object.keys(v.endpoints).join(", ")})`);
        return eps;
    }
    async function destinationRule(cluster: ClusterName, name: string): Promise<{ trafficPolicy: any }> {
        const dr = await api[cluster].custom.getNamespacedCustomObject({
            group: "networking.istio.io",
            version: "v1",
            namespace: "sample",
            plural: "destinationrules",
            name,
        });
        return (dr as { spec: { trafficPolicy: any } }).spec;
    }
    async function helloworld2Pods(c: ClusterName): Promise<{ ip: string; locality: string }[]> {
        const nodes = await api[c].core.listNode();
        const loc = new Map(
            nodes.items.map((n) => [
                n.metadata!.name!,
                `${n.metadata!.labels!["topology.kubernetes.io/region"]}/${n.metadata!.labels!["topology.kubernetes.io/zone"]}`,
            ]),
        );
        const list = await api[c].core.listNamespacedPod({ namespace: "sample", labelSelector: "app=helloworld2" });
        return list.items.filter((p) => p.status?.podIP).map((p) => ({ ip: p.status!.podIP!, locality: loc.get(p.spec!.nodeName!)! }));
    }
    /** The pods of each injection-enabled namespace get the label sidecar injection would add (see the file comment). */
    /** Edits the stack's config file (a copy of Pulumi.local.yaml) in place; structured values stay structured. */
    function editConfig(edit: (config: Record<string, any>) => void): void {
        editStackConfig(STACK, edit);
    }
    /** The kubeconfig `reader`'s istiod reads for `target`: the entry `<target>` of its `istio-remote-secrets`. */
    async function remoteKubeconfig(reader: ClusterName, target: ClusterName): Promise<string> {
        const s = await api[reader].core.readNamespacedSecret({ namespace: "istio-system", name: REMOTE_SECRETS });
        assert.ok(s.data?.[target], `${reader}'s ${REMOTE_SECRETS} has an entry ${target}`);
        return Buffer.from(s.data![target], "base64").toString("utf8");
    }
    async function up(): Promise<void> {
        const r = await stack.up({ onOutput });
        assert.equal(r.summary.result, "succeeded");
    }

    before(async function () {
        env = requireToolchain();
        localUp(env, 3);
        stopIstiods(["c1", "c2", "c3"]);
        for (const c of CLUSTERS) api[c] = await clients({ context: CONTEXTS[c] });
        for (const c of CLUSTERS) {
            const crds = await api[c].custom.listClusterCustomObject({
                group: "apiextensions.k8s.io",
                version: "v1",
                plural: "customresourcedefinitions",
            });
            const istioCrds = (crds as { items: { metadata: { name: string } }[] }).items.filter((x) =>
                x.metadata.name.endsWith(".istio.io"),
            );
            assert.equal(istioCrds.length, 0, `${c} already has Istio CRDs (left by another run?): npm run local:down, then retry`);
        }
        ({ stack, backend } = await localStack(env, STACK, (config) => {
            config["istio-multicluster:remoteSecretLayout"] = "perReader";
        }));
        await up();
        for (const c of CLUSTERS) {
            labelInjectedPods(LOCAL[c]);
            pods[c] = await helloworld2Pods(c);
            assert.ok(pods[c].length > 0, `${c} has helloworld2 pods`);
        }
        for (const h of await startIstiods({ clusters: ["c1", "c2", "c3"] })) {
            istiod[(Object.keys(LOCAL) as ClusterName[]).find((k) => LOCAL[k] === h.local)!] = h;
        }
    });

    let failed = false;
    afterEach(function () {
        if (this.currentTest?.state === "failed") failed = true;
    });

    after(async () => {
        stopIstiods(["c1", "c2", "c3"]);
        if (failed) {
            for (const c of ["c1", "c2", "c3"]) {
                const f = path.join(path.dirname(KUBECONFIG), c, "istiod", "istiod.log");
                if (fs.existsSync(f)) fs.copyFileSync(f, path.join(REPO, `e2e-istiod-${c}.log`));
            }
            fs.writeFileSync(path.join(REPO, "e2e-istiod-pulumi.log"), log.join(""));
        }
        await disposeLocalStack(stack, STACK, backend, onOutput);
    });

    it("each istiod reads its two remote clusters through the remote secrets Pulumi wrote, with the tokens Pulumi issued, and reports them synced", async () => {
        for (const c of CLUSTERS) {
            const listed = await clusterz(istiod[c]);
            const others = CLUSTERS.filter((o) => o !== c);
            assert.deepEqual(listed.map((x) => x.id).sort(), [...CLUSTERS].sort(), `${c}'s istiod lists every cluster`);
            for (const x of listed) assert.equal(x.syncStatus, "synced", `${c}'s istiod: ${x.id} is ${x.syncStatus}`);
            for (const o of others) {
                const entry = listed.find((x) => x.id === o)!;
                assert.equal(entry.secretName, `istio-system/${REMOTE_SECRETS}`);
                // The token in that entry is one Pulumi issued on the target for this link: a token Secret of the
                // stack's reader ServiceAccount, labelled with the reader.
                const token = YAML.parse(await remoteKubeconfig(c, o)).users[0].user.token as string;
                const onTarget = await api[o].core.listNamespacedSecret({
                    namespace: "istio-system",
                    fieldSelector: "type=kubernetes.io/service-account-token",
                });
                const issued = onTarget.items.find((s) => Buffer.from(s.data?.token ?? "", "base64").toString("utf8") === token);
                assert.ok(issued, `${c}'s token for ${o} is a token Secret on ${o}`);
                assert.equal(issued!.metadata!.annotations!["kubernetes.io/service-account.name"], "istio-reader-service-account");
                assert.ok(
                    issued!.metadata!.managedFields?.some((m) => m.manager?.startsWith("pulumi")),
                    "written by Pulumi",
                );
                assert.equal(issued!.metadata!.labels?.["istio-multicluster/reader"], c, "this link's own token");
            }
            const secrets = await api[c].core.listNamespacedSecret({ namespace: "istio-system", labelSelector: "istio/multiCluster=true" });
            assert.deepEqual(
                secrets.items.map((x) => x.metadata!.name),
                [REMOTE_SECRETS],
                `${c} has one remote secret`,
            );
        }
    });

    it("switching this mesh to remoteSecretLayout perLink is refused in preview, naming the cluster, the Secret and the setting", async () => {
        editConfig((c) => {
            c["istio-multicluster:remoteSecretLayout"] = "perLink";
        });
        try {
            const out: string[] = [];
            await assert.rejects(stack.preview({ onOutput: (x) => out.push(x) }));
            const text = out.join("");
            assert.match(text, /cluster cluster\d has istio-system\/istio-remote-secrets, written with remoteSecretLayout "perReader"/);
            assert.match(text, /Keep remoteSecretLayout "perReader" for this stack/);
        } finally {
            editConfig((c) => {
                c["istio-multicluster:remoteSecretLayout"] = "perReader";
            });
        }
        for (const c of CLUSTERS) {
            const names = (
                await api[c].core.listNamespacedSecret({ namespace: "istio-system", labelSelector: "istio/multiCluster=true" })
            ).items.map((x) => x.metadata!.name);
            assert.deepEqual(names, [REMOTE_SECRETS], `${c}: nothing written`);
        }
    });

    it("CC1: cluster1's EDS for helloworld2 holds its own pod IPs and each other network's east-west gateway on 15443 (weight = remote endpoints), never a remote pod IP", async () => {
        const eps = helloworld2("cluster1", "region1/zone1");
        const own = eps.filter((e) => e.port === 5000);
        assert.deepEqual(own.map((e) => e.address).sort(), pods.cluster1.map((p) => p.ip).sort(), "cluster1's own pods, directly");
        for (const remote of ["cluster2", "cluster3"] as const) {
            const svc = await api[remote].core.readNamespacedService({ namespace: "istio-system", name: "istio-eastwestgateway" });
            const gw = svc.status!.loadBalancer!.ingress![0].ip!;
            const via = eps.filter((e) => e.address === gw);
            assert.ok(via.length > 0, `${remote}'s endpoints reach cluster1 through its east-west gateway ${gw}`);
            for (const e of via) {
                assert.equal(e.port, EW_PORT);
                const inLocality = pods[remote].filter((p) => p.locality === e.locality).length;
                assert.equal(e.weight, inLocality, `${remote} ${e.locality}: gateway weight = endpoints there`);
            }
            assert.deepEqual([...new Set(via.map((e) => e.locality))].sort(), [...new Set(pods[remote].map((p) => p.locality))].sort());
            for (const p of pods[remote]) assert.ok(!eps.some((e) => e.address === p.ip), `no remote pod IP (${p.ip} of ${remote})`);
        }
        assert.equal(eps.length, own.length + eps.filter((e) => e.port === EW_PORT).length, "nothing else");
    });

    it("CC2: on cluster1, priorities follow locality (same zone 0, same region 1, others 2) and outlier detection is on", async () => {
        const spec = await destinationRule("cluster1", "helloworld2-loc1");
        assert.ok(spec.trafficPolicy.outlierDetection, "the seed's DestinationRule sets outlierDetection");
        for (const zone of ["zone1", "zone2", "zone3"]) {
            const me = `region1/${zone}`;
            const v = view("cluster1", { locality: me });
            const cluster = v.clusters.find((c) => c.name === outbound(HELLOWORLD2, 5000))!;
            assert.equal(cluster.outlierDetection, true, "outlier detection in the Envoy cluster");
            for (const [locality, p] of Object.entries(priorities(localityGroups(v.endpoints[outbound(HELLOWORLD2, 5000)])))) {
                const want = locality === me ? 0 : locality.startsWith("region1/") ? 1 : 2;
                assert.equal(p, want, `proxy in ${me}: ${locality}`);
            }
        }
    });

    it("CC3: on cluster2, the locality weights a proxy in each `from` locality gets equal the three distribute rules", async () => {
        const rules: DistributeRule[] = (await destinationRule("cluster2", "helloworld2-loc2")).trafficPolicy.loadBalancer.localityLbSetting
            .distribute;
        assert.equal(rules.length, 3, "the seed's three rules");
        const meshLocalities = [...new Set(CLUSTERS.flatMap((c) => pods[c].map((p) => p.locality)))];
        for (const rule of rules) {
            const from = rule.from.replace(/\/\*$/, "");
            const groups = localityGroups(helloworld2("cluster2", from));
            const served = Object.fromEntries(groups.map((g) => [g.locality, g.weight]));
            const want = distributedWeights(
                groups.map((g) => ({ locality: g.locality, original: g.endpoints.reduce((s, e) => s + e.weight, 0) })),
                rule,
            );
            assert.deepEqual(served, want, `proxy in ${from}`);
            const reachable = meshLocalities.filter((l) => Object.keys(rule.to).some((p) => localityMatches(l, p)));
            assert.deepEqual(Object.keys(served).sort(), reachable.sort(), `proxy in ${from} reaches exactly the rule's localities`);
            for (const [pattern, weight] of Object.entries(rule.to)) {
                const sum = Object.entries(served)
                    .filter(([l]) => localityMatches(l, pattern))
                    .reduce((s, [, w]) => s + w, 0);
                const n = Object.keys(served).filter((l) => localityMatches(l, pattern)).length;
                assert.ok(sum >= weight && sum < weight + n, `${from} → ${pattern}: ${sum} is ${weight} (rounded up per locality)`);
            }
        }
    });

    it("DNSP1/DNSP2: the DNS name table holds istio.io and both database hosts, each at its own auto-allocated address", () => {
        const table = view("cluster1", { locality: "region1/zone1", dns: true }).nameTable ?? {};
        const hosts = ["istio.io", ...Object.keys(table).filter((h) => h.startsWith("database-"))];
        assert.equal(hosts.length, 3, `istio.io and two database hosts in ${JSON.stringify(Object.keys(table))}`);
        const addresses = hosts.map((h) => table[h]?.[0]);
        for (const [i, a] of addresses.entries()) assert.match(a ?? "", /^240\.240\./, `${hosts[i]} auto-allocated (${a})`);
        assert.equal(new Set(addresses).size, 3, "distinct addresses");
    });

    it("traffic shifting: on every cluster with the ingress gateway, its route for /hello splits 10/90 between subsets v1 and v2", async () => {
        let checked = 0;
        for (const c of CLUSTERS) {
            const gw = await api[c].core.listPodForAllNamespaces({ labelSelector: "istio=ingressgateway" });
            const pod = gw.items.find((p) => p.status?.podIP);
            if (!pod) continue;
            const v = view(c, {
                type: "router",
                labels: { istio: "ingressgateway" },
                ip: pod.status!.podIP!,
                namespace: pod.metadata!.namespace!,
                workload: pod.metadata!.name!,
            });
            const routes = Object.values(v.routes)
                .flat()
                .flatMap((vh) => vh.routes);
            const split = routes.find((r) => r.clusters.some((x) => x.name.endsWith("|helloworld.sample.svc.cluster.local")));
            assert.ok(split, `${c}: the gateway has a route to helloworld`);
            const weights = Object.fromEntries(split!.clusters.map((x) => [x.name.split("|")[2], x.weight]));
            assert.deepEqual(weights, { v1: 10, v2: 90 }, `${c}: the seed's 10/90`);
            checked++;
        }
        assert.ok(checked >= 2, `both of seed 003's clusters (${checked} had an ingress gateway)`);
    });

    it("rotating the link tokens: no istiod ever drops a remote cluster or its endpoints, and each ends synced on the new tokens", async () => {
        // Istio swaps credentials without a gap: on a remote-secret update it syncs a new connection (clusterz shows
        // it "syncing") while the old one keeps serving, and closes the old one once the new one has synced. So the
        // claim is checked where traffic is decided: clusterz never loses a remote cluster, never reports it timed
        // out or closed, and cluster1's EDS keeps both remote networks' gateway endpoints at every poll.
        const gatewayWeights = (eps: XdsEndpoint[]) =>
            JSON.stringify(
                eps
                    .filter((e) => e.port === EW_PORT)
                    .map((e) => `${e.address}/${e.locality}=${e.weight}`)
                    .sort(),
            );
        const proxy = { cluster: "cluster1", network: NETWORK.cluster1, locality: "region1/zone1" };
        const expected = gatewayWeights(helloworld2("cluster1", "region1/zone1"));
        assert.ok(JSON.parse(expected).length >= 2, `cluster1 reaches both remote networks before the rotation: ${expected}`);
        const lost: string[] = [];
        const syncing = new Map<string, number>();
        let clusterzPolls = 0;
        let edsPolls = 0;
        let polling = true;
        const t0 = Date.now();
        const at = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
        const clusterzPoller = (async () => {
            while (polling) {
                for (const c of CLUSTERS) {
                    const listed = await clusterz(istiod[c]).catch((e: Error) => {
                        lost.push(`${at()} ${c}: clusterz unreachable: ${e.message}`);
                        return undefined;
                    });
                    for (const o of listed ? CLUSTERS.filter((x) => x !== c) : []) {
                        const status = listed!.find((x) => x.id === o)?.syncStatus ?? "absent";
                        if (status === "syncing") syncing.set(`${c}→${o}`, (syncing.get(`${c}→${o}`) ?? 0) + 1);
                        else if (status !== "synced") lost.push(`${at()} ${c}→${o}: ${status}`);
                    }
                }
                clusterzPolls++;
                await new Promise((r) => setTimeout(r, 200));
            }
        })();
        const edsPoller = (async () => {
            while (polling) {
                const v = await xdsViewAsync(istiod.cluster1, proxy);
                const got = gatewayWeights(v.endpoints[outbound(HELLOWORLD2, 5000)] ?? []);
                if (got !== expected) lost.push(`${at()} cluster1 EDS for helloworld2: gateways ${got}, want ${expected}`);
                edsPolls++;
            }
        })();
        const before = await remoteTokens();
        try {
            editConfig((c) => {
                c["istio-multicluster:tokenRotationEpoch"] = "2";
            });
            await up();
            // istiod's secret controller swaps after the up; keep polling past its remote-cluster sync timeout (30 s).
            await new Promise((r) => setTimeout(r, 40_000));
        } finally {
            polling = false;
            await Promise.all([clusterzPoller, edsPoller]);
        }
        const after = await remoteTokens();
        for (const [link, token] of after) assert.notEqual(token, before.get(link), `${link} has a new token`);
        assert.ok(clusterzPolls > 100 && edsPolls > 10, `polled clusterz ${clusterzPolls} and EDS ${edsPolls} times`);
        assert.deepEqual(lost, [], "a remote cluster or its endpoints lost during the rotation");
        for (const c of CLUSTERS) for (const x of await clusterz(istiod[c])) assert.equal(x.syncStatus, "synced", `${c}: ${x.id}`);
        assert.equal(gatewayWeights(helloworld2("cluster1", "region1/zone1")), expected, "the same gateway endpoints after it");
        // How long the new connections took to sync (clusterz polls every ~200 ms per istiod), for the record.
        console.log(`      token rotation: ${syncing.size} link(s) seen syncing, longest ~${Math.max(0, ...syncing.values()) * 0.2} s`);
    });

    async function remoteTokens(): Promise<Map<string, string>> {
        const out = new Map<string, string>();
        for (const c of CLUSTERS) {
            for (const o of CLUSTERS.filter((x) => x !== c)) {
                out.set(`${c}->${o}`, YAML.parse(await remoteKubeconfig(c, o)).users[0].user.token);
            }
        }
        return out;
    }

    it("CC4: with the region failover rule on cluster2, a proxy in region4 gets region3 before any other region", async () => {
        editConfig((c) => {
            c["istio-multicluster:scenarios"] = (c["istio-multicluster:scenarios"] as string[]).map((s) => (s === "cc3" ? "cc4" : s));
        });
        await up();
        const spec = await destinationRule("cluster2", "helloworld2-loc-failover");
        assert.deepEqual(spec.trafficPolicy.loadBalancer.localityLbSetting.failover, [{ from: "region4", to: "region3" }]);
        await eventually(30_000, () => {
            const p = priorities(localityGroups(helloworld2("cluster2", "region4/zone4")));
            const region = (r: string) =>
                Object.entries(p)
                    .filter(([l]) => l.startsWith(`${r}/`))
                    .map(([, x]) => x);
            assert.equal(p["region4/zone4"], 0, "its own zone first");
            assert.equal(p["region4/zone5"], 1, "then its region");
            assert.ok(region("region3").length > 0 && region("region3").every((x) => x === 2), `then region3: ${JSON.stringify(p)}`);
            for (const other of ["region1", "region2"]) {
                assert.ok(region(other).length > 0 && region(other).every((x) => x > 2), `${other} after region3: ${JSON.stringify(p)}`);
            }
        });
    });

    it("drift: a remote secret and a reader token deleted by hand; `pulumi up --refresh` restores both and every istiod syncs them again", async () => {
        const gateways = (c: ClusterName, remote: ClusterName) =>
            helloworld2(c, "region1/zone1").filter((e) => e.port === EW_PORT && gatewayOf[remote] === e.address);
        const gatewayOf = {} as Record<ClusterName, string>;
        for (const c of CLUSTERS) {
            const svc = await api[c].core.readNamespacedService({ namespace: "istio-system", name: "istio-eastwestgateway" });
            gatewayOf[c] = svc.status!.loadBalancer!.ingress![0].ip!;
        }
        assert.ok(gateways("cluster1", "cluster2").length > 0, "cluster1 reaches cluster2 before");
        // The token cluster3's remote secret for cluster2 uses, read while every remote secret is still there.
        const inUse = (await remoteTokens()).get("cluster3->cluster2");
        // 1. cluster1's remote secret (its entries for cluster2 and cluster3), deleted by hand: istiod drops both.
        await api.cluster1.core.deleteNamespacedSecret({ namespace: "istio-system", name: REMOTE_SECRETS });
        // 2. cluster3's reader token on cluster2, the one its remote secret uses, deleted behind Pulumi's back: the API
        // server revokes it. (After the rotation above cluster3 has two on cluster2: epoch 2's and, kept, epoch 1's.)
        const tokens = await api.cluster2.core.listNamespacedSecret({
            namespace: "istio-system",
            labelSelector: "istio-multicluster/reader=cluster3",
        });
        assert.equal(tokens.items.length, 2, "cluster3's reader tokens on cluster2: the current epoch's and the previous one's");
        const current = tokens.items.filter((t) => Buffer.from(t.data?.token ?? "", "base64").toString("utf8") === inUse);
        assert.equal(current.length, 1, "exactly one of them is in cluster3's remote secret");
        const revoked = current[0].metadata!.name!;
        await api.cluster2.core.deleteNamespacedSecret({ namespace: "istio-system", name: revoked });
        await eventually(30_000, async () => {
            assert.ok(!(await clusterz(istiod.cluster1)).some((x) => x.id === "cluster2"), "cluster1's istiod dropped cluster2");
            assert.equal(gateways("cluster1", "cluster2").length, 0, "and its endpoints");
        });
        // Pulumi's state still has both: a plain preview sees nothing to do; a refresh finds the drift.
        const plain = await stack.preview({ onOutput });
        assert.deepEqual(
            Object.keys(plain.changeSummary).filter((k) => k !== "same"),
            [],
            "no changes without a refresh",
        );
        const r = await stack.up({ onOutput, refresh: true });
        assert.equal(r.summary.result, "succeeded");
        assert.ok((r.summary.resourceChanges?.create ?? 0) >= 2, `recreated: ${JSON.stringify(r.summary.resourceChanges)}`);
        await assertReaderOnly(await clients({ kubeconfig: await remoteKubeconfig("cluster1", "cluster2") }));
        await assertReaderOnly(await clients({ kubeconfig: await remoteKubeconfig("cluster1", "cluster3") }));
        const kubeconfig = await remoteKubeconfig("cluster3", "cluster2");
        await assertReaderOnly(await clients({ kubeconfig }));
        await eventually(60_000, async () => {
            for (const c of CLUSTERS) {
                const listed = await clusterz(istiod[c]);
                assert.deepEqual(listed.map((x) => x.id).sort(), [...CLUSTERS].sort(), `${c}'s istiod lists every cluster`);
                for (const x of listed) assert.equal(x.syncStatus, "synced", `${c}'s istiod: ${x.id}`);
            }
            assert.ok(gateways("cluster1", "cluster2").length > 0, "cluster1 reaches cluster2 again");
            assert.ok(gateways("cluster3", "cluster2").length > 0, "cluster3 reaches cluster2 on its new token");
        });
    });

    it("removing cluster3 from the stack: after the up, within 30 s the other istiods no longer serve its endpoints", async () => {
        const c3gw = (await api.cluster3.core.readNamespacedService({ namespace: "istio-system", name: "istio-eastwestgateway" })).status!
            .loadBalancer!.ingress![0].ip!;
        for (const c of ["cluster1", "cluster2"] as const)
            assert.ok(
                helloworld2(c, "region1/zone1").some((e) => e.address === c3gw),
                `${c} serves cluster3's gateway before`,
            );
        editConfig((c) => {
            c["istio-multicluster:clusters"] = (c["istio-multicluster:clusters"] as { name: string }[]).filter(
                (x) => x.name !== "cluster3",
            );
        });
        await up();
        for (const c of ["cluster1", "cluster2"] as const) {
            const took = await eventually(30_000, async () => {
                const eps = helloworld2(c, "region1/zone1");
                assert.ok(
                    !eps.some((e) => e.address === c3gw || e.cluster === "cluster3" || e.locality.startsWith("region3/")),
                    `${c} still serves cluster3's endpoints`,
                );
                assert.ok(!(await clusterz(istiod[c])).some((x) => x.id === "cluster3"), `${c}'s istiod still lists cluster3`);
            });
            log.push(`${c}: cluster3 gone from xDS ${took} ms after the up\n`);
        }
    });
});
