/**
 * Cluster access and endpoints as other resources' outputs (a program that creates its clusters and the mesh
 * together), under mocks: the provider gets the resolved kubeconfig as a secret, the remote secrets carry the
 * resolved API server, a bad value that was an output fails its remote secrets naming the field once it
 * resolves, and the reader-token read-back reaches the (fake) API server through an output kubeconfig and context.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { IstioMesh, IstioMeshClusterArgs } from "../../components";
import { FakeApiServer, startFakeApiServer } from "../helpers/fakeApiServer";
import { RecordingMocks, setMocks, settle } from "../helpers/mocks";

const mocks = new RecordingMocks();

/** An output not known at construction, as a cluster resource's endpoint or kubeconfig is. */
function later(value: string, secret = false): pulumi.Output<string> {
    const o = pulumi.output(new Promise<string>((r) => setTimeout(() => r(value), 5)));
    return secret ? pulumi.secret(o) : o;
}

/** Resolves an Output, or rejects with the error its apply threw. */
function settleOutput<T>(o: pulumi.Output<T>): Promise<T> {
    return (o as unknown as { promise(): Promise<T> }).promise();
}

const cluster = (name: string, extra: Partial<IstioMeshClusterArgs> = {}): IstioMeshClusterArgs => ({
    name,
    network: `${name}-net`,
    access: { kubeconfig: "/nonexistent/kubeconfig", context: name },
    ...extra,
});

const mesh = (name: string, clusters: IstioMeshClusterArgs[]) =>
    new IstioMesh(name, { meshID: "m", clusters, istio: { version: "1.30.3" }, tokenWait: { timeoutMs: 2000, intervalMs: 50 } });

describe("outputs as cluster access and endpoints (mocks)", () => {
    before(async () => {
        await setMocks(mocks, "outputs");
    });
    beforeEach(() => mocks.reset());

    it("builds each cluster's provider from an output kubeconfig and context, keeping the kubeconfig secret", async () => {
        const kubeconfig = "apiVersion: v1\nkind: Config\ncurrent-context: a\n";
        mesh("kc", [
            cluster("a", {
                access: { kubeconfig: later(kubeconfig, true), context: later("a-admin") },
                apiServerUrl: "https://192.0.2.1:6443",
            }),
            cluster("b", { apiServerUrl: "https://192.0.2.2:6443" }),
        ]);
        await settle(mocks);
        const provider = mocks.named("kc-a-k8s");
        assert.equal(provider.inputs.kubeconfig, kubeconfig);
        assert.equal(provider.inputs.context, "a-admin");
        assert.ok(provider.secretPaths.includes("kubeconfig"), `secret paths: ${provider.secretPaths.join(", ")}`);
    });

    it("writes the resolved API server and tls-server-name into the remote secrets that point at the cluster", async () => {
        const m = mesh("ep", [
            cluster("a", { apiServerUrl: later("https://a.clusters.example.com:443"), tlsServerName: later("kubernetes.default.svc") }),
            cluster("b", { apiServerUrl: "https://192.0.2.2:6443" }),
        ]);
        const kc = YAML.parse(await settleOutput(m.links["b->a"].kubeconfig)) as {
            clusters: { cluster: { server: string; "tls-server-name"?: string } }[];
        };
        assert.equal(kc.clusters[0].cluster.server, "https://a.clusters.example.com:443");
        assert.equal(kc.clusters[0].cluster["tls-server-name"], "kubernetes.default.svc");
        assert.equal(await pulumi.isSecret(m.links["b->a"].kubeconfig), true);
    });

    for (const [what, clusters, says] of [
        [
            "a loopback URL",
            [cluster("a", { apiServerUrl: later("https://127.0.0.1:6443") }), cluster("b", { apiServerUrl: "https://192.0.2.2:6443" })],
            /clusters\[0\]\.apiServerUrl: https:\/\/127\.0\.0\.1:6443 is a loopback address/,
        ],
        [
            "an http:// URL",
            [cluster("a", { apiServerUrl: "https://192.0.2.1:6443" }), cluster("b", { apiServerUrl: later("http://192.0.2.2:6443") })],
            /clusters\[1\]\.apiServerUrl: http:\/\/192\.0\.2\.2:6443 is http:\/\//,
        ],
        [
            "a URL another cluster also has",
            [cluster("a", { apiServerUrl: "https://192.0.2.1:6443" }), cluster("b", { apiServerUrl: later("https://192.0.2.1:6443") })],
            /clusters\[1\]\.apiServerUrl: https:\/\/192\.0\.2\.1:6443 is also the API server of clusters\[0\] \(a\)/,
        ],
        [
            "a tls-server-name that is no host name",
            [
                cluster("a", { apiServerUrl: "https://192.0.2.1:6443", tlsServerName: later("not a host") }),
                cluster("b", { apiServerUrl: "https://192.0.2.2:6443" }),
            ],
            /clusters\[0\]\.tlsServerName: "not a host" is not a DNS name or IP address/,
        ],
    ] as const) {
        it(`fails the remote secrets, naming the field, when an output resolves to ${what}`, async () => {
            const m = mesh("bad", [...clusters]);
            for (const link of Object.values(m.links)) {
                await assert.rejects(settleOutput(link.kubeconfig), (e: Error) => {
                    assert.match(e.message, /^IstioMesh: invalid args \(checked once their outputs were known\)/);
                    assert.match(e.message, says);
                    return true;
                });
            }
        });
    }

    it("still refuses a bad value known at construction, before any output resolves", () => {
        assert.throws(
            () =>
                mesh("now", [
                    cluster("a", { apiServerUrl: "https://127.0.0.1:6443" }),
                    cluster("b", { apiServerUrl: later("https://192.0.2.2:6443") }),
                ]),
            /IstioMesh: args\.clusters\[0\]\.apiServerUrl https:\/\/127\.0\.0\.1:6443 is a loopback address/,
        );
    });

    describe("reader-token read-back through an output kubeconfig (fake API server)", () => {
        let fake: FakeApiServer | undefined;
        afterEach(async () => {
            await fake?.close();
            fake = undefined;
        });

        it("reads the token the provider's own wait missed from the API server the output kubeconfig names", async () => {
            const token = "reader-token-from-the-api-server";
            fake = await startFakeApiServer({
                kind: "secret",
                data: { token: Buffer.from(token).toString("base64"), "ca.crt": Buffer.from("CA").toString("base64") },
            });
            // The created token Secret comes back empty, as when the token controller is slower than the provider.
            mocks.tokenOverride = () => ({});
            const access = { kubeconfig: later(fake.kubeconfig, true), context: later("fake") };
            const m = mesh("rb", [
                cluster("a", { access, apiServerUrl: later("https://192.0.2.1:6443") }),
                cluster("b", { apiServerUrl: "https://192.0.2.2:6443" }),
            ]);
            const kc = YAML.parse(await settleOutput(m.links["b->a"].kubeconfig)) as { users: { user: { token: string } }[] };
            assert.equal(kc.users[0].user.token, token);
            assert.ok(fake.requests() >= 1, "the fake API server was asked");
        });
    });
});
