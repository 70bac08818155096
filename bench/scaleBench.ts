/**
 * `npm run bench:scale [-- --clusters 3,5,7,9,12] [--skip-baseline] [--json FILE] [--set KEY=VALUE …] [--parallel P]`: how the real engine's cost grows with
 * the fleet, on N local control planes (scripts/local/up.sh --clusters N, at most the model's ceiling), the mesh without scenarios.
 *
 * Per N, with the Pulumi CLI on a throw-away file backend: fresh `up`; no-op `preview` (--expect-no-changes);
 * removing cluster N (an `up` of N−1 clusters); adding it back (N−1 → N); `destroy`. Per step: wall time,
 * resources in the state, the checkpoint's size, the bytes the CLI wrote (its checkpoints), and the peak RSS of the
 * CLI, the largest provider plugin process, the Node.js program and the whole process tree (sampled from /proc, bench/processPeak.ts).
 * Then seed 000's serial procedure generalised to N clusters (bench/serialProcedure.ts: N·(N−1) remote secrets) on
 * the same clusters, and a cleanup back to their snapshot. Figures are printed (and written as JSON), never asserted.
 * `--set` changes the stack's config (e.g. `--set istio.baseInstall=release`) and `--parallel P` passes the CLI's
 * `--parallel` to every step, to measure one lever alone; the caller's environment (PULUMI_*) reaches the CLI too.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { clients, Clients, KUBECONFIG, localUp, pulumiEnv, REPO, toolchainEnv } from "../test/e2e/harness";
import { runSampled, SampledRun } from "./processPeak";
import { assertMeshless, checkSnapshot, Report, runSerialProcedure, secs, snapshots } from "./serialProcedure";
import { ConfigSet, parseConfigSet, stackConfig } from "./scaleStack";
import { MAX_MESH_CLUSTERS } from "../components/model";

const STACK = "scale";
const STACK_FILE = path.join(REPO, `Pulumi.${STACK}.yaml`);
const log = (s: string) => process.stderr.write(`[bench:scale] ${s}\n`);

/** Command-line options. */
function options(argv: string[]): { sizes: number[]; baseline: boolean; json?: string; sets: ConfigSet[]; parallel?: number } {
    const at = (flag: string) => {
        const i = argv.indexOf(flag);
        return i >= 0 ? argv[i + 1] : undefined;
    };
    const sizes = (at("--clusters") ?? "3,5,7,9,12").split(",").map(Number);
    for (const n of sizes)
        if (!Number.isInteger(n) || n < 2 || n > MAX_MESH_CLUSTERS)
            throw new Error(
                `--clusters: ${n} is not a whole number from 2 to ${MAX_MESH_CLUSTERS} (the model's ceiling, components/model/config/limits.ts)`,
            );
    const sets = argv.flatMap((a, i) => (a === "--set" ? [parseConfigSet(argv[i + 1] ?? "")] : []));
    const parallel = at("--parallel") === undefined ? undefined : Number(at("--parallel"));
    if (parallel !== undefined && !(Number.isInteger(parallel) && parallel >= 1))
        throw new Error(`--parallel: ${at("--parallel")} is not a whole number ≥ 1`);
    return {
        sizes: [...new Set(sizes)].sort((a, b) => a - b),
        baseline: !argv.includes("--skip-baseline"),
        json: at("--json"),
        sets,
        parallel,
    };
}

/** Writes the stack file for n clusters, keeping what the CLI added to it (the passphrase's `encryptionsalt`). */
function writeStackFile(n: number, sets: ConfigSet[]): void {
    const doc = fs.existsSync(STACK_FILE)
        ? ((YAML.parse(fs.readFileSync(STACK_FILE, "utf8")) as Record<string, unknown> | null) ?? {})
        : {};
    fs.writeFileSync(STACK_FILE, YAML.stringify({ ...doc, config: stackConfig(n, sets).config }));
}

/** One measured step. */
interface Step {
    step: string;
    ok: boolean;
    ms: number;
    resources: number;
    stateMB: number;
    writtenMiB: number;
    /** Peak RSS, MiB: the CLI, the largest provider plugin process (one per provider), the Node.js program, the tree. */
    rss: { cli: number; plugin: number; program: number; tree: number };
    note: string;
}

/** Everything measured at one N. */
interface SizeResult {
    n: number;
    steps: Step[];
    serialMs?: number;
    serialOk?: boolean;
    problems: string[];
}

/** The stack's checkpoint file in the file backend. */
function checkpoint(backend: string): string | undefined {
    const found: string[] = [];
    const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.name === `${STACK}.json`) found.push(p);
        }
    };
    if (fs.existsSync(path.join(backend, ".pulumi"))) walk(path.join(backend, ".pulumi"));
    return found[0];
}

async function measure(label: string, envVars: Record<string, string>, backend: string, args: string[]): Promise<Step> {
    log(`${label}: pulumi ${args.join(" ")}`);
    const r: SampledRun = await runSampled("pulumi", [...args, "-s", STACK, "--non-interactive"], { env: envVars, cwd: REPO });
    const file = checkpoint(backend);
    const state = file ? (JSON.parse(fs.readFileSync(file, "utf8")) as { checkpoint?: { latest?: { resources?: unknown[] } } }) : undefined;
    const resources = state?.checkpoint?.latest?.resources?.length ?? 0;
    const stateMB = file ? fs.statSync(file).size / 1e6 : 0;
    const byName = (prefix: string) =>
        Math.max(
            0,
            ...Object.entries(r.peakByName)
                .filter(([k]) => k.startsWith(prefix))
                .map(([, v]) => v),
        );
    const step: Step = {
        step: label,
        ok: r.status === 0,
        ms: r.ms,
        resources,
        stateMB,
        writtenMiB: r.writtenMiB,
        // comm is cut to 15 characters: every "pulumi-resource-*" plugin shows as "pulumi-resourc"; the program is "node".
        rss: { cli: r.peakByName.pulumi ?? 0, plugin: byName("pulumi-resourc"), program: byName("node"), tree: r.peakTreeMiB },
        note: r.status === 0 ? "ok" : `FAILED (exit ${r.status}): ${r.out.trim().split("\n").slice(-4).join(" ").slice(0, 400)}`,
    };
    log(
        `${label}: ${secs(r.ms)} s, ${resources} resources, state ${stateMB.toFixed(1)} MB, CLI wrote ${r.writtenMiB} MiB, peak tree ${r.peakTreeMiB} MiB${step.ok ? "" : `, ${step.note}`}`,
    );
    if (!step.ok) fs.writeFileSync(path.join(os.tmpdir(), `bench-scale-${STACK}-${label.replace(/\W+/g, "-")}.log`), r.out);
    return step;
}

async function atSize(n: number, env: NodeJS.ProcessEnv, baseline: boolean, sets: ConfigSet[], parallel?: number): Promise<SizeResult> {
    const report: Report = { baseline: [], cleanup: [], problems: [], log };
    const result: SizeResult = { n, steps: [], problems: report.problems };
    log(`=== N = ${n}: local clusters`);
    localUp(env, n);
    const { clusters } = stackConfig(n);
    const api: Record<string, Clients> = {};
    for (const c of clusters) api[c.name] = await clients({ context: c.context });
    const before = await snapshots(api);
    assertMeshless(before);

    const backend = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mc-scale-"));
    const envVars = pulumiEnv(env, backend);
    try {
        writeStackFile(n, sets);
        const init = await runSampled("pulumi", ["stack", "init", STACK, "--non-interactive"], { env: envVars, cwd: REPO });
        if (init.status !== 0) throw new Error(`pulumi stack init: ${init.out}`);
        const p = parallel === undefined ? [] : ["--parallel", String(parallel)];
        const up = ["up", "--yes", "--skip-preview", "--suppress-progress", ...p];
        const steps = result.steps;
        steps.push(await measure("fresh up", envVars, backend, up));
        if (steps[0].ok) {
            steps.push(await measure("no-op preview", envVars, backend, ["preview", "--expect-no-changes", "--suppress-progress", ...p]));
            writeStackFile(n - 1, sets);
            steps.push(await measure(`remove cluster${n} (${n} → ${n - 1})`, envVars, backend, up));
            writeStackFile(n, sets);
            steps.push(await measure(`add cluster${n} (${n - 1} → ${n})`, envVars, backend, up));
        }
        steps.push(await measure("destroy", envVars, backend, ["destroy", "--yes", "--skip-preview", "--suppress-progress", ...p]));
        for (const s of steps) if (!s.ok) report.problems.push(`N=${n} ${s.step}: ${s.note}`);
        await runSampled("pulumi", ["stack", "rm", STACK, "--yes", "--force", "--non-interactive"], { env: envVars, cwd: REPO });
    } finally {
        fs.rmSync(STACK_FILE, { force: true });
        fs.rmSync(backend, { recursive: true, force: true });
    }
    const clean = await checkSnapshot(report, `N=${n} after destroy`, api, before);
    if (baseline && clean) {
        log(`=== N = ${n}: seed 000's serial procedure on the same ${n} clusters`);
        const meshID = (stackConfig(n).config["istio-multicluster:meshID"] as string) ?? "mesh1";
        result.serialMs = await runSerialProcedure(report, env, clusters, meshID, api, before);
        result.serialOk = report.baseline.every((r) => r.note === "ok");
    }
    return result;
}

function table(results: SizeResult[]): string {
    const f = (ms?: number) => (ms === undefined ? "n/a" : secs(ms));
    const rows = results.flatMap((r) => [
        ...r.steps.map(
            (s) =>
                `| ${r.n} | ${s.step} | ${f(s.ms)} | ${s.resources} | ${s.stateMB.toFixed(1)} | ${s.writtenMiB} | ${s.rss.cli} | ${s.rss.plugin} | ${s.rss.program} | ${s.rss.tree} | ${s.ok ? "ok" : "FAILED"} |`,
        ),
        `| ${r.n} | **serial procedure (${r.n * (r.n - 1)} remote secrets)** | ${f(r.serialMs)} | | | | | | | | ${r.serialMs === undefined ? "not run" : r.serialOk ? "ok" : "had failures"} |`,
    ]);
    const stepMs = (r: SizeResult, prefix: string) => r.steps.find((s) => s.step.startsWith(prefix) && s.ok)?.ms;
    const first = results[0];
    const ratios = results.map((r) => {
        const up = stepMs(r, "fresh up");
        const q = (a?: number, b?: number) => (a === undefined || b === undefined ? "n/a" : (a / b).toFixed(2));
        return `| ${r.n} | ${q(up, r.serialMs)} | ${q(stepMs(r, "no-op preview"), up)} | ${q(up, stepMs(first, "fresh up"))} | ${q(stepMs(r, "add "), stepMs(first, "add "))} |`;
    });
    return [
        "| N | step | wall (s) | resources | state (MB) | CLI wrote (MiB) | peak RSS CLI (MiB) | largest plugin | program | tree | result |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ...rows,
        "",
        `| N | fresh up / serial (target ≤ 1.0) | no-op preview / up (target ≤ 0.25) | up(N) / up(${first.n}) | add(N) / add(${first.n}) |`,
        "|---:|---:|---:|---:|---:|",
        ...ratios,
    ].join("\n");
}

async function main() {
    const opts = options(process.argv.slice(2));
    const env: NodeJS.ProcessEnv = { ...toolchainEnv(["pulumi", "kube", "istio"]), KUBECONFIG };
    process.env.PATH = env.PATH;
    if (fs.existsSync(STACK_FILE)) throw new Error(`${STACK_FILE} exists: another bench:scale is running or was killed; remove it`);
    const results: SizeResult[] = [];
    const save = () =>
        opts.json &&
        fs.writeFileSync(
            opts.json,
            JSON.stringify({ measured: new Date().toISOString(), sets: opts.sets, parallel: opts.parallel, results }, null, 2),
        );
    for (const n of opts.sizes) {
        results.push(await atSize(n, env, opts.baseline, opts.sets, opts.parallel));
        save(); // after each N, so a sweep stopped early keeps what it measured
    }
    const t = table(results);
    const config = [
        ...opts.sets.map((x) => `${x.path.join(".")}=${JSON.stringify(x.value)}`),
        ...(opts.parallel === undefined ? [] : [`--parallel ${opts.parallel}`]),
    ].join(", ");
    console.log(`\n${config ? `With ${config}:\n\n` : ""}${t}\n`);
    const problems = results.flatMap((r) => r.problems);
    if (problems.length) console.log(`Problems:\n${problems.map((p) => `- ${p}`).join("\n")}`);
    process.exitCode = problems.length ? 1 : 0;
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
