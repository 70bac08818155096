import { strict as assert } from "assert";
import { assignAddresses, BinaryProbe, chooseBinary, parseVersionOutput, persistedAddresses } from "../../scripts/local/istiodRevisions";

describe("local istiod revisions: addresses", () => {
    it("keeps the cluster's own address for the revision-less istiod and gives named revisions slots from .11 upward", () => {
        assert.deepEqual(assignAddresses("127.0.3.1", ["default", "1-29-1", "1-30-3"], {}), {
            default: "127.0.3.1",
            "1-29-1": "127.0.3.11",
            "1-30-3": "127.0.3.12",
        });
    });

    it("is stable: a known revision keeps its address whatever else comes or goes", () => {
        const known = { "1-30-3": "127.0.1.12" };
        assert.deepEqual(assignAddresses("127.0.1.1", ["default", "1-30-3"], known), { default: "127.0.1.1", "1-30-3": "127.0.1.12" });
        // a new revision listed first does not take the known one's slot; it takes the first free one
        assert.deepEqual(assignAddresses("127.0.1.1", ["1-31-0", "1-30-3"], known), { "1-31-0": "127.0.1.11", "1-30-3": "127.0.1.12" });
    });

    it("takes the first free slot, and reuses a removed revision's slot", () => {
        const first = assignAddresses("127.0.2.1", ["default", "a", "b", "c"], {});
        assert.deepEqual(first, { default: "127.0.2.1", a: "127.0.2.11", b: "127.0.2.12", c: "127.0.2.13" });
        // b's Deployment is gone: its slot is dropped from what is kept, and the next new revision takes it
        const afterRemoval = assignAddresses("127.0.2.1", ["default", "a", "c"], persistedAddresses(first));
        assert.deepEqual(persistedAddresses(afterRemoval), { a: "127.0.2.11", c: "127.0.2.13" });
        assert.deepEqual(assignAddresses("127.0.2.1", ["a", "c", "d"], persistedAddresses(afterRemoval)), {
            a: "127.0.2.11",
            c: "127.0.2.13",
            d: "127.0.2.12",
        });
    });

    it("ignores a known address that is not one of the cluster's slots, and a slot claimed twice", () => {
        const known = { a: "127.0.9.11", b: "127.0.2.1", c: "127.0.2.150", d: "127.0.2.20", e: "127.0.2.20", f: "garbage" };
        assert.deepEqual(assignAddresses("127.0.2.1", ["a", "b", "c", "d", "e", "f"], known), {
            a: "127.0.2.11",
            b: "127.0.2.12",
            c: "127.0.2.13",
            d: "127.0.2.20",
            e: "127.0.2.14",
            f: "127.0.2.15",
        });
    });

    it("persists only named revisions, and refuses when the slots run out", () => {
        assert.deepEqual(persistedAddresses({ default: "127.0.1.1", x: "127.0.1.11" }), { x: "127.0.1.11" });
        const many = Array.from({ length: 89 }, (_, i) => `r${i}`);
        assert.equal(assignAddresses("127.0.1.1", many, {}).r88, "127.0.1.99");
        assert.throws(
            () => assignAddresses("127.0.1.1", [...many, "one-more"], {}),
            /no free istiod address on 127\.0\.1\.11–99 for revision one-more/,
        );
    });
});

describe("local istiod revisions: the pilot-discovery binary", () => {
    const what = { context: "c1", deployment: "istiod-1-29-1", image: "docker.io/istio/pilot:1.29.1" };
    function machine(files: string[], versions: Record<string, string>, onPath?: string): BinaryProbe & { asked: string[] } {
        const asked: string[] = [];
        return {
            cacheBin: "/cache/bin",
            exists: (f) => files.includes(f),
            onPath: () => onPath,
            versionOf: (b) => {
                asked.push(b);
                return versions[b];
            },
            asked,
        };
    }

    it("takes pilot-discovery-<version> when installed, without asking any binary its version", () => {
        const m = machine(["/cache/bin/pilot-discovery-1.29.1", "/cache/bin/pilot-discovery"], { "/cache/bin/pilot-discovery": "1.30.3" });
        assert.deepEqual(chooseBinary("1.29.1", m, what), { binary: "/cache/bin/pilot-discovery-1.29.1" });
        assert.deepEqual(m.asked, []);
    });

    it("takes the unversioned pilot-discovery when it reports the version", () => {
        const m = machine(["/cache/bin/pilot-discovery"], { "/cache/bin/pilot-discovery": "1.30.3" });
        assert.deepEqual(chooseBinary("1.30.3", m, { ...what, deployment: "istiod" }), { binary: "/cache/bin/pilot-discovery" });
        const p = machine([], { "/usr/local/bin/pilot-discovery": "1.30.3" }, "/usr/local/bin/pilot-discovery");
        assert.deepEqual(chooseBinary("1.30.3", p, what), { binary: "/usr/local/bin/pilot-discovery" }, "PATH's when the cache has none");
    });

    it("refuses, naming the Deployment, the missing version and `npm run toolchain`, when no binary is that version", () => {
        const m = machine(["/cache/bin/pilot-discovery"], { "/cache/bin/pilot-discovery": "1.30.3" });
        assert.deepEqual(chooseBinary("1.29.1", m, what), {
            problem:
                "c1: Deployment istio-system/istiod-1-29-1 runs Istio 1.29.1, but no pilot-discovery 1.29.1 is installed " +
                "(/cache/bin/pilot-discovery-1.29.1 is missing, /cache/bin/pilot-discovery is 1.30.3): run `npm run toolchain`",
        });
        assert.match(
            (chooseBinary("1.29.1", machine([], {}), what) as { problem: string }).problem,
            /no pilot-discovery is installed\): run `npm run toolchain`$/,
        );
        assert.match(
            (chooseBinary("1.29.1", machine([], {}, "/x/pilot-discovery"), what) as { problem: string }).problem,
            /\/x\/pilot-discovery is of an unknown version/,
        );
    });

    it("refuses an image whose tag names no release", () => {
        assert.deepEqual(
            chooseBinary(undefined, machine(["/cache/bin/pilot-discovery"], {}), { ...what, image: "docker.io/istio/pilot:latest" }),
            {
                problem:
                    "c1: Deployment istio-system/istiod-1-29-1 runs image docker.io/istio/pilot:latest, whose tag names no Istio release: set the chart's tag to a release (global.tag)",
            },
        );
    });

    it("reads `pilot-discovery version -s`", () => {
        assert.equal(parseVersionOutput("client version: 1.30.3\n"), "1.30.3");
        assert.equal(parseVersionOutput("1.29.1"), "1.29.1");
        assert.equal(parseVersionOutput("client version: unknown\n"), undefined);
        assert.equal(parseVersionOutput(""), undefined);
    });
});
