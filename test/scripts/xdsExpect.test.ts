/**
 * The istiod suite's expectations (test/e2e/xdsExpect.ts) must be Istio's rules, or a passing e2e run proves nothing:
 * LocalityMatch, and applyLocalityWeight's proportional split rounded up, first matching `to` pattern wins.
 */
import { strict as assert } from "assert";
import type { XdsEndpoint } from "../../scripts/local/xds";
import { distributedWeights, localityGroups, localityMatches, priorities } from "../e2e/xdsExpect";

const ep = (address: string, locality: string, priority: number, localityWeight = 1): XdsEndpoint => ({
    address,
    port: 5000,
    weight: 1,
    locality,
    priority,
    localityWeight,
});

describe("xDS expectations (istiod suite helpers)", () => {
    it("localityMatches follows Istio's LocalityMatch: wildcards and prefixes, never a partial segment", () => {
        assert.ok(localityMatches("region1/zone1", "region1/*"));
        assert.ok(localityMatches("region1/zone1", "region1"));
        assert.ok(localityMatches("region1/zone1", "region1/zone1"));
        assert.ok(localityMatches("region1/zone1/sub", "region1/zone1/*"));
        assert.ok(localityMatches("region1/zone1", "*"));
        assert.ok(!localityMatches("region1/zone1", "region1/zone2"));
        assert.ok(!localityMatches("region10/zone1", "region1/*"));
        assert.ok(!localityMatches("region1", "region1/zone1"));
    });

    it("distributedWeights splits a pattern's weight over the groups it matches in proportion, rounded up", () => {
        const groups = [
            { locality: "region1/zone1", original: 1 },
            { locality: "region1/zone2", original: 1 },
            { locality: "region1/zone3", original: 1 },
            { locality: "region2/zone1", original: 3 },
            { locality: "region3/zone1", original: 2 },
        ];
        const w = distributedWeights(groups, { from: "region1/zone1/*", to: { "region1/*": 50, "region2/zone1/*": 40 } });
        // 50 over three equal groups: 16.67 each, rounded up; region3 matches no pattern and is dropped.
        assert.deepEqual(w, { "region1/zone1": 17, "region1/zone2": 17, "region1/zone3": 17, "region2/zone1": 40 });
        const proportional = distributedWeights(groups, { from: "region1/*", to: { "*": 100 } });
        assert.deepEqual(proportional, {
            "region1/zone1": 13,
            "region1/zone2": 13,
            "region1/zone3": 13,
            "region2/zone1": 38,
            "region3/zone1": 25,
        });
    });

    it("a group taken by an earlier pattern is not counted again by a later, overlapping one", () => {
        const groups = [
            { locality: "region1/zone1", original: 1 },
            { locality: "region1/zone2", original: 1 },
        ];
        assert.deepEqual(distributedWeights(groups, { from: "region1/*", to: { "region1/zone1/*": 80, "region1/*": 20 } }), {
            "region1/zone1": 80,
            "region1/zone2": 20,
        });
    });

    it("localityGroups groups EDS endpoints by priority and locality, best priority first; priorities reads them back", () => {
        const groups = localityGroups([
            ep("10.2.0.1", "region2/zone1", 2),
            ep("10.1.0.1", "region1/zone1", 0),
            ep("10.1.0.2", "region1/zone1", 0),
            ep("10.1.1.1", "region1/zone2", 1, 3),
        ]);
        assert.deepEqual(
            groups.map((g) => [g.locality, g.priority, g.weight, g.endpoints.length]),
            [
                ["region1/zone1", 0, 1, 2],
                ["region1/zone2", 1, 3, 1],
                ["region2/zone1", 2, 1, 1],
            ],
        );
        assert.deepEqual(priorities(groups), { "region1/zone1": 0, "region1/zone2": 1, "region2/zone1": 2 });
    });
});
