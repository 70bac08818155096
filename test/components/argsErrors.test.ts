/**
 * Component args errors: every bad field at once, as one pulumi.InputPropertiesError (one entry per property
 * path) that Node programs also print as a ResourceError, and nothing registered below the component.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EastWestGateway, IstioMesh, MeshCluster, RemoteSecretLink, SharedRootCA } from "../../components";
import { ArgsIssues, argsPath, InvalidArgsError } from "../../components/argsErrors";
import { RecordingMocks, setMocks, settle } from "../helpers/mocks";

const mocks = new RecordingMocks();

/** Runs `make`, which must throw an InvalidArgsError; returns its property paths, after checking its shape. */
async function refusedPaths(make: () => unknown, component: string): Promise<string[]> {
    let caught: unknown;
    try {
        make();
    } catch (e) {
        caught = e;
    }
    assert.ok(caught, `${component} accepted the args`);
    const e = caught as InvalidArgsError;
    assert.ok(pulumi.InputPropertiesError.isInstance(e), "an InputPropertiesError");
    assert.ok(pulumi.ResourceError.isInstance(e), "printed like a ResourceError by the Node.js language host");
    assert.equal(e.hideStack, true);
    for (const line of e.message.split("\n")) assert.match(line, new RegExp(`^${component}: args[.[]`));
    await settle(mocks);
    // Only the component itself registered (it is registered before its args are checked): no child.
    assert.deepEqual(
        mocks.resources.map((r) => r.type),
        [`istio-multicluster:index:${component}`],
    );
    return e.errors.map((x) => x.propertyPath);
}

describe("component args errors (mocks)", () => {
    before(async () => {
        await setMocks(mocks, "argserrors");
    });
    beforeEach(() => mocks.reset());

    it("SharedRootCA reports every bad field together", async () => {
        const paths = await refusedPaths(
            () => new SharedRootCA("bad-ca", { clusterNames: ["A"], rsaBits: 1000, intermediateValidityHours: 10, earlyRenewalHours: 20 }),
            "SharedRootCA",
        );
        assert.deepEqual(paths, ["clusterNames", "rsaBits", "earlyRenewalHours"]);
    });

    it("MeshCluster reports every bad field together", async () => {
        const paths = await refusedPaths(
            () =>
                new MeshCluster("bad-cluster", {
                    clusterName: "Bad_Name",
                    network: "n",
                    meshID: "m",
                    caCerts: { "ca-cert.pem": "x" },
                    nodes: [{ name: "n1", region: "r 1", zone: "z" }],
                    istio: { version: "1.x" },
                }),
            "MeshCluster",
        );
        assert.deepEqual(paths, ["clusterName", "nodes[0].region", "istio.version", "caCerts"]);
    });

    it("MeshCluster refuses charts from a plain http:// repository unless allowInsecureRepo is set", async () => {
        const cluster = (chart: { kind: "repo"; repo: string; allowInsecureRepo?: boolean }) => () =>
            new MeshCluster("http-charts", {
                clusterName: "east",
                network: "net-east",
                meshID: "m",
                caCerts: { "ca-cert.pem": "x", "ca-key.pem": "x", "root-cert.pem": "x", "cert-chain.pem": "x" },
                istio: { version: "1.30.3", chart },
            });
        assert.deepEqual(await refusedPaths(cluster({ kind: "repo", repo: "http://charts.example.com/istio" }), "MeshCluster"), ["istio.chart.repo"]);
        mocks.reset();
        cluster({ kind: "repo", repo: "http://charts.internal/istio", allowInsecureRepo: true })();
        await settle(mocks);
        assert.ok(mocks.resources.some((r) => r.type === "kubernetes:helm.sh/v4:Chart"), "the opted-in http repository is used");
    });

    it("IstioMesh reports its own and its children's bad fields together, registering no child", async () => {
        const paths = await refusedPaths(
            () =>
                new IstioMesh("bad-mesh", {
                    meshID: "m",
                    clusters: [
                        { name: "a", network: "n1", apiServerUrl: "https://192.0.2.1" },
                        { name: "b", network: "N 2", apiServerUrl: "https://192.0.2.2", nodes: [{ name: "x", region: "r", zone: "z z" }] },
                    ],
                    istio: { version: "1.30.3" },
                    ca: { rsaBits: 1 },
                }),
            "IstioMesh",
        );
        assert.deepEqual(paths, ["clusters[1].network", "ca.rsaBits", "clusters[1].nodes[0].zone"]);
    });

    it("EastWestGateway and RemoteSecretLink report every bad field together", async () => {
        assert.deepEqual(
            await refusedPaths(
                () => new EastWestGateway("bad-gw", { cluster: undefined as never, serviceType: "ExternalName" as never }),
                "EastWestGateway",
            ),
            ["cluster", "serviceType"],
        );
        mocks.reset();
        assert.deepEqual(
            await refusedPaths(() => new RemoteSecretLink("bad-link", { reader: {} as never, target: {} as never }), "RemoteSecretLink"),
            ["reader", "target", "apiServerUrl"],
        );
    });
});

describe("ArgsIssues", () => {
    it("throws nothing when empty, and words paths as args.<path>", () => {
        const issues = new ArgsIssues("X");
        assert.equal(issues.empty, true);
        issues.throwIfAny(undefined as never);
        assert.equal(argsPath("a.b[0]"), "args.a.b[0]");
        assert.equal(argsPath("[0]"), "args[0]");
    });

    it("takes a shared helper's `args.<path> ...` message apart", () => {
        const issues = new ArgsIssues("X");
        issues.addMessage('args.istio.chart.path is required with kind "path"', "istio.chart");
        issues.addMessage("something else", "istio.chart");
        assert.throws(
            () => issues.throwIfAny(undefined as never),
            (e: InvalidArgsError) => {
                assert.deepEqual(e.errors, [
                    { propertyPath: "istio.chart.path", reason: 'is required with kind "path"' },
                    { propertyPath: "istio.chart", reason: "something else" },
                ]);
                assert.equal(e.message, 'X: args.istio.chart.path is required with kind "path"\nX: args.istio.chart something else');
                return true;
            },
        );
    });
});
