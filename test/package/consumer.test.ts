/**
 * The packed package, as an outside Pulumi project sees it: `npm pack` (which runs `prepack`, the build), its
 * contents and declared dependencies, and a consumer made from Pulumi's stock TypeScript template
 * (`pulumi new typescript`: its tsconfig as written there — strict, no esModuleInterop, no skipLibCheck) set up
 * against the tarball's contents, whose program uses the components with typed args and the model's validation;
 * tsc must compile it unmodified (no esModuleInterop, no skipLibCheck: a public .d.ts that pulled in zod's types
 * fails with TS1259).
 *
 * Offline by construction: instead of `npm install` of the tarball (which would ask the registry for the peer and
 * regular dependencies), the tarball is extracted into the consumer's node_modules/@istio-multicluster/mesh and
 * every other package the consumer needs is a symlink into this repository's node_modules (the same versions a
 * consumer's install would resolve; the SDKs are peer dependencies, so there is one copy of each).
 */
import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.join(__dirname, "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
    name: string;
    peerDependencies: Record<string, string>;
    dependencies: Record<string, string>;
};

/** tsconfig.json exactly as `pulumi new typescript` writes it. */
const templateTsconfig = {
    compilerOptions: {
        strict: true,
        outDir: "bin",
        target: "es2020",
        module: "commonjs",
        moduleResolution: "node",
        sourceMap: true,
        experimentalDecorators: true,
        pretty: true,
        noFallthroughCasesInSwitch: true,
        noImplicitReturns: true,
        forceConsistentCasingInFileNames: true,
    },
    files: ["index.ts"],
};

/**
 * The consumer's program: the template's import of @pulumi/pulumi, then what a platform team writes — the whole
 * mesh as one IstioMesh, the pieces (SharedRootCA, MeshCluster, EastWestGateway, RemoteSecretLink) with typed args,
 * and the model's validation from the root and from the `/model` entry point.
 */
const consumerIndex = `import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_ISTIO_VERSION, EastWestGateway, IstioMesh, MeshCluster, MeshConfigError, RemoteSecretLink, SharedRootCA } from "${pkg.name}";
import type { IstioMeshArgs, MeshClusterIstioArgs, MeshConfigInput } from "${pkg.name}";
import { formatIssue, parseMeshConfig, validateLocalityLbSetting } from "${pkg.name}/model";
import type { LocalityLbSetting, MeshModel } from "${pkg.name}/model";

const config = new pulumi.Config();
const istio: MeshClusterIstioArgs = { version: config.get("istioVersion") ?? DEFAULT_ISTIO_VERSION };

const meshArgs: IstioMeshArgs = {
    meshID: "mesh1",
    istio,
    clusters: [
        { name: "east", network: "net-east", access: { context: "east" }, apiServerUrl: "https://10.0.0.1:6443", nodes: [{ name: "n1", region: "r1", zone: "z1" }] },
        {
            name: "west",
            network: "net-west",
            access: { kubeconfig: config.requireSecret("westKubeconfig"), context: config.get("westContext") },
            apiServerUrl: config.requireSecret("westApiServer"),
            eastWestGateway: { serviceType: "NodePort" },
        },
    ],
};
const mesh = new IstioMesh("mesh", meshArgs);

const ca = new SharedRootCA("edge-ca", { clusterNames: ["edge"], keyAlgorithm: "ECDSA" });
const edge = new MeshCluster("edge", { clusterName: "edge", network: "net-edge", meshID: "mesh1", caCerts: ca.caCerts["edge"], istio, access: { kubeconfig: config.requireSecret("edgeKubeconfig") } });
new EastWestGateway("edge-eastwest", { cluster: edge });
new RemoteSecretLink("edge-reads-east", { reader: edge, target: mesh.clusters["east"], apiServerUrl: "https://10.0.0.1:6443" });

const raw: MeshConfigInput = { meshID: "mesh1", clusters: [{ name: "east", network: "net-east", context: "east" }], ca: { rotationEpoch: 2 } };
export function validate(input: MeshConfigInput = raw): MeshModel | string[] {
    try {
        return parseMeshConfig(input);
    } catch (e) {
        if (e instanceof MeshConfigError) return e.issues.map(formatIssue);
        throw e;
    }
}
const lb: LocalityLbSetting = { enabled: true, failover: [{ from: "region1", to: "region2" }] };
export const lbErrors: string[] = validateLocalityLbSetting(lb).errors;
export const rootCert = mesh.rootCertPem;
export const project = config.name;
`;

/** `tsc --noEmit -p .` in `cwd`, with this repository's TypeScript. */
function tscIn(cwd: string) {
    const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
    return spawnSync(process.execPath, [tsc, "--noEmit", "-p", "."], { cwd, encoding: "utf8" });
}

describe("the packed package in a consumer from Pulumi's TypeScript template", function () {
    this.timeout(300000);
    let dir: string;
    let files: string[];

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-pack-"));
        const out = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: root, encoding: "utf8" });
        const tarball = path.join(dir, out.trim().split("\n").pop()!);
        files = execFileSync("tar", ["tzf", tarball], { encoding: "utf8" }).trim().split("\n");
        const consumer = path.join(dir, "consumer");
        const target = path.join(consumer, "node_modules", ...pkg.name.split("/"));
        fs.mkdirSync(target, { recursive: true });
        execFileSync("tar", ["xzf", tarball, "-C", target, "--strip-components=1"]);
        const ours = pkg.name.split("/")[0];
        for (const entry of fs.readdirSync(path.join(root, "node_modules"))) {
            if (entry === ours || entry === ".bin" || entry.startsWith(".")) continue;
            fs.symlinkSync(path.join(root, "node_modules", entry), path.join(consumer, "node_modules", entry));
        }
        fs.writeFileSync(path.join(consumer, "tsconfig.json"), JSON.stringify(templateTsconfig, null, 4));
        fs.writeFileSync(path.join(consumer, "index.ts"), consumerIndex);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("ships the built library, its README and LICENSE, and no sources or source maps", () => {
        for (const f of [
            "package/dist/components/index.js",
            "package/dist/components/index.d.ts",
            "package/LICENSE",
            "package/components/README.md",
        ]) {
            assert.ok(files.includes(f), `${f} missing from the tarball`);
        }
        assert.deepEqual(
            files.filter((f) => f.endsWith(".map") || (f.endsWith(".ts") && !f.endsWith(".d.ts"))),
            [],
        );
    });

    it("ships the base release's Helm post-renderer executable, where the built MeshCluster resolves it", () => {
        const target = path.join(dir, "consumer", "node_modules", ...pkg.name.split("/"));
        const file = path.join(target, "dist", "components", "helm", "ownCrdsPostRenderer.cjs");
        assert.ok(files.includes("package/dist/components/helm/ownCrdsPostRenderer.cjs"), "post-renderer missing from the tarball");
        assert.ok(fs.statSync(file).mode & 0o111, "the post-renderer is not executable");
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built module, as a consumer loads it
        const built = require(path.join(target, "dist", "components", "istioBase.js")) as { ownCrdsPostRenderer(cwd: string): string };
        const consumer = path.join(dir, "consumer");
        assert.equal(built.ownCrdsPostRenderer(consumer), ["", "node_modules", ...pkg.name.split("/"), "dist", "components", "helm", "ownCrdsPostRenderer.cjs"].join(path.sep).replace(/^/, "."));
        const r = spawnSync(path.join(consumer, built.ownCrdsPostRenderer(consumer)), {
            input: "kind: CustomResourceDefinition\nmetadata:\n  name: a\n  annotations:\n    helm.sh/resource-policy: keep\n",
            encoding: "utf8",
        });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, "kind: CustomResourceDefinition\nmetadata:\n  name: a\n");
    });

    it("compiles with tsc, unmodified", () => {
        const r = tscIn(path.join(dir, "consumer"));
        assert.equal(r.status, 0, `tsc failed in the consumer:\n${r.stdout}${r.stderr}`);
    });

    it("compiles examples/typescript-clusters as checked in (cluster endpoints and kubeconfigs as another stack's outputs)", () => {
        const src = path.join(root, "examples", "typescript-clusters");
        const example = path.join(dir, "example");
        fs.mkdirSync(example);
        for (const f of ["index.ts", "tsconfig.json", "package.json", "Pulumi.yaml"])
            fs.copyFileSync(path.join(src, f), path.join(example, f));
        assert.deepEqual(
            JSON.parse(fs.readFileSync(path.join(example, "tsconfig.json"), "utf8")),
            templateTsconfig,
            "the example's tsconfig is the template's",
        );
        const deps = (JSON.parse(fs.readFileSync(path.join(example, "package.json"), "utf8")) as { dependencies: Record<string, string> })
            .dependencies;
        assert.ok(deps[pkg.name], `the example depends on ${pkg.name}`);
        fs.symlinkSync(path.join(dir, "consumer", "node_modules"), path.join(example, "node_modules"));
        const r = tscIn(example);
        assert.equal(r.status, 0, `tsc failed in examples/typescript-clusters:\n${r.stdout}${r.stderr}`);
    });

    it("declares the Pulumi SDKs as peer dependencies with ranges, not as dependencies", () => {
        for (const sdk of ["@pulumi/pulumi", "@pulumi/kubernetes"]) {
            assert.match(pkg.peerDependencies[sdk] ?? "", /^\^/, sdk);
            assert.equal(pkg.dependencies[sdk], undefined, sdk);
        }
    });
});
