/**
 * Root CA rotation in the model (docs/root-ca.md): what each phase puts in `cacerts`, which roots the stack holds
 * and protects, the cross-cluster rule (whatever a cluster signs with, every cluster trusts), the config keys'
 * refusals, and the live step rules (one phase per `up`, a trust change only on a multi-root istiod).
 */
import { strict as assert } from "assert";
import fc from "fast-check";
import {
    clusterRootPlan,
    MeshConfigError,
    parseMeshConfig,
    ROOT_PHASES,
    RootPhase,
    rootPhaseIssues,
    rootPosition,
    rootsInStack,
    rootSigns,
    rootStateAnnotations,
    rootStateOf,
    rootStepRefusals,
    settledState,
} from "../../components/model";
import { clustersConfig } from "../helpers/configs";

const issuesOf = (f: () => unknown) => {
    try {
        f();
    } catch (e) {
        if (e instanceof MeshConfigError) return e.issues;
        throw e;
    }
    return [];
};

describe("root rotation: phases", () => {
    it("each phase's cacerts: trust A, A+B (A first), A+B, B; sign with A, A, B, B", () => {
        assert.deepEqual(
            ROOT_PHASES.map((phase) => clusterRootPlan({ generation: 3, phase })),
            [
                { trust: [3], signWith: 3 },
                { trust: [3, 4], signWith: 3 },
                { trust: [3, 4], signWith: 4 },
                { trust: [4], signWith: 4 },
            ],
        );
    });

    it("newOnly of generation g is generation g + 1 without rotation: the same cacerts (ending a rotation is a no-op)", () => {
        const done = { generation: 1, phase: "newOnly" as const };
        assert.deepEqual(settledState(done), { generation: 2, phase: "oldOnly" });
        assert.deepEqual(clusterRootPlan(done), clusterRootPlan(settledState(done)));
        assert.equal(rootPosition(done), rootPosition(settledState(done)));
    });

    it("the stack holds A until every cluster is at newOnly, and B from the first cluster at trustBoth", () => {
        assert.deepEqual(rootsInStack(1, ["oldOnly", "oldOnly"]), [1]);
        assert.deepEqual(rootsInStack(1, ["trustBoth", "oldOnly"]), [1, 2]);
        assert.deepEqual(rootsInStack(1, ["newOnly", "signWithNew"]), [1, 2]);
        assert.deepEqual(rootsInStack(1, ["newOnly", "newOnly"]), [2]);
    });

    it("a root is protected while it signs: A until every cluster signs with B, B once any does (so both rollbacks can delete)", () => {
        assert.equal(rootSigns(1, 1, ["trustBoth", "trustBoth"]), true);
        assert.equal(rootSigns(2, 1, ["trustBoth", "trustBoth"]), false, "B signs nothing yet: a rollback to oldOnly may drop it");
        assert.equal(rootSigns(1, 1, ["signWithNew", "trustBoth"]), true);
        assert.equal(rootSigns(1, 1, ["signWithNew", "signWithNew"]), false, "A signs nothing: newOnly may delete it");
        assert.equal(rootSigns(2, 1, ["signWithNew", "trustBoth"]), true);
    });

    it("annotations: none for generation 1 without rotation (existing stacks unchanged), and they read back", () => {
        assert.deepEqual(rootStateAnnotations({ generation: 1, phase: "oldOnly" }), {});
        for (const s of [
            { generation: 1, phase: "trustBoth" as const },
            { generation: 2, phase: "oldOnly" as const },
        ]) {
            assert.deepEqual(rootStateOf(rootStateAnnotations(s)), s);
        }
        assert.deepEqual(rootStateOf(undefined), { generation: 1, phase: "oldOnly" });
        assert.equal(
            rootStateOf({ "istio-multicluster.dev/root-generation": "x", "istio-multicluster.dev/root-phase": "trustBoth" }),
            undefined,
        );
    });
});

describe("root rotation: the cross-cluster rule", () => {
    const at = (...phases: RootPhase[]) => phases.map((phase, i) => ({ cluster: `c${i + 1}`, phase }));
    const paths = (phases: { cluster: string; phase: RootPhase }[]) => rootPhaseIssues(phases, (c) => c).map((i) => i.path);

    it("refuses signing with B while a cluster does not trust B, and dropping A while a cluster signs with A", () => {
        assert.deepEqual(paths(at("signWithNew", "oldOnly")), ["c1"]);
        assert.deepEqual(paths(at("newOnly", "trustBoth")), ["c1"]);
        assert.deepEqual(paths(at("newOnly", "oldOnly")), ["c1"]);
        assert.match(rootPhaseIssues(at("signWithNew", "oldOnly"), (c) => c)[0]!.message, /c2 do not trust it yet[\s\S]*trustBoth first/);
    });

    it("allows any clusters one phase apart", () => {
        for (let i = 0; i + 1 < ROOT_PHASES.length; i++) assert.deepEqual(paths(at(ROOT_PHASES[i]!, ROOT_PHASES[i + 1]!)), []);
    });

    it("property: whatever passes, the root any cluster signs with is in every cluster's bundle", () => {
        fc.assert(
            fc.property(
                fc.array(fc.constantFrom(...ROOT_PHASES), { minLength: 1, maxLength: 6 }),
                fc.integer({ min: 1, max: 5 }),
                (phases, g) => {
                    const passes = rootPhaseIssues(at(...phases), (c) => c).length === 0;
                    const plans = phases.map((phase) => clusterRootPlan({ generation: g, phase }));
                    const trusted = plans.every((p) => plans.every((q) => q.trust.includes(p.signWith)));
                    assert.equal(passes, trusted);
                    if (passes) for (const p of plans) assert.ok(p.trust.every((r) => rootsInStack(g, phases).includes(r)));
                },
            ),
        );
    });
});

describe("root rotation: stack config", () => {
    const base = clustersConfig(3);

    it("resolves every cluster's phase, per-cluster overrides first", () => {
        const m = parseMeshConfig({
            ...base,
            ca: { multiRoot: true, rootRotation: { phase: "oldOnly", clusters: { cluster1: "trustBoth" } } },
        });
        assert.deepEqual(m.ca.rootRotation?.phases, { cluster1: "trustBoth", cluster2: "oldOnly", cluster3: "oldOnly" });
        assert.equal(m.ca.rootGeneration, 1);
        assert.equal(parseMeshConfig(base).ca.multiRoot, false);
    });

    it("refuses, naming each key: rotation without multiRoot, with allowRootReplacement, an unknown cluster, phases two apart, half a next root", () => {
        const issues = issuesOf(() =>
            parseMeshConfig({
                ...base,
                ca: {
                    allowRootReplacement: true,
                    rootRotation: {
                        phase: "oldOnly",
                        clusters: { cluster1: "signWithNew", nowhere: "trustBoth" },
                        nextRootCertSecret: "nextCert",
                    },
                },
            }),
        );
        assert.deepEqual(issues.map((i) => i.path).sort(), [
            "ca.allowRootReplacement",
            "ca.multiRoot",
            "ca.rootRotation.clusters.cluster1",
            "ca.rootRotation.clusters.nowhere",
            "ca.rootRotation.nextRootKeySecret",
        ]);
        assert.match(issues.find((i) => i.path === "ca.multiRoot")!.message, /for one `pulumi up` first/);
    });

    it("refuses a phase that is none and a generation below 1", () => {
        const issues = issuesOf(() =>
            parseMeshConfig({ ...base, ca: { multiRoot: true, rootGeneration: 0, rootRotation: { phase: "both" } } }),
        );
        assert.deepEqual(issues.map((i) => i.path).sort(), ["ca.rootGeneration", "ca.rootRotation.phase"]);
        assert.match(issues.find((i) => i.path === "ca.rootRotation.phase")!.message, /oldOnly, trustBoth, signWithNew, newOnly/);
    });
});

describe("root rotation: live steps", () => {
    const multi = [{ name: "istiod", multiRoot: true }];
    const single = [{ name: "istiod", multiRoot: false }];
    const step = (from: [number, RootPhase], to: [number, RootPhase], istiods = multi) =>
        rootStepRefusals("c1", { generation: to[0], phase: to[1] }, { state: { generation: from[0], phase: from[1] }, istiods }, "KEY");

    it("allows one phase forward or back, and the no-op from newOnly to the next generation", () => {
        assert.deepEqual(step([1, "oldOnly"], [1, "trustBoth"]), []);
        assert.deepEqual(step([1, "signWithNew"], [1, "trustBoth"]), []);
        assert.deepEqual(step([1, "newOnly"], [2, "oldOnly"]), []);
        assert.deepEqual(step([2, "oldOnly"], [2, "trustBoth"]), [], "the next rotation from the settled state");
    });

    it("refuses a skipped phase, naming the cluster, both states and the key", () => {
        const r = step([1, "oldOnly"], [1, "signWithNew"]);
        assert.equal(r.length, 1);
        assert.match(r[0]!, /cluster c1: root generation 1 → root generation 1 → 2, signWithNew skips 1 phase\(s\)[\s\S]*set KEY/);
        assert.equal(step([1, "newOnly"], [1, "oldOnly"]).length, 1, "back from B to A in one step");
    });

    it("refuses a change of trusted roots while istiod is not multi-root, not a change of signer", () => {
        assert.match(step([1, "oldOnly"], [1, "trustBoth"], single)[0]!, /istiod run without ISTIO_MULTIROOT_MESH=true/);
        assert.deepEqual(step([1, "trustBoth"], [1, "signWithNew"], single), []);
        assert.equal(step([1, "signWithNew"], [1, "newOnly"], single).length, 1);
    });

    it("a new cluster (no cacerts yet) takes any phase; foreign annotations are refused", () => {
        assert.deepEqual(rootStepRefusals("c1", { generation: 1, phase: "signWithNew" }, { istiods: [] }, "KEY"), []);
        assert.match(
            rootStepRefusals("c1", { generation: 1, phase: "trustBoth" }, { unreadable: true, istiods: [] }, "KEY")[0]!,
            /not this project's/,
        );
    });
});
