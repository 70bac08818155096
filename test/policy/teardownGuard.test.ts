import { strict as assert } from "assert";
import { PolicyResource } from "@pulumi/policy";
import { ALLOW_TEARDOWN_TAG, meshTeardownGuard } from "../../policy/teardownGuard";
import { cacertsProps, provider, remoteSecretProps, runStackPolicy, stackResource } from "./helpers";

const CLUSTERS = ["cluster1", "cluster2", "cluster3"];

/** The planned stack of a whole mesh, less what `omit` names (`<cluster>:<part>`). */
function meshStack(clusters = CLUSTERS, omit: string[] = []): PolicyResource[] {
    const out: PolicyResource[] = [stackResource("pulumi:pulumi:Stack", "istio-multicluster-test", {})];
    for (const c of clusters) {
        const p = provider(`mesh-${c}-k8s`);
        if (!omit.includes(`${c}:cacerts`))
            out.push(stackResource("kubernetes:core/v1:Secret", `${c}-cacerts`, cacertsProps("c1-cert", "rootA-cert"), { provider: p }));
        if (!omit.includes(`${c}:istiod`)) {
            out.push(
                stackResource(
                    "kubernetes:apps/v1:Deployment",
                    `${c}-istiod`,
                    { metadata: { name: "istiod", namespace: "istio-system" } },
                    { provider: p },
                ),
            );
        }
        for (const t of clusters.filter((x) => x !== c)) {
            if (omit.includes(`${c}:links`)) continue;
            out.push(stackResource("kubernetes:core/v1:Secret", `${c}-link-${t}`, remoteSecretProps(t), { provider: p }));
        }
    }
    return out;
}

describe("policy: mesh-teardown-guard", () => {
    const guard = meshTeardownGuard();

    it("passes a whole mesh, and a mesh from which one cluster was removed entirely", async () => {
        assert.deepEqual(await runStackPolicy(guard, meshStack()), []);
        assert.deepEqual(await runStackPolicy(guard, meshStack(["cluster1", "cluster2"])), []);
        assert.deepEqual(await runStackPolicy(guard, meshStack(["cluster1"])), [], "a one-cluster mesh needs no remote secrets");
    });

    it("refuses a planned stack with no mesh at all (the wrong-entry-point preview: - N to delete)", async () => {
        const v = await runStackPolicy(guard, [stackResource("pulumi:pulumi:Stack", "istio-multicluster-test", {})]);
        assert.equal(v.length, 1);
        assert.match(v[0].message, /holds no mesh .* delete the whole mesh/);
        assert.match(v[0].message, /pulumi destroy/);
        assert.match(v[0].message, new RegExp(`pulumi stack tag set ${ALLOW_TEARDOWN_TAG} true`));
        assert.match(v[0].message, /Pulumi\.yaml `main`/);
    });

    it("refuses, per cluster, a mesh cluster that would lose its CA, istiod or remote secrets", async () => {
        const v = await runStackPolicy(guard, meshStack(CLUSTERS, ["cluster1:cacerts", "cluster2:istiod", "cluster3:links"]));
        assert.equal(v.length, 3);
        assert.match(v[0].message, /^mesh-cluster1-k8s: .*lacks the cacerts Secret/);
        assert.match(v[1].message, /^mesh-cluster2-k8s: .*lacks istiod/);
        assert.match(v[2].message, /^mesh-cluster3-k8s: .*lacks its remote secrets/);
    });

    it("allows the teardown when the stack tag or the policy config says it is intended", async () => {
        const empty = [stackResource("pulumi:pulumi:Stack", "istio-multicluster-test", {})];
        assert.deepEqual(await runStackPolicy(guard, empty, {}, { [ALLOW_TEARDOWN_TAG]: "true" }), []);
        assert.deepEqual(await runStackPolicy(guard, empty, { allowTeardown: true }), []);
        assert.equal((await runStackPolicy(guard, empty, {}, { [ALLOW_TEARDOWN_TAG]: "false" })).length, 1);
    });

    it("is mandatory by default and declares its config", () => {
        assert.equal(guard.enforcementLevel, "mandatory");
        assert.deepEqual(Object.keys(guard.configSchema?.properties ?? {}), ["allowTeardown"]);
    });
});
