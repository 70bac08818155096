/**
 * Which file Pulumi's Node.js runtime runs as the program of a project directory: the CLI's rule
 * (pkg/engine/project.go getPwdMain: Pulumi.yaml `main` names a file → run it from its directory; a directory
 * → run "." there; absent → "." in the project root) followed by @pulumi/pulumi's cmd/run (an entry other
 * than "." is run as given; for "." it takes package.json `exports["."]` (string, or default/require/import),
 * else `main`, when that file exists, else the directory itself, i.e. its index file).
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

/** The package.json fields the rule reads (`exports`: a path, or a map of subpaths or conditions). */
interface PackageJson {
    main?: string;
    exports?: unknown;
}

/** The file an `exports` entry given per condition names. */
const conditionalEntry = (entry: Record<string, unknown>) => (entry.default ?? entry.require ?? entry.import) as string | undefined;

/** The program file Pulumi would load for the project in `projectDir`. */
export function resolvePulumiProgramEntry(projectDir: string): string {
    const project = YAML.parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { main?: string };
    let pwd = projectDir;
    let entry = ".";
    if (project.main) {
        const main = path.resolve(projectDir, project.main);
        if (fs.statSync(main).isDirectory()) pwd = main;
        else [pwd, entry] = [path.dirname(main), path.basename(main)];
    }
    if (entry !== ".") return path.join(pwd, entry);
    const pkgFile = path.join(pwd, "package.json");
    const pkg = fs.existsSync(pkgFile) ? (JSON.parse(fs.readFileSync(pkgFile, "utf8")) as PackageJson) : {};
    const dot = typeof pkg.exports === "object" ? (pkg.exports as Record<string, unknown>)["."] : undefined;
    const declared =
        typeof pkg.exports === "string"
            ? pkg.exports
            : typeof dot === "string"
              ? dot
              : typeof dot === "object"
                ? conditionalEntry(dot as Record<string, unknown>)
                : pkg.exports === undefined
                  ? pkg.main
                  : undefined;
    if (declared && fs.existsSync(path.join(pwd, declared))) return path.join(pwd, declared);
    for (const index of ["index.ts", "index.js"]) {
        if (fs.existsSync(path.join(pwd, index))) return path.join(pwd, index);
    }
    return pwd;
}
