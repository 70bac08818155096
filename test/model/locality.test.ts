import { strict as assert } from "assert";
import { LocalityLbSetting, OutlierDetection, validateLocalityLbSetting } from "../../components/model/locality/locality";

// Cases marked [istio] mirror TestValidateLocalityLbSetting in
// istio/istio pkg/config/validation/agent/validation_test.go (1.28–1.30).

const OD: OutlierDetection = { consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s" };
const EMPTY_OD: OutlierDetection = {};

describe("validateLocalityLbSetting", () => {
    describe("seed DestinationRules are valid with no warnings", () => {
        it("cc2: undefined setting [istio: nil setting]", () => {
            assert.deepEqual(validateLocalityLbSetting(undefined), { errors: [], warnings: [] });
            assert.deepEqual(validateLocalityLbSetting(undefined, undefined), { errors: [], warnings: [] });
        });

        it("cc2: {enabled: true}", () => {
            assert.deepEqual(validateLocalityLbSetting({ enabled: true }), { errors: [], warnings: [] });
        });

        it("cc3: distribute", () => {
            const lb: LocalityLbSetting = {
                enabled: true,
                distribute: [
                    { from: "region2/zone1/*", to: { "region1/*": 50, "region3/*": 50 } },
                    { from: "region2/zone2/*", to: { "region2/zone3/*": 40, "region2/zone1/*": 40, "region3/*": 20 } },
                    { from: "region2/zone3/*", to: { "region4/zone5/*": 100 } },
                ],
            };
            assert.deepEqual(validateLocalityLbSetting(lb, { consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s" }), {
                errors: [],
                warnings: [],
            });
        });

        it("cc4: failover with outlierDetection", () => {
            const lb: LocalityLbSetting = { enabled: true, failover: [{ from: "region4", to: "region3" }] };
            assert.deepEqual(validateLocalityLbSetting(lb, { consecutive5xxErrors: 1, interval: "1s", baseEjectionTime: "1m" }), {
                errors: [],
                warnings: [],
            });
        });

        it("cc4: failover without outlierDetection gives exactly one warning", () => {
            const lb: LocalityLbSetting = { enabled: true, failover: [{ from: "region4", to: "region3" }] };
            assert.deepEqual(validateLocalityLbSetting(lb), {
                errors: [],
                warnings: ["failover: outlier detection policy must be provided for failover"],
            });
        });
    });

    describe("other valid settings", () => {
        const valid: { name: string; lb: LocalityLbSetting | undefined; od?: OutlierDetection }[] = [
            { name: "null setting", lb: null as unknown as undefined },
            { name: "enabled: false with distribute", lb: { enabled: false, distribute: [{ from: "r1", to: { r2: 100 } }] } },
            {
                name: "istio docs distribute example",
                lb: {
                    distribute: [{ from: "region1/zone1/*", to: { "region1/zone1/*": 70, "region1/zone2/*": 20, "region3/zone4/*": 10 } }],
                },
                od: { consecutive5xxErrors: 100, interval: "1s", baseEjectionTime: "1m" },
            },
            {
                name: "more specific from before less specific from (first match wins)",
                lb: {
                    distribute: [
                        { from: "region1/zone1/*", to: { "region1/zone1/*": 100 } },
                        { from: "region1/*", to: { "region1/*": 100 } },
                    ],
                },
            },
            { name: "'*' as the only from", lb: { distribute: [{ from: "*", to: { "*": 100 } }] } },
            { name: "subzone containing '/' (SplitN 3)", lb: { distribute: [{ from: "r/z/a/b", to: { "r/z/a/*": 100 } }] } },
            { name: "empty distribute and failover arrays", lb: { distribute: [], failover: [] } },
            {
                name: "failover with non-topology failoverPriority label [istio failover+priority allowed]",
                lb: { failover: [{ from: "r1", to: "r2" }], failoverPriority: ["topology.istio.io/network"] },
                od: EMPTY_OD,
            },
            {
                name: "failover with key=value region priority (exact label match only, as in Istio)",
                lb: { failover: [{ from: "r1", to: "r2" }], failoverPriority: ["topology.kubernetes.io/region=r1"] },
                od: EMPTY_OD,
            },
            {
                name: "failoverPriority alone with topology labels and outlierDetection",
                lb: { failoverPriority: ["topology.istio.io/network", "topology.kubernetes.io/region"] },
                od: OD,
            },
        ];
        for (const c of valid) {
            it(c.name, () => {
                assert.deepEqual(validateLocalityLbSetting(c.lb, c.od), { errors: [], warnings: [] });
            });
        }
    });

    describe("invalid settings and warnings", () => {
        const cases: {
            name: string;
            lb: unknown;
            od?: unknown;
            errors: string[];
            warnings?: string[];
        }[] = [
            {
                name: "[istio] total weight > 100",
                lb: { distribute: [{ from: "a/b/c", to: { "a/b/c": 80, "a/b1": 25 } }] },
                od: EMPTY_OD,
                errors: ["distribute[0].to: total locality weight 105 != 100"],
            },
            {
                name: "[istio] total weight < 100",
                lb: { distribute: [{ from: "a/b/c", to: { "a/b/c": 80, "a/b1": 15 } }] },
                od: EMPTY_OD,
                errors: ["distribute[0].to: total locality weight 95 != 100"],
            },
            {
                name: "total weight 90 in second entry",
                lb: {
                    distribute: [
                        { from: "r1/*", to: { "r1/*": 100 } },
                        { from: "r2/*", to: { "r1/*": 40, "r2/*": 50 } },
                    ],
                },
                errors: ["distribute[1].to: total locality weight 90 != 100"],
            },
            {
                name: "missing to: total weight 0",
                lb: { distribute: [{ from: "r1" }] },
                errors: ["distribute[0].to: total locality weight 0 != 100"],
            },
            {
                name: "[istio] weight = 0",
                lb: { distribute: [{ from: "a/b/c", to: { "a/b/c": 0, "a/b1": 100 } }] },
                od: EMPTY_OD,
                errors: ['distribute[0].to["a/b/c"]: locality weight must be in range [1, 100]'],
            },
            {
                name: "weight = 101 stops further checks (Istio early return)",
                lb: {
                    distribute: [
                        { from: "r1", to: { r1: 101 } },
                        { from: "r1", to: { r1: 50 } },
                    ],
                },
                errors: ['distribute[0].to["r1"]: locality weight must be in range [1, 100]'],
            },
            {
                name: "[istio] distribute and failover together",
                lb: {
                    distribute: [{ from: "a/b/c", to: { "a/b/c": 80, "a/b1": 20 } }],
                    failover: [{ from: "region1", to: "region2" }],
                },
                od: EMPTY_OD,
                errors: ["failover: can not simultaneously specify 'distribute' and 'failover'"],
            },
            {
                name: "[istio] failover from == to",
                lb: { failover: [{ from: "region1", to: "region1" }] },
                od: EMPTY_OD,
                errors: ["failover[0]: locality lb failover settings must specify different regions"],
            },
            {
                name: "[istio] failover from contains '*'",
                lb: { failover: [{ from: "*", to: "region2" }] },
                od: EMPTY_OD,
                errors: ["failover[0]: locality lb failover region should not contain '*' wildcard"],
            },
            {
                name: "[istio] failover to contains '*'",
                lb: { failover: [{ from: "region1", to: "*" }] },
                od: EMPTY_OD,
                errors: ["failover[0]: locality lb failover region should not contain '*' wildcard"],
            },
            {
                name: "[istio] failover from contains '/'",
                lb: { failover: [{ from: "region1/zone1", to: "region2" }] },
                od: EMPTY_OD,
                errors: ["failover[0]: locality lb failover only specify region"],
            },
            {
                name: "[istio] failover to contains '/'",
                lb: { failover: [{ from: "region1", to: "region2/zone1" }] },
                od: EMPTY_OD,
                errors: ["failover[0]: locality lb failover only specify region"],
            },
            {
                name: "failover entry breaking all three rules, second entry",
                lb: {
                    failover: [
                        { from: "r1", to: "r2" },
                        { from: "r1/*", to: "r1/*" },
                    ],
                },
                od: OD,
                errors: [
                    "failover[1]: locality lb failover settings must specify different regions",
                    "failover[1]: locality lb failover only specify region",
                    "failover[1]: locality lb failover region should not contain '*' wildcard",
                ],
            },
            {
                name: "failover entry with from and to both missing",
                lb: { failover: [{}] },
                od: OD,
                errors: ["failover[0]: locality lb failover settings must specify different regions"],
            },
            {
                name: "[istio] failoverPriority with region label plus failover",
                lb: { failover: [{ from: "region1", to: "region2" }], failoverPriority: ["topology.kubernetes.io/region"] },
                od: EMPTY_OD,
                errors: [
                    "failoverPriority[0]: can not simultaneously set 'failover' and topology label 'topology.kubernetes.io/region' in 'failover_priority'",
                ],
            },
            {
                name: "failoverPriority with zone label plus failover (no warning: early return)",
                lb: {
                    failover: [{ from: "region1", to: "region1" }],
                    failoverPriority: ["topology.istio.io/network", "topology.kubernetes.io/zone", "topology.istio.io/subzone"],
                },
                errors: [
                    "failoverPriority[1]: can not simultaneously set 'failover' and topology label 'topology.kubernetes.io/zone' in 'failover_priority'",
                ],
            },
            {
                name: "failoverPriority with subzone label plus failover",
                lb: { failover: [{ from: "r1", to: "r2" }], failoverPriority: ["topology.istio.io/subzone"] },
                od: OD,
                errors: [
                    "failoverPriority[0]: can not simultaneously set 'failover' and topology label 'topology.istio.io/subzone' in 'failover_priority'",
                ],
            },
            {
                name: "[istio] failoverPriority without outlierDetection: warning only",
                lb: {
                    failoverPriority: [
                        "topology.istio.io/network",
                        "topology.kubernetes.io/region",
                        "topology.kubernetes.io/zone",
                        "topology.istio.io/subzone",
                    ],
                },
                errors: [],
                warnings: ["failoverPriority: outlier detection policy must be provided for failover"],
            },
            {
                name: "[istio] failover without outlierDetection: warning only",
                lb: {
                    failover: [
                        { from: "us-east", to: "eu-west" },
                        { from: "us-west", to: "eu-east" },
                    ],
                },
                errors: [],
                warnings: ["failover: outlier detection policy must be provided for failover"],
            },
            {
                name: "failover error plus missing-outlierDetection warning",
                lb: { failover: [{ from: "r1", to: "r1" }] },
                errors: ["failover[0]: locality lb failover settings must specify different regions"],
                warnings: ["failover: outlier detection policy must be provided for failover"],
            },
            {
                name: "'*' in the middle of a from locality",
                lb: { distribute: [{ from: "region1/*/zone1", to: { "region1/*": 100 } }] },
                errors: ["distribute[0].from: locality region1/*/zone1 wildcard '*' number can not exceed 1 and must be in the end"],
            },
            {
                name: "two '*' in a to locality",
                lb: { distribute: [{ from: "region1/*", to: { "region1/*/*": 100 } }] },
                errors: ["distribute[0].to: locality region1/*/* wildcard '*' number can not exceed 1 and must be in the end"],
            },
            {
                name: "empty segment region1//zone1 in to",
                lb: { distribute: [{ from: "region1/*", to: { "region1//zone1": 100 } }] },
                errors: ["distribute[0].to: locality region1//zone1 must not contain empty region/zone/subzone info"],
            },
            {
                name: "trailing slash is an empty segment",
                lb: { distribute: [{ from: "region1/", to: { "region1/*": 100 } }] },
                errors: ["distribute[0].from: locality region1/ must not contain empty region/zone/subzone info"],
            },
            {
                name: "missing from is an empty locality (Go zero value)",
                lb: { distribute: [{ to: { "region1/*": 100 } }] },
                errors: ["distribute[0].from: locality  must not contain empty region/zone/subzone info"],
            },
            {
                name: "overlapping distribute from entries (broad one first)",
                lb: {
                    distribute: [
                        { from: "region1/*", to: { "region1/*": 100 } },
                        { from: "region1/zone1/*", to: { "region2/*": 100 } },
                    ],
                },
                errors: ["distribute[1].from: locality region1/zone1/* overlap with previous specified ones"],
            },
            {
                name: "duplicate distribute from region",
                lb: {
                    distribute: [
                        { from: "region1", to: { "region1/*": 100 } },
                        { from: "region1", to: { "region2/*": 100 } },
                    ],
                },
                errors: ["distribute[1].from: locality region1 overlap with previous specified ones"],
            },
            {
                name: "anything after a '*' from overlaps",
                lb: {
                    distribute: [
                        { from: "*", to: { "region1/*": 100 } },
                        { from: "region9", to: { "region2/*": 100 } },
                    ],
                },
                errors: ["distribute[1].from: locality region9 overlap with previous specified ones"],
            },
            {
                name: "overlapping to keys (broad first)",
                lb: { distribute: [{ from: "r1", to: { region1: 50, "region1/zone1": 50 } }] },
                errors: ["distribute[0].to: locality region1/zone1 overlap with previous specified ones"],
            },
            {
                name: "overlapping to keys in the order Go may accept are still reported (random map order)",
                lb: { distribute: [{ from: "r1", to: { "r1/z1/sz1": 50, "r1/z1/*": 50 } }] },
                errors: ["distribute[0].to: locality r1/z1/sz1 overlap with previous specified ones"],
            },
            {
                name: "to and from errors accumulate across entries",
                lb: {
                    distribute: [
                        { from: "r1", to: { "r1/*": 50, "r1/z1": 50 } },
                        { from: "r1", to: { "r2/a/*/b": 100 } },
                    ],
                },
                errors: [
                    "distribute[0].to: locality r1/z1 overlap with previous specified ones",
                    "distribute[1].to: locality r2/a/*/b wildcard '*' number can not exceed 1 and must be in the end",
                    "distribute[1].from: locality r1 overlap with previous specified ones",
                ],
            },
            // Schema / type errors (input from untrusted YAML).
            {
                name: "non-numeric weight",
                lb: { distribute: [{ from: "r1", to: { "r1/*": "100" } }] },
                errors: ['distribute[0].to["r1/*"]: locality weight must be an unsigned 32-bit integer, got string "100"'],
            },
            {
                name: "negative weight",
                lb: { distribute: [{ from: "r1", to: { "r1/*": -5, "r2/*": 105 } }] },
                errors: ['distribute[0].to["r1/*"]: locality weight must be an unsigned 32-bit integer, got number -5'],
            },
            {
                name: "fractional and NaN weights",
                lb: { distribute: [{ from: "r1", to: { a: 50.5, b: NaN } }] },
                errors: [
                    'distribute[0].to["a"]: locality weight must be an unsigned 32-bit integer, got number 50.5',
                    'distribute[0].to["b"]: locality weight must be an unsigned 32-bit integer, got number NaN',
                ],
            },
            {
                name: "to is an array, from is a number, enabled is a string",
                lb: { enabled: "yes", distribute: [{ from: 1, to: [100] }] },
                errors: [
                    'enabled: expected a boolean, got string "yes"',
                    "distribute[0].from: expected a string, got number 1",
                    "distribute[0].to: expected an object mapping locality to weight, got array",
                ],
            },
            {
                name: "wrong container types",
                lb: { distribute: { from: "r1" }, failover: ["r1"], failoverPriority: "topology.istio.io/network" },
                errors: [
                    "distribute: expected an array, got object",
                    'failover[0]: expected an object, got string "r1"',
                    'failoverPriority: expected an array, got string "topology.istio.io/network"',
                ],
            },
            {
                name: "non-string failover fields and failoverPriority entries",
                lb: { failover: [{ from: "r1", to: 2 }, null], failoverPriority: [3] },
                errors: [
                    "failover[0].to: expected a string, got number 2",
                    "failover[1]: expected an object, got null",
                    "failoverPriority[0]: expected a string, got number 3",
                ],
            },
            {
                name: "setting is not an object",
                lb: "failover",
                errors: ['localityLbSetting: expected an object, got string "failover"'],
            },
            {
                name: "outlierDetection is not an object",
                lb: { failover: [{ from: "r1", to: "r2" }] },
                od: "10s",
                errors: ['outlierDetection: expected an object, got string "10s"'],
            },
        ];

        for (const c of cases) {
            it(c.name, () => {
                const result = validateLocalityLbSetting(c.lb as LocalityLbSetting, c.od as OutlierDetection | undefined);
                assert.deepEqual(result, { errors: c.errors, warnings: c.warnings ?? [] });
            });
        }

        it("has at least 15 invalid/warning cases", () => {
            assert.ok(cases.length >= 15);
        });
    });

    describe("robustness", () => {
        it("never throws on odd input", () => {
            const odd: unknown[] = [
                0,
                true,
                [],
                { distribute: [undefined] },
                { distribute: [{ to: null, from: null }] },
                { failover: [{ from: null, to: null }] },
                { distribute: [{ from: "r", to: Object.create(null) }] },
            ];
            for (const lb of odd) {
                assert.doesNotThrow(() => validateLocalityLbSetting(lb as LocalityLbSetting));
            }
        });

        it("null fields count as unset", () => {
            assert.deepEqual(
                validateLocalityLbSetting({ enabled: null, distribute: null, failover: null, failoverPriority: null } as never),
                { errors: [], warnings: [] },
            );
        });

        it("reverse-order overlapping to keys are found for any key count", () => {
            const r = validateLocalityLbSetting({
                distribute: [{ from: "r1", to: { "a/b/c": 25, "x/*": 25, y: 25, "a/*": 25 } }],
            });
            assert.deepEqual(r.errors, ["distribute[0].to: locality a/b/c overlap with previous specified ones"]);
        });

        it("an empty outlierDetection object suppresses the warning (Istio checks for nil only)", () => {
            assert.deepEqual(validateLocalityLbSetting({ failover: [{ from: "r1", to: "r2" }] }, {}), {
                errors: [],
                warnings: [],
            });
        });
    });
});
