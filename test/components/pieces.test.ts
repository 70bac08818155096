/**
 * Individual components and helpers: argument errors, CA options, token read-back failure, chart sources,
 * version-dependent values, kubeconfig rendering and checks.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { EastWestGateway, RemoteSecretLink, SharedRootCA } from "../../components";
import { resolveIstioChart } from "../../components/istioCharts";
import { ownCustomResourceDefinitions } from "../../components/meshCluster";
import { serviceAccountCredential } from "../../components/serviceAccountToken";
import { checkRemoteKubeconfig, istiodValues, renderRemoteKubeconfig } from "../../components/model";
import { testCluster } from "../helpers/meshCluster";
import { RecordingMocks, setMocks, settle } from "../helpers/mocks";

const mocks = new RecordingMocks();

describe("components one by one (mocks)", () => {
    before(async () => {
        await setMocks(mocks, "pieces");
    });
    beforeEach(() => mocks.reset());

    /** Resolves an Output, or rejects with the error its apply threw. */
    function settleOutput<T>(o: pulumi.Output<T>): Promise<T> {
        return (o as any).promise() as Promise<T>;
    }

    describe("SharedRootCA", () => {
        it("supports ECDSA keys", async () => {
            new SharedRootCA("ec", { clusterNames: ["a", "b"], keyAlgorithm: "ECDSA", ecdsaCurve: "P384" });
            await settle(mocks);
            const keys = mocks.ofType("tls:index/privateKey:PrivateKey");
            assert.equal(keys.length, 3);
            for (const k of keys)
                assert.deepEqual(
                    { a: k.inputs.algorithm, c: k.inputs.ecdsaCurve, r: k.inputs.rsaBits },
                    { a: "ECDSA", c: "P384", r: undefined },
                );
        });

        it("signs intermediates with an existing root instead of generating one", async () => {
            const ca = new SharedRootCA("byo", {
                clusterNames: ["a"],
                existingRoot: { certPem: "-----BEGIN CERTIFICATE-----\nroot\n-----END CERTIFICATE-----\n", keyPem: "KEY" },
            });
            await settle(mocks);
            assert.equal(mocks.ofType("tls:index/selfSignedCert:SelfSignedCert").length, 0);
            assert.equal(mocks.ofType("tls:index/privateKey:PrivateKey").length, 1);
            const signed = mocks.ofType("tls:index/locallySignedCert:LocallySignedCert")[0];
            assert.equal(signed.inputs.caPrivateKeyPem, "KEY");
            assert.ok(signed.secretPaths.includes("caPrivateKeyPem"));
            assert.match(await settleOutput(ca.caCerts.a["root-cert.pem"]), /root/);
        });

        const badArgs: [string, any, RegExp][] = [
            ["no clusters", { clusterNames: [] }, /args\.clusterNames must list at least one/],
            ["bad cluster name", { clusterNames: ["A"] }, /args\.clusterNames contains "A"/],
            ["duplicate", { clusterNames: ["a", "a"] }, /contains "a" twice/],
            [
                "intermediate outlives root",
                { clusterNames: ["a"], rootValidityHours: 100, intermediateValidityHours: 200 },
                /args\.intermediateValidityHours \(200\) must be shorter/,
            ],
            ["rsa bits", { clusterNames: ["a"], rsaBits: 1000 }, /args\.rsaBits/],
            ["early renewal", { clusterNames: ["a"], intermediateValidityHours: 10, earlyRenewalHours: 20 }, /args\.earlyRenewalHours/],
        ];
        for (const [name, args, says] of badArgs) {
            it(`rejects bad args: ${name}`, () => {
                assert.throws(
                    () => new SharedRootCA(`bad-${name.replace(/\W/g, "")}`, args),
                    (e: any) => pulumi.ResourceError.isInstance(e) && says.test(e.message),
                );
            });
        }
    });

    const cluster = testCluster;

    describe("MeshCluster / EastWestGateway / RemoteSecretLink args", () => {
        it("names the bad field", () => {
            assert.throws(() => cluster("Bad"), /MeshCluster: args\.clusterName "Bad" is not a DNS-1123 label/);
            assert.throws(() => cluster("x1", { istio: { version: "1.x" } }), /args\.istio\.version/);
            assert.throws(() => cluster("x2", { nodes: [{ name: "n1", region: "r 1", zone: "z" }] }), /args\.nodes\[0\]\.region/);
            assert.throws(() => new EastWestGateway("g", { cluster: {} as any }), /EastWestGateway: args\.cluster must be a MeshCluster/);
            const a = cluster("a1");
            assert.throws(
                () => new RemoteSecretLink("self", { reader: a, target: a, apiServerUrl: "https://192.0.2.1" }),
                /args\.target must differ/,
            );
            const b = cluster("b1");
            assert.throws(() => new RemoteSecretLink("nourl", { reader: a, target: b }), /args\.apiServerUrl is required to link a1 -> b1/);
        });

        it("uses a supplied kubeconfig instead of a reader token, and checks it", async () => {
            const a = cluster("a2");
            const b = cluster("b2");
            const good = renderRemoteKubeconfig({
                clusterName: "b2",
                server: "https://rancher.example/k8s/clusters/c-1",
                caData: "Q0E=",
                token: "token-x:y",
            });
            const link = new RemoteSecretLink("rancher", { reader: a, target: b, kubeconfig: pulumi.secret(good) });
            await settle(mocks);
            assert.equal(link.tokenSecret, undefined);
            assert.equal(mocks.ofType("random:index/randomId:RandomId").length, 0);
            assert.equal(await settleOutput(link.kubeconfig), good);
            const bad = new RemoteSecretLink("execlink", {
                reader: a,
                target: b,
                kubeconfig: good.replace("token: token-x:y", "exec: { command: aws }"),
            });
            await assert.rejects(settleOutput(bad.kubeconfig), /supplied kubeconfig rejected: user "b2" uses an exec plugin/);
        });
    });

    describe("reader token read-back", () => {
        it("fails with a clear message instead of writing an empty token", async () => {
            mocks.tokenOverride = () => ({});
            const secret = new k8s.core.v1.Secret("empty-token", {
                type: "kubernetes.io/service-account-token",
                metadata: { name: "t", namespace: "istio-system" },
            });
            const cred = serviceAccountCredential(secret, undefined, "remote secret b in a");
            await assert.rejects(
                settleOutput(cred),
                /remote secret b in a: Secret istio-system\/t has no token\/ca\.crt yet.*No remote secret was written/,
            );
        });

        it("decodes a filled token and keeps it secret", async () => {
            const secret = new k8s.core.v1.Secret("filled", {
                type: "kubernetes.io/service-account-token",
                metadata: { name: "t2", namespace: "istio-system" },
            });
            const cred = serviceAccountCredential(secret, undefined, "x");
            assert.equal((await settleOutput(cred)).token, "token-of-filled");
            assert.equal(await pulumi.isSecret(cred), true);
        });

        it("never renders a kubeconfig with an empty credential", () => {
            assert.throws(
                () => renderRemoteKubeconfig({ clusterName: "c", server: "https://192.0.2.1", caData: "Q0E=", token: "" }),
                /empty token/,
            );
            assert.throws(
                () => renderRemoteKubeconfig({ clusterName: "c", server: "https://192.0.2.1", caData: " ", token: "t" }),
                /empty caData/,
            );
        });
    });
});

describe("chart sources and values", () => {
    it("resolves repo charts by name and local charts in either layout", () => {
        assert.deepEqual(resolveIstioChart({ kind: "repo", repo: "https://r.example" }, "istiod", "1.30.3"), {
            chart: "istiod",
            version: "1.30.3",
            repositoryOpts: { repo: "https://r.example" },
        });
        const tree = new Set(["/src/manifests/charts/istio-control/istio-discovery/Chart.yaml", "/pkg/istiod/Chart.yaml"]);
        assert.deepEqual(
            resolveIstioChart({ kind: "path", path: "/src/manifests/charts" }, "istiod", "1.30.3", (p) => tree.has(p)),
            {
                chart: "/src/manifests/charts/istio-control/istio-discovery",
            },
        );
        assert.deepEqual(
            resolveIstioChart({ kind: "path", path: "/pkg" }, "istiod", "1.30.3", (p) => tree.has(p)),
            { chart: "/pkg/istiod" },
        );
        assert.throws(
            () => resolveIstioChart({ kind: "path", path: "/empty" }, "gateway", "1.30.3", () => false),
            /istio\.chartPath: no gateway chart under \/empty/,
        );
    });

    it("uses istiod's allocation controller from 1.25 and the sidecar's before", () => {
        const common = { meshID: "m", clusterName: "c", network: "n", dnsCapture: true, dnsAutoAllocate: true };
        const v130 = istiodValues({ ...common, version: "1.30.3" }) as any;
        assert.deepEqual(v130.pilot.env, { PILOT_ENABLE_IP_AUTOALLOCATE: "true" });
        assert.equal(v130.meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_AUTO_ALLOCATE, undefined);
        const v124 = istiodValues({ ...common, version: "1.24.6" }) as any;
        assert.equal(v124.pilot, undefined);
        assert.deepEqual(v124.meshConfig.defaultConfig.proxyMetadata, {
            ISTIO_META_DNS_CAPTURE: "true",
            ISTIO_META_DNS_AUTO_ALLOCATE: "true",
        });
        const off = istiodValues({
            ...common,
            dnsCapture: false,
            dnsAutoAllocate: false,
            version: "1.30.3",
            hub: "mtr.example/istio",
            overrides: { pilot: { resources: { requests: { cpu: "10m" } } } },
        }) as any;
        assert.deepEqual(off.meshConfig.defaultConfig.proxyMetadata, {});
        assert.deepEqual(off.pilot, { env: { PILOT_ENABLE_IP_AUTOALLOCATE: "false" }, resources: { requests: { cpu: "10m" } } });
        assert.equal(off.global.hub, "mtr.example/istio");
    });
});

describe("checkRemoteKubeconfig", () => {
    const base = renderRemoteKubeconfig({ clusterName: "c", server: "https://192.0.2.1:6443", caData: "Q0E=", token: "t" });
    it("accepts istioctl's shape", () =>
        assert.deepEqual(checkRemoteKubeconfig(base), { errors: [], servers: ["https://192.0.2.1:6443"] }));
    const cases: [string, string, RegExp][] = [
        ["exec plugin", base.replace("token: t", "exec: { command: gke-gcloud-auth-plugin }"), /exec plugin/],
        ["tokenFile", base.replace("token: t", "tokenFile: /var/run/token"), /tokenFile/],
        ["client key file", base.replace("token: t", "client-key: /k.pem"), /client-key \(a file path\)/],
        ["gcp auth provider", base.replace("token: t", "auth-provider: { name: gcp }"), /auth-provider "gcp"/],
        ["no current-context", base.replace("current-context: c", "current-context: ''"), /no current-context/],
        ["not YAML", ": : :\n\t-", /not valid YAML/],
    ];
    for (const [name, text, says] of cases) {
        it(`rejects ${name}`, () =>
            assert.ok(
                checkRemoteKubeconfig(text).errors.some((e) => says.test(e)),
                JSON.stringify(checkRemoteKubeconfig(text)),
            ));
    }
    it("allows oidc auth-provider and options istiod was told to allow", () => {
        assert.deepEqual(checkRemoteKubeconfig(base.replace("token: t", "auth-provider: { name: oidc }")).errors, []);
        assert.deepEqual(checkRemoteKubeconfig(base.replace("token: t", "exec: { command: x }"), ["exec"]).errors, []);
    });
});

describe("ownCustomResourceDefinitions (base chart transform)", () => {
    const crd = {
        type: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition",
        name: "x",
        props: { metadata: { name: "gateways.networking.istio.io", annotations: { "helm.sh/resource-policy": "keep", other: "1" } } },
        opts: { retainOnDelete: true },
    } as unknown as pulumi.ResourceTransformArgs;

    it("makes the chart's CRDs the stack's: no keep policy, not retained on delete", () => {
        const r = ownCustomResourceDefinitions(crd)!;
        assert.deepEqual((r.props.metadata as { annotations: Record<string, string> }).annotations, { other: "1" });
        assert.equal(r.opts.retainOnDelete, false);
    });

    it("leaves no empty annotations map (the API server drops it: a diff on every preview)", () => {
        const only = {
            ...crd,
            props: { metadata: { name: "n", annotations: { "helm.sh/resource-policy": "keep" } } },
        } as pulumi.ResourceTransformArgs;
        assert.deepEqual(ownCustomResourceDefinitions(only)!.props.metadata, { name: "n" });
    });

    it("leaves every other object alone", () => {
        assert.equal(ownCustomResourceDefinitions({ ...crd, type: "kubernetes:core/v1:ServiceAccount" }), undefined);
    });
});
