import { strict as assert } from "assert";
import { PolicyResource } from "@pulumi/policy";
import {
    caCertsSharedRoot,
    eastWestGateways,
    meshIdentity,
    meshInventory,
    noPlaintextCredentialOutputs,
    remoteSecretFullMesh,
    stackPolicies,
    virtualServiceSubsetsExist,
} from "../../policy/stackPolicies";
import {
    b64,
    cacertsProps,
    engineProps,
    istioctlKubeconfig,
    pem,
    provider,
    readerRemoteSecretProps,
    remoteSecretProps,
    resetSecretTracking,
    runStackPolicy,
    stackResource,
    UNKNOWN_OBJECT,
    wireSecret,
} from "./helpers";

interface ClusterSpec {
    name: string;
    network: string;
    meshID?: string;
    namespaceNetwork?: string;
    links: string[];
    /** Write the links as one `istio-remote-secrets` (the perReader layout). */
    perReader?: boolean;
    intermediate?: string;
    root?: string;
    eastWest?: boolean;
    /** Put istiod values only in the rendered ConfigMap (what a stack policy sees of a helm.v4.Chart). */
    valuesInConfigMap?: boolean;
    /** Provider name prefix (defaults to the cluster name). */
    providerName?: string;
}

/** What the program registers for one cluster, on that cluster's provider. */
function clusterResources(c: ClusterSpec): PolicyResource[] {
    const p = provider(`${c.providerName ?? c.name}-k8s`);
    const global = { meshID: c.meshID ?? "mesh1", multiCluster: { clusterName: c.name }, network: c.network };
    const id = c.providerName ?? c.name;
    const mc = stackResource("istio-multicluster:index:MeshCluster", id, {});
    const chart = stackResource(
        "kubernetes:helm.sh/v4:Chart",
        `${id}-istiod`,
        c.valuesInConfigMap ? {} : { chart: "istiod", values: { global } },
        { parent: mc },
    );
    const out: PolicyResource[] = [
        mc,
        chart,
        stackResource(
            "kubernetes:core/v1:Namespace",
            `${id}-istio-system`,
            { metadata: { name: "istio-system", labels: { "topology.istio.io/network": c.namespaceNetwork ?? c.network } } },
            { provider: p, parent: mc },
        ),
        stackResource("kubernetes:core/v1:Secret", `${id}-cacerts`, cacertsProps(c.intermediate ?? `${id}-cert`, c.root ?? "rootA-cert"), {
            provider: p,
            parent: mc,
        }),
        stackResource(
            "kubernetes:apps/v1:Deployment",
            `${id}-istiod-deploy`,
            {
                metadata: { name: "istiod", namespace: "istio-system" },
                spec: {
                    template: {
                        spec: {
                            containers: [
                                { name: "discovery", image: "docker.io/istio/pilot:1.30.3", env: [{ name: "CLUSTER_ID", value: c.name }] },
                            ],
                        },
                    },
                },
            },
            { provider: p, parent: chart },
        ),
    ];
    if (c.valuesInConfigMap) {
        out.push(
            stackResource(
                "kubernetes:core/v1:ConfigMap",
                `${id}-injector`,
                {
                    metadata: { name: "istio-sidecar-injector", namespace: "istio-system" },
                    data: { values: JSON.stringify({ global }, null, 2) },
                },
                { provider: p, parent: chart },
            ),
        );
    }
    if (c.eastWest ?? true) {
        out.push(
            stackResource(
                "kubernetes:core/v1:Service",
                `${id}-ewgw-svc`,
                {
                    metadata: { name: "istio-eastwestgateway", namespace: "istio-system" },
                    spec: {
                        type: "LoadBalancer",
                        ports: [
                            { name: "status-port", port: 15021 },
                            { name: "tls", port: 15443 },
                        ],
                    },
                },
                { provider: p },
            ),
            stackResource(
                "kubernetes:networking.istio.io/v1:Gateway",
                `${id}-cross-network-gateway`,
                {
                    metadata: { name: "cross-network-gateway", namespace: "istio-system" },
                    spec: {
                        selector: { istio: "eastwestgateway" },
                        servers: [
                            {
                                port: { number: 15443, name: "tls", protocol: "TLS" },
                                tls: { mode: "AUTO_PASSTHROUGH" },
                                hosts: ["*.local"],
                            },
                        ],
                    },
                },
                { provider: p },
            ),
        );
    }
    if (c.perReader)
        out.push(stackResource("kubernetes:core/v1:Secret", `${id}-remote-secrets`, readerRemoteSecretProps(c.links), { provider: p }));
    else
        for (const t of c.links)
            out.push(stackResource("kubernetes:core/v1:Secret", `${id}-${t}-remote-secret`, remoteSecretProps(t), { provider: p }));
    return out;
}

const full = (names: string[], extra: Partial<ClusterSpec> = {}): ClusterSpec[] =>
    names.map((n, i) => ({ name: n, network: `network${i + 1}`, links: names.filter((m) => m !== n), ...extra }));

const seed000 = () => full(["c1", "c2", "c3"]).map((c) => ({ ...c, intermediate: c.name === "c3" ? "c2-cert" : `${c.name}-cert` }));
const stack = (clusters: ClusterSpec[]) => clusters.flatMap(clusterResources);
const messages = async (p: Parameters<typeof runStackPolicy>[0], rs: PolicyResource[]) =>
    (await runStackPolicy(p, rs)).map((v) => v.message);

describe("policy: stack policies", () => {
    afterEach(resetSecretTracking);

    it("has unique names, all mandatory", () => {
        const ps = stackPolicies();
        assert.equal(new Set(ps.map((p) => p.name)).size, ps.length);
        assert.ok(ps.every((p) => p.enforcementLevel === "mandatory"));
    });

    it("the seed-000 mesh (3 clusters, 3 networks, full mesh, one root) passes every stack policy", async () => {
        const rs = stack(seed000());
        for (const p of stackPolicies()) assert.deepEqual(await messages(p, rs), [], p.name);
        assert.deepEqual(
            meshInventory(rs).map((c) => [c.label, c.clusterName, c.network, c.remoteSecretTargets.length]),
            [
                ["c1-k8s", "c1", "network1", 2],
                ["c2-k8s", "c2", "network2", 2],
                ["c3-k8s", "c3", "network3", 2],
            ],
        );
    });

    it("reads istiod's identity from the rendered istio-sidecar-injector ConfigMap when chart values are not visible", async () => {
        const rs = stack(full(["c1", "c2"], { valuesInConfigMap: true, intermediate: "c1-cert" }));
        assert.deepEqual(
            meshInventory(rs).map((c) => [c.clusterName, c.meshID, c.network]),
            [
                ["c1", "mesh1", "network1"],
                ["c2", "mesh1", "network2"],
            ],
        );
        for (const p of stackPolicies()) assert.deepEqual(await messages(p, rs), [], p.name);
    });

    describe("mesh-identity", () => {
        it("flags two meshIDs, duplicate cluster names and a namespace label that disagrees with istiod", async () => {
            const cs = seed000();
            cs[1]!.meshID = "mesh2";
            cs[2]!.providerName = "c3";
            cs[2]!.name = "c1";
            cs[0]!.namespaceNetwork = "network9";
            const m = await messages(meshIdentity(), stack(cs));
            assert.equal(m.length, 3, m.join("\n"));
            assert.match(m[0]!, /clusters disagree on global.meshID: "mesh1" \(c1, c1\), "mesh2" \(c2\)/);
            assert.match(m[1]!, /duplicate cluster name "c1"/);
            assert.match(
                m[2]!,
                /cluster c1: istio-system is labelled topology.istio.io\/network=network9 but istiod has global.network=network1/,
            );
        });
    });

    describe("east-west-gateways", () => {
        it("flags a cluster on its own network without a 15443 Service and AUTO_PASSTHROUGH Gateway", async () => {
            const cs = seed000();
            cs[2]!.eastWest = false;
            const m = await messages(eastWestGateways(), stack(cs));
            assert.equal(m.length, 2);
            assert.match(m[0]!, /cluster c3 \(network network3\) has no Service exposing port 15443/);
            assert.match(m[1]!, /cluster c3 \(network network3\) has no Gateway with a 15443 server in TLS mode AUTO_PASSTHROUGH/);
        });

        it("flags a Gateway in TLS mode PASSTHROUGH; no gateways needed on a single network", async () => {
            const rs = stack(seed000());
            const gw = rs.find((r) => r.name === "c1-cross-network-gateway")!;
            (gw.props as any).spec.servers[0].tls.mode = "PASSTHROUGH";
            assert.equal((await messages(eastWestGateways(), rs)).length, 1);
            const flat = stack(full(["c1", "c2"], { network: "net", eastWest: false, intermediate: "c1-cert" }));
            assert.deepEqual(await messages(eastWestGateways(), flat), []);
        });
    });

    describe("remote-secret-full-mesh", () => {
        it("flags a missing ordered pair and a link to a cluster not in the stack", async () => {
            const cs = seed000();
            cs[0]!.links = ["c2", "c9"];
            const m = await messages(remoteSecretFullMesh(), stack(cs));
            assert.deepEqual(m, [
                "cluster c1 has istio-remote-secret-c9, but no cluster c9 is in this stack (a stale link: istiod keeps watching an API server that is gone)",
                "cluster c1 has no istio-remote-secret-c3 (nor an entry c3 in istio-remote-secrets): its istiod cannot discover c3's endpoints (multi-primary needs every ordered pair linked)",
            ]);
        });

        it("reads the per-reader layout's entries as links", async () => {
            const cs = seed000().map((c) => ({ ...c, perReader: true }));
            assert.deepEqual(await messages(remoteSecretFullMesh(), stack(cs)), []);
            cs[1]!.links = ["c1"];
            assert.deepEqual(await messages(remoteSecretFullMesh(), stack(cs)), [
                "cluster c2 has no istio-remote-secret-c3 (nor an entry c3 in istio-remote-secrets): its istiod cannot discover c3's endpoints (multi-primary needs every ordered pair linked)",
            ]);
        });

        it("does not guess when a remote secret's target is unknown at preview", async () => {
            const cs = seed000();
            cs[0]!.links = ["c2"];
            const rs = stack(cs);
            const unknown = remoteSecretProps("c3");
            unknown.metadata.annotations = UNKNOWN_OBJECT;
            unknown.data = UNKNOWN_OBJECT;
            rs.push(
                stackResource("kubernetes:core/v1:Secret", "c1-c3-remote-secret", engineProps(unknown), { provider: provider("c1-k8s") }),
            );
            assert.deepEqual(await messages(remoteSecretFullMesh(), rs), []);
        });
    });

    describe("cacerts-shared-root", () => {
        it("flags a cluster whose cacerts has another root", async () => {
            const cs = seed000();
            cs[2]!.intermediate = "c3-cert";
            cs[2]!.root = "rootB-cert";
            const m = await messages(caCertsSharedRoot(), stack(cs));
            assert.equal(m.length, 1);
            assert.match(m[0]!, /cacerts do not share one root certificate: \[c1, c2\] vs \[c3\]/);
        });

        it("flags a signing certificate not signed by the root it ships with", async () => {
            const cs = seed000();
            cs[1]!.intermediate = "c3-cert";
            const m = await messages(caCertsSharedRoot(), stack(cs));
            assert.equal(m.length, 1);
            assert.match(m[0]!, /^cacerts in c2-k8s: signing certificate \(O=Istio, CN=Intermediate CA, L=c3\) is not signed by the root/);
        });

        describe("during a root rotation (docs/root-ca.md)", () => {
            /** cacerts of cluster `id` trusting `roots` (in order) and signing with `intermediate`. */
            const rotating = (rs: PolicyResource[], id: string, intermediate: string, roots: string[], multiRoot = true) => {
                const secret = rs.find((r) => r.name === `${id}-cacerts`)!;
                const bundle = roots.map(pem).join("");
                // the chain ends with the root that signed the intermediate (rootB for c3-cert, rootA for the others)
                const props = cacertsProps(intermediate, intermediate === "c3-cert" ? "rootB-cert" : "rootA-cert");
                props.data["root-cert.pem"] = b64(bundle);
                (secret as any).props = props;
                const deploy = rs.find((r) => r.name === `${id}-istiod-deploy`)!;
                if (multiRoot)
                    (deploy as any).props.spec.template.spec.containers[0].env.push({ name: "ISTIO_MULTIROOT_MESH", value: "true" });
            };

            it("passes clusters one phase apart: c1 at trustBoth (A+B, signs with A) beside c2 and c3 at oldOnly", async () => {
                const rs = stack(seed000());
                rotating(rs, "c1", "c1-cert", ["rootA-cert", "rootB-cert"]);
                assert.deepEqual(await messages(caCertsSharedRoot(), rs), []);
            });

            it("passes c3 signing with B while every cluster trusts A and B", async () => {
                const rs = stack(seed000());
                rotating(rs, "c1", "c1-cert", ["rootA-cert", "rootB-cert"]);
                rotating(rs, "c2", "c2-cert", ["rootA-cert", "rootB-cert"]);
                rotating(rs, "c3", "c3-cert", ["rootA-cert", "rootB-cert"]);
                assert.deepEqual(await messages(caCertsSharedRoot(), rs), []);
            });

            it("flags a cluster signing with B while another does not trust B, naming both", async () => {
                const rs = stack(seed000());
                rotating(rs, "c1", "c1-cert", ["rootA-cert", "rootB-cert"]);
                rotating(rs, "c3", "c3-cert", ["rootA-cert", "rootB-cert"]);
                const m = await messages(caCertsSharedRoot(), rs);
                assert.equal(m.length, 1, m.join("\n"));
                assert.match(m[0]!, /^cluster c3 signs with root O=Istio, CN=Root CA rootB \(SHA-256 [0-9A-F:]+\), which c2 do not trust/);
            });

            it("flags a bundle of two roots beside an istiod that is not multi-root", async () => {
                const rs = stack(seed000());
                rotating(rs, "c1", "c1-cert", ["rootA-cert", "rootB-cert"], false);
                const m = await messages(caCertsSharedRoot(), rs);
                assert.deepEqual(m.length, 1, m.join("\n"));
                assert.match(m[0]!, /cluster c1: cacerts trusts 2 roots but istiod runs without ISTIO_MULTIROOT_MESH=true/);
            });
        });

        it("skips cacerts whose values are unknown at preview or secret", async () => {
            const rs = stack(seed000());
            const c3 = rs.find((r) => r.name === "c3-cacerts")!;
            (c3 as any).props = engineProps({ metadata: { name: "cacerts", namespace: "istio-system" }, data: UNKNOWN_OBJECT });
            const c2 = rs.find((r) => r.name === "c2-cacerts")!;
            (c2 as any).props = engineProps({
                ...cacertsProps("c2-cert", "rootA-cert"),
                data: wireSecret(cacertsProps("c2-cert", "rootA-cert").data),
            });
            assert.deepEqual(await messages(caCertsSharedRoot(), rs), []);
        });
    });

    describe("no-plaintext-credentials-in-outputs", () => {
        const stackOutputs = (wire: Record<string, unknown>) => [
            stackResource("pulumi:pulumi:Stack", "istio-multicluster-dev", engineProps(wire)),
        ];

        it("passes public outputs and secret credentials", async () => {
            const rs = stackOutputs({
                rootCertPem: pem("rootA-cert"),
                remoteSecrets: { c1: ["istio-remote-secret-c2"] },
                caKey: wireSecret(pem("c1-key")),
                kubeconfigs: wireSecret({ c2: istioctlKubeconfig("c2", "https://10.0.0.2:6443") }),
            });
            assert.deepEqual(await messages(noPlaintextCredentialOutputs(), rs), []);
        });

        it("flags a plaintext PEM key (also base64) and a token kubeconfig", async () => {
            const rs = stackOutputs({
                caKey: pem("c1-key"),
                nested: { keys: [b64(pem("c1-key"))] },
                kubeconfig: istioctlKubeconfig("c2", "https://10.0.0.2:6443"),
            });
            assert.deepEqual(await messages(noPlaintextCredentialOutputs(), rs), [
                "stack output caKey carries a private key in plain text: export it with pulumi.secret()",
                "stack output nested.keys[0] carries a private key in plain text: export it with pulumi.secret()",
                "stack output kubeconfig carries a kubeconfig token in plain text: export it with pulumi.secret()",
            ]);
        });

        it("without secret tracking, says it cannot tell", async () => {
            const rs = [stackResource("pulumi:pulumi:Stack", "s", { caKey: pem("c1-key") })];
            assert.match((await messages(noPlaintextCredentialOutputs(), rs))[0]!, /secret-ness cannot be read/);
        });
    });

    describe("virtualservice-subsets-exist", () => {
        const p1 = provider("c1-k8s");
        const dr = (host: string, ns: string, subsets: string[]) =>
            stackResource(
                "kubernetes:networking.istio.io/v1:DestinationRule",
                `dr-${host}`,
                {
                    metadata: { name: host, namespace: ns },
                    spec: { host, subsets: subsets.map((name) => ({ name, labels: { version: name } })) },
                },
                { provider: p1 },
            );
        const vs = (host: string, ns: string, subsets: string[]) =>
            stackResource(
                "kubernetes:networking.istio.io/v1beta1:VirtualService",
                `vs-${host}`,
                {
                    metadata: { name: host, namespace: ns },
                    spec: {
                        hosts: [host],
                        http: [
                            {
                                route: subsets.map((subset, i) => ({
                                    destination: { host, subset },
                                    weight: i === 0 ? 100 - 10 * (subsets.length - 1) : 10,
                                })),
                            },
                        ],
                    },
                },
                { provider: p1 },
            );

        it("passes when subsets are defined (short name vs FQDN resolved by namespace)", async () => {
            const rs = [dr("helloworld.sample.svc.cluster.local", "istio-system", ["v1", "v2"]), vs("helloworld", "sample", ["v1", "v2"])];
            assert.deepEqual(await messages(virtualServiceSubsetsExist(), rs), []);
        });

        it("flags an undefined subset and a host without DestinationRule", async () => {
            const rs = [
                dr("helloworld", "sample", ["v1"]),
                vs("helloworld", "sample", ["v1", "v2"]),
                vs("reviews", "sample", ["v1"]),
                vs("helloworld", "other", ["v1"]),
            ];
            const m = await messages(virtualServiceSubsetsExist(), rs);
            assert.equal(m.length, 3, m.join("\n"));
            assert.match(m[0]!, /routes to subset v2 of helloworld.sample.svc.cluster.local, but its DestinationRule defines \["v1"\]/);
            assert.match(m[1]!, /subset v1 of reviews.sample.svc.cluster.local, but no DestinationRule for that host/);
            assert.match(m[2]!, /subset v1 of helloworld.other.svc.cluster.local/);
        });

        it("a DestinationRule in another cluster does not count; unknown subsets are skipped", async () => {
            const other = stackResource(
                "kubernetes:networking.istio.io/v1:DestinationRule",
                "dr2",
                { metadata: { name: "h", namespace: "sample" }, spec: { host: "h", subsets: [{ name: "v1" }] } },
                { provider: provider("c2-k8s") },
            );
            assert.equal((await messages(virtualServiceSubsetsExist(), [other, vs("h", "sample", ["v1"])])).length, 1);
            const unknown = stackResource(
                "kubernetes:networking.istio.io/v1:DestinationRule",
                "dr3",
                engineProps({ metadata: { name: "h", namespace: "sample" }, spec: { host: "h", subsets: UNKNOWN_OBJECT } }),
                { provider: p1 },
            );
            assert.deepEqual(await messages(virtualServiceSubsetsExist(), [unknown, vs("h", "sample", ["v1"])]), []);
        });
    });
});
