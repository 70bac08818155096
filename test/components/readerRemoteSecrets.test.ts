/**
 * The `perReader` remote-secret layout (remoteSecretLayout: perReader): one `istio-remote-secrets` per reader with
 * an entry per target, each link still with its own reader token; counts against `perLink`; argument errors; and
 * the refusal to switch layouts on an existing reader (a fake API server holding the other layout's Secret).
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { IstioMesh, ReaderRemoteSecrets, RemoteSecretLink } from "../../components";
import { conflictingRemoteSecrets, remoteSecretLayoutRefusal } from "../../components/remoteSecretLayoutCheck";
import { parseMeshConfig } from "../../components/model";
import { clustersConfig } from "../helpers/configs";
import { FakeApiServer, startFakeApiServer } from "../helpers/fakeApiServer";
import { withClusterReads } from "../helpers/clusterReads";
import { testCluster } from "../helpers/meshCluster";
import { RecordingMocks, runProgram, setMocks, settle } from "../helpers/mocks";

const decode = (s: string) => Buffer.from(s, "base64").toString("utf8");

for (const n of [2, 4]) {
    describe(`remoteSecretLayout perReader, ${n} clusters (mocks)`, function () {
        const mocks = new RecordingMocks();
        let perLinkCount = 0;
        before(async () => {
            await runProgram(mocks, clustersConfig(n));
            perLinkCount = mocks.resources.length;
            await runProgram(mocks, { ...clustersConfig(n), remoteSecretLayout: "perReader" });
        });

        it("registers one remote secret per reader and one token per link, no RemoteSecretLink", () => {
            const links = n * (n - 1);
            assert.equal(mocks.ofType("istio-multicluster:index:RemoteSecretLink").length, 0);
            assert.equal(mocks.ofType("istio-multicluster:index:ReaderRemoteSecrets").length, n);
            const secrets = mocks.ofType("kubernetes:core/v1:Secret");
            assert.equal(secrets.filter((s) => s.inputs.metadata?.name === "istio-remote-secrets").length, n);
            assert.equal(secrets.filter((s) => s.inputs.type === "kubernetes.io/service-account-token").length, links);
            // per link: a component, a token and a remote secret before; a token now, plus a component and a Secret per reader
            assert.equal(perLinkCount - mocks.resources.length, 2 * links - 2 * n);
        });

        it("puts every target's kubeconfig, with that link's own token, in the reader's Secret on the reader's provider", () => {
            for (let r = 1; r <= n; r++) {
                const reader = `cluster${r}`;
                const s = mocks.named(`mesh-${reader}-remote-secrets-secret`);
                assert.equal(mocks.providerName(s), `mesh-${reader}-k8s`);
                assert.deepEqual(s.inputs.metadata, {
                    name: "istio-remote-secrets",
                    namespace: "istio-system",
                    labels: { "istio/multiCluster": "true" },
                });
                const targets = Array.from({ length: n }, (_, i) => `cluster${i + 1}`).filter((t) => t !== reader);
                assert.deepEqual(Object.keys(s.inputs.data), targets);
                for (const target of targets) {
                    const kc = YAML.parse(decode(s.inputs.data[target]));
                    assert.equal(kc["current-context"], target);
                    assert.equal(kc.clusters[0].cluster.server, `https://192.0.2.${target.slice(7)}:6443`);
                    assert.equal(kc.users[0].user.token, `token-of-mesh-${reader}-remote-secrets-${target}-token`);
                    const token = mocks.named(`mesh-${reader}-remote-secrets-${target}-token`);
                    assert.equal(mocks.providerName(token), `mesh-${target}-k8s`, "the token lives in the target");
                    assert.match(token.inputs.metadata.name, new RegExp(`^istio-reader-service-account-${reader}-[0-9a-f]{6}$`));
                }
            }
        });

        it("passes every reader's Secret data to the provider as a Pulumi secret", () => {
            for (let r = 1; r <= n; r++) {
                assert.deepEqual(mocks.named(`mesh-cluster${r}-remote-secrets-secret`).secretPaths, ["data"]);
            }
        });
    });
}

describe("remoteSecretLayout: model and argument errors", () => {
    it("the model names each link's Secret by layout", () => {
        const perReader = parseMeshConfig({ ...clustersConfig(3), remoteSecretLayout: "perReader" });
        assert.deepEqual(new Set(perReader.links.map((l) => l.remoteSecretName)), new Set(["istio-remote-secrets"]));
        const perLink = parseMeshConfig(clustersConfig(3));
        assert.equal(perLink.remoteSecretLayout, "perLink");
        assert.deepEqual(
            perLink.links.filter((l) => l.reader === "cluster1").map((l) => l.remoteSecretName),
            ["istio-remote-secret-cluster2", "istio-remote-secret-cluster3"],
        );
    });

    it("refuses an unknown layout and perReader with adoptExistingRemoteSecrets, naming the key", () => {
        assert.throws(
            () => parseMeshConfig({ ...clustersConfig(2), remoteSecretLayout: "perTarget" }),
            /remoteSecretLayout: must be "perLink" or "perReader"/,
        );
        assert.throws(
            () => parseMeshConfig({ ...clustersConfig(2), remoteSecretLayout: "perReader", adoptExistingRemoteSecrets: true }),
            /remoteSecretLayout: "perReader" cannot be combined with adoptExistingRemoteSecrets/,
        );
    });

    describe("components (mocks)", () => {
        const mocks = new RecordingMocks();
        before(async () => setMocks(mocks, "readerargs"));
        beforeEach(() => mocks.reset());

        it("ReaderRemoteSecrets lists every bad field before registering anything of its own", () => {
            const a = testCluster("ra");
            const before = mocks.resources.length;
            assert.throws(
                () =>
                    new ReaderRemoteSecrets("bad", {
                        reader: a,
                        targets: [{ target: a, apiServerUrl: "https://192.0.2.1:6443" }, { target: testCluster("rb") }],
                        rotationEpoch: "x",
                    }),
                (e: Error) =>
                    /targets\[0\]\.target must differ from the reader \(ra\)/.test(e.message) &&
                    /targets\[1\]\.apiServerUrl is required/.test(e.message) &&
                    /rotationEpoch/.test(e.message),
            );
            assert.equal(mocks.resources.filter((r) => r.name.startsWith("bad")).length, 0);
            assert.ok(mocks.resources.length >= before);
        });

        it("IstioMesh refuses perReader with adoptExistingRemoteSecrets", () => {
            assert.throws(
                () =>
                    new IstioMesh("m", {
                        meshID: "m",
                        istio: { version: "1.30.3" },
                        clusters: [
                            { name: "a", network: "na", apiServerUrl: "https://192.0.2.1:6443" },
                            { name: "b", network: "nb", apiServerUrl: "https://192.0.2.2:6443" },
                        ],
                        remoteSecretLayout: "perReader",
                        adoptExistingRemoteSecrets: true,
                    }),
                /args\.remoteSecretLayout "perReader" cannot be combined with adoptExistingRemoteSecrets/,
            );
        });
    });
});

describe("remoteSecretLayout: switching an existing reader is refused (fake API server)", () => {
    const mocks = new RecordingMocks();
    let fake: FakeApiServer | undefined;
    before(async () => setMocks(mocks, "layoutswitch"));
    beforeEach(() => mocks.reset());
    afterEach(async () => {
        await fake?.close();
        fake = undefined;
    });

    /** A reader (reached through a fake holding `existing` remote secrets) and its outcome under `layout`. */
    async function write(layout: "perLink" | "perReader", existing: { name: string; manager: string }[]) {
        const list = {
            kind: "SecretList",
            apiVersion: "v1",
            items: existing.map((e) => ({
                metadata: { name: e.name, labels: { "istio/multiCluster": "true" }, managedFields: [{ manager: e.manager }] },
            })),
        };
        await fake?.close();
        fake = await startFakeApiServer({
            kind: "routes",
            routes: [{ path: "/api/v1/namespaces/istio-system/secrets", query: "labelSelector=istio/multiCluster=true", body: list }],
        });
        const kubeconfig = fake.kubeconfig;
        return withClusterReads(async () => {
            const id = mocks.resources.length;
            const reader = testCluster(`r${id}`, { clusterName: "c1", access: { kubeconfig } });
            const target = testCluster(`t${id}`, { clusterName: "c2" });
            let onRejection: ((e: unknown) => void) | undefined;
            const rejected = new Promise<unknown>((resolve) => {
                onRejection = resolve;
                process.on("unhandledRejection", onRejection);
            });
            try {
                const secret =
                    layout === "perReader"
                        ? new ReaderRemoteSecrets(`x${id}`, { reader, targets: [{ target, apiServerUrl: "https://192.0.2.12:6443" }] })
                              .secret
                        : new RemoteSecretLink(`x${id}`, { reader, target, apiServerUrl: "https://192.0.2.12:6443" }).remoteSecret;
                const registered = (secret.urn as unknown as { promise(): Promise<string> }).promise().then(() => undefined);
                const outcome = await Promise.race([registered, rejected]);
                await settle(mocks);
                return outcome;
            } finally {
                process.off("unhandledRejection", onRejection!);
            }
        });
    }

    it("perReader over this stack's per-link Secret: refused, naming the cluster, the Secret and the setting", async () => {
        const outcome = await write("perReader", [{ name: "istio-remote-secret-c2", manager: "pulumi-kubernetes-1a2b3c" }]);
        assert.ok(pulumi.ResourceError.isInstance(outcome), String(outcome));
        const m = (outcome as Error).message;
        assert.match(m, /cluster c1 has istio-system\/istio-remote-secret-c2, written with remoteSecretLayout "perLink"/);
        assert.match(m, /Keep remoteSecretLayout "perLink" for this stack/);
    });

    it("perLink over a perReader Secret: refused", async () => {
        const outcome = await write("perLink", [{ name: "istio-remote-secrets", manager: "pulumi-kubernetes-1a2b3c" }]);
        assert.ok(pulumi.ResourceError.isInstance(outcome), String(outcome));
        assert.match((outcome as Error).message, /Keep remoteSecretLayout "perReader" for this stack/);
    });

    it("perReader beside istioctl's Secret for a target: refused, saying how to take it over", async () => {
        const outcome = await write("perReader", [{ name: "istio-remote-secret-c2", manager: "kubectl-client-side-apply" }]);
        assert.ok(pulumi.ResourceError.isInstance(outcome), String(outcome));
        assert.match(
            (outcome as Error).message,
            /not written by Pulumi .*Delete it first, or use remoteSecretLayout "perLink" with adoptExistingRemoteSecrets/,
        );
    });

    it("writes when the reader has only its own layout's Secret, or other clusters' Secrets", async () => {
        assert.equal(await write("perReader", [{ name: "istio-remote-secrets", manager: "pulumi-kubernetes-1a2b3c" }]), undefined);
        assert.equal(await write("perReader", [{ name: "istio-remote-secret-c9", manager: "kubectl" }]), undefined);
    });

    it("conflicts are computed by name only", () => {
        const found = [
            { name: "istio-remote-secret-c2", ours: true },
            { name: "istio-remote-secrets", ours: true },
        ];
        assert.deepEqual(conflictingRemoteSecrets("perReader", ["c2", "c3"], found), [found[0]]);
        assert.deepEqual(conflictingRemoteSecrets("perLink", ["c2"], found), [found[1]]);
        assert.match(remoteSecretLayoutRefusal("c1", "perReader", [found[0]]), /Nothing was written to c1\.$/);
    });
});
