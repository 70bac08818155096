/**
 * The upgrade-step guards that compare a cluster's present control planes with the config: each out-of-order step
 * refused with the object that blocks it and the step to take first; each step of the documented sequence allowed.
 */
import { strict as assert } from "assert";
import { injectorTag } from "../../components/revisionStepCheck";
import { DesiredRevisions, LiveRevisions, revisionStepRefusals } from "../../components/model";

const live = (over: Partial<LiveRevisions> = {}): LiveRevisions => ({ controlPlanes: [], tags: {}, namespaces: {}, proxies: {}, ...over });
const canary = (revisions: [string, string][], tags: Record<string, string>): DesiredRevisions => ({
    mode: "canary",
    revisions: revisions.map(([name, version]) => ({ name, version })),
    tags,
});
const OLD: [string, string] = ["1-29-1", "1.29.1"];
const NEW: [string, string] = ["1-30-3", "1.30.3"];

describe("upgrade-step guards (live state vs config)", () => {
    it("a fresh cluster takes any configuration", () => {
        assert.deepEqual(revisionStepRefusals("c1", { mode: "inPlace", version: "1.30.3" }, live()), []);
        assert.deepEqual(revisionStepRefusals("c1", canary([OLD, NEW], { default: "1-30-3" }), live()), []);
    });

    it("in place: one minor at a time, up or down; a jump over a minor is refused with the way round", () => {
        const on = (v: string) => live({ controlPlanes: [{ revision: "default", version: v }] });
        assert.deepEqual(revisionStepRefusals("c1", { mode: "inPlace", version: "1.30.3" }, on("1.29.1")), []);
        assert.deepEqual(revisionStepRefusals("c1", { mode: "inPlace", version: "1.29.1" }, on("1.30.3")), []);
        assert.deepEqual(revisionStepRefusals("c1", { mode: "inPlace", version: "1.30.3" }, on("1.28.2")), [
            "cluster c1: istio.version 1.28.2 → 1.30.3 in place jumps over a minor release (Istio upgrades one minor at a time): go to 1.29 first",
        ]);
        // an unknown live release is no reason to refuse
        assert.deepEqual(
            revisionStepRefusals("c1", { mode: "inPlace", version: "1.30.3" }, live({ controlPlanes: [{ revision: "default" }] })),
            [],
        );
    });

    it("the same holds for a named revision changed in place", () => {
        const r = revisionStepRefusals(
            "c1",
            canary([["stable", "1.30.3"]], { default: "stable" }),
            live({ controlPlanes: [{ revision: "stable", version: "1.28.0" }], tags: { default: "stable" } }),
        );
        assert.equal(r.length, 1);
        assert.match(
            r[0],
            /^cluster c1: revision stable: 1\.28\.0 → 1\.30\.3 in place jumps over a minor release .* add a revision of the new release beside it instead$/,
        );
    });

    it("no switching between a revision-less install and revisions, either way", () => {
        const inPlace = live({ controlPlanes: [{ revision: "default", version: "1.29.1" }] });
        assert.match(
            revisionStepRefusals("c1", canary([OLD, NEW], { default: "1-29-1" }), inPlace)[0],
            /runs the revision-less control plane/,
        );
        const revisioned = live({ controlPlanes: [{ revision: "1-30-3", version: "1.30.3" }], tags: { default: "1-30-3" } });
        assert.match(
            revisionStepRefusals("c1", { mode: "inPlace", version: "1.30.3" }, revisioned)[0],
            /going back to a revision-less install is not supported/,
        );
    });

    it("each step of the canary sequence passes against the state the previous step left", () => {
        const s0 = live({
            controlPlanes: [{ revision: "1-29-1", version: "1.29.1" }],
            tags: { default: "1-29-1" },
            gatewayRevision: "1-29-1",
            proxies: { "1-29-1": ["sample"] },
        });
        // 1. add the new revision (tags stay)
        assert.deepEqual(revisionStepRefusals("c1", canary([OLD, NEW], { default: "1-29-1" }), s0), []);
        const s1 = { ...s0, controlPlanes: [...s0.controlPlanes, { revision: "1-30-3", version: "1.30.3" }] };
        // 2. move the default tag
        assert.deepEqual(revisionStepRefusals("c1", canary([OLD, NEW], { default: "1-30-3" }), s1), []);
        // 3. cut the gateway over (the Service selector), workloads restarted onto the new revision
        const s3 = { ...s1, tags: { default: "1-30-3" }, gatewayRevision: "1-30-3", proxies: { "1-30-3": ["sample"] } };
        // 4. remove the old revision
        assert.deepEqual(revisionStepRefusals("c1", canary([NEW], { default: "1-30-3" }), s3), []);
    });

    it("a tag may not move to a revision the same update installs", () => {
        const s0 = live({ controlPlanes: [{ revision: "1-29-1", version: "1.29.1" }], tags: { default: "1-29-1" } });
        const r = revisionStepRefusals("c1", canary([OLD, NEW], { default: "1-30-3" }), s0);
        assert.deepEqual(r, [
            "cluster c1: tag default would move to revision 1-30-3, which this same update installs: its webhook could call an istiod that is not ready yet. Add 1-30-3 first (tag default on 1-29-1), move the tag in the next pulumi up",
        ]);
        // a new tag on the new revision is fine
        assert.deepEqual(revisionStepRefusals("c1", canary([OLD, NEW], { default: "1-29-1", canary: "1-30-3" }), s0), []);
    });

    it("removing a revision still in use names every user: tags, the gateway Service, namespaces (also through a tag), proxies", () => {
        const s = live({
            controlPlanes: [
                { revision: "1-29-1", version: "1.29.1" },
                { revision: "1-30-3", version: "1.30.3" },
            ],
            tags: { default: "1-30-3", legacy: "1-29-1" },
            gatewayRevision: "1-29-1",
            namespaces: { payments: "legacy", orders: "1-29-1", web: "default" },
            proxies: { "1-29-1": ["payments", "orders"], "1-30-3": ["web"] },
        });
        const r = revisionStepRefusals("c1", canary([NEW], { default: "1-30-3" }), s);
        assert.equal(r.length, 1);
        assert.equal(
            r[0],
            "cluster c1: revision 1-29-1 cannot be removed yet, still in use by tag legacy (move it to another revision first); " +
                "the east-west gateway Service (cut it over first: istio.eastWestGatewayRevision); namespace payments (label istio.io/rev=legacy); " +
                "namespace orders (label istio.io/rev=1-29-1); proxies in namespace(s) payments, orders (restart those workloads after moving their namespace). " +
                "Keep it in istio.revisions until then",
        );
    });

    it("reads the release from an injector ConfigMap's values", () => {
        assert.equal(injectorTag(JSON.stringify({ global: { tag: "1.29.1", hub: "docker.io/istio" }, revision: "1-29-1" })), "1.29.1");
        assert.equal(injectorTag("not json"), undefined);
        assert.equal(injectorTag(undefined), undefined);
    });
});
