/**
 * The package's public API (package.json `main`/`exports` → components/index.ts): what other Pulumi projects import.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as api from "../../components";

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
    it("uses the documented type tokens", () => {
        const files: Record<string, string> = {
            SharedRootCA: "sharedRootCA.ts",
            MeshCluster: "meshCluster.ts",
            EastWestGateway: "eastWestGateway.ts",
            RemoteSecretLink: "remoteSecretLink.ts",
            IstioMesh: "mesh.ts",
        };
        for (const [c, file] of Object.entries(files)) {
            const src = fs.readFileSync(path.join(__dirname, "..", "..", "components", file), "utf8");
            assert.match(src, new RegExp(`"istio-multicluster:index:${c}"`), c);
        }
    });
});
