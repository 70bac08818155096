/**
 * The package's public API as a consumer sees it: what package.json's `exports` entry points (`.` and `./model`)
 * let a program call, exactly — the components, `meshArgsFromModel`, the model's validation functions and error
 * type, and the enum-like value objects the args take — and nothing internal (schemas, naming rules, Helm values,
 * scenario constants and components, token read-back). Types are not run-time values; the consumer compile in
 * test/package/consumer.test.ts and the type imports below cover them.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import type {
    ClusterAccess,
    EastWestGatewayArgs,
    IstioMeshArgs,
    IstioMeshClusterArgs,
    MeshClusterArgs,
    MeshConfigInput,
    ReaderRemoteSecretsArgs,
    RemoteSecretLinkArgs,
    ScenarioSettingsInput,
    ScenariosArgs,
    SharedRootCAArgs,
} from "../../components";
import { stackFileConfig, TEST_KUBECONFIG } from "../helpers/configs";
import { RecordingMocks, runProgram } from "../helpers/mocks";

const mocks = new RecordingMocks();
const root = path.join(__dirname, "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { exports: Record<string, { default: string }> };

/** The values the model entry point (`./model`) exports. */
const MODEL_API = [
    "BaseInstall",
    "ChartSourceKind",
    "DEFAULT_ISTIO_VERSION",
    "EcdsaCurve",
    "GatewayServiceType",
    "KeyAlgorithm",
    "MeshConfigError",
    "OFFICIAL_CHART_REPO",
    "RemoteSecretLayout",
    "checkRemoteKubeconfig",
    "formatIssue",
    "parseMeshConfig",
    "resolveScenarios",
    "validateLocalityLbSetting",
];
/** The values the root entry point (`.`) exports: the components, meshArgsFromModel, and the model's. */
const ROOT_API = [
    "EastWestGateway",
    "IstioMesh",
    "MeshCluster",
    "ReaderRemoteSecrets",
    "RemoteSecretLink",
    "Scenarios",
    "SharedRootCA",
    "meshArgsFromModel",
    ...MODEL_API,
];

/** The module behind an `exports` entry, loaded from source (`./dist/components/x.js` → components/x.ts). */
function entryPoint(key: string): Record<string, unknown> {
    const built = pkg.exports[key].default;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(root, built.replace(/^\.\/dist\//, "").replace(/\.js$/, ""))) as Record<string, unknown>;
}

/** Compile-time: the args types a consumer writes are exported (this file does not compile otherwise). */
export type ConsumerTypes = [
    ClusterAccess,
    EastWestGatewayArgs,
    IstioMeshArgs,
    IstioMeshClusterArgs,
    MeshClusterArgs,
    MeshConfigInput,
    ReaderRemoteSecretsArgs,
    RemoteSecretLinkArgs,
    ScenarioSettingsInput,
    ScenariosArgs,
    SharedRootCAArgs,
];

describe("public API", () => {
    for (const [key, expected] of [
        [".", ROOT_API],
        ["./model", MODEL_API],
    ] as const) {
        it(`"${key}" exports exactly the public values, nothing internal`, () => {
            assert.deepEqual(Object.keys(entryPoint(key)).sort(), [...expected].sort());
        });
    }
    it("exports the components and validation as callables, and the args enums as value objects", () => {
        const api = entryPoint(".");
        for (const name of ROOT_API.filter(
            (n) =>
                !/^[A-Z_]+$/.test(n) &&
                !["BaseInstall", "ChartSourceKind", "EcdsaCurve", "GatewayServiceType", "KeyAlgorithm", "RemoteSecretLayout"].includes(n),
        ))
            assert.equal(typeof api[name], "function", name);
        assert.deepEqual(api.GatewayServiceType, { LoadBalancer: "LoadBalancer", NodePort: "NodePort", ClusterIP: "ClusterIP" });
        assert.deepEqual(api.RemoteSecretLayout, { PerLink: "perLink", PerReader: "perReader" });
        assert.equal(typeof api.DEFAULT_ISTIO_VERSION, "string");
    });
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
