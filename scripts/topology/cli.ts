/**
 * `npm run topology -- [--stack dev | -s dev] [--out FILE]`: draws the mesh of a stack file (Pulumi.<stack>.yaml)
 * as an SVG from the validated model alone: no clusters, no Pulumi CLI or engine. Writes
 * docs/img/topology-<stack>.svg unless --out names another file. See docs/topology.md.
 *
 * Exit codes: 0 written; 2 the stack file is missing or its config is invalid (every bad key is listed).
 */
import * as fs from "fs";
import * as path from "path";
import { optionValue } from "../mesh-check";
import { meshDot } from "./dot";
import { renderSvg } from "./render";
import { PROJECT_DIR, stackFileModel } from "./stackModel";

/** What `--help` prints. */
export const USAGE = [
    "usage: npm run topology -- [--stack NAME | -s NAME] [--out FILE]",
    "  draws the mesh of Pulumi.<NAME>.yaml (default: $PULUMI_STACK, else dev) as an SVG, from the stack file alone",
    "  --out FILE  where to write it (default: docs/img/topology-<NAME>.svg); see docs/topology.md",
].join("\n");

/** The default output file of a stack's picture. */
export function defaultOutFile(stack: string): string {
    return path.join(PROJECT_DIR, "docs", "img", `topology-${stack}.svg`);
}

/** The SVG of stack `stack`'s mesh (what the CLI writes), and Graphviz's warnings. */
export async function stackSvg(stack: string, dir = PROJECT_DIR): Promise<{ svg: string; warnings: string[] }> {
    return renderSvg(meshDot(stackFileModel(stack, dir), { stack }));
}

/**
 * The CLI on `argv` (the arguments after `npm run topology --`): writes the picture and returns the exit code;
 * `log` gets the line naming the file written.
 */
export async function runTopology(argv: string[], log: (line: string) => void = console.log): Promise<number> {
    if (argv.includes("--help") || argv.includes("-h")) {
        log(USAGE);
        return 0;
    }
    const unknown = argv.filter((a) => a.startsWith("-") && !/^(--stack|-s|--out)(=|$)/.test(a));
    if (unknown.length) throw new Error(`unknown option ${unknown.join(", ")}: use --stack NAME (or -s NAME) and --out FILE`);
    const stack = optionValue("stack", argv) ?? process.env.PULUMI_STACK ?? "dev";
    const out = path.resolve(optionValue("out", argv) ?? defaultOutFile(stack));
    const { svg, warnings } = await stackSvg(stack);
    for (const w of warnings) console.error(`topology: Graphviz: ${w}`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, svg);
    const shown = path.relative(process.cwd(), out);
    log(`topology: wrote ${shown && !shown.startsWith("..") ? shown : out} (stack ${stack})`);
    return 0;
}

if (require.main === module) {
    runTopology(process.argv.slice(2)).then(
        (code) => (process.exitCode = code),
        (e: unknown) => {
            console.error(`topology: ${(e as Error).message}`);
            process.exitCode = 2;
        },
    );
}
