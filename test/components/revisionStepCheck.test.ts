/**
 * The upgrade-step guards' read of a cluster (components/revisionStepCheck.ts) against a fake API server: control
 * planes from the injector ConfigMaps, tags from their Services, the gateway cutover, namespace labels, and pods
 * only for the revisions about to go.
 */
import { strict as assert } from "assert";
import { readLiveRevisions } from "../../components/revisionStepCheck";
import { FAKE_TOKEN, FakeApiServer, FakeBehaviour, startFakeApiServer } from "../helpers/fakeApiServer";
import { withClusterReads } from "../helpers/clusterReads";

const NS = "/api/v1/namespaces/istio-system";
const injector = (rev: string, tag: string) => ({
    metadata: { name: `istio-sidecar-injector-${rev}`, labels: { "istio.io/rev": rev } },
    data: { values: JSON.stringify({ global: { tag }, revision: rev }) },
});
const cluster = (pods: unknown[]): FakeBehaviour => ({
    kind: "routes",
    routes: [
        {
            path: `${NS}/configmaps`,
            body: { kind: "ConfigMapList", apiVersion: "v1", items: [injector("1-29-1", "1.29.1"), injector("1-30-3", "1.30.3")] },
        },
        {
            path: `${NS}/services`,
            body: {
                kind: "ServiceList",
                apiVersion: "v1",
                items: [
                    { metadata: { name: "istiod-revision-tag-default", labels: { "istio.io/tag": "default", "istio.io/rev": "1-30-3" } } },
                    {
                        metadata: { name: "istio-eastwestgateway" },
                        spec: { selector: { istio: "eastwestgateway", "istio.io/rev": "1-29-1" } },
                    },
                    { metadata: { name: "istiod-1-30-3", labels: { "istio.io/rev": "1-30-3" } } },
                ],
            },
        },
        {
            path: "/api/v1/namespaces",
            body: {
                kind: "NamespaceList",
                apiVersion: "v1",
                items: [{ metadata: { name: "web", labels: { "istio.io/rev": "default" } } }],
            },
        },
        { path: "/api/v1/pods", query: "(1-29-1)", body: { kind: "PodList", apiVersion: "v1", items: pods } },
    ],
});
const pod = (ns: string, rev: string) => ({ metadata: { name: `p-${ns}`, namespace: ns, labels: { "istio.io/rev": rev } } });

describe("upgrade-step guards: the read (fake API server)", () => {
    let fake: FakeApiServer | undefined;
    afterEach(async () => {
        await fake?.close();
        fake = undefined;
    });
    const read = async (b: FakeBehaviour, keep: string[]) => {
        fake = await startFakeApiServer(b);
        return withClusterReads(() => readLiveRevisions({ kubeconfig: fake!.kubeconfig }, keep, 500));
    };

    it("reads control planes and their releases, tags, the gateway cutover and namespaces; no pods while every revision stays", async () => {
        const r = await read(cluster([]), ["1-29-1", "1-30-3"]);
        assert.deepEqual(r, {
            kind: "read",
            live: {
                controlPlanes: [
                    { revision: "1-29-1", version: "1.29.1" },
                    { revision: "1-30-3", version: "1.30.3" },
                ],
                tags: { default: "1-30-3" },
                gatewayRevision: "1-29-1",
                namespaces: { web: "default" },
                proxies: {},
            },
        });
        assert.ok(!fake!.paths().includes("/api/v1/pods"), "no pod list in a steady-state preview");
    });

    it("lists the pods of a revision about to go, by namespace, leaving istio-system's own out", async () => {
        const r = await read(
            cluster([pod("sample", "1-29-1"), pod("sample", "1-29-1"), pod("orders", "1-29-1"), pod("istio-system", "1-29-1")]),
            ["1-30-3"],
        );
        assert.equal(r.kind, "read");
        assert.deepEqual(r.kind === "read" && r.live.proxies, { "1-29-1": ["sample", "orders"] });
    });

    it("cannot tell, with the cause and without the token, when a read is refused", async () => {
        const r = await read({ kind: "status", status: 403 }, []);
        assert.equal(r.kind, "unknown");
        assert.match((r as { why: string }).why, /403 Forbidden/);
        assert.ok(!JSON.stringify(r).includes(FAKE_TOKEN));
    });
});
