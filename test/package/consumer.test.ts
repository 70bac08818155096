/**
 * The packed package, as an outside Pulumi project sees it: `npm pack` (which runs `prepack`, the build), its
 * contents and declared dependencies, and a consumer made from Pulumi's stock TypeScript template
 * (`pulumi new typescript`: its tsconfig as written there — strict, no esModuleInterop, no skipLibCheck) set up
 * against the tarball's contents. Compiling that consumer with tsc still fails (zod's locale .d.ts, TS1259, pulled
 * in by the public model .d.ts), so that assertion is not here yet.
 *
 * Offline by construction: instead of `npm install` of the tarball (which would ask the registry for the peer and
 * regular dependencies), the tarball is extracted into the consumer's node_modules/@istio-multicluster/mesh and
 * every other package the consumer needs is a symlink into this repository's node_modules (the same versions a
 * consumer's install would resolve; the SDKs are peer dependencies, so there is one copy of each).
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
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

/** The consumer's program: the template's import of @pulumi/pulumi, and the components with their args types. */
const consumerIndex = `import * as pulumi from "@pulumi/pulumi";
import { EastWestGateway, IstioMesh, MeshCluster, RemoteSecretLink, SharedRootCA } from "${pkg.name}";
import type { IstioMeshArgs } from "${pkg.name}";

const config = new pulumi.Config();
export const componentNames = [IstioMesh, SharedRootCA, MeshCluster, EastWestGateway, RemoteSecretLink].map((c) => c.name);
export const meshArgs: Partial<IstioMeshArgs> = {};
export const project = config.name;
`;

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
        for (const f of ["package/dist/components/index.js", "package/dist/components/index.d.ts", "package/LICENSE", "package/components/README.md"]) {
            assert.ok(files.includes(f), `${f} missing from the tarball`);
        }
        assert.deepEqual(files.filter((f) => f.endsWith(".map") || (f.endsWith(".ts") && !f.endsWith(".d.ts"))), []);
    });

    it("declares the Pulumi SDKs as peer dependencies with ranges, not as dependencies", () => {
        for (const sdk of ["@pulumi/pulumi", "@pulumi/kubernetes"]) {
            assert.match(pkg.peerDependencies[sdk] ?? "", /^\^/, sdk);
            assert.equal(pkg.dependencies[sdk], undefined, sdk);
        }
    });
});
