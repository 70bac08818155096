/**
 * How Pulumi runs the program: transpiled (tsconfig.program.json's noCheck, named by Pulumi.yaml), while the
 * project's own type check (`npm run typecheck`, tsconfig.json) still covers the program's files. Either half
 * alone would be wrong: type checks on every up cost 13 s (docs/scale.md); no check anywhere would let a type
 * error reach a user's `pulumi up`.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import * as ts from "typescript";

const ROOT = path.join(__dirname, "..", "..");
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");
/** compilerOptions exactly as Pulumi's Node.js runtime reads them (the file's own, `extends` not followed). */
const ownOptions = (f: string) =>
    (ts.parseConfigFileTextToJson(f, read(f)).config as { compilerOptions?: Record<string, unknown> }).compilerOptions ?? {};

describe("the program's tsconfig", () => {
    it("Pulumi.yaml runs the program with tsconfig.program.json, which sets noCheck itself", () => {
        const project = YAML.parse(read("Pulumi.yaml")) as { runtime: { options: Record<string, unknown> } };
        assert.equal(project.runtime.options.tsconfig, "tsconfig.program.json");
        assert.equal(ownOptions("tsconfig.program.json").noCheck, true);
    });

    it("the type check npm test runs covers the program's entry point and everything it loads", () => {
        assert.equal(ownOptions("tsconfig.json").noCheck, undefined);
        const include = (JSON.parse(read("tsconfig.json")) as { include: string[] }).include;
        for (const glob of ["index.ts", "program/**/*.ts", "components/**/*.ts"])
            assert.ok(include.includes(glob), `tsconfig.json includes ${glob}`);
        assert.match((JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts.test, /npm run typecheck/);
    });

    it("tsconfig.program.json is the project's tsconfig.json plus noCheck, nothing else", () => {
        const cfg = ts.parseConfigFileTextToJson("tsconfig.program.json", read("tsconfig.program.json")).config as Record<string, unknown>;
        assert.equal(cfg.extends, "./tsconfig.json");
        assert.deepEqual(cfg.compilerOptions, { noCheck: true });
    });
});
