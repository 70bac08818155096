/**
 * IstioMesh under mocks, for 2, 3 and 5 clusters: counts, remote-secret shape and placement, cacerts,
 * chart values, dependency edges and secrecy.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { clustersConfig } from "../helpers/configs";
import { promiseOf, RecordingMocks, runProgram } from "../helpers/mocks";

const mocks = new RecordingMocks();

const run = (config: Record<string, unknown>) => runProgram(mocks, config);

const decode = (s: string) => Buffer.from(s, "base64").toString("utf8");

for (const n of [2, 3, 5]) {
    describe(`IstioMesh with ${n} clusters (mocks)`, function () {
        let result: Awaited<ReturnType<typeof run>>;
        before(async () => {
            result = await run(clustersConfig(n));
        });

        it("registers the expected number of each resource type", () => {
            const count = (t: string) => mocks.ofType(t).length;
            const links = n * (n - 1);
            assert.equal(count("istio-multicluster:index:IstioMesh"), 1);
            assert.equal(count("istio-multicluster:index:SharedRootCA"), 1);
            assert.equal(count("istio-multicluster:index:MeshCluster"), n);
            assert.equal(count("istio-multicluster:index:EastWestGateway"), n);
            assert.equal(count("istio-multicluster:index:RemoteSecretLink"), links);
            assert.equal(count("pulumi:providers:kubernetes"), n);
            assert.equal(count("tls:index/privateKey:PrivateKey"), n + 1);
            assert.equal(count("tls:index/selfSignedCert:SelfSignedCert"), 1);
            assert.equal(count("tls:index/locallySignedCert:LocallySignedCert"), n);
            assert.equal(count("kubernetes:core/v1:Namespace"), n);
            assert.equal(count("kubernetes:core/v1:NodePatch"), 2 * n);
            assert.equal(count("kubernetes:helm.sh/v4:Chart"), 3 * n);
            assert.equal(count("kubernetes:networking.istio.io/v1:Gateway"), n);
            assert.equal(count("random:index/randomId:RandomId"), n, "one token-name suffix per target cluster");
            // n cacerts + one token Secret and one remote secret per link
            assert.equal(count("kubernetes:core/v1:Secret"), n + 2 * links);
        });

        it("writes each remote secret in istioctl's shape, on the reader's provider", async () => {
            const remote = mocks.ofType("kubernetes:core/v1:Secret").filter((r) => r.name.endsWith("-remote-secret"));
            assert.equal(remote.length, n * (n - 1));
            for (let r = 1; r <= n; r++) {
                for (let t = 1; t <= n; t++) {
                    if (r === t) continue;
                    const reader = `cluster${r}`;
                    const target = `cluster${t}`;
                    const s = mocks.named(`mesh-${reader}-reads-${target}-remote-secret`);
                    assert.equal(mocks.providerName(s), `mesh-${reader}-k8s`);
                    assert.deepEqual(s.inputs.metadata, {
                        name: `istio-remote-secret-${target}`,
                        namespace: "istio-system",
                        labels: { "istio/multiCluster": "true" },
                        annotations: { "networking.istio.io/cluster": target },
                    });
                    assert.deepEqual(Object.keys(s.inputs.data), [target]);
                    const kc = YAML.parse(decode(s.inputs.data[target]));
                    assert.deepEqual(kc, {
                        apiVersion: "v1",
                        clusters: [
                            {
                                cluster: {
                                    "certificate-authority-data": Buffer.from(`ca-of-mesh-${reader}-reads-${target}-token`).toString(
                                        "base64",
                                    ),
                                    server: `https://192.0.2.${t}:6443`,
                                },
                                name: target,
                            },
                        ],
                        contexts: [{ context: { cluster: target, user: target }, name: target }],
                        "current-context": target,
                        kind: "Config",
                        users: [{ name: target, user: { token: `token-of-mesh-${reader}-reads-${target}-token` } }],
                    });
                    const tok = mocks.named(`mesh-${reader}-reads-${target}-token`);
                    assert.equal(mocks.providerName(tok), `mesh-${target}-k8s`, "token Secret lives in the target");
                    assert.equal(tok.inputs.type, "kubernetes.io/service-account-token");
                    assert.equal(tok.inputs.metadata.namespace, "istio-system");
                    assert.equal(tok.inputs.metadata.annotations["kubernetes.io/service-account.name"], "istio-reader-service-account");
                    assert.match(tok.inputs.metadata.name, new RegExp(`^istio-reader-service-account-${reader}-[0-9a-f]{6}$`));
                }
            }
        });

        it("gives every cluster a cacerts Secret with exactly the four entries, chained to one root", async () => {
            const cacerts = mocks.ofType("kubernetes:core/v1:Secret").filter((r) => r.inputs.metadata.name === "cacerts");
            assert.equal(cacerts.length, n);
            const roots = new Set<string>();
            for (const s of cacerts) {
                assert.equal(s.inputs.metadata.namespace, "istio-system");
                assert.deepEqual(Object.keys(s.inputs.data).sort(), ["ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem"]);
                const d = Object.fromEntries(Object.entries(s.inputs.data).map(([k, v]) => [k, decode(v as string)]));
                assert.equal(d["cert-chain.pem"], d["ca-cert.pem"] + d["root-cert.pem"]);
                assert.match(d["ca-key.pem"], /PRIVATE KEY/);
                roots.add(d["root-cert.pem"]);
            }
            assert.equal(roots.size, 1, "all clusters share one root");
            const inter = mocks.ofType("tls:index/certRequest:CertRequest").map((r) => r.inputs.subject);
            assert.deepEqual(inter.map((s) => s.locality).sort(), Array.from({ length: n }, (_, i) => `cluster${i + 1}`).sort());
            for (const s of inter)
                assert.deepEqual(
                    { ...s, locality: undefined },
                    { organization: "Istio", commonName: "Intermediate CA", locality: undefined },
                );
            for (const c of mocks.ofType("tls:index/locallySignedCert:LocallySignedCert")) {
                assert.equal(c.inputs.isCaCertificate, true);
                assert.equal(c.inputs.maxPathLength, 0);
                assert.deepEqual(c.inputs.allowedUses, ["digital_signature", "content_commitment", "key_encipherment", "cert_signing"]);
            }
            const root = mocks.ofType("tls:index/selfSignedCert:SelfSignedCert")[0];
            assert.deepEqual(root.inputs.subject, { organization: "Istio", commonName: "Root CA" });
            assert.equal(mocks.ofType("tls:index/privateKey:PrivateKey")[0].inputs.rsaBits, 4096);
        });

        it("passes each cluster its own istiod and gateway values", () => {
            for (let i = 1; i <= n; i++) {
                const istiod = mocks.named(`mesh-cluster${i}-istiod`).inputs;
                assert.equal(istiod.name, "istiod");
                assert.equal(istiod.namespace, "istio-system");
                assert.equal(istiod.version, "1.30.3");
                assert.deepEqual(istiod.values.global, {
                    meshID: "mesh1",
                    multiCluster: { clusterName: `cluster${i}` },
                    network: `network${i}`,
                    hub: "docker.io/istio",
                    tag: "1.30.3",
                });
                assert.deepEqual(istiod.values.meshConfig.defaultConfig.proxyMetadata, { ISTIO_META_DNS_CAPTURE: "true" });
                assert.deepEqual(istiod.values.pilot.env, { PILOT_ENABLE_IP_AUTOALLOCATE: "true" });
                const gw = mocks.named(`mesh-cluster${i}-eastwest-chart`).inputs;
                assert.equal(gw.chart, "gateway");
                assert.equal(gw.values.networkGateway, `network${i}`);
                // The chart adds the network label and env itself with networkGateway; repeating them duplicates keys.
                assert.deepEqual(gw.values.labels, { istio: "eastwestgateway", app: "istio-eastwestgateway" });
                assert.equal(gw.values.env, undefined);
                assert.equal(gw.values.service.type, "LoadBalancer");
                const ns = mocks.named(`mesh-cluster${i}-istio-system`).inputs;
                assert.equal(ns.metadata.labels["topology.istio.io/network"], `network${i}`);
                const gwcr = mocks.named(`mesh-cluster${i}-eastwest-cross-network-gateway`).inputs;
                assert.deepEqual(gwcr.spec.servers, [
                    { port: { number: 15443, name: "tls", protocol: "TLS" }, tls: { mode: "AUTO_PASSTHROUGH" }, hosts: ["*.local"] },
                ]);
                assert.equal(mocks.providerName(mocks.named(`mesh-cluster${i}-eastwest-cross-network-gateway`)), `mesh-cluster${i}-k8s`);
            }
        });

        it("orders cacerts and base before istiod, istiod before the gateway, CRDs before the Gateway CR", async () => {
            const deps = async (name: string) => (await result.edges.get(name)) ?? [];
            for (let i = 1; i <= n; i++) {
                const c = `mesh-cluster${i}`;
                assert.deepEqual((await deps(`${c}-istiod`)).sort(), [`${c}-base`, `${c}-cacerts`, `${c}-istio-system`].sort());
                assert.deepEqual(await deps(`${c}-cacerts`), [`${c}-istio-system`]);
                assert.deepEqual(await deps(`${c}-eastwest-chart`), [`${c}-istiod`]);
                assert.deepEqual((await deps(`${c}-eastwest-cross-network-gateway`)).sort(), [`${c}-base`, `${c}-eastwest-chart`].sort());
            }
            assert.deepEqual((await deps("mesh-cluster1-reads-cluster2-token")).sort(), ["mesh-cluster2-base", "mesh-cluster2-istiod"]);
            assert.deepEqual(await deps("mesh-cluster1-reads-cluster2-remote-secret"), ["mesh-cluster1-istio-system"]);
        });

        it("keeps private keys and kubeconfigs secret", async () => {
            const mesh = result.mesh;
            for (const c of Object.keys(mesh.clusters)) {
                assert.equal(await pulumi.isSecret(mesh.ca.caCerts[c]["ca-key.pem"]), true);
                assert.equal(await pulumi.isSecret(mesh.ca.caCerts[c]["ca-cert.pem"]), false);
            }
            for (const link of Object.values(mesh.links)) {
                assert.equal(await pulumi.isSecret(link.kubeconfig), true);
            }
            assert.equal(await pulumi.isSecret(mesh.ca.rootCertPem), false);
            for (const s of mocks.ofType("kubernetes:core/v1:Secret").filter((r) => !r.inputs.type?.includes("service-account"))) {
                assert.deepEqual(s.secretPaths, ["data"], `${s.name}.data must reach the provider as a secret`);
            }
            for (const k of mocks.ofType("tls:index/locallySignedCert:LocallySignedCert")) {
                assert.ok(k.secretPaths.includes("caPrivateKeyPem"), "the root key is passed as a secret");
            }
            assert.match(await promiseOf(mesh.ca.rootCertPem), /BEGIN CERTIFICATE/);
        });
    });
}
