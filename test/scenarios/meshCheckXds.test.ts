/**
 * The pure part of `npm run mesh:check -- --xds`: grouping what istiod serves a client by locality and priority,
 * and deciding what is wrong with it.
 */
import { strict as assert } from "assert";
import { renderServed, servedLocalities, servedProblem } from "../../scripts/meshCheckXds";
import type { Probe } from "../../scripts/mesh-check";
import type { XdsEndpoint } from "../../scripts/local/xds";

const ep = (locality: string, priority: number, port = 5000, localityWeight = 0): XdsEndpoint => ({
    address: port === 15443 ? "192.0.2.2" : `10.0.0.${priority + 1}`,
    port,
    weight: 1,
    locality,
    priority,
    localityWeight,
});
const cc1: Probe = { scenario: "CC1", cluster: "cluster1", client: "sleepz2", locality: "region1/zone2", expect: "answers from every cluster" };

describe("mesh-check --xds", () => {
    it("groups endpoints by priority and locality, counting them and marking east-west gateway ones", () => {
        const served = servedLocalities([
            ep("region2/zone1", 2, 15443),
            ep("region1/zone2", 0),
            ep("region1/zone2", 0),
            ep("region1/zone1", 1),
            ep("", 2, 15443),
        ]);
        assert.deepEqual(
            served.map((s) => [s.priority, s.locality, s.endpoints, s.viaGateway]),
            [
                [0, "region1/zone2", 2, false],
                [1, "region1/zone1", 1, false],
                [2, "(remote network)", 1, true],
                [2, "region2/zone1", 1, true],
            ],
        );
    });

    it("fails a client served nothing, and a CC1 client that reaches no remote network", () => {
        assert.match(servedProblem(cc1, [])!, /serves no endpoint/);
        assert.match(servedProblem(cc1, servedLocalities([ep("region1/zone2", 0)]))!, /no remote network/);
        assert.equal(servedProblem(cc1, servedLocalities([ep("region1/zone2", 0), ep("region2/zone1", 2, 15443)])), undefined);
        // Only CC1 asks for remote networks: CC3's region4/zone5 rule may be served from one network alone.
        assert.equal(servedProblem({ ...cc1, scenario: "CC3" }, servedLocalities([ep("region4/zone5", 0, 5000, 100)])), undefined);
    });

    it("renders the client, the seed's expectation and one line per group", () => {
        const lines = renderServed(cc1, servedLocalities([ep("region1/zone2", 0, 5000, 1), ep("region2/zone1", 2, 15443, 1)]));
        assert.equal(lines.length, 3);
        assert.match(lines[0], /CC1 {2}cluster1\/sleepz2 at region1\/zone2 \(seed expects: answers from every cluster\)/);
        assert.match(lines[2], /priority 2 {2}region2\/zone1 .* through its network's east-west gateway/);
    });
});
