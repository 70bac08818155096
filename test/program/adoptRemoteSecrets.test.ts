/**
 * Remote secrets istioctl already wrote (`istio-remote-secret-<target>`): by default the program manages its
 * own and the provider refuses fields another manager owns; `adoptExistingRemoteSecrets: true` marks every
 * remote secret `pulumi.com/patchForce` so Pulumi takes them over.
 */
import { strict as assert } from "assert";
import { PATCH_FORCE_ANNOTATION } from "../../components/remoteSecretLink";
import { MeshConfigError, parseMeshConfig } from "../../components/model";
import { clustersConfig } from "../helpers/configs";
import { RecordingMocks, runProgram } from "../helpers/mocks";

const mocks = new RecordingMocks();

/** patchForce of every istio-remote-secret-* Secret the program registered, by Secret name. */
function patchForce(): Record<string, string | undefined> {
    const out: Record<string, string | undefined> = {};
    for (const s of mocks.ofType("kubernetes:core/v1:Secret")) {
        const md = s.inputs.metadata;
        if (String(md?.name).startsWith("istio-remote-secret-")) out[`${s.name}`] = md.annotations?.[PATCH_FORCE_ANNOTATION];
    }
    return out;
}

describe("adopting istioctl's remote secrets", () => {
    it("leaves remote secrets unforced by default", async () => {
        await runProgram(mocks, clustersConfig(2));
        const got = patchForce();
        assert.equal(Object.keys(got).length, 2);
        assert.ok(
            Object.values(got).every((v) => v === undefined),
            JSON.stringify(got),
        );
    });

    it("forces every remote secret with adoptExistingRemoteSecrets: true", async () => {
        await runProgram(mocks, { ...clustersConfig(3), adoptExistingRemoteSecrets: true });
        const got = patchForce();
        assert.equal(Object.keys(got).length, 6);
        assert.ok(
            Object.values(got).every((v) => v === "true"),
            JSON.stringify(got),
        );
    });

    it("refuses a non-boolean, naming the key", () => {
        assert.throws(
            () => parseMeshConfig({ ...clustersConfig(2), adoptExistingRemoteSecrets: "yes" }),
            (e: unknown) =>
                e instanceof MeshConfigError &&
                e.issues.some((i) => i.path === "adoptExistingRemoteSecrets" && /true or false/.test(i.message)),
        );
    });
});
