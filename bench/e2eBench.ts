/**
 * `npm run bench:e2e`: wall times on the proving ground (three local control planes, docs/local-clusters.md).
 *
 * (a) Pulumi, through the Automation API exactly as test/e2e/harness.ts drives it: fresh `up`, no-op `preview`
 *     and `destroy` of the `local` stack (Pulumi.local.yaml). Needs the kubernetes/tls/random provider plugins;
 *     without them the rows print "n/a" with the reason (docs/toolchain.md, "Traps").
 * (b) The baseline: seed 000's procedure as the seed runs it, one kubectl/istioctl command after another against
 *     the same clusters, then a cleanup back to the pre-bench snapshot (checked with clusterSnapshot).
 *
 * Flags: --skip-pulumi, --skip-baseline, --stop-clusters (stop the clusters again if this run had to start them;
 * by default they stay up, as with the e2e harness, because other suites may be using them by then).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import {
    CACHE,
    CLUSTERS,
    clients,
    Clients,
    CONTEXTS,
    KUBECONFIG,
    localStack,
    localStackFileText,
    localUp,
    withoutScenarios,
    missingPulumiPlugins,
    REPO,
    toolchainEnv,
} from "../test/e2e/harness";
import { assertMeshless, checkSnapshot, ProcedureCluster, Report, Row, runSerialProcedure, secs, snapshots } from "./serialProcedure";

type ClusterCfg = Omit<ProcedureCluster, "context">;
const localConfig = (YAML.parse(localStackFileText()) as { config: Record<string, unknown> }).config;
const clusterCfgs: ProcedureCluster[] = (localConfig["istio-multicluster:clusters"] as ClusterCfg[]).map((c) => ({
    ...c,
    context: CONTEXTS[c.name as keyof typeof CONTEXTS],
}));
const meshID = localConfig["istio-multicluster:meshID"] as string;

const args = new Set(process.argv.slice(2));
const log = (s: string) => process.stderr.write(`[bench:e2e] ${s}\n`);

const pulumiRows: Row[] = [];
const report: Report = { baseline: [], cleanup: [], problems: [], log };
const baselineRows = report.baseline;
const cleanupRows = report.cleanup;
const problems = report.problems;

/** (a) Pulumi through the Automation API, as test/e2e/mesh.e2e.test.ts does it. */
async function pulumiHalf(env: NodeJS.ProcessEnv, api: Record<string, Clients>, before: Record<string, Record<string, unknown>>) {
    const missing = missingPulumiPlugins(env, ["pulumi-resource-kubernetes", "pulumi-resource-tls", "pulumi-resource-random"]);
    const na = (why: string) => {
        for (const step of ["Pulumi: fresh up", "Pulumi: no-op preview", "Pulumi: destroy"])
            pulumiRows.push({ step, note: `n/a (${why})` });
    };
    if (args.has("--skip-pulumi")) return na("--skip-pulumi");
    if (missing.length) {
        log(`Pulumi half skipped: provider plugins missing: ${missing.join(", ")}`);
        return na(`provider plugins missing: ${missing.join(", ")}`);
    }
    const penv = toolchainEnv(["pulumi", "kube", "istio"]);
    // Like for like: the mesh the serial procedure builds (labels, CA, cacerts, istiod, east-west gateway,
    // exposed services, remote secrets), without the local stack's traffic scenarios.
    const { stack, backend } = await localStack(penv, "bench", withoutScenarios);
    const out: string[] = [];
    const onOutput = (s: string) => out.push(s);
    try {
        let t0 = performance.now();
        const up = await stack.up({ onOutput });
        const changes = up.summary.resourceChanges ?? {};
        pulumiRows.push({ step: "Pulumi: fresh up", ms: performance.now() - t0, note: `${up.summary.result}, ${JSON.stringify(changes)}` });
        t0 = performance.now();
        const p = await stack.preview({ onOutput });
        const changed = Object.entries(p.changeSummary).filter(([k, v]) => k !== "same" && v);
        pulumiRows.push({
            step: "Pulumi: no-op preview",
            ms: performance.now() - t0,
            note: changed.length ? `NOT a no-op: ${JSON.stringify(p.changeSummary)}` : `no changes (${p.changeSummary.same ?? 0} same)`,
        });
        t0 = performance.now();
        const d = await stack.destroy({ onOutput });
        pulumiRows.push({ step: "Pulumi: destroy", ms: performance.now() - t0, note: d.summary.result });
    } catch (e) {
        const msg = (e as Error).message.replace(/\s+/g, " ").slice(0, 300);
        problems.push(`Pulumi: ${(e as Error).message.slice(0, 500)}`);
        for (const step of ["Pulumi: fresh up", "Pulumi: no-op preview", "Pulumi: destroy"])
            if (!pulumiRows.some((r) => r.step === step)) pulumiRows.push({ step, note: `failed: ${msg}` });
        fs.writeFileSync(path.join(os.tmpdir(), "bench-e2e-pulumi.log"), out.join(""));
        await stack.destroy({ onOutput }).catch(() => undefined);
    } finally {
        await stack.workspace.removeStack("bench", { force: true }).catch(() => undefined);
        fs.rmSync(path.join(REPO, "Pulumi.bench.yaml"), { force: true });
        fs.rmSync(backend, { recursive: true, force: true });
    }
    return checkSnapshot(report, "after Pulumi destroy", api, before);
}

function table(): string {
    const fmt = (r: Row) => `| ${r.step} | ${r.ms === undefined ? "n/a" : secs(r.ms)} | ${r.commands ?? "–"} | ${r.note} |`;
    const find = (rows: Row[], step: string) => rows.find((r) => r.step === step)?.ms;
    const up = find(pulumiRows, "Pulumi: fresh up");
    const preview = find(pulumiRows, "Pulumi: no-op preview");
    const serial = find(baselineRows, "**serial procedure, total**");
    const serialOk = baselineRows.every((r) => r.note === "ok");
    const why = pulumiRows.find((r) => r.ms === undefined)?.note ?? "n/a";
    const ratio = (a: number | undefined, b: number | undefined, target: number, okB = true) =>
        a === undefined || b === undefined
            ? why
            : `${(a / b).toFixed(2)} (target ≤ ${target}: ${a / b <= target ? "met" : "NOT met"})${okB ? "" : " (baseline had failures)"}`;
    return [
        "| step | wall (s) | commands | note |",
        "|---|---:|---:|---|",
        ...pulumiRows.map(fmt),
        ...baselineRows.map(fmt),
        ...cleanupRows.map(fmt),
        `| ratio: fresh up / serial procedure | | | ${ratio(up, serial, 0.5, serialOk)} |`,
        `| ratio: no-op preview / fresh up | | | ${ratio(preview, up, 0.25)} |`,
    ].join("\n");
}

async function main() {
    log("toolchain (kube, istio) ...");
    const env: NodeJS.ProcessEnv = { ...toolchainEnv(["kube", "istio"]), KUBECONFIG };
    const wasUp = ["c1", "c2", "c3"].every(
        (c) => spawnSync("bash", [path.join(REPO, "scripts", "local", "apiserver.sh"), "status", c], { env }).status === 0,
    );
    const hadState = fs.existsSync(path.join(CACHE, "local"));
    let t0 = performance.now();
    localUp(env);
    log(`local clusters up in ${secs(performance.now() - t0)}s (${wasUp ? "were already running" : "started by this run"})`);
    const api: Record<string, Clients> = {};
    for (const c of CLUSTERS) api[c] = await clients({ context: CONTEXTS[c] });
    const before = await snapshots(api);
    assertMeshless(before);
    try {
        const clean = (await pulumiHalf(env, api, before)) ?? true;
        if (!clean) baselineRows.push({ step: "baseline", note: "n/a (the clusters are not back to the snapshot after Pulumi destroy)" });
        else if (args.has("--skip-baseline")) baselineRows.push({ step: "baseline", note: "n/a (--skip-baseline)" });
        else {
            // (b) Seed 000's runbook, command by command, then the cleanup back to the snapshot.
            await runSerialProcedure(report, env, clusterCfgs, meshID, api, before);
        }
    } finally {
        if (!wasUp && args.has("--stop-clusters")) {
            t0 = performance.now();
            spawnSync("bash", [path.join(REPO, "scripts", "local", "down.sh"), ...(hadState ? ["--keep-state"] : [])], {
                env,
                stdio: "inherit",
            });
            log(`stopped the clusters this run started (${secs(performance.now() - t0)}s)`);
        }
    }
    const t = table();
    console.log(`\n${t}\n`);
    if (problems.length) console.log(`Problems:\n${problems.map((p) => `- ${p}`).join("\n")}`);
    process.exitCode = problems.length ? 1 : 0;
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
