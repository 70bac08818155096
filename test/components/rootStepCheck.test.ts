/**
 * The root-rotation guards' read of a cluster (components/rootStepCheck.ts) against a fake API server: the state the
 * `cacerts` Secret's annotations record (its data is not kept), and whether each istiod Deployment runs multi-root.
 */
import { strict as assert } from "assert";
import { readLiveRootState } from "../../components/rootStepCheck";
import { FAKE_TOKEN, FakeApiServer, FakeBehaviour, startFakeApiServer } from "../helpers/fakeApiServer";
import { withClusterReads } from "../helpers/clusterReads";

const KEY_MATERIAL = "c2VjcmV0LWtleS1tYXRlcmlhbA==";
const secret = (annotations?: Record<string, string>) => ({
    metadata: { name: "cacerts", namespace: "istio-system", ...(annotations ? { annotations } : {}) },
    data: { "ca-key.pem": KEY_MATERIAL },
});
const istiod = (name: string, env: { name: string; value: string }[]) => ({
    metadata: { name, labels: { app: "istiod" } },
    spec: { template: { spec: { containers: [{ name: "discovery", env }] } } },
});
const cluster = (secrets: unknown[], deployments: unknown[]): FakeBehaviour => ({
    kind: "routes",
    routes: [
        {
            path: "/api/v1/namespaces/istio-system/secrets",
            query: "metadata.name=cacerts",
            body: { kind: "SecretList", apiVersion: "v1", items: secrets },
        },
        {
            path: "/apis/apps/v1/namespaces/istio-system/deployments",
            query: "app=istiod",
            body: { kind: "DeploymentList", apiVersion: "apps/v1", items: deployments },
        },
    ],
});

describe("root-rotation guards: the read (fake API server)", () => {
    let fake: FakeApiServer | undefined;
    afterEach(async () => {
        await fake?.close();
        fake = undefined;
    });
    const read = async (b: FakeBehaviour) => {
        fake = await startFakeApiServer(b);
        return withClusterReads(() => readLiveRootState({ kubeconfig: fake!.kubeconfig }, 500));
    };

    it("reads the recorded phase and each istiod's multi-root env, and keeps nothing of the Secret's data", async () => {
        const r = await read(
            cluster(
                [secret({ "istio-multicluster.dev/root-generation": "1", "istio-multicluster.dev/root-phase": "trustBoth" })],
                [istiod("istiod-1-29-1", [{ name: "ISTIO_MULTIROOT_MESH", value: "true" }]), istiod("istiod-1-30-3", [])],
            ),
        );
        assert.deepEqual(r, {
            kind: "read",
            live: {
                state: { generation: 1, phase: "trustBoth" },
                istiods: [
                    { name: "istiod-1-29-1", multiRoot: true },
                    { name: "istiod-1-30-3", multiRoot: false },
                ],
            },
        });
        assert.ok(!JSON.stringify(r).includes(KEY_MATERIAL));
    });

    it("no annotations: generation 1 without rotation; no cacerts: a new cluster (no state); foreign annotations: unreadable", async () => {
        const plain = await read(cluster([secret()], []));
        assert.deepEqual(plain.kind === "read" && plain.live.state, { generation: 1, phase: "oldOnly" });
        await fake!.close();
        const none = await read(cluster([], []));
        assert.deepEqual(none, { kind: "read", live: { istiods: [] } });
        await fake!.close();
        const odd = await read(cluster([secret({ "istio-multicluster.dev/root-phase": "halfway" })], []));
        assert.deepEqual(odd, { kind: "read", live: { unreadable: true, istiods: [] } });
    });

    it("cannot tell, with the cause and without the token, when a read is refused", async () => {
        const r = await read({ kind: "status", status: 403 });
        assert.equal(r.kind, "unknown");
        assert.match((r as { why: string }).why, /403 Forbidden/);
        assert.ok(!JSON.stringify(r).includes(FAKE_TOKEN));
    });
});
