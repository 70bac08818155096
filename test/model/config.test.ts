/**
 * parseMeshConfig: defaults, and a table of malformed configs, each rejected with a message naming the field.
 */
import { strict as assert } from "assert";
import { MeshConfigError, parseMeshConfig } from "../../components/model";
import { clustersConfig } from "../helpers/configs";

type Mutate = (c: any) => void;

const BAD: { name: string; mutate: Mutate; path: string; says: RegExp; env?: Parameters<typeof parseMeshConfig>[1] }[] = [
    {
        name: "duplicate cluster names",
        mutate: (c) => (c.clusters[1].name = "cluster1"),
        path: "clusters[1].name",
        says: /duplicate cluster name "cluster1".*clusters\[0\]\.name/,
    },
    {
        name: "uppercase cluster name",
        mutate: (c) => (c.clusters[0].name = "Cluster1"),
        path: "clusters[0].name",
        says: /not a DNS-1123 label/,
    },
    {
        name: "unknown base install",
        mutate: (c) => (c.istio = { baseInstall: "helm" }),
        path: "istio.baseInstall",
        says: /must be "objects" or "release"/,
    },
    { name: "cluster name with underscore", mutate: (c) => (c.clusters[0].name = "cluster_1"), path: "clusters[0].name", says: /DNS-1123/ },
    { name: "cluster name too long", mutate: (c) => (c.clusters[0].name = "c".repeat(64)), path: "clusters[0].name", says: /at most 63/ },
    {
        name: "bad network label",
        mutate: (c) => (c.clusters[2].network = "net.work"),
        path: "clusters[2].network",
        says: /network name "net.work"/,
    },
    { name: "missing network", mutate: (c) => delete c.clusters[0].network, path: "clusters[0].network", says: /required/ },
    {
        name: "neither context nor kubeconfig",
        mutate: (c) => delete c.clusters[1].context,
        path: "clusters[1].context",
        says: /unreachable: set context.*kubeconfig/,
    },
    {
        name: "loopback apiServerUrl on a linked cluster",
        mutate: (c) => (c.clusters[0].apiServerUrl = "https://127.0.0.1:6443"),
        path: "clusters[0].apiServerUrl",
        says: /loopback.*allowLoopbackApiServer/,
    },
    {
        name: "localhost apiServerUrl",
        mutate: (c) => (c.clusters[1].apiServerUrl = "https://localhost:6443"),
        path: "clusters[1].apiServerUrl",
        says: /loopback/,
    },
    {
        name: "loopback server read from kubeconfig",
        mutate: (c) => delete c.clusters[0].apiServerUrl,
        env: { kubeconfigServer: () => "https://127.0.0.1:36443" },
        path: "clusters[0].apiServerUrl",
        says: /read from kubeconfig context c1-admin.*loopback/,
    },
    {
        name: "unknown API server for a linked cluster",
        mutate: (c) => delete c.clusters[0].apiServerUrl,
        path: "clusters[0].apiServerUrl",
        says: /API server URL is unknown/,
    },
    {
        name: "http apiServerUrl",
        mutate: (c) => (c.clusters[0].apiServerUrl = "http://192.0.2.1:6443"),
        path: "clusters[0].apiServerUrl",
        says: /https:\/\//,
    },
    { name: "node without zone", mutate: (c) => delete c.clusters[0].nodes[0].zone, path: "clusters[0].nodes[0].zone", says: /required/ },
    {
        name: "node with bad region value",
        mutate: (c) => (c.clusters[0].nodes[1].region = "region 1"),
        path: "clusters[0].nodes[1].region",
        says: /label value/,
    },
    {
        name: "node with bad name",
        mutate: (c) => (c.clusters[1].nodes[0].name = "Node_1"),
        path: "clusters[1].nodes[0].name",
        says: /node name/,
    },
    {
        name: "duplicate node",
        mutate: (c) => (c.clusters[1].nodes[1].name = c.clusters[1].nodes[0].name),
        path: "clusters[1].nodes[1].name",
        says: /duplicate node/,
    },
    { name: "node entry not an object", mutate: (c) => (c.clusters[0].nodes[0] = "c1n1"), path: "clusters[0].nodes[0]", says: /object/ },
    {
        name: "unknown field in a node",
        mutate: (c) => (c.clusters[0].nodes[0].rack = "r1"),
        path: "clusters[0].nodes[0]",
        says: /unknown field.*"rack"/,
    },
    {
        name: "Istio version with v prefix",
        mutate: (c) => (c.istio = { version: "v1.30.3" }),
        path: "istio.version",
        says: /not an Istio release.*MAJOR\.MINOR\.PATCH/,
    },
    {
        name: "Istio version without patch",
        mutate: (c) => (c.istio = { version: "1.30" }),
        path: "istio.version",
        says: /MAJOR\.MINOR\.PATCH/,
    },
    {
        name: "unsupported old Istio",
        mutate: (c) => (c.istio = { version: "1.9.0" }),
        path: "istio.version",
        says: /not supported: use 1\.22\.0 or newer/,
    },
    {
        name: "chartRepo and chartPath both",
        mutate: (c) => (c.istio = { chartRepo: "https://x.example/charts", chartPath: "/charts" }),
        path: "istio.chartPath",
        says: /either istio.chartRepo or istio.chartPath/,
    },
    {
        name: "bad gateway service type",
        mutate: (c) => (c.clusters[0].eastWestGateway = { serviceType: "ExternalName" }),
        path: "clusters[0].eastWestGateway.serviceType",
        says: /LoadBalancer.*NodePort/,
    },
    { name: "bad meshID", mutate: (c) => (c.meshID = "Mesh 1"), path: "meshID", says: /meshID "Mesh 1"/ },
    { name: "missing meshID", mutate: (c) => delete c.meshID, path: "meshID", says: /required/ },
    { name: "no clusters", mutate: (c) => (c.clusters = []), path: "clusters", says: /at least one cluster/ },
    { name: "clusters not a list", mutate: (c) => (c.clusters = { cluster1: {} }), path: "clusters", says: /list of clusters/ },
    {
        name: "misspelled cluster field",
        mutate: (c) => (c.clusters[0].netwrok = "x"),
        path: "clusters[0]",
        says: /unknown field.*"netwrok"/,
    },
    { name: "rsaBits not allowed", mutate: (c) => (c.ca = { rsaBits: 1024 }), path: "ca.rsaBits", says: /2048, 3072 or 4096/ },
    {
        name: "existing root cert without key",
        mutate: (c) => (c.ca = { existingRootCertSecret: "rootCert" }),
        path: "ca.existingRootKeySecret",
        says: /both/,
    },
    {
        name: "annotation value not a string",
        mutate: (c) => (c.clusters[0].eastWestGateway = { serviceAnnotations: { "a/b": 1 } }),
        path: 'clusters[0].eastWestGateway.serviceAnnotations["a/b"]',
        says: /strings/,
    },
];

describe("parseMeshConfig", () => {
    it("applies defaults and builds the full mesh of links", () => {
        const m = parseMeshConfig(clustersConfig(3));
        assert.equal(m.istio.version, "1.30.3");
        assert.deepEqual(m.istio.chart, { kind: "repo", repo: "https://istio-release.storage.googleapis.com/charts" });
        assert.equal(m.istio.dnsCapture, true);
        assert.equal(m.istio.baseInstall, "objects");
        assert.equal(m.ca.keyAlgorithm, "RSA");
        assert.equal(m.ca.rsaBits, 4096);
        assert.ok(m.ca.intermediateValidityHours < m.ca.rootValidityHours);
        assert.equal(m.links.length, 6);
        assert.deepEqual(m.clusters[0].eastWestGateway, { enabled: true, serviceType: "LoadBalancer", serviceAnnotations: {} });
        assert.deepEqual(m.clusters[0].remoteCredential, { kind: "readerToken" });
    });

    it("reads the API server from the kubeconfig when apiServerUrl is unset", () => {
        const c: any = clustersConfig(2);
        delete c.clusters[1].apiServerUrl;
        const m = parseMeshConfig(c, { kubeconfigServer: (x) => (x.context === "c2-admin" ? "https://198.51.100.2:6443" : undefined) });
        assert.equal(m.clusters[1].apiServerUrl, "https://198.51.100.2:6443");
        assert.equal(m.clusters[1].apiServerUrlSource, "kubeconfig");
    });

    it("accepts loopback API servers only when allowed", () => {
        const c: any = clustersConfig(2);
        c.clusters[0].apiServerUrl = "https://127.0.1.1:6443";
        assert.throws(() => parseMeshConfig(c), MeshConfigError);
        c.allowLoopbackApiServer = true;
        assert.equal(parseMeshConfig(c).clusters[0].apiServerUrl, "https://127.0.1.1:6443");
    });

    it("needs no API server URL for a single cluster or a supplied kubeconfig", () => {
        const one: any = clustersConfig(1);
        delete one.clusters[0].apiServerUrl;
        assert.equal(parseMeshConfig(one).links.length, 0);
        const two: any = clustersConfig(2);
        delete two.clusters[0].apiServerUrl;
        two.clusters[0].remoteKubeconfigSecret = "cluster1Kubeconfig";
        assert.deepEqual(parseMeshConfig(two).clusters[0].remoteCredential, { kind: "kubeconfig", secretConfigKey: "cluster1Kubeconfig" });
    });

    it("has a table of at least 15 malformed configs", () => assert.ok(BAD.length >= 15));

    for (const bad of BAD) {
        it(`rejects: ${bad.name}`, () => {
            const c = structuredClone(clustersConfig(3));
            bad.mutate(c);
            assert.throws(
                () => parseMeshConfig(c, bad.env),
                (e: unknown) => {
                    assert.ok(e instanceof MeshConfigError, `expected MeshConfigError, got ${e}`);
                    const issue = e.issues.find((i) => i.path === bad.path);
                    assert.ok(issue, `no issue at ${bad.path}; got ${JSON.stringify(e.issues)}`);
                    assert.match(issue.message, bad.says);
                    assert.ok(e.message.includes(bad.path), "the thrown message names the field");
                    return true;
                },
            );
        });
    }

    it("reports several problems at once", () => {
        const c: any = clustersConfig(3);
        c.clusters[1].name = "cluster1";
        c.clusters[2].apiServerUrl = "https://127.0.0.1:6443";
        c.istio = { version: "latest" };
        try {
            parseMeshConfig(c);
            assert.fail("should throw");
        } catch (e) {
            assert.ok(e instanceof MeshConfigError);
            assert.deepEqual(e.issues.map((i) => i.path).sort(), ["clusters[1].name", "clusters[2].apiServerUrl", "istio.version"]);
        }
    });
});

describe("parseMeshConfig: rotation epochs as Pulumi config hands them over", () => {
    it('accepts `"2"` read back as the number 2 (stack config values are JSON-parsed), keeping it a string', () => {
        const m = parseMeshConfig({ ...clustersConfig(2), tokenRotationEpoch: 2, ca: { rotationEpoch: 3 } });
        assert.equal(m.tokenRotationEpoch, "2");
        assert.equal(m.ca.rotationEpoch, "3");
    });

    it("still refuses an epoch that is neither a string nor a whole number", () => {
        assert.throws(() => parseMeshConfig({ ...clustersConfig(2), tokenRotationEpoch: 1.5 }), /tokenRotationEpoch/);
        assert.throws(() => parseMeshConfig({ ...clustersConfig(2), tokenRotationEpoch: "" }), /tokenRotationEpoch/);
    });
});
