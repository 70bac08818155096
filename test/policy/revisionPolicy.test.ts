/**
 * The `istio-revisions` stack policy: the canary-upgrade guards on what a stack deploys (skew between any two
 * control planes of the mesh; tags, the gateway cutover and namespace labels on a revision the cluster runs).
 */
import { strict as assert } from "assert";
import { PolicyResource } from "@pulumi/policy";
import { istioRevisions, meshInventory } from "../../policy/stackPolicies";
import { provider, runStackPolicy, stackResource } from "./helpers";

interface Plane {
    revision?: string;
    version: string;
    tags?: string[];
}

/** One cluster: an istiod chart per control plane (its values as the program passes them), a gateway Service, namespaces. */
function cluster(name: string, planes: Plane[], gateway?: string, namespaces: Record<string, string> = {}): PolicyResource[] {
    const p = provider(`${name}-k8s`);
    const mc = stackResource("istio-multicluster:index:MeshCluster", name, {});
    const out: PolicyResource[] = [mc];
    for (const pl of planes) {
        const chart = stackResource(
            "kubernetes:helm.sh/v4:Chart",
            `${name}-istiod${pl.revision ? `-${pl.revision}` : ""}`,
            {
                values: {
                    global: { meshID: "mesh1", multiCluster: { clusterName: name }, network: `${name}-net`, tag: pl.version },
                    ...(pl.revision ? { revision: pl.revision, revisionTags: pl.tags ?? [] } : {}),
                },
            },
            { parent: mc },
        );
        out.push(
            chart,
            stackResource(
                "kubernetes:apps/v1:Deployment",
                `${chart.name}-deploy`,
                { metadata: { name: "istiod" } },
                { provider: p, parent: chart },
            ),
        );
    }
    if (gateway !== undefined) {
        out.push(
            stackResource(
                "kubernetes:core/v1:Service",
                `${name}-ewgw`,
                {
                    metadata: { name: "istio-eastwestgateway", namespace: "istio-system" },
                    spec: { selector: { istio: "eastwestgateway", "istio.io/rev": gateway } },
                },
                { provider: p },
            ),
        );
    }
    for (const [ns, rev] of Object.entries(namespaces)) {
        out.push(
            stackResource(
                "kubernetes:core/v1:Namespace",
                `${name}-${ns}`,
                { metadata: { name: ns, labels: { "istio.io/rev": rev } } },
                { provider: p },
            ),
        );
    }
    return out;
}

const messages = async (rs: PolicyResource[]) => (await runStackPolicy(istioRevisions(), rs)).map((v) => v.message);

describe("policy: istio-revisions", () => {
    it("reads each cluster's control planes, tags, gateway cutover and namespace revisions", () => {
        const rs = cluster(
            "c1",
            [
                { revision: "1-29-1", version: "1.29.1", tags: ["default"] },
                { revision: "1-30-3", version: "1.30.3", tags: ["canary"] },
            ],
            "1-29-1",
            { sample: "canary" },
        );
        const [inv] = meshInventory(rs);
        assert.deepEqual(inv.controlPlanes, [
            { revision: "1-29-1", version: "1.29.1" },
            { revision: "1-30-3", version: "1.30.3" },
        ]);
        assert.deepEqual(inv.revisionTags, { default: "1-29-1", canary: "1-30-3" });
        assert.equal(inv.gatewayRevision, "1-29-1");
        assert.deepEqual(inv.namespaceRevisions, { sample: "canary" });
    });

    it("a mesh mid-upgrade (one cluster left behind, one minor apart) passes", async () => {
        const rs = [
            ...cluster(
                "c1",
                [
                    { revision: "1-29-1", version: "1.29.1" },
                    { revision: "1-30-3", version: "1.30.3", tags: ["default"] },
                ],
                "1-30-3",
            ),
            ...cluster("c2", [{ revision: "1-29-1", version: "1.29.1", tags: ["default"] }], "1-29-1", { sample: "default" }),
            ...cluster("c3", [{ version: "1.30.3" }]),
        ];
        assert.deepEqual(await messages(rs), []);
    });

    it("flags two control planes of the mesh more than one minor apart, on whichever clusters", async () => {
        const rs = [
            ...cluster("c1", [{ revision: "1-30-3", version: "1.30.3", tags: ["default"] }], "1-30-3"),
            ...cluster("c2", [{ version: "1.28.4" }]),
        ];
        assert.deepEqual(await messages(rs), [
            "control planes c1/1-30-3 (1.30.3) and c2/default (1.28.4) are 2 minor releases apart; Istio supports one between the clusters of a mesh: upgrade c2 through 1.29 first (docs/upgrades.md)",
        ]);
    });

    it("flags a tag, the gateway Service and a namespace left on a revision the cluster no longer runs", async () => {
        const rs = cluster("c1", [{ revision: "1-30-3", version: "1.30.3" }], "1-29-1", { sample: "1-29-1", web: "prod" });
        // a tag on a removed revision: what the chart of a removed revision would have rendered (a stale Service)
        rs.push(
            stackResource(
                "kubernetes:core/v1:Service",
                "c1-tag-legacy",
                { metadata: { name: "istiod-revision-tag-legacy", labels: { "istio.io/tag": "legacy", "istio.io/rev": "1-29-1" } } },
                { provider: provider("c1-k8s") },
            ),
        );
        const m = await messages(rs);
        assert.deepEqual(m, [
            "cluster c1: tag legacy points at revision 1-29-1, which the cluster does not run (it runs 1-30-3); keep 1-29-1 until nothing uses it (docs/upgrades.md)",
            "cluster c1: the east-west gateway Service points at revision 1-29-1, which the cluster does not run (it runs 1-30-3); keep 1-29-1 until nothing uses it (docs/upgrades.md)",
            "cluster c1: namespace sample (istio.io/rev=1-29-1) points at revision 1-29-1, which the cluster does not run (it runs 1-30-3); keep 1-29-1 until nothing uses it (docs/upgrades.md)",
            "cluster c1: namespace web (istio.io/rev=prod) points at revision prod, which the cluster does not run (it runs 1-30-3); keep prod until nothing uses it (docs/upgrades.md)",
        ]);
    });
});
