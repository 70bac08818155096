/**
 * One benchmark run in a fresh process: `mesh N` evaluates the program for N clusters under mocks;
 * `beyond N` builds the same mesh for an N beyond the supported ceiling through IstioMesh (bench/beyondCeiling.ts);
 * `floor K` registers K trivial resources under the same mocks (the SDK's own cost). Prints one JSON line.
 */
import * as random from "@pulumi/random";
import * as pulumi from "@pulumi/pulumi";
import { clustersConfig } from "../test/helpers/configs";
import { modelBeyondCeiling } from "./beyondCeiling";
import { RecordingMocks, setMocks, setStackConfig, settle } from "../test/helpers/mocks";

async function run(): Promise<void> {
    const [mode, arg] = process.argv.slice(2);
    const n = Number(arg);
    const mocks = new RecordingMocks();
    mocks.keepInputs = false;
    let lastAt = 0;
    const record = mocks.newResource.bind(mocks);
    mocks.newResource = (a) => {
        lastAt = performance.now();
        return record(a);
    };
    await setMocks(mocks, "bench");
    const { main } = await import("../program/main");
    warmModules();
    const start = performance.now();
    let refused: string | undefined;
    if (mode === "mesh") {
        // BENCH_TOKEN_EPOCH=2: a rotated mesh, every link with its kept previous-epoch token Secret (docs/rotation.md).
        const epoch = process.env.BENCH_TOKEN_EPOCH;
        setStackConfig({ ...clustersConfig(n), ...(epoch ? { tokenRotationEpoch: epoch } : {}) });
        try {
            main();
        } catch (e) {
            // Beyond the supported ceiling the config layer refuses; the row shows that nothing registered.
            // program/main.ts turns the config layer's MeshConfigError into a RunError listing "- <path>: …".
            if (!pulumi.RunError.isInstance(e)) throw e;
            refused = [...e.message.matchAll(/^\s+- ([^:]+):/gm)].map((m) => m[1]).join(", ");
            lastAt = performance.now();
        }
    } else if (mode === "beyond") {
        // Beyond the ceiling: the same mesh through IstioMesh, which has no ceiling (what a higher one would cost).
        const { IstioMesh, meshArgsFromModel } = await import("../components");
        new IstioMesh("mesh", meshArgsFromModel(modelBeyondCeiling(n)));
    } else {
        for (let i = 0; i < n; i++) new random.RandomId(`r${i}`, { byteLength: 4 });
    }
    await settle(mocks, 300);
    const rss = process.resourceUsage().maxRSS * 1024;
    console.log(
        JSON.stringify({ mode, n, resources: mocks.resources.length, seconds: (lastAt - start) / 1000, peakRssBytes: rss, refused }),
    );
}

/** Loads the SDK modules both modes touch, so the timer measures evaluation, not `require`. */
function warmModules(): void {
    const k8s = require("@pulumi/kubernetes") as typeof import("@pulumi/kubernetes");
    const tls = require("@pulumi/tls") as typeof import("@pulumi/tls");
    void [
        k8s.Provider,
        k8s.core.v1.Secret,
        k8s.core.v1.Namespace,
        k8s.core.v1.NodePatch,
        k8s.helm.v4.Chart,
        k8s.apiextensions.CustomResource,
    ];
    void [tls.PrivateKey, tls.SelfSignedCert, tls.CertRequest, tls.LocallySignedCert, random.RandomId];
}

run().catch((e) => {
    console.error(e);
    process.exit(1);
});
