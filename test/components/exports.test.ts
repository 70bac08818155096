/**
 * The package's public API (package.json `main`/`exports` → components/index.ts): what other Pulumi projects import.
 */
import { strict as assert } from "assert";
import * as api from "../../components";
import { stackFileConfig, TEST_KUBECONFIG } from "../helpers/configs";
import { RecordingMocks, runProgram } from "../helpers/mocks";

const mocks = new RecordingMocks();

describe("public API", () => {
    for (const name of [
        "SharedRootCA",
        "MeshCluster",
        "EastWestGateway",
        "RemoteSecretLink",
        "IstioMesh",
        "Scenarios",
        "meshArgsFromModel",
        "parseMeshConfig",
        "validateLocalityLbSetting",
        "checkRemoteKubeconfig",
        "MeshConfigError",
    ]) {
        it(`exports ${name}`, () => assert.equal(typeof (api as Record<string, unknown>)[name], "function"));
    }
    it("registers the documented type tokens (what a consumer's stack shows and aliases against)", async () => {
        const saved = process.env.KUBECONFIG;
        process.env.KUBECONFIG = TEST_KUBECONFIG;
        try {
            await runProgram(mocks, stackFileConfig("dev"));
        } finally {
            if (saved === undefined) delete process.env.KUBECONFIG;
            else process.env.KUBECONFIG = saved;
        }
        const types = new Set(mocks.resources.map((r) => r.type));
        for (const c of ["SharedRootCA", "MeshCluster", "EastWestGateway", "RemoteSecretLink", "IstioMesh"])
            assert.ok(types.has(`istio-multicluster:index:${c}`), c);
    });
});
