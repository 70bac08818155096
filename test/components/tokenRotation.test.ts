/**
 * Reader-token rotation with the previous epoch kept (keepPreviousToken, the default): which token Secrets each
 * link declares at epochs 1, 2 and 3, which one the remote secret's kubeconfig uses, and that the kept slot is
 * declared exactly as it was when current (so the engine leaves it, and its token, alone). Grace off: as before.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { IstioMesh, RemoteSecretLink } from "../../components";
import { clustersConfig } from "../helpers/configs";
import { testCluster } from "../helpers/meshCluster";
import { RecordingMocks, runProgram, setMocks, settle } from "../helpers/mocks";

const mocks = new RecordingMocks();
const LINK = "mesh-cluster1-reads-cluster2";

/** What one evaluation declared for the link cluster1 -> cluster2, and what its remote secret uses. */
interface Declared {
    /** Token Secret resources of the link by logical name → their inputs. */
    tokens: Record<string, any>;
    /** RandomIds naming cluster2's token Secrets by logical name → their inputs. */
    suffixes: Record<string, any>;
    /** The token in the remote secret's kubeconfig (the mocks fill a token Secret with `token-of-<logical name>`). */
    remoteToken: string;
    tokenSecretCount: number;
}

async function declaredAt(config: Record<string, unknown>): Promise<Declared> {
    await runProgram(mocks, { ...clustersConfig(2), ...config });
    const tokenSecrets = mocks.ofType("kubernetes:core/v1:Secret").filter((r) => r.inputs.type === "kubernetes.io/service-account-token");
    const remote = mocks.named(`${LINK}-remote-secret`);
    const kubeconfig = YAML.parse(Buffer.from(remote.inputs.data.cluster2, "base64").toString("utf8"));
    return {
        tokens: Object.fromEntries(tokenSecrets.filter((r) => r.name.startsWith(`${LINK}-`)).map((r) => [r.name, r.inputs])),
        suffixes: Object.fromEntries(
            mocks
                .ofType("random:index/randomId:RandomId")
                .filter((r) => r.name.startsWith("mesh-cluster2-"))
                .map((r) => [r.name, r.inputs]),
        ),
        remoteToken: kubeconfig.users[0].user.token,
        tokenSecretCount: tokenSecrets.length,
    };
}

describe("reader-token rotation keeps the previous epoch's token (mocks)", function () {
    this.timeout(60_000);
    const at: Record<number, Declared> = {};
    before(async () => {
        for (const epoch of [1, 2, 3]) at[epoch] = await declaredAt({ tokenRotationEpoch: String(epoch) });
    });

    it("epoch 1 (the default): one token Secret per link under the names it always had, used by the remote secret", async () => {
        assert.deepEqual(Object.keys(at[1].tokens), [`${LINK}-token`]);
        assert.deepEqual(Object.keys(at[1].suffixes), ["mesh-cluster2-token-suffix"]);
        assert.deepEqual(at[1].suffixes["mesh-cluster2-token-suffix"].keepers, { epoch: "1" });
        assert.equal(at[1].remoteToken, `token-of-${LINK}-token`);
        assert.equal(at[1].tokenSecretCount, 2);
        assert.deepEqual(await declaredAt({}), at[1], "no tokenRotationEpoch set is epoch 1");
    });

    it("epoch 2: a new token in the even slot, used by the remote secret; epoch 1's Secret declared exactly as before", () => {
        assert.deepEqual(Object.keys(at[2].tokens).sort(), [`${LINK}-token`, `${LINK}-token-even`]);
        assert.equal(at[2].remoteToken, `token-of-${LINK}-token-even`);
        assert.deepEqual(at[2].tokens[`${LINK}-token`], at[1].tokens[`${LINK}-token`], "epoch 1's token Secret is untouched");
        assert.deepEqual(at[2].suffixes["mesh-cluster2-token-suffix"], at[1].suffixes["mesh-cluster2-token-suffix"]);
        assert.deepEqual(at[2].suffixes["mesh-cluster2-token-suffix-even"].keepers, { epoch: "2" });
        const names = Object.values(at[2].tokens).map((t) => t.metadata.name);
        assert.equal(new Set(names).size, 2, `two distinct Secrets in cluster2: ${names.join(", ")}`);
        for (const n of names) assert.match(n, /^istio-reader-service-account-cluster1-[0-9a-f]{6}$/);
        assert.equal(at[2].tokenSecretCount, 4, "two slots for each of the two links");
    });

    it("epoch 3: the odd slot is re-issued (epoch 1's token revoked), epoch 2's kept, the remote secret back on the odd slot", () => {
        assert.deepEqual(Object.keys(at[3].tokens).sort(), [`${LINK}-token`, `${LINK}-token-even`]);
        assert.equal(at[3].remoteToken, `token-of-${LINK}-token`);
        assert.deepEqual(at[3].tokens[`${LINK}-token-even`], at[2].tokens[`${LINK}-token-even`], "epoch 2's token Secret is untouched");
        assert.deepEqual(at[3].suffixes["mesh-cluster2-token-suffix"].keepers, { epoch: "3" });
        assert.notEqual(
            at[3].tokens[`${LINK}-token`].metadata.name,
            at[1].tokens[`${LINK}-token`].metadata.name,
            "a new Secret name: the engine replaces epoch 1's Secret, and its token dies with it",
        );
    });

    it("an interrupted rotation converges: the next up declares the same set (what is missing is created, nothing else moves)", async () => {
        assert.deepEqual(await declaredAt({ tokenRotationEpoch: 2 }), at[2], "epoch 2 again (as a number, as stack config hands it over)");
    });

    it("keepPreviousToken: false rotates as before: one token Secret per link, any epoch string", async () => {
        const off = await declaredAt({ tokenRotationEpoch: "2", keepPreviousToken: false });
        assert.deepEqual(Object.keys(off.tokens), [`${LINK}-token`]);
        assert.deepEqual(Object.keys(off.suffixes), ["mesh-cluster2-token-suffix"]);
        assert.deepEqual(off.suffixes["mesh-cluster2-token-suffix"].keepers, { epoch: "2" });
        assert.equal(off.remoteToken, `token-of-${LINK}-token`);
        const named = await declaredAt({ tokenRotationEpoch: "2026-q1", keepPreviousToken: false });
        assert.deepEqual(named.suffixes["mesh-cluster2-token-suffix"].keepers, { epoch: "2026-q1" });
    });

    it("refuses an epoch that is not a whole number while keepPreviousToken is on, naming the key and both fixes, with nothing registered", async () => {
        await assert.rejects(
            runProgram(mocks, { ...clustersConfig(2), tokenRotationEpoch: "2026-q1" }),
            (e: Error) => /tokenRotationEpoch/.test(e.message) && /"2"/.test(e.message) && /keepPreviousToken: false/.test(e.message),
        );
        assert.equal(mocks.resources.length, 0);
    });
});

describe("RemoteSecretLink token slots (mocks)", () => {
    before(async () => {
        await setMocks(mocks, "slots");
    });
    beforeEach(() => mocks.reset());

    it("generates its own suffix per slot and exposes the kept Secret as previousTokenSecret", async () => {
        const a = testCluster("a1");
        const b = testCluster("b1");
        const link = new RemoteSecretLink("l", { reader: a, target: b, apiServerUrl: "https://192.0.2.2:6443", rotationEpoch: "4" });
        assert.ok(link.previousTokenSecret, "epoch 3's Secret is kept");
        await settle(mocks);
        const ids = mocks.ofType("random:index/randomId:RandomId").filter((r) => r.name.startsWith("l-"));
        assert.deepEqual(Object.fromEntries(ids.map((r) => [r.name, r.inputs.keepers.epoch])), {
            "l-token-suffix-even": "4",
            "l-token-suffix": "3",
        });
        const remote = mocks.named("l-remote-secret");
        const kc = YAML.parse(Buffer.from(remote.inputs.data.b1, "base64").toString("utf8"));
        assert.equal(kc.users[0].user.token, "token-of-l-token-even");
    });

    it("IstioMesh refuses a non-numeric or Output tokenRotationEpoch with keepPreviousToken, and takes either without it", () => {
        const args = (extra: object) => ({
            meshID: "m",
            clusters: [
                { name: "a3", network: "n", apiServerUrl: "https://192.0.2.3:6443", access: { kubeconfig: "/nonexistent", context: "a3" } },
            ],
            istio: { version: "1.30.3" },
            ...extra,
        });
        assert.throws(() => new IstioMesh("m1", args({ tokenRotationEpoch: "v2" })), /IstioMesh: args.tokenRotationEpoch "v2" is not a whole number/);
        assert.throws(
            () => new IstioMesh("m2", args({ tokenRotationEpoch: pulumi.output("2") })),
            /IstioMesh: args.tokenRotationEpoch must be a plain string/,
        );
        const off = new IstioMesh("m3", args({ tokenRotationEpoch: pulumi.output("v2"), keepPreviousToken: false }));
        assert.deepEqual(off.clusterNames, ["a3"]);
    });

    it("refuses an Output epoch with keepPreviousToken (the slot needs the value), and takes one without", () => {
        const a = testCluster("a2");
        const b = testCluster("b2");
        assert.throws(
            () =>
                new RemoteSecretLink("o", {
                    reader: a,
                    target: b,
                    apiServerUrl: "https://192.0.2.2:6443",
                    rotationEpoch: pulumi.output("2"),
                }),
            /args\.rotationEpoch must be a plain string with keepPreviousToken.*keepPreviousToken: false/,
        );
        const off = new RemoteSecretLink("p", {
            reader: a,
            target: b,
            apiServerUrl: "https://192.0.2.2:6443",
            rotationEpoch: pulumi.output("2"),
            keepPreviousToken: false,
        });
        assert.equal(off.previousTokenSecret, undefined);
    });
});
