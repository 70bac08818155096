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
import { isDeepStrictEqual } from "util";
import * as YAML from "yaml";
import {
    CACHE,
    CLUSTERS,
    clients,
    Clients,
    clusterSnapshot,
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

type ClusterCfg = { name: string; network: string; apiServerUrl: string; nodes: { name: string; region: string; zone: string }[] };
const localConfig = (YAML.parse(localStackFileText()) as { config: Record<string, unknown> }).config;
const clusterCfgs = localConfig["istio-multicluster:clusters"] as ClusterCfg[];
const meshID = localConfig["istio-multicluster:meshID"] as string;
const ctx = (c: ClusterCfg) => CONTEXTS[c.name as keyof typeof CONTEXTS];

const args = new Set(process.argv.slice(2));
const log = (s: string) => process.stderr.write(`[bench:e2e] ${s}\n`);
const secs = (ms: number) => (ms / 1000).toFixed(1);

interface Row {
    step: string;
    ms?: number;
    commands?: number;
    note: string;
}
const pulumiRows: Row[] = [];
const baselineRows: Row[] = [];
const cleanupRows: Row[] = [];
const problems: string[] = [];

/** One shell command of the serial procedure, timed; failures are recorded, not thrown. */
interface Cmd {
    ok: boolean;
    ms: number;
    out: string;
}
function sh(env: NodeJS.ProcessEnv, script: string, opts: { cwd?: string; quiet?: boolean } = {}): Cmd {
    const t0 = performance.now();
    const r = spawnSync("bash", ["-o", "pipefail", "-c", script], { env, cwd: opts.cwd, encoding: "utf8", maxBuffer: 64 << 20 });
    const ms = performance.now() - t0;
    const out = `${r.stdout ?? ""}${r.stderr ?? ""}`;
    const ok = r.status === 0;
    if (!opts.quiet) log(`${ok ? "ok  " : "FAIL"} ${secs(ms).padStart(6)}s  ${script.replace(/\s+/g, " ").slice(0, 150)}`);
    if (!ok && !opts.quiet) log(`     ${out.trim().split("\n").slice(-6).join("\n     ")}`);
    return { ok, ms, out };
}

/** Runs a phase's commands in order; one row with the phase's wall time and how many commands failed. */
function phase(rows: Row[], step: string, env: NodeJS.ProcessEnv, cmds: string[], cwd?: string): boolean {
    log(`--- ${step} (${cmds.length} commands)`);
    const t0 = performance.now();
    const failed: string[] = [];
    for (const c of cmds) {
        const r = sh(env, c, { cwd });
        if (!r.ok) failed.push(`\`${c.slice(0, 90)}\`: ${r.out.trim().split("\n").slice(-2).join(" ").slice(0, 300)}`);
    }
    const ms = performance.now() - t0;
    const note = failed.length ? `${failed.length}/${cmds.length} FAILED` : "ok";
    rows.push({ step, ms, commands: cmds.length, note });
    for (const f of failed) problems.push(`${step}: ${f}`);
    return failed.length === 0;
}

async function snapshots(api: Record<string, Clients>): Promise<Record<string, Record<string, unknown>>> {
    const s: Record<string, Record<string, unknown>> = {};
    for (const c of CLUSTERS) s[c] = await clusterSnapshot(api[c]);
    return s;
}

function diffSnapshot(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
    const out: string[] = [];
    for (const k of Object.keys(before)) {
        if (isDeepStrictEqual(before[k], after[k])) continue;
        if (Array.isArray(before[k])) {
            const b = new Set(before[k] as string[]);
            const a = new Set(after[k] as string[]);
            const added = [...a].filter((x) => !b.has(x));
            const removed = [...b].filter((x) => !a.has(x));
            out.push(`${k}: +[${added.join(", ")}] -[${removed.join(", ")}]`);
        } else out.push(`${k} differ`);
    }
    return out;
}

async function checkSnapshot(label: string, api: Record<string, Clients>, before: Record<string, Record<string, unknown>>) {
    const after = await snapshots(api);
    const diffs = CLUSTERS.flatMap((c) => diffSnapshot(before[c], after[c]).map((d) => `${c} ${d}`));
    if (diffs.length) problems.push(`${label}: clusters differ from the pre-bench snapshot: ${diffs.join("; ")}`);
    log(`${label}: clusters ${diffs.length ? `DIFFER from the snapshot: ${diffs.join("; ")}` : "are as before (clusterSnapshot equal)"}`);
    return diffs.length === 0;
}

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
    return checkSnapshot("after Pulumi destroy", api, before);
}

/** (b) Seed 000's runbook, command by command, then the cleanup back to the snapshot. */
async function baseline(env: NodeJS.ProcessEnv, api: Record<string, Clients>, before: Record<string, Record<string, unknown>>) {
    const chartsDir = fs.readFileSync(path.join(CACHE, "istio-charts-dir"), "utf8").trim();
    const root = path.resolve(chartsDir, "..", ".."); // .../istio.io/istio@<v>/manifests/charts -> module root
    const mk = path.join(root, "tools", "certs", "Makefile.selfsigned.mk");
    const gen = path.join(root, "samples", "multicluster", "gen-eastwest-gateway.sh");
    const expose = path.join(root, "samples", "multicluster", "expose-services.yaml");
    const certs = fs.mkdtempSync(path.join(os.tmpdir(), "istio-certs-"));
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const t0 = performance.now();
    try {
        // Label Nodes with Specific Region and Zone (zones as in Pulumi.local.yaml = the seed's label commands).
        phase(
            baselineRows,
            "1. label nodes",
            env,
            clusterCfgs.flatMap((c) =>
                c.nodes.flatMap((n) => [
                    `kubectl --context=${ctx(c)} label nodes ${n.name} --overwrite topology.kubernetes.io/region=${n.region}`,
                    `kubectl --context=${ctx(c)} label nodes ${n.name} --overwrite topology.kubernetes.io/zone=${n.zone}`,
                ]),
            ),
        );
        // Generate Common CA (Istio's own Makefile) ...
        phase(
            baselineRows,
            "2. root CA + intermediates (make)",
            env,
            [`make -f ${q(mk)} root-ca`, ...clusterCfgs.map((c) => `make -f ${q(mk)} ${c.name}-cacerts`)],
            certs,
        );
        // ... and the namespace (with the network label this mesh needs) and the cacerts secret per cluster.
        phase(
            baselineRows,
            "3. istio-system + cacerts",
            env,
            clusterCfgs.flatMap((c) => [
                `kubectl --context=${ctx(c)} create namespace istio-system`,
                `kubectl --context=${ctx(c)} label namespace istio-system topology.istio.io/network=${c.network}`,
                `kubectl --context=${ctx(c)} create secret generic cacerts -n istio-system ` +
                    ["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"].map((f) => `--from-file=${c.name}/${f}`).join(" "),
            ]),
            certs,
        );
        // Deploy Istiod (the seed's operator + IstioOperator CR, as current istioctl flags).
        phase(
            baselineRows,
            "4. istiod (istioctl install)",
            env,
            clusterCfgs.map(
                (c) =>
                    `istioctl install -y --context ${ctx(c)} --set values.global.meshID=${meshID} ` +
                    `--set values.global.multiCluster.clusterName=${c.name} --set values.global.network=${c.network} ` +
                    `--set meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE=true`,
            ),
        );
        // Deploy East-West Ingress GW.
        phase(
            baselineRows,
            "5. east-west gateway",
            env,
            clusterCfgs.map(
                (c) =>
                    `bash ${q(gen)} --mesh ${meshID} --cluster ${c.name} --network ${c.network} | ` +
                    `istioctl --context=${ctx(c)} install -y -f -`,
            ),
        );
        // Expose Services on Clusters.
        phase(
            baselineRows,
            "6. expose services",
            env,
            clusterCfgs.map((c) => `kubectl --context=${ctx(c)} apply -n istio-system -f ${q(expose)}`),
        );
        // Deploy Remote Secret for Endpoint Discovery on Clusters (every ordered pair).
        phase(
            baselineRows,
            "7. remote secrets",
            env,
            clusterCfgs.flatMap((reader) =>
                clusterCfgs
                    .filter((t) => t !== reader)
                    .map(
                        (t) =>
                            `istioctl create-remote-secret --context=${ctx(t)} --name=${t.name} --server ${t.apiServerUrl} | ` +
                            `kubectl apply -f - --context=${ctx(reader)}`,
                    ),
            ),
        );
    } finally {
        const total = performance.now() - t0;
        const n = baselineRows.reduce((s, r) => s + (r.commands ?? 0), 0);
        const failed = baselineRows.filter((r) => r.note !== "ok").length;
        baselineRows.push({
            step: "**serial procedure, total**",
            ms: total,
            commands: n,
            note: failed ? `${failed} phase(s) had failures` : "ok",
        });
        fs.rmSync(certs, { recursive: true, force: true });
        log(`--- what the procedure left (checked before cleanup)`);
        await verifyBaseline(env, api);
        await cleanup(env, api, before);
    }
}

/** Spot checks of what the serial procedure produced (not timed). */
async function verifyBaseline(env: NodeJS.ProcessEnv, api: Record<string, Clients>) {
    for (const c of clusterCfgs) {
        const a = api[c.name];
        const deps = await a.apps.listNamespacedDeployment({ namespace: "istio-system" }).catch(() => undefined);
        const ready = (deps?.items ?? []).map((d) => `${d.metadata!.name} ${d.status?.readyReplicas ?? 0}/${d.spec?.replicas}`);
        const svc = await a.core.readNamespacedService({ name: "istio-eastwestgateway", namespace: "istio-system" }).catch(() => undefined);
        const lb = svc?.status?.loadBalancer?.ingress?.[0]?.ip ?? "none";
        const secrets = await a.core
            .listNamespacedSecret({ namespace: "istio-system", labelSelector: "istio/multiCluster=true" })
            .catch(() => undefined);
        const remote = (secrets?.items ?? []).map((s) => s.metadata!.name).sort();
        const istiod = await a.apps.readNamespacedDeployment({ name: "istiod", namespace: "istio-system" }).catch(() => undefined);
        const clusterId = istiod?.spec?.template.spec?.containers[0].env?.find((e) => e.name === "CLUSTER_ID")?.value ?? "?";
        const gw = sh(env, `kubectl --context=${ctx(c)} get gateways.networking.istio.io -n istio-system -o name`, { quiet: true });
        log(
            `${c.name}: deployments [${ready.join(", ")}], istiod CLUSTER_ID ${clusterId}, east-west LB ${lb}, ` +
                `remote secrets [${remote.join(", ")}], ${gw.out.trim() || "no gateway"}`,
        );
        const wrong = [
            clusterId !== c.name && `istiod CLUSTER_ID is ${clusterId}`,
            lb === "none" && "istio-eastwestgateway has no LoadBalancer address",
            remote.length !== clusterCfgs.length - 1 && `${remote.length} remote secrets`,
            !gw.out.includes("cross-network-gateway") && "no cross-network-gateway",
        ].filter(Boolean);
        if (wrong.length) problems.push(`result of the serial procedure on ${c.name}: ${wrong.join(", ")}`);
    }
}

/** Back to the pre-bench snapshot: uninstall, namespaces, node labels, then whatever istioctl left behind. */
async function cleanup(env: NodeJS.ProcessEnv, api: Record<string, Clients>, before: Record<string, Record<string, unknown>>) {
    phase(
        cleanupRows,
        "cleanup: istioctl uninstall --purge",
        env,
        clusterCfgs.map((c) => `istioctl uninstall --purge -y --context ${ctx(c)}`),
    );
    phase(
        cleanupRows,
        "cleanup: delete istio-system",
        env,
        clusterCfgs.map((c) => `kubectl --context=${ctx(c)} delete namespace istio-system --ignore-not-found --wait=true --timeout=120s`),
    );
    phase(
        cleanupRows,
        "cleanup: remove node labels",
        env,
        clusterCfgs.flatMap((c) =>
            c.nodes.map(
                (n) => `kubectl --context=${ctx(c)} label nodes ${n.name} topology.kubernetes.io/region- topology.kubernetes.io/zone-`,
            ),
        ),
    );
    // Whatever is still extra compared with the snapshot (CRDs, cluster roles, webhooks, namespaces).
    const now = await snapshots(api);
    const extra: string[] = [];
    const kinds: [string, string][] = [
        ["namespaces", "namespace"],
        ["crds", "customresourcedefinition"],
        ["clusterRoles", "clusterrole"],
        ["mutatingWebhooks", "mutatingwebhookconfiguration"],
        ["validatingWebhooks", "validatingwebhookconfiguration"],
    ];
    for (const c of clusterCfgs) {
        for (const [key, kind] of kinds) {
            const b = new Set(before[c.name][key] as string[]);
            const left = (now[c.name][key] as string[]).filter((x) => !b.has(x));
            if (left.length) extra.push(`kubectl --context=${ctx(c)} delete ${kind} ${left.join(" ")} --ignore-not-found`);
        }
        // Cluster role bindings are not in clusterSnapshot; remove the istio ones the procedure created.
        extra.push(
            `kubectl --context=${ctx(c)} get clusterrolebinding -o name | { grep -E '/istio' || true; } | xargs -r kubectl --context=${ctx(c)} delete --ignore-not-found`,
        );
    }
    phase(cleanupRows, "cleanup: leftovers (diff vs snapshot)", env, extra);
    const ms = cleanupRows.reduce((s, r) => s + (r.ms ?? 0), 0);
    cleanupRows.push({ step: "**cleanup, total**", ms, commands: cleanupRows.reduce((s, r) => s + (r.commands ?? 0), 0), note: "" });
    const same = await checkSnapshot("after baseline cleanup", api, before);
    cleanupRows[cleanupRows.length - 1].note = same ? "clusterSnapshot equal to before" : "clusters DIFFER from before";
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
    for (const c of CLUSTERS) {
        const leftovers =
            (before[c].namespaces as string[]).includes("istio-system") ||
            (before[c].crds as string[]).some((n) => n.endsWith(".istio.io"));
        if (leftovers)
            throw new Error(
                `${c} already has istio-system or Istio CRDs: the bench needs clusters without a mesh, used by nothing else (run the cleanup or scripts/local/down.sh)`,
            );
    }
    try {
        const clean = (await pulumiHalf(env, api, before)) ?? true;
        if (!clean) baselineRows.push({ step: "baseline", note: "n/a (the clusters are not back to the snapshot after Pulumi destroy)" });
        else if (args.has("--skip-baseline")) baselineRows.push({ step: "baseline", note: "n/a (--skip-baseline)" });
        else await baseline(env, api, before);
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
