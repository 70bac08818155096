/**
 * The generated root CA is protected by default, so a destroy or a change that would replace it (algorithm,
 * key size, subject) fails in Pulumi instead of discarding the key every workload certificate chains to;
 * `protectRoot: false` or `allowRootReplacement: true` lift it. Intermediates stay rotatable.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { SharedRootCA } from "../../components";
import { MeshConfigError, parseMeshConfig } from "../../components/model";
import { clustersConfig } from "../helpers/configs";
import { RecordingMocks, setMocks, settle } from "../helpers/mocks";

const mocks = new RecordingMocks();
const protectedOf = (r: pulumi.Resource) => (r as unknown as { __protect?: boolean }).__protect === true;

/** Every child of `ca` as `name=protected`, sorted (the root's key and certificate share one name). */
function protection(ca: SharedRootCA): string[] {
    const children = [...((ca as unknown as { __childResources?: Set<pulumi.Resource> }).__childResources ?? [])];
    return children.map((r) => `${(r as unknown as { __name: string }).__name}=${protectedOf(r)}`).sort();
}

describe("root CA protection", () => {
    before(async () => {
        await setMocks(mocks, "rootprotect");
    });
    beforeEach(() => mocks.reset());

    it("protects the generated root key and certificate by default, not the intermediates", async () => {
        const ca = new SharedRootCA("p", { clusterNames: ["a"] });
        await settle(mocks);
        // Root: key + self-signed cert. Intermediate a: key + CSR + signed cert.
        assert.deepEqual(protection(ca), ["p-a=false", "p-a=false", "p-a=false", "p-root=true", "p-root=true"]);
    });

    it("protects the root as well without the identity guard (identityGuard: false registers no guard)", async () => {
        const ca = new SharedRootCA("off", { clusterNames: ["a"], identityGuard: false });
        await settle(mocks);
        assert.equal(mocks.ofType("pulumi-nodejs:dynamic/istio-multicluster:RootCAIdentityGuard").length, 0);
        assert.deepEqual(protection(ca), ["off-a=false", "off-a=false", "off-a=false", "off-root=true", "off-root=true"]);
    });

    for (const [what, args] of [
        ["protectRoot: false", { protectRoot: false }],
        ["allowRootReplacement: true", { allowRootReplacement: true }],
    ] as const) {
        it(`leaves it unprotected with ${what}`, async () => {
            const ca = new SharedRootCA(`u${what.length}`, { clusterNames: ["a"], ...args });
            await settle(mocks);
            assert.equal(protection(ca).length, 5);
            assert.ok(
                protection(ca).every((p) => p.endsWith("=false")),
                protection(ca).join(", "),
            );
        });
    }

    it("config layer: protectRoot defaults to true, allowRootReplacement to false; both must be booleans", () => {
        const m = parseMeshConfig(clustersConfig(2));
        assert.deepEqual([m.ca.protectRoot, m.ca.allowRootReplacement], [true, false]);
        assert.throws(
            () => parseMeshConfig({ ...clustersConfig(2), ca: { allowRootReplacement: "yes" } }),
            (e: unknown) =>
                e instanceof MeshConfigError &&
                e.issues.some((i) => i.path === "ca.allowRootReplacement" && /true or false/.test(i.message)),
        );
    });
});
