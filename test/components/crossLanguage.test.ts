/**
 * The shapes the component package (plugin/) offers other Pulumi languages: chart sources as one object, a
 * cluster as a MeshClusterRef of plain values, cacerts as a map, and the served schema's provider references.
 */
import { strict as assert } from "assert";
import { EastWestGateway, MeshCluster, SharedRootCA } from "../../components";
import { missingMeshClusterRefFields } from "../../components/meshCluster";
import { toChartSourceModel } from "../../components/chartSource";
import { fixProviderReferences } from "../../plugin/schemaFixes";
import { plainClusterRef } from "../helpers/meshCluster";
import { RecordingMocks, setMocks, settle } from "../helpers/mocks";

const mocks = new RecordingMocks();

describe("cross-language shapes of the components", () => {
    before(async () => {
        await setMocks(mocks, "cross-language");
    });
    beforeEach(() => mocks.reset());

    describe("toChartSourceModel", () => {
        it("defaults to the official repository, also for a repo source without a URL", () => {
            const official = { kind: "repo", repo: "https://istio-release.storage.googleapis.com/charts" };
            assert.deepEqual(toChartSourceModel(undefined, "k"), official);
            assert.deepEqual(toChartSourceModel({ kind: "repo" }, "k"), official);
            assert.deepEqual(toChartSourceModel({ kind: "repo", repo: "https://mirror.example/charts" }, "k"), {
                kind: "repo",
                repo: "https://mirror.example/charts",
            });
            assert.deepEqual(toChartSourceModel({ kind: "path", path: "/charts" }, "k"), { kind: "path", path: "/charts" });
        });

        it("names the key and the fix", () => {
            assert.throws(
                () => toChartSourceModel({ kind: "path" }, "args.istio.chart"),
                /args\.istio\.chart\.path is required with kind "path"/,
            );
            assert.throws(() => toChartSourceModel({ kind: "repo", path: "/x" }, "c"), /c\.path is only read with kind "path"/);
            assert.throws(
                () => toChartSourceModel({ kind: "path", path: "/x", repo: "https://r" }, "c"),
                /c\.repo is only read with kind "repo"/,
            );
            assert.throws(() => toChartSourceModel({ kind: "oci" as "repo" }, "c"), /c\.kind must be "repo" or "path", got "oci"/);
        });
    });

    function cluster(name: string): MeshCluster {
        const ca = new SharedRootCA(`${name}-ca`, { clusterNames: [name] });
        return new MeshCluster(name, {
            clusterName: name,
            network: `${name}-net`,
            meshID: "m",
            caCerts: ca.caCerts[name],
            access: { kubeconfig: "/nonexistent/kubeconfig", context: name },
            istio: { version: "1.30.3" },
        });
    }

    it("a MeshCluster is a complete MeshClusterRef; a partial object is told what it lacks", () => {
        assert.deepEqual(missingMeshClusterRefFields(cluster("ref1")), []);
        assert.deepEqual(missingMeshClusterRefFields({ clusterName: "c", network: "n" }), [
            "istioVersion",
            "provider",
            "namespace",
            "base",
            "istiod",
        ]);
        // a cluster whose base chart is one Helm release (istio.baseInstall "release") carries baseRelease instead
        const { base, ...withoutBase } = plainClusterRef(cluster("ref1r"));
        assert.deepEqual(missingMeshClusterRefFields(withoutBase), ["base"]);
        assert.deepEqual(missingMeshClusterRefFields({ ...withoutBase, baseRelease: base as never }), []);
        assert.throws(
            () => new EastWestGateway("g", { cluster: { clusterName: "c" } as never }),
            /EastWestGateway: args\.cluster must be a MeshCluster or carry its outputs \(missing: network, istioVersion, provider, namespace, base, istiod\)/,
        );
    });

    it("an EastWestGateway takes a cluster as plain values (what another language passes)", async () => {
        const mc = cluster("ref2");
        const ref = plainClusterRef(mc);
        new EastWestGateway("ref2-eastwest", { cluster: ref });
        await settle(mocks);
        const charts = mocks.ofType("kubernetes:helm.sh/v4:Chart").filter((r) => r.name === "ref2-eastwest-chart");
        assert.equal(charts.length, 1);
        const inputs = charts[0].inputs as { chart: string; repositoryOpts?: { repo: string }; values?: { networkGateway?: string } };
        assert.equal(inputs.chart, "gateway");
        assert.equal(inputs.repositoryOpts?.repo, "https://istio-release.storage.googleapis.com/charts");
        assert.equal(inputs.values?.networkGateway, "ref2-net");
    });

    it("MeshCluster refuses cacerts without the four entries, naming the missing ones", () => {
        assert.throws(
            () =>
                new MeshCluster("cc", {
                    clusterName: "cc",
                    network: "n",
                    meshID: "m",
                    caCerts: { "ca-cert.pem": "x", "root-cert.pem": "y" },
                    istio: { version: "1.30.3" },
                }),
            /MeshCluster: args\.caCerts lacks ca-key\.pem, cert-chain\.pem/,
        );
    });

    it("SharedRootCA's caCertsByCluster is its caCerts, as maps", () => {
        const ca = new SharedRootCA("maps-ca", { clusterNames: ["a", "b"] });
        assert.equal(ca.caCertsByCluster, ca.caCerts);
        assert.deepEqual(Object.keys(ca.caCertsByCluster.a).sort(), ["ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem"]);
    });

    it("the served schema refers to the kubernetes provider as #/provider", () => {
        const inferred = JSON.stringify({
            p: { $ref: "/kubernetes/v4.25.0/schema.json#/resources/kubernetes" },
            ns: { $ref: "/kubernetes/v4.25.0/schema.json#/resources/kubernetes:core%2Fv1:Namespace" },
        });
        assert.deepEqual(JSON.parse(fixProviderReferences(inferred)), {
            p: { $ref: "/kubernetes/v4.25.0/schema.json#/provider" },
            ns: { $ref: "/kubernetes/v4.25.0/schema.json#/resources/kubernetes:core%2Fv1:Namespace" },
        });
    });
});
