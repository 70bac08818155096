/**
 * Seed 000's serial procedure, generalised to any number of clusters: the commands the seed runs one after another
 * (node labels, Istio's CA Makefile, cacerts, `istioctl install`, the east-west gateway, exposed services, and one
 * `istioctl create-remote-secret` per ordered pair of clusters), timed per phase, then a cleanup back to the
 * clusters' snapshot from before. Used by `npm run bench:e2e` (three clusters) and `npm run bench:scale` (N).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import { CACHE, Clients, clusterSnapshot } from "../test/e2e/harness";

/** One cluster as the procedure needs it (the stack file's `clusters[]` entry plus its kube context). */
export interface ProcedureCluster {
    name: string;
    context: string;
    network: string;
    apiServerUrl: string;
    nodes: { name: string; region: string; zone: string }[];
}

/** One row of a bench table: a step, its wall time, how many commands it ran, and what happened. */
export interface Row {
    step: string;
    ms?: number;
    commands?: number;
    note: string;
}

/** Where a run's rows and problems go; `log` prints progress (to stderr). */
export interface Report {
    baseline: Row[];
    cleanup: Row[];
    problems: string[];
    log: (s: string) => void;
}

export const secs = (ms: number) => (ms / 1000).toFixed(1);

/** One shell command, timed; failures are recorded, not thrown. */
interface Cmd {
    ok: boolean;
    ms: number;
    out: string;
}
function sh(report: Report, env: NodeJS.ProcessEnv, script: string, opts: { cwd?: string; quiet?: boolean } = {}): Cmd {
    const t0 = performance.now();
    const r = spawnSync("bash", ["-o", "pipefail", "-c", script], { env, cwd: opts.cwd, encoding: "utf8", maxBuffer: 64 << 20 });
    const ms = performance.now() - t0;
    const out = `${r.stdout ?? ""}${r.stderr ?? ""}`;
    const ok = r.status === 0;
    if (!opts.quiet) report.log(`${ok ? "ok  " : "FAIL"} ${secs(ms).padStart(6)}s  ${script.replace(/\s+/g, " ").slice(0, 150)}`);
    if (!ok && !opts.quiet) report.log(`     ${out.trim().split("\n").slice(-6).join("\n     ")}`);
    return { ok, ms, out };
}

/** Runs a phase's commands in order; one row with the phase's wall time and how many commands failed. */
function phase(report: Report, rows: Row[], step: string, env: NodeJS.ProcessEnv, cmds: string[], cwd?: string): boolean {
    report.log(`--- ${step} (${cmds.length} commands)`);
    const t0 = performance.now();
    const failed: string[] = [];
    for (const c of cmds) {
        const r = sh(report, env, c, { cwd });
        if (!r.ok) failed.push(`\`${c.slice(0, 90)}\`: ${r.out.trim().split("\n").slice(-2).join(" ").slice(0, 300)}`);
    }
    const ms = performance.now() - t0;
    rows.push({ step, ms, commands: cmds.length, note: failed.length ? `${failed.length}/${cmds.length} FAILED` : "ok" });
    for (const f of failed) report.problems.push(`${step}: ${f}`);
    return failed.length === 0;
}

/** Each cluster's {@link clusterSnapshot}, by cluster name. */
export async function snapshots(api: Record<string, Clients>): Promise<Record<string, Record<string, unknown>>> {
    const s: Record<string, Record<string, unknown>> = {};
    for (const c of Object.keys(api)) s[c] = await clusterSnapshot(api[c]);
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

/** True if every cluster is as in `before`; otherwise records a problem naming the differences. */
export async function checkSnapshot(report: Report, label: string, api: Record<string, Clients>, before: Record<string, Record<string, unknown>>) {
    const after = await snapshots(api);
    const diffs = Object.keys(before).flatMap((c) => diffSnapshot(before[c], after[c]).map((d) => `${c} ${d}`));
    if (diffs.length) report.problems.push(`${label}: clusters differ from the pre-bench snapshot: ${diffs.join("; ")}`);
    report.log(`${label}: clusters ${diffs.length ? `DIFFER from the snapshot: ${diffs.join("; ")}` : "are as before (clusterSnapshot equal)"}`);
    return diffs.length === 0;
}

/** Throws if a cluster already has a mesh (the bench needs clusters without one, used by nothing else). */
export function assertMeshless(before: Record<string, Record<string, unknown>>): void {
    for (const [c, s] of Object.entries(before)) {
        if ((s.namespaces as string[]).includes("istio-system") || (s.crds as string[]).some((n) => n.endsWith(".istio.io")))
            throw new Error(
                `${c} already has istio-system or Istio CRDs: the bench needs clusters without a mesh, used by nothing else (run the cleanup or scripts/local/down.sh)`,
            );
    }
}

/** The commands of the serial procedure, phase by phase (seed 000's order). `certs` is the CA's work directory. */
export function procedurePhases(clusters: ProcedureCluster[], meshID: string): { step: string; cmds: string[]; inCerts?: boolean }[] {
    const chartsDir = fs.readFileSync(path.join(CACHE, "istio-charts-dir"), "utf8").trim();
    const root = path.resolve(chartsDir, "..", ".."); // .../istio.io/istio@<v>/manifests/charts -> module root
    const mk = path.join(root, "tools", "certs", "Makefile.selfsigned.mk");
    const gen = path.join(root, "samples", "multicluster", "gen-eastwest-gateway.sh");
    const expose = path.join(root, "samples", "multicluster", "expose-services.yaml");
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    return [
        {
            // Label Nodes with Specific Region and Zone.
            step: "1. label nodes",
            cmds: clusters.flatMap((c) =>
                c.nodes.flatMap((n) => [
                    `kubectl --context=${c.context} label nodes ${n.name} --overwrite topology.kubernetes.io/region=${n.region}`,
                    `kubectl --context=${c.context} label nodes ${n.name} --overwrite topology.kubernetes.io/zone=${n.zone}`,
                ]),
            ),
        },
        // Generate Common CA (Istio's own Makefile) ...
        { step: "2. root CA + intermediates (make)", cmds: [`make -f ${q(mk)} root-ca`, ...clusters.map((c) => `make -f ${q(mk)} ${c.name}-cacerts`)], inCerts: true },
        {
            // ... and the namespace (with the network label this mesh needs) and the cacerts secret per cluster.
            step: "3. istio-system + cacerts",
            cmds: clusters.flatMap((c) => [
                `kubectl --context=${c.context} create namespace istio-system`,
                `kubectl --context=${c.context} label namespace istio-system topology.istio.io/network=${c.network}`,
                `kubectl --context=${c.context} create secret generic cacerts -n istio-system ` +
                    ["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"].map((f) => `--from-file=${c.name}/${f}`).join(" "),
            ]),
            inCerts: true,
        },
        {
            // Deploy Istiod (the seed's operator + IstioOperator CR, as current istioctl flags).
            step: "4. istiod (istioctl install)",
            cmds: clusters.map(
                (c) =>
                    `istioctl install -y --context ${c.context} --set values.global.meshID=${meshID} ` +
                    `--set values.global.multiCluster.clusterName=${c.name} --set values.global.network=${c.network} ` +
                    `--set meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE=true`,
            ),
        },
        {
            // Deploy East-West Ingress GW.
            step: "5. east-west gateway",
            cmds: clusters.map(
                (c) => `bash ${q(gen)} --mesh ${meshID} --cluster ${c.name} --network ${c.network} | istioctl --context=${c.context} install -y -f -`,
            ),
        },
        // Expose Services on Clusters.
        { step: "6. expose services", cmds: clusters.map((c) => `kubectl --context=${c.context} apply -n istio-system -f ${q(expose)}`) },
        {
            // Deploy Remote Secret for Endpoint Discovery on Clusters (every ordered pair).
            step: "7. remote secrets",
            cmds: clusters.flatMap((reader) =>
                clusters
                    .filter((t) => t !== reader)
                    .map(
                        (t) =>
                            `istioctl create-remote-secret --context=${t.context} --name=${t.name} --server ${t.apiServerUrl} | ` +
                            `kubectl apply -f - --context=${reader.context}`,
                    ),
            ),
        },
    ];
}

/**
 * Runs the serial procedure on `clusters`, checks what it left, then cleans up back to `before`. Returns the
 * procedure's total wall time (ms); the rows go to `report.baseline` and `report.cleanup`.
 */
export async function runSerialProcedure(
    report: Report,
    env: NodeJS.ProcessEnv,
    clusters: ProcedureCluster[],
    meshID: string,
    api: Record<string, Clients>,
    before: Record<string, Record<string, unknown>>,
): Promise<number> {
    const certs = fs.mkdtempSync(path.join(os.tmpdir(), "istio-certs-"));
    const t0 = performance.now();
    let total: number;
    try {
        for (const p of procedurePhases(clusters, meshID)) phase(report, report.baseline, p.step, env, p.cmds, p.inCerts ? certs : undefined);
    } finally {
        total = performance.now() - t0;
        const n = report.baseline.reduce((s, r) => s + (r.commands ?? 0), 0);
        const failed = report.baseline.filter((r) => r.note !== "ok").length;
        report.baseline.push({ step: "**serial procedure, total**", ms: total, commands: n, note: failed ? `${failed} phase(s) had failures` : "ok" });
        fs.rmSync(certs, { recursive: true, force: true });
        report.log(`--- what the procedure left (checked before cleanup)`);
        await verifyProcedure(report, env, clusters, api);
        await cleanup(report, env, clusters, api, before);
    }
    return total;
}

/** Spot checks of what the serial procedure produced (not timed). */
async function verifyProcedure(report: Report, env: NodeJS.ProcessEnv, clusters: ProcedureCluster[], api: Record<string, Clients>) {
    for (const c of clusters) {
        const a = api[c.name];
        const deps = await a.apps.listNamespacedDeployment({ namespace: "istio-system" }).catch(() => undefined);
        const ready = (deps?.items ?? []).map((d) => `${d.metadata!.name} ${d.status?.readyReplicas ?? 0}/${d.spec?.replicas}`);
        const svc = await a.core.readNamespacedService({ name: "istio-eastwestgateway", namespace: "istio-system" }).catch(() => undefined);
        const lb = svc?.status?.loadBalancer?.ingress?.[0]?.ip ?? "none";
        const secrets = await a.core.listNamespacedSecret({ namespace: "istio-system", labelSelector: "istio/multiCluster=true" }).catch(() => undefined);
        const remote = (secrets?.items ?? []).map((s) => s.metadata!.name).sort();
        const istiod = await a.apps.readNamespacedDeployment({ name: "istiod", namespace: "istio-system" }).catch(() => undefined);
        const clusterId = istiod?.spec?.template.spec?.containers[0].env?.find((e) => e.name === "CLUSTER_ID")?.value ?? "?";
        const gw = sh(report, env, `kubectl --context=${c.context} get gateways.networking.istio.io -n istio-system -o name`, { quiet: true });
        report.log(
            `${c.name}: deployments [${ready.join(", ")}], istiod CLUSTER_ID ${clusterId}, east-west LB ${lb}, ` +
                `remote secrets [${remote.join(", ")}], ${gw.out.trim() || "no gateway"}`,
        );
        const wrong = [
            clusterId !== c.name && `istiod CLUSTER_ID is ${clusterId}`,
            lb === "none" && "istio-eastwestgateway has no LoadBalancer address",
            remote.length !== clusters.length - 1 && `${remote.length} remote secrets`,
            !gw.out.includes("cross-network-gateway") && "no cross-network-gateway",
        ].filter(Boolean);
        if (wrong.length) report.problems.push(`result of the serial procedure on ${c.name}: ${wrong.join(", ")}`);
    }
}

/** Back to the pre-bench snapshot: uninstall, namespaces, node labels, then whatever istioctl left behind. */
async function cleanup(
    report: Report,
    env: NodeJS.ProcessEnv,
    clusters: ProcedureCluster[],
    api: Record<string, Clients>,
    before: Record<string, Record<string, unknown>>,
) {
    const rows = report.cleanup;
    phase(report, rows, "cleanup: istioctl uninstall --purge", env, clusters.map((c) => `istioctl uninstall --purge -y --context ${c.context}`));
    phase(
        report,
        rows,
        "cleanup: delete istio-system",
        env,
        clusters.map((c) => `kubectl --context=${c.context} delete namespace istio-system --ignore-not-found --wait=true --timeout=120s`),
    );
    phase(
        report,
        rows,
        "cleanup: remove node labels",
        env,
        clusters.flatMap((c) => c.nodes.map((n) => `kubectl --context=${c.context} label nodes ${n.name} topology.kubernetes.io/region- topology.kubernetes.io/zone-`)),
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
    for (const c of clusters) {
        for (const [key, kind] of kinds) {
            const b = new Set(before[c.name][key] as string[]);
            const left = (now[c.name][key] as string[]).filter((x) => !b.has(x));
            if (left.length) extra.push(`kubectl --context=${c.context} delete ${kind} ${left.join(" ")} --ignore-not-found`);
        }
        // Cluster role bindings are not in clusterSnapshot; remove the istio ones the procedure created.
        extra.push(
            `kubectl --context=${c.context} get clusterrolebinding -o name | { grep -E '/istio' || true; } | xargs -r kubectl --context=${c.context} delete --ignore-not-found`,
        );
    }
    phase(report, rows, "cleanup: leftovers (diff vs snapshot)", env, extra);
    const ms = rows.reduce((s, r) => s + (r.ms ?? 0), 0);
    rows.push({ step: "**cleanup, total**", ms, commands: rows.reduce((s, r) => s + (r.commands ?? 0), 0), note: "" });
    const same = await checkSnapshot(report, "after baseline cleanup", api, before);
    rows[rows.length - 1].note = same ? "clusterSnapshot equal to before" : "clusters DIFFER from before";
}
