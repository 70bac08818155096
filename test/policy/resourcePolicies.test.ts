import { strict as assert } from "assert";
import {
    caCertsComplete,
    destinationRuleFailoverOutlier,
    destinationRuleLocality,
    imagesFromAllowedHubs,
    remoteSecretShape,
    resourcePolicies,
    virtualServiceWeights,
} from "../../policy/resourcePolicies";
import {
    b64,
    cacertsProps,
    engineProps,
    istioctlKubeconfig,
    readerRemoteSecretProps,
    remoteSecretProps,
    resetSecretTracking,
    resourceArgs,
    runResourcePolicy,
    UNKNOWN_OBJECT,
    UNKNOWN_STRING,
    wireSecret,
} from "./helpers";

const DR = "kubernetes:networking.istio.io/v1:DestinationRule";
const VS = "kubernetes:networking.istio.io/v1:VirtualService";
const SECRET = "kubernetes:core/v1:Secret";

// Seed 000's DestinationRules (cc3: distribute, cc4: failover), as CustomResource props.
const cc3 = {
    apiVersion: "networking.istio.io/v1",
    kind: "DestinationRule",
    metadata: { name: "helloworld2-loc2", namespace: "sample" },
    spec: {
        host: "helloworld2.sample.svc.cluster.local",
        trafficPolicy: {
            loadBalancer: {
                localityLbSetting: {
                    enabled: true,
                    distribute: [
                        { from: "region2/zone1/*", to: { "region1/*": 50, "region3/*": 50 } },
                        { from: "region2/zone2/*", to: { "region2/zone3/*": 40, "region2/zone1/*": 40, "region3/*": 20 } },
                        { from: "region2/zone3/*", to: { "region4/zone5/*": 100 } },
                    ],
                },
            },
            outlierDetection: { consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s" },
        },
    },
};
const cc4 = (outlier = true) => ({
    apiVersion: "networking.istio.io/v1",
    kind: "DestinationRule",
    metadata: { name: "helloworld2-loc-failover", namespace: "sample" },
    spec: {
        host: "helloworld2.sample.svc.cluster.local",
        trafficPolicy: {
            connectionPool: { http: { maxRequestsPerConnection: 1 } },
            loadBalancer: { simple: "ROUND_ROBIN", localityLbSetting: { enabled: true, failover: [{ from: "region4", to: "region3" }] } },
            ...(outlier ? { outlierDetection: { consecutive5xxErrors: 1, interval: "1s", baseEjectionTime: "1m" } } : {}),
        },
    },
});

describe("policy: resource policies", () => {
    afterEach(resetSecretTracking);

    it("has unique names and the documented levels", () => {
        const ps = resourcePolicies();
        assert.equal(new Set(ps.map((p) => p.name)).size, ps.length);
        assert.deepEqual(Object.fromEntries(ps.map((p) => [p.name, p.enforcementLevel])), {
            "destinationrule-locality-lb": "mandatory",
            "destinationrule-failover-needs-outlier-detection": "advisory",
            "virtualservice-route-weights": "mandatory",
            "remote-secret-shape": "mandatory",
            "cacerts-complete-and-secret": "mandatory",
            "images-from-allowed-hubs": "mandatory",
        });
    });

    describe("destinationrule-locality-lb (mandatory) / failover-needs-outlier-detection (advisory)", () => {
        it("passes the seed's cc3 (distribute) and cc4 (failover + outlierDetection)", async () => {
            for (const dr of [cc3, cc4()]) {
                assert.deepEqual(await runResourcePolicy(destinationRuleLocality(), resourceArgs(DR, dr)), []);
                assert.deepEqual(await runResourcePolicy(destinationRuleFailoverOutlier(), resourceArgs(DR, dr)), []);
            }
        });

        it("failover without outlierDetection: advisory warning only", async () => {
            assert.deepEqual(await runResourcePolicy(destinationRuleLocality(), resourceArgs(DR, cc4(false))), []);
            assert.deepEqual(await runResourcePolicy(destinationRuleFailoverOutlier(), resourceArgs(DR, cc4(false))), [
                {
                    message:
                        "spec.trafficPolicy.loadBalancer.localityLbSetting.failover: outlier detection policy must be provided for failover",
                    urn: undefined,
                },
            ]);
        });

        it("rejects weights that do not add up to 100, with Istio's message and the full path", async () => {
            const bad = structuredClone(cc3);
            bad.spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[1]!.to = {
                "region2/zone3/*": 40,
                "region2/zone1/*": 40,
                "region3/*": 10,
            };
            const v = await runResourcePolicy(destinationRuleLocality(), resourceArgs(DR, bad));
            assert.deepEqual(
                v.map((x) => x.message),
                ["spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[1].to: total locality weight 90 != 100"],
            );
        });

        it("checks port-level and subset traffic policies, each with its own outlierDetection", async () => {
            const dr = {
                metadata: { name: "x", namespace: "sample" },
                spec: {
                    host: "helloworld2",
                    trafficPolicy: {
                        portLevelSettings: [
                            {
                                port: { number: 5000 },
                                loadBalancer: {
                                    localityLbSetting: {
                                        distribute: [{ from: "r1", to: { r2: 100 } }],
                                        failover: [{ from: "r1", to: "r2" }],
                                    },
                                },
                            },
                        ],
                    },
                    subsets: [
                        {
                            name: "v1",
                            labels: { version: "v1" },
                            trafficPolicy: { loadBalancer: { localityLbSetting: { failover: [{ from: "region1", to: "region1" }] } } },
                        },
                    ],
                },
            };
            const errs = (await runResourcePolicy(destinationRuleLocality(), resourceArgs(DR, dr))).map((x) => x.message);
            assert.deepEqual(errs, [
                "spec.trafficPolicy.portLevelSettings[0].loadBalancer.localityLbSetting.failover: can not simultaneously specify 'distribute' and 'failover'",
                "spec.subsets[0].trafficPolicy.loadBalancer.localityLbSetting.failover[0]: locality lb failover settings must specify different regions",
            ]);
            const warns = (await runResourcePolicy(destinationRuleFailoverOutlier(), resourceArgs(DR, dr))).map((x) => x.message);
            assert.deepEqual(warns, [
                "spec.subsets[0].trafficPolicy.loadBalancer.localityLbSetting.failover: outlier detection policy must be provided for failover",
            ]);
        });

        it("applies to v1beta1/v1alpha3 and ignores other types", async () => {
            const bad = { spec: { trafficPolicy: { loadBalancer: { localityLbSetting: { failover: [{ from: "a/b", to: "c" }] } } } } };
            for (const t of [
                "kubernetes:networking.istio.io/v1beta1:DestinationRule",
                "kubernetes:networking.istio.io/v1alpha3:DestinationRule",
            ]) {
                assert.equal((await runResourcePolicy(destinationRuleLocality(), resourceArgs(t, bad))).length, 1);
            }
            assert.deepEqual(await runResourcePolicy(destinationRuleLocality(), resourceArgs("kubernetes:core/v1:ConfigMap", bad)), []);
        });

        it("skips traffic policies with values unknown at preview, without throwing", async () => {
            const props = engineProps({
                spec: {
                    host: "h",
                    trafficPolicy: { loadBalancer: { localityLbSetting: { distribute: [{ from: UNKNOWN_STRING, to: { "r1/*": 90 } }] } } },
                    subsets: [{ name: "v1", trafficPolicy: { loadBalancer: UNKNOWN_OBJECT } }],
                },
            });
            assert.deepEqual(await runResourcePolicy(destinationRuleLocality(), resourceArgs(DR, props)), []);
        });
    });

    describe("virtualservice-route-weights (mandatory)", () => {
        const vs = (http: unknown[], extra: Record<string, unknown> = {}) => ({
            metadata: { name: "helloworld", namespace: "sample" },
            spec: { hosts: ["helloworld"], http, ...extra },
        });
        const dest = (subset: string, weight?: number) => ({
            destination: { host: "helloworld", subset },
            ...(weight === undefined ? {} : { weight }),
        });

        it("passes 80/20, a single destination without weight, and tcp/tls routes adding to 100", async () => {
            const ok = vs([{ route: [dest("v1", 80), dest("v2", 20)] }, { route: [dest("v1")] }], {
                tcp: [{ route: [dest("v1", 50), dest("v2", 50)] }],
                tls: [{ match: [{ sniHosts: ["a"] }], route: [dest("v1", 100)] }],
            });
            assert.deepEqual(await runResourcePolicy(virtualServiceWeights(), resourceArgs(VS, ok)), []);
        });

        it("flags sums other than 100, missing weights, negative weights and all-zero splits", async () => {
            const bad = vs(
                [
                    { route: [dest("v1", 70), dest("v2", 20)] },
                    { route: [dest("v1", 100), dest("v2")] },
                    { route: [dest("v1", -10), dest("v2", 110)] },
                ],
                {
                    tcp: [{ route: [dest("v1", 0), dest("v2", 0)] }],
                },
            );
            const m = (await runResourcePolicy(virtualServiceWeights(), resourceArgs(VS, bad))).map((x) => x.message);
            assert.deepEqual(m, [
                "spec.http[0].route: destination weights add up to 90, not 100",
                "spec.http[1].route[1]: no weight among 2 weighted destinations; it gets no traffic (weight 0)",
                "spec.http[2].route[0].weight: weight -10 < 0",
                "spec.tcp[0].route: total destination weight = 0 (Istio rejects a split where no destination gets traffic)",
            ]);
        });

        it("requireSum100: false keeps only what Istio itself rejects", async () => {
            const rel = vs([{ route: [dest("v1", 3), dest("v2", 1)] }]);
            assert.deepEqual(
                await runResourcePolicy(virtualServiceWeights(), resourceArgs(VS, rel, { config: { requireSum100: false } })),
                [],
            );
            assert.equal((await runResourcePolicy(virtualServiceWeights(), resourceArgs(VS, rel))).length, 1);
        });

        it("skips a route whose weight is unknown at preview", async () => {
            const props = engineProps(
                vs([{ route: [dest("v1", 80), { destination: { host: "helloworld", subset: "v2" }, weight: UNKNOWN_STRING }] }]),
            );
            assert.deepEqual(await runResourcePolicy(virtualServiceWeights(), resourceArgs(VS, props)), []);
        });
    });

    describe("remote-secret-shape (mandatory)", () => {
        it("passes an istioctl-shaped remote secret (data) and the stringData form", async () => {
            assert.deepEqual(await runResourcePolicy(remoteSecretShape(), resourceArgs(SECRET, remoteSecretProps("c2"))), []);
            const sd = remoteSecretProps("c3");
            sd.stringData = { c3: istioctlKubeconfig("c3", "https://c3.example:6443") };
            delete sd.data;
            assert.deepEqual(await runResourcePolicy(remoteSecretShape(), resourceArgs(SECRET, sd)), []);
        });

        it("ignores Secrets without the istio/multiCluster label", async () => {
            const s = remoteSecretProps("c2");
            s.metadata.labels = {};
            s.metadata.name = "whatever";
            assert.deepEqual(await runResourcePolicy(remoteSecretShape(), resourceArgs(SECRET, s)), []);
        });

        it("flags a wrong name, extra keys and the wrong namespace", async () => {
            const s = remoteSecretProps("c2");
            s.metadata.name = "istio-remote-secret-cluster2";
            s.metadata.namespace = "default";
            s.data.extra = b64("x");
            const m = (await runResourcePolicy(remoteSecretShape(), resourceArgs(SECRET, s))).map((x) => x.message);
            assert.equal(m.length, 3, m.join("\n"));
            assert.match(m[0]!, /namespace is "default": istiod only reads remote secrets in its own namespace istio-system/);
            assert.match(m[1]!, /expected "istio-remote-secret-c2"/);
            assert.match(m[2]!, /holds entries \["c2","extra"\]; expected exactly one, "c2"/);
        });

        it("passes the per-reader layout's Secret (an entry per cluster) and checks every entry", async () => {
            assert.deepEqual(await runResourcePolicy(remoteSecretShape(), resourceArgs(SECRET, readerRemoteSecretProps(["c2", "c3"]))), []);
            const loopback = readerRemoteSecretProps(["c2", "c3"], (t) =>
                istioctlKubeconfig(t, t === "c3" ? "https://127.0.0.1:6443" : "https://10.0.0.2:6443"),
            );
            const m = (await runResourcePolicy(remoteSecretShape(), resourceArgs(SECRET, loopback))).map((x) => x.message);
            assert.deepEqual(m, [
                "kubeconfig for c3: server https://127.0.0.1:6443 is a loopback address, which the reading istiod cannot reach (istio/istio#58047)",
            ]);
            const empty = (await runResourcePolicy(remoteSecretShape(), resourceArgs(SECRET, readerRemoteSecretProps([])))).map(
                (x) => x.message,
            );
            assert.equal(empty.length, 1);
            assert.match(empty[0]!, /holds no entries/);
        });

        it("flags exec plugins, token files and loopback servers, with config allowances", async () => {
            const exec = remoteSecretProps(
                "c2",
                istioctlKubeconfig("c2", "https://127.0.0.1:6443", { exec: { command: "aws" }, tokenFile: "/var/run/t" }),
            );
            const m = (await runResourcePolicy(remoteSecretShape(), resourceArgs(SECRET, exec))).map((x) => x.message);
            assert.deepEqual(m, [
                'kubeconfig for c2: user "c2" uses an exec plugin, which istiod rejects',
                'kubeconfig for c2: user "c2" uses tokenFile, which istiod rejects; inline the token',
                "kubeconfig for c2: server https://127.0.0.1:6443 is a loopback address, which the reading istiod cannot reach (istio/istio#58047)",
            ]);
            const config = { allowedInsecureKubeconfigOptions: ["exec", "tokenFile"], allowLoopbackApiServer: true };
            assert.deepEqual(await runResourcePolicy(remoteSecretShape(), resourceArgs(SECRET, exec, { config })), []);
        });

        it("flags an auth-provider other than oidc but accepts oidc", async () => {
            const gcp = remoteSecretProps("c2", istioctlKubeconfig("c2", "https://10.0.0.2:6443", { "auth-provider": { name: "gcp" } }));
            assert.equal((await runResourcePolicy(remoteSecretShape(), resourceArgs(SECRET, gcp))).length, 1);
            const oidc = remoteSecretProps("c2", istioctlKubeconfig("c2", "https://10.0.0.2:6443", { "auth-provider": { name: "oidc" } }));
            assert.deepEqual(await runResourcePolicy(remoteSecretShape(), resourceArgs(SECRET, oidc)), []);
        });

        it("preview: data unknown or secret is handled (name checks still run)", async () => {
            const unknownData: Record<string, any> = { ...remoteSecretProps("c2"), data: UNKNOWN_OBJECT };
            unknownData.metadata = { ...unknownData.metadata, name: "istio-remote-secret-x" };
            const m = (await runResourcePolicy(remoteSecretShape(), resourceArgs(SECRET, engineProps(unknownData)))).map((x) => x.message);
            assert.equal(m.length, 1);
            assert.match(m[0]!, /expected "istio-remote-secret-c2"/);
            const secret = remoteSecretProps("c2", istioctlKubeconfig("c2", "https://localhost:6443"));
            secret.data = wireSecret(secret.data);
            const m2 = (await runResourcePolicy(remoteSecretShape(), resourceArgs(SECRET, engineProps(secret)))).map((x) => x.message);
            assert.deepEqual(m2, [
                "kubeconfig for c2: server https://localhost:6443 is a loopback address, which the reading istiod cannot reach (istio/istio#58047)",
            ]);
        });
    });

    describe("cacerts-complete-and-secret (mandatory)", () => {
        it("passes the four istiod entries when the key is secret (engine props, tracking on)", async () => {
            const p = cacertsProps("c1-cert", "rootA-cert");
            p.data = wireSecret(p.data);
            assert.deepEqual(await runResourcePolicy(caCertsComplete(), resourceArgs(SECRET, engineProps(p))), []);
        });

        it("passes with plain props when additionalSecretOutputs covers data (what k8s.core.v1.Secret sets)", async () => {
            const args = resourceArgs(SECRET, cacertsProps("c1-cert", "rootA-cert"), { additionalSecretOutputs: ["data", "stringData"] });
            assert.deepEqual(await runResourcePolicy(caCertsComplete(), args), []);
        });

        it("flags a private key that is not a Pulumi secret", async () => {
            const m = (
                await runResourcePolicy(caCertsComplete(), resourceArgs(SECRET, engineProps(cacertsProps("c1-cert", "rootA-cert"))))
            ).map((x) => x.message);
            assert.deepEqual(m, [
                'cacerts data["ca-key.pem"] (the CA private key) is not a Pulumi secret: wrap it in pulumi.secret() so it is encrypted in state',
            ]);
            resetSecretTracking();
            const plainArgs = resourceArgs(SECRET, cacertsProps("c1-cert", "rootA-cert"));
            assert.match((await runResourcePolicy(caCertsComplete(), plainArgs))[0]!.message, /cannot confirm it is a Pulumi secret/);
        });

        it("accepts the tls.crt/tls.key/ca.crt layout and flags missing entries", async () => {
            const tls = {
                metadata: { name: "cacerts", namespace: "istio-system" },
                stringData: wireSecret({ "tls.crt": "a", "tls.key": "b", "ca.crt": "c" }),
            };
            assert.deepEqual(await runResourcePolicy(caCertsComplete(), resourceArgs(SECRET, engineProps(tls))), []);
            const partial = {
                metadata: { name: "cacerts", namespace: "istio-system" },
                data: wireSecret({ "ca-cert.pem": "YQ==", "root-cert.pem": "Yg==" }),
            };
            const m = (await runResourcePolicy(caCertsComplete(), resourceArgs(SECRET, engineProps(partial)))).map((x) => x.message);
            assert.equal(m.length, 1);
            assert.match(
                m[0]!,
                /^cacerts lacks ca-key.pem, cert-chain.pem \(needs ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem, or tls.crt, tls.key, ca.crt\)/,
            );
        });

        it("skips entry checks when data is unknown", async () => {
            const p = { metadata: { name: "cacerts", namespace: "istio-system" }, data: UNKNOWN_OBJECT };
            assert.deepEqual(await runResourcePolicy(caCertsComplete(), resourceArgs(SECRET, engineProps(p))), []);
        });
    });

    describe("images-from-allowed-hubs (mandatory)", () => {
        const deployment = (...images: string[]) => ({
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "istiod", namespace: "istio-system" },
            spec: { template: { spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } } },
        });

        it("passes default hubs, image: auto and seed 003's mirror when configured", async () => {
            const ok = deployment("docker.io/istio/pilot:1.30.3", "auto", "gcr.io/istio-release/proxyv2:1.30.3", "curlimages/curl:8.10.1");
            assert.deepEqual(await runResourcePolicy(imagesFromAllowedHubs(), resourceArgs("kubernetes:apps/v1:Deployment", ok)), []);
            const mirror = deployment("mtr.devops.telekom.de/istio/pilot:1.30.3");
            const config = { allowedHubs: ["mtr.devops.telekom.de/istio"] };
            assert.deepEqual(
                await runResourcePolicy(imagesFromAllowedHubs(), resourceArgs("kubernetes:apps/v1:Deployment", mirror, { config })),
                [],
            );
            assert.equal(
                (await runResourcePolicy(imagesFromAllowedHubs(), resourceArgs("kubernetes:apps/v1:Deployment", mirror))).length,
                1,
            );
        });

        it("flags other registries in Pods, DaemonSets (initContainers) and CronJobs", async () => {
            const pod = { spec: { containers: [{ name: "a", image: "quay.io/evil/proxy:1" }] } };
            assert.deepEqual(
                (await runResourcePolicy(imagesFromAllowedHubs(), resourceArgs("kubernetes:core/v1:Pod", pod))).map((x) => x.message),
                [
                    "spec.containers[0].image: image quay.io/evil/proxy:1 is not from an allowed hub (docker.io/istio, gcr.io/istio-release, docker.io/curlimages)",
                ],
            );
            const ds = {
                spec: {
                    template: {
                        spec: {
                            initContainers: [{ name: "i", image: "busybox" }],
                            containers: [{ name: "c", image: "docker.io/istio/install-cni:1.30.3" }],
                        },
                    },
                },
            };
            assert.equal((await runResourcePolicy(imagesFromAllowedHubs(), resourceArgs("kubernetes:apps/v1:DaemonSet", ds))).length, 1);
            const cj = {
                spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "c", image: "docker.io/istio2/x:1" }] } } } } },
            };
            assert.equal((await runResourcePolicy(imagesFromAllowedHubs(), resourceArgs("kubernetes:batch/v1:CronJob", cj))).length, 1);
        });

        it("checks the chart's global.hub, skips unknown images", async () => {
            const chart = { chart: "istiod", values: { global: { hub: "registry.example.com/istio", meshID: "mesh1" } } };
            assert.deepEqual(
                (await runResourcePolicy(imagesFromAllowedHubs(), resourceArgs("kubernetes:helm.sh/v4:Chart", chart))).map(
                    (x) => x.message,
                ),
                [
                    "values.global.hub: hub registry.example.com/istio is not an allowed hub (docker.io/istio, gcr.io/istio-release, docker.io/curlimages)",
                ],
            );
            const ok = { values: { global: { hub: "docker.io/istio" } } };
            assert.deepEqual(await runResourcePolicy(imagesFromAllowedHubs(), resourceArgs("kubernetes:helm.sh/v4:Chart", ok)), []);
            const unknown = engineProps(deployment(UNKNOWN_STRING));
            assert.deepEqual(await runResourcePolicy(imagesFromAllowedHubs(), resourceArgs("kubernetes:apps/v1:Deployment", unknown)), []);
        });
    });
});
