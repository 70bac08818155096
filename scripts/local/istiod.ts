/**
 * `npm run local:istiod -- [start|stop|status]`: one real istiod (pilot-discovery, built by the toolchain from the
 * istioctl module) per local cluster, as a host process, configured from what `pulumi up` created there
 * (scripts/local/istiodPlan.ts). Each binds its ports on its cluster's loopback address (127.0.N.1), reads its own
 * cluster with the admin kubeconfig and the others through the remote secrets Pulumi wrote. State lives beside the
 * cluster's (<cache>/local/cN/istiod, pid in cN/run/istiod.pid), so `npm run local:down` stops it too.
 * @see docs/istiod-on-host.md
 */
import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { ISTIOD_PORTS, istiodPlan, IstiodObjects } from "./istiodPlan";

export const CACHE = process.env.ISTIO_MC_CACHE ?? path.join(os.homedir(), ".cache", "istio-multicluster");
export const STATE = path.join(CACHE, "local");

/** One running host istiod. */
export interface HostIstiod {
    /** The proving ground's cluster (c1, c2, …). */
    local: string;
    /** The mesh cluster ID (CLUSTER_ID of the rendered Deployment), e.g. cluster1. */
    clusterId: string;
    /** The loopback address all its ports are bound on. */
    address: string;
    /** Plaintext xDS (host:port). */
    xds: string;
    /** Debug and readiness endpoints (http://host:port). */
    http: string;
    monitoring: string;
    pid: number;
    dir: string;
}

/** The local clusters that exist (scripts/local/up.sh's count). */
export function localClusters(): string[] {
    const n = Number(readOr(path.join(STATE, "clusters"), "3").trim());
    return Array.from({ length: n }, (_, i) => `c${i + 1}`);
}

function readOr(file: string, fallback: string): string {
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : fallback;
}

/** The pilot-discovery binary: the toolchain's (or the user's on PATH). */
export function pilotDiscovery(): string {
    const cached = path.join(CACHE, "bin", "pilot-discovery");
    if (fs.existsSync(cached)) return cached;
    const r = spawnSync("bash", ["-c", "command -v pilot-discovery"], { encoding: "utf8" });
    if (r.status === 0) return r.stdout.trim();
    throw new Error("pilot-discovery not found: run `npm run toolchain` (scripts/toolchain.sh --only istio builds it)");
}

async function readObjects(kubeconfig: string): Promise<IstiodObjects> {
    const k = await import("@kubernetes/client-node");
    const kc = new k.KubeConfig();
    kc.loadFromFile(kubeconfig);
    const absent = async <T>(p: Promise<T>): Promise<T | undefined> =>
        p.catch((e: { code?: number }) => {
            if (e?.code === 404) return undefined;
            throw e;
        });
    const apps = kc.makeApiClient(k.AppsV1Api);
    const core = kc.makeApiClient(k.CoreV1Api);
    const ns = "istio-system";
    const [deployment, cm, secret] = await Promise.all([
        absent(apps.readNamespacedDeployment({ name: "istiod", namespace: ns })),
        absent(core.readNamespacedConfigMap({ name: "istio", namespace: ns })),
        absent(core.readNamespacedSecret({ name: "cacerts", namespace: ns })),
    ]);
    return {
        deployment: deployment as IstiodObjects["deployment"],
        meshConfig: cm ? (cm.data ?? {}) : undefined,
        cacerts: secret ? (secret.data ?? {}) : undefined,
    };
}

/** The cluster's own admin kubeconfig (scripts/local/up.sh writes one per cluster) and its API server's address. */
function clusterAccess(local: string): { kubeconfig: string; address: string } {
    const kubeconfig = path.join(STATE, local, "admin.kubeconfig");
    if (!fs.existsSync(kubeconfig)) throw new Error(`${local}: ${kubeconfig} not found: start the clusters (npm run local:up)`);
    const doc = YAML.parse(fs.readFileSync(kubeconfig, "utf8")) as { clusters: { cluster: { server: string } }[] };
    const server = doc.clusters[0].cluster.server;
    return { kubeconfig, address: new URL(server).hostname };
}

/**
 * The one stand-in for what the mesh would do itself: there is no sidecar injector (no pod ever starts on kwok
 * nodes), so this labels every pod of the namespaces with `istio-injection=enabled` `security.istio.io/tlsMode=istio`,
 * the label injection adds. Without it istiod treats those endpoints as plaintext workloads and serves no
 * remote-network endpoint for them. Returns how many namespaces were labelled. @see docs/istiod-on-host.md
 */
export function labelInjectedPods(local: string): number {
    const { kubeconfig } = clusterAccess(local);
    const kubectl = (args: string[]) => execFileSync("kubectl", ["--kubeconfig", kubeconfig, ...args], { encoding: "utf8", stdio: "pipe" });
    const namespaces = kubectl(["get", "ns", "-l", "istio-injection=enabled", "-o", "name"]).split("\n").filter(Boolean);
    for (const ns of namespaces) {
        kubectl(["-n", ns.replace("namespace/", ""), "label", "pods", "--all", "--overwrite", "security.istio.io/tlsMode=istio"]);
    }
    return namespaces.length;
}

function pidFile(local: string): string {
    return path.join(STATE, local, "run", "istiod.pid");
}

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

function portFree(host: string, port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const s = net.createServer();
        s.once("error", () => resolve(false));
        s.listen(port, host, () => s.close(() => resolve(true)));
    });
}

/** Waits until istiod answers ready on its http port; throws with its log's tail otherwise. */
async function waitReady(h: HostIstiod, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (!alive(h.pid)) break;
        const ok = await fetch(`${h.http}/ready`).then((r) => r.ok, () => false);
        if (ok) return;
        await new Promise((r) => setTimeout(r, 250));
    }
    const tail = readOr(path.join(h.dir, "istiod.log"), "").split("\n").slice(-30).join("\n");
    throw new Error(`${h.local}: istiod (${h.clusterId}) not ready within ${timeoutMs / 1000}s${alive(h.pid) ? "" : " (exited)"}:\n${tail}`);
}

/**
 * Starts one istiod per local cluster (those not running yet); refuses, naming every missing object, before
 * starting any. Resolves when all are ready.
 */
export async function startIstiods(opts: { clusters?: string[]; readyTimeoutMs?: number } = {}): Promise<HostIstiod[]> {
    const clusters = opts.clusters ?? localClusters();
    const binary = pilotDiscovery();
    const problems: string[] = [];
    const planned = [];
    for (const local of clusters) {
        const running = runningIstiod(local);
        if (running) {
            planned.push({ local, running });
            continue;
        }
        const access = clusterAccess(local);
        const dir = path.join(STATE, local, "istiod");
        const r = istiodPlan(await readObjects(access.kubeconfig), {
            context: local,
            address: access.address,
            kubeconfig: access.kubeconfig,
            podName: `istiod-host-${local}`,
        });
        problems.push(...r.problems);
        for (const [name, port] of Object.entries(ISTIOD_PORTS) as [string, number][]) {
            if (!(await portFree(access.address, port))) problems.push(`${local}: ${access.address}:${port} (${name}) is in use by another process`);
        }
        if (r.plan) planned.push({ local, plan: r.plan, dir, address: access.address });
    }
    if (problems.length) throw new Error(`cannot start istiod:\n  - ${problems.join("\n  - ")}`);

    const started: HostIstiod[] = [];
    for (const p of planned) {
        if ("running" in p && p.running) {
            started.push(p.running);
            continue;
        }
        const { local, plan, dir, address } = p as Required<Omit<typeof p, "running">>;
        fs.rmSync(dir, { recursive: true, force: true });
        for (const [rel, content] of Object.entries(plan!.files)) {
            fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
            fs.writeFileSync(path.join(dir, rel), content, { mode: 0o600 });
        }
        const log = fs.openSync(path.join(dir, "istiod.log"), "a");
        const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, ...plan!.env };
        const child = spawn(binary, plan!.args, { cwd: dir, env, detached: true, stdio: ["ignore", log, log] });
        child.unref();
        fs.closeSync(log);
        fs.mkdirSync(path.dirname(pidFile(local)), { recursive: true });
        fs.writeFileSync(pidFile(local), String(child.pid));
        const h = hostIstiod(local, plan!.clusterId, address, child.pid!);
        fs.writeFileSync(path.join(dir, "info.json"), JSON.stringify(h, null, 2));
        started.push(h);
    }
    try {
        await Promise.all(started.map((h) => waitReady(h, opts.readyTimeoutMs ?? 60_000)));
    } catch (e) {
        stopIstiods(clusters);
        throw e;
    }
    return started;
}

function hostIstiod(local: string, clusterId: string, address: string, pid: number): HostIstiod {
    return {
        local,
        clusterId,
        address,
        xds: `${address}:${ISTIOD_PORTS.grpc}`,
        http: `http://${address}:${ISTIOD_PORTS.http}`,
        monitoring: `http://${address}:${ISTIOD_PORTS.monitoring}`,
        pid,
        dir: path.join(STATE, local, "istiod"),
    };
}

/** Every host istiod that runs now, one per local cluster at most. */
export function runningIstiods(): HostIstiod[] {
    return localClusters()
        .map(runningIstiod)
        .filter((h): h is HostIstiod => !!h);
}

/** The host istiod of a local cluster, if one runs (its pid file names a live pilot-discovery). */
export function runningIstiod(local: string): HostIstiod | undefined {
    const dir = path.join(STATE, local, "istiod");
    const pid = Number(readOr(pidFile(local), "0"));
    if (!pid || !alive(pid) || !readOr(`/proc/${pid}/cmdline`, "").includes(STATE)) return undefined;
    return (JSON.parse(readOr(path.join(dir, "info.json"), "null")) as HostIstiod | null) ?? undefined;
}

/** Stops the host istiods (SIGTERM, SIGKILL after 10 s); no process is left behind. */
export function stopIstiods(clusters = localClusters()): void {
    for (const local of clusters) {
        const pid = Number(readOr(pidFile(local), "0"));
        if (pid && alive(pid) && readOr(`/proc/${pid}/cmdline`, "").includes(STATE)) {
            try {
                process.kill(-pid, "SIGTERM");
            } catch {
                process.kill(pid, "SIGTERM");
            }
            const deadline = Date.now() + 10_000;
            while (alive(pid) && Date.now() < deadline) spawnSync("sleep", ["0.2"]);
            if (alive(pid)) process.kill(-pid, "SIGKILL");
        }
        fs.rmSync(pidFile(local), { force: true });
    }
}

/** One cluster as istiod's /debug/clusterz lists it. */
export interface ClusterzEntry {
    /** The cluster ID. */
    id: string;
    /** `namespace/name` of the remote secret it was read from; empty for istiod's own cluster. */
    secretName: string;
    /** `synced`, `syncing`, `timeout`, `closed`. */
    syncStatus: string;
}

/** istiod's clusters (/debug/clusterz). */
export async function clusterz(h: HostIstiod): Promise<ClusterzEntry[]> {
    const r = await fetch(`${h.http}/debug/clusterz`, { signal: AbortSignal.timeout(5_000) });
    if (!r.ok) throw new Error(`${h.local}: /debug/clusterz answered ${r.status}`);
    return (await r.json()) as ClusterzEntry[];
}

/** istiod's view of its clusters: ID → sync status. */
export async function clusterSync(h: HostIstiod): Promise<Record<string, string>> {
    return Object.fromEntries((await clusterz(h)).map((c) => [c.id, c.syncStatus]));
}

async function main(): Promise<void> {
    const cmd = process.argv[2] ?? "start";
    if (cmd === "start") {
        for (const local of localClusters()) {
            const n = labelInjectedPods(local);
            console.log(`${local}: pods of ${n} injection-enabled namespace(s) labelled security.istio.io/tlsMode=istio (the sidecar injector's label)`);
        }
        for (const h of await startIstiods()) {
            console.log(`${h.local}: istiod for ${h.clusterId} ready, xDS ${h.xds}, debug ${h.http}/debug, clusters ${JSON.stringify(await clusterSync(h))}`);
        }
        console.log("stop with: npm run local:istiod -- stop (npm run local:down stops it too)");
    } else if (cmd === "stop") {
        stopIstiods();
        console.log("host istiods stopped");
    } else if (cmd === "status") {
        for (const local of localClusters()) {
            const h = runningIstiod(local);
            console.log(h ? `${local}: ${h.clusterId} pid ${h.pid}, clusters ${JSON.stringify(await clusterSync(h))}` : `${local}: not running`);
        }
    } else {
        throw new Error(`usage: npm run local:istiod -- [start|stop|status] (got ${cmd})`);
    }
}

if (require.main === module) {
    main().catch((e: Error) => {
        console.error(e.message);
        process.exit(1);
    });
}
