/**
 * LocalityPolicy renders the model's rule and nothing of its own: every name, namespace, host and traffic policy
 * of the VirtualService and DestinationRule comes from the LocalityRuleModel it is given, and its type token
 * follows the rule's kind (the tokens of the three components it replaced, so existing stacks keep their URNs).
 */
import { strict as assert } from "assert";
import { MeshCluster } from "../../components";
import { LocalityPolicy, localityPolicyType } from "../../components/scenarios/localityPolicy";
import { credentialNameFor, LocalityRuleModel, resolveScenarios, routeWeightsProblem } from "../../components/model";
import { testCluster } from "../helpers/meshCluster";
import { RecordingMocks, setMocks, settle } from "../helpers/mocks";

const mocks = new RecordingMocks();

const cluster = (name: string) => testCluster(name);

const nodes = (region: string) => [{ name: `n-${region}`, region, zone: "zone1" }];

describe("LocalityPolicy (mocks)", () => {
    before(async () => {
        await setMocks(mocks, "locality-policy");
    });
    beforeEach(() => mocks.reset());

    it("writes exactly the model's names, namespace, hosts and traffic policy", async () => {
        const rule: LocalityRuleModel = {
            kind: "WeightedDistribution",
            cluster: "east",
            namespace: "shop",
            virtualService: { name: "cart-route", host: "cart" },
            name: "cart-by-zone",
            host: "cart.shop.svc.cluster.local",
            trafficPolicy: { outlierDetection: { consecutive5xxErrors: 2 } },
            outlierDetection: { consecutive5xxErrors: 2 },
        };
        new LocalityPolicy("lp", { cluster: cluster("east"), rule });
        await settle(mocks);
        const vs = mocks.resources.find((r) => r.name === "lp-vs")!;
        const dr = mocks.resources.find((r) => r.name === "lp-dr")!;
        assert.deepEqual(vs.inputs.metadata, { name: "cart-route", namespace: "shop" });
        assert.deepEqual(vs.inputs.spec, { hosts: ["cart"], http: [{ route: [{ destination: { host: "cart" } }] }] });
        assert.deepEqual(dr.inputs.metadata, { name: "cart-by-zone", namespace: "shop" });
        assert.deepEqual(dr.inputs.spec, { host: "cart.shop.svc.cluster.local", trafficPolicy: rule.trafficPolicy });
        assert.deepEqual(
            mocks.resources.filter((r) => r.name === "lp").map((r) => r.type),
            ["istio-multicluster:index:WeightedDistribution"],
        );
    });

    it("registers each resolved rule under the type token of the component that used to render it", () => {
        const clusters = ["region1", "region2", "region3"].map((r, i) => ({ name: `cluster${i + 1}`, nodes: nodes(r) }));
        const { model, issues } = resolveScenarios(["samples", "cc2", "cc3"], {}, clusters);
        assert.deepEqual(issues, []);
        assert.equal(localityPolicyType(model.cc2!.kind), "istio-multicluster:index:LocalityFailover");
        assert.equal(localityPolicyType(model.cc3!.kind), "istio-multicluster:index:WeightedDistribution");
        const { model: m4 } = resolveScenarios(["samples", "cc4"], {}, clusters);
        assert.equal(localityPolicyType(m4.cc4!.kind), "istio-multicluster:index:RegionFailover");
    });

    it("refuses a cluster that is not a MeshCluster", () => {
        const { model } = resolveScenarios(["samples", "cc2"], {}, [{ name: "c", nodes: nodes("region1") }]);
        assert.throws(
            () => new LocalityPolicy("bad", { cluster: {} as MeshCluster, rule: model.cc2! }),
            /LocalityPolicy: args\.cluster must be a MeshCluster/,
        );
    });
});

describe("route weights: one check for shifting, tls-frontend and their components", () => {
    it("accepts whole numbers 0-100 that add up to 100, and names the problem otherwise", () => {
        assert.equal(routeWeightsProblem({ v1: 0, v2: 100 }), undefined);
        assert.match(routeWeightsProblem({ v1: 10, v2: 80 })!, /v1 10 \+ v2 80 = 90: route weights must add up to 100/);
        assert.match(routeWeightsProblem({ v1: -10, v2: 110 })!, /v1 -10 must be a whole number from 0 to 100/);
        assert.match(routeWeightsProblem({ v1: 50.5, v2: 49.5 })!, /v1 50\.5 must be a whole number/);
    });

    it("the TLS Secret name defaults from the host", () => {
        assert.equal(credentialNameFor("hello.example.com"), "hello-example-com");
    });
});
