/**
 * `npm run local:istiod -- [start|sync|stop|status]`: one real istiod (pilot-discovery, built by the toolchain) per istiod
 * Deployment (per revision) of each local cluster, as host processes, configured from what `pulumi up` created there
 * (scripts/local/istiodPlan.ts). The revision-less istiod binds its ports on its cluster's loopback address
 * (127.0.N.1); each named revision (canary upgrades) on a stable address of its own, 127.0.N.11 upward
 * (scripts/local/istiodRevisions.ts). Each reads its own cluster with the admin kubeconfig and the others through the
 * remote secrets Pulumi wrote, and runs the pilot-discovery of the Istio version its Deployment's image names. State
 * lives beside the cluster's (<cache>/local/cN/istiod or cN/istiod-<revision>, pid in cN/run/istiod[-<revision>].pid),
 * so `npm run local:down` stops them too.
 * @see docs/istiod-on-host.md
 */
import { execFileSync, spawn, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import {
    CACERTS_DIR,
    cacertsChanges,
    cacertsFiles,
    DEFAULT_REVISION,
    installedRevisions,
    ISTIOD_PORTS,
    istiodDeploymentName,
    IstiodDeployment,
    istiodPlan,
    IstiodPlan,
    meshConfigMapName,
} from "./istiodPlan";
import { alive, stopProcessGroups } from "./hostProcess";
import { assignAddresses, BinaryProbe, chooseBinary, parseVersionOutput, persistedAddresses, RevisionAddresses } from "./istiodRevisions";

export const CACHE = process.env.ISTIO_MC_CACHE ?? path.join(os.homedir(), ".cache", "istio-multicluster");
export const STATE = path.join(CACHE, "local");

/** One running host istiod (one revision of one local cluster). */
export interface HostIstiod {
    /** The proving ground's cluster (c1, c2, …). */
    local: string;
    /** The istiod revision: `default` for the revision-less install (Deployment `istiod`), else its `revision` value. */
    revision: string;
    /** The Istio version it runs (its Deployment's image tag); `unknown` for one started before revisions were known. */
    version: string;
    /** The mesh cluster ID (CLUSTER_ID of the rendered Deployment), e.g. cluster1. */
    clusterId: string;
    /** The loopback address all its ports are bound on (127.0.N.1 for `default`, 127.0.N.11… for named revisions). */
    address: string;
    /** Plaintext xDS (host:port). */
    xds: string;
    /** Debug and readiness endpoints (http://host:port). */
    http: string;
    monitoring: string;
    pid: number;
    /** Its state directory (working dir, files, istiod.log): <cache>/local/cN/istiod or cN/istiod-<revision>. */
    dir: string;
    /**
     * A hash of what a pod template change would change (arguments and environment): a new one rolls the host istiod
     * out (stop, start) as a Deployment would its pod; files (cacerts, mesh config) are updated in place instead.
     * Absent for one started before this was recorded (then it is kept).
     */
    template?: string;
}

/** The {@link HostIstiod.template} of a plan. */
export function podTemplateHash(plan: Pick<IstiodPlan, "args" | "env">): string {
    return createHash("sha256")
        .update(JSON.stringify({ args: plan.args, env: Object.entries(plan.env).sort() }))
        .digest("hex")
        .slice(0, 16);
}

/** The local clusters that exist (scripts/local/up.sh's count). */
export function localClusters(): string[] {
    const n = Number(readOr(path.join(STATE, "clusters"), "3").trim());
    return Array.from({ length: n }, (_, i) => `c${i + 1}`);
}

function readOr(file: string, fallback: string): string {
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : fallback;
}

const versions = new Map<string, { mtimeMs: number; version?: string }>();
/** What `<binary> version -s` reports, asked once per binary file (and again only when the file changes). */
function versionOf(binary: string): string | undefined {
    const mtimeMs = fs.statSync(binary).mtimeMs;
    const memo = versions.get(binary);
    if (memo?.mtimeMs === mtimeMs) return memo.version;
    const r = spawnSync(binary, ["version", "-s"], { encoding: "utf8", timeout: 30_000 });
    const version = r.status === 0 ? parseVersionOutput(r.stdout) : undefined;
    versions.set(binary, { mtimeMs, version });
    return version;
}

const probe: BinaryProbe = {
    cacheBin: path.join(CACHE, "bin"),
    exists: (f) => fs.existsSync(f),
    onPath: () => {
        const r = spawnSync("bash", ["-c", "command -v pilot-discovery"], { encoding: "utf8" });
        return r.status === 0 ? r.stdout.trim() : undefined;
    },
    versionOf,
};

/**
 * The unversioned pilot-discovery binary: the toolchain's (or the user's on PATH), whatever its version. Host istiods
 * run the one of their Deployment's version instead (scripts/local/istiodRevisions.ts chooseBinary).
 */
export function pilotDiscovery(): string {
    const cached = path.join(CACHE, "bin", "pilot-discovery");
    if (fs.existsSync(cached)) return cached;
    const onPath = probe.onPath();
    if (onPath) return onPath;
    throw new Error("pilot-discovery not found: run `npm run toolchain` (scripts/toolchain.sh --only istio builds it)");
}

/** What a cluster holds for its istiods: every istiod Deployment, the mesh ConfigMap of each revision, cacerts. */
interface ClusterObjects {
    deployments: IstiodDeployment[];
    meshConfigs: Record<string, Record<string, string> | undefined>;
    cacerts?: Record<string, string>;
}

/** Reads the istiod Deployments (label app=istiod in istio-system), their revisions' ConfigMaps (and `extra` ones'). */
async function readCluster(kubeconfig: string, extraRevisions: string[]): Promise<ClusterObjects> {
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
    const namespace = "istio-system";
    const [list, secret] = await Promise.all([
        absent(apps.listNamespacedDeployment({ namespace, labelSelector: "app=istiod" })),
        absent(core.readNamespacedSecret({ name: "cacerts", namespace })),
    ]);
    const deployments = (list?.items ?? []) as IstiodDeployment[];
    const revisions = new Set([
        ...installedRevisions(deployments, "").revisions.map((r) => r.revision),
        ...extraRevisions,
        DEFAULT_REVISION,
    ]);
    const meshConfigs: ClusterObjects["meshConfigs"] = {};
    await Promise.all(
        [...revisions].map(async (r) => {
            const cm = await absent(core.readNamespacedConfigMap({ name: meshConfigMapName(r), namespace }));
            meshConfigs[r] = cm ? (cm.data ?? {}) : undefined;
        }),
    );
    return { deployments, meshConfigs, cacerts: secret ? (secret.data ?? {}) : undefined };
}

/** The cluster's own admin kubeconfig (scripts/local/up.sh writes one per cluster) and its API server's address. */
function clusterAccess(local: string): { kubeconfig: string; address: string } {
    const kubeconfig = path.join(STATE, local, "admin.kubeconfig");
    if (!fs.existsSync(kubeconfig)) throw new Error(`${local}: ${kubeconfig} not found: start the clusters (npm run local:up)`);
    const doc = YAML.parse(fs.readFileSync(kubeconfig, "utf8")) as { clusters: { cluster: { server: string } }[] };
    const server = doc.clusters[0].cluster.server;
    return { kubeconfig, address: new URL(server).hostname };
}

/** Namespace selectors whose pods the sidecar injector would inject: the revision-less one and any revision's. */
export const INJECTION_SELECTORS = ["istio-injection=enabled", "istio.io/rev"] as const;

/**
 * The one stand-in for what the mesh would do itself: there is no sidecar injector (no pod ever starts on kwok
 * nodes), so this labels every pod of the namespaces selected for injection (`istio-injection=enabled`, or
 * `istio.io/rev=<any revision>`) `security.istio.io/tlsMode=istio`, the label injection adds. Without it istiod
 * treats those endpoints as plaintext workloads and serves no remote-network endpoint for them. Returns how many
 * namespaces were labelled. @see docs/istiod-on-host.md
 */
export function labelInjectedPods(local: string): number {
    const { kubeconfig } = clusterAccess(local);
    const kubectl = (args: string[]) => execFileSync("kubectl", ["--kubeconfig", kubeconfig, ...args], { encoding: "utf8", stdio: "pipe" });
    const namespaces = new Set(
        INJECTION_SELECTORS.flatMap((selector) => kubectl(["get", "ns", "-l", selector, "-o", "name"]).split("\n").filter(Boolean)),
    );
    for (const ns of namespaces) {
        kubectl(["-n", ns.replace("namespace/", ""), "label", "pods", "--all", "--overwrite", "security.istio.io/tlsMode=istio"]);
    }
    return namespaces.size;
}

/** cN/run/istiod.pid for the revision-less istiod, cN/run/istiod-<revision>.pid otherwise. */
function pidFile(local: string, revision: string = DEFAULT_REVISION): string {
    return path.join(STATE, local, "run", `${istiodDeploymentName(revision)}.pid`);
}

/** cN/istiod for the revision-less istiod, cN/istiod-<revision> otherwise. */
function stateDir(local: string, revision: string): string {
    return path.join(STATE, local, istiodDeploymentName(revision));
}

/** The named revisions' addresses, kept across restarts (scripts/local/istiodRevisions.ts). */
function addressesFile(local: string): string {
    return path.join(STATE, local, "istiod-revisions.json");
}

function readAddresses(local: string): RevisionAddresses {
    try {
        const v = JSON.parse(readOr(addressesFile(local), "{}")) as unknown;
        return v && typeof v === "object" && !Array.isArray(v) ? (v as RevisionAddresses) : {};
    } catch {
        return {};
    }
}

function writeAddresses(local: string, addresses: RevisionAddresses): void {
    const f = addressesFile(local);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(`${f}.tmp`, JSON.stringify(addresses, null, 2) + "\n");
    fs.renameSync(`${f}.tmp`, f);
}

/** The revisions whose pid files a cluster holds (cN/run/istiod.pid, cN/run/istiod-<revision>.pid). */
function pidRevisions(local: string): string[] {
    const run = path.join(STATE, local, "run");
    const files = fs.existsSync(run) ? fs.readdirSync(run) : [];
    return files.flatMap((f) => {
        const m = /^istiod(?:-(.+))?\.pid$/.exec(f);
        return m ? [m[1] ?? DEFAULT_REVISION] : [];
    });
}

/** The pid a pid file names, when it is a live process of ours (its command line names the state dir). */
function ourPid(file: string): number | undefined {
    const pid = Number(readOr(file, "0"));
    return pid && alive(pid) && readOr(`/proc/${pid}/cmdline`, "").includes(STATE) ? pid : undefined;
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
        const ok = await fetch(`${h.http}/ready`).then(
            (r) => r.ok,
            () => false,
        );
        if (ok) return;
        await new Promise((r) => setTimeout(r, 250));
    }
    const tail = readOr(path.join(h.dir, "istiod.log"), "").split("\n").slice(-30).join("\n");
    throw new Error(
        `${h.local}: istiod ${h.revision} (${h.clusterId}) not ready within ${timeoutMs / 1000}s${alive(h.pid) ? "" : " (exited)"}:\n${tail}`,
    );
}

/** Orders host istiods by cluster (in `clusters`' order), the revision-less one first, then by revision. */
function byClusterAndRevision(clusters: string[]): (a: HostIstiod, b: HostIstiod) => number {
    const rank = (r: string) => (r === DEFAULT_REVISION ? "" : r);
    return (a, b) => clusters.indexOf(a.local) - clusters.indexOf(b.local) || rank(a.revision).localeCompare(rank(b.revision));
}

/**
 * Reconciles the host istiods of the local clusters with their istiod Deployments, then resolves when all are ready:
 * - starts one istiod per istiod Deployment (per revision; only `opts.revisions` when given) that has none running;
 * - stops host istiods whose Deployment no longer exists, or whose Deployment's image now names another Istio version
 *   (an in-place upgrade; that revision is then started again on the new version), so calling it after each
 *   `pulumi up` of an upgrade sequence keeps the host in step.
 * Refuses, naming every missing object or binary, before starting any (stale ones are stopped first). A cluster with no
 * istiod Deployment at all is refused as one whose revision-less `istiod` is missing. On a readiness failure, stops the
 * ones it started. Returns every host istiod of the chosen revisions in `clusters`, running before or started now.
 */
export async function startIstiods(
    opts: { clusters?: string[]; readyTimeoutMs?: number; revisions?: string[]; log?: (line: string) => void } = {},
): Promise<HostIstiod[]> {
    const clusters = opts.clusters ?? localClusters();
    const log = opts.log ?? (() => undefined);
    const problems: string[] = [];
    const kept: HostIstiod[] = [];
    const planned: { local: string; plan: IstiodPlan; binary: string; address: string }[] = [];
    for (const local of clusters) {
        const access = clusterAccess(local);
        const objects = await readCluster(access.kubeconfig, opts.revisions ?? []);
        const found = installedRevisions(objects.deployments, local);
        problems.push(...found.problems);
        const installed = new Map(found.revisions.map((r) => [r.revision, r]));

        const running = runningIstiodsOf(local);
        const stale = running.filter((h) => {
            const r = installed.get(h.revision);
            return !r || (r.version !== undefined && h.version !== "unknown" && r.version !== h.version);
        });
        for (const h of stale) {
            const r = installed.get(h.revision);
            log(
                `${local}: stopping istiod ${h.revision} (Istio ${h.version}): ` +
                    (r
                        ? `its Deployment now runs Istio ${r.version}`
                        : `Deployment istio-system/${istiodDeploymentName(h.revision)} is gone`),
            );
        }
        stopHosts(stale);
        const up = running.filter((h) => !stale.includes(h));

        const wanted =
            opts.revisions ??
            (found.revisions.length || found.problems.length ? found.revisions.map((r) => r.revision) : [DEFAULT_REVISION]);
        const known = { ...readAddresses(local), ...Object.fromEntries(up.map((h) => [h.revision, h.address])) };
        const addresses = assignAddresses(access.address, [...new Set([...found.revisions.map((r) => r.revision), ...wanted])], known);
        writeAddresses(local, persistedAddresses(addresses));

        for (const revision of wanted) {
            const address = addresses[revision];
            const deployment = installed.get(revision)?.deployment;
            const r = istiodPlan(
                { deployment, meshConfig: objects.meshConfigs[revision], cacerts: objects.cacerts },
                {
                    context: local,
                    address,
                    kubeconfig: access.kubeconfig,
                    podName: revision === DEFAULT_REVISION ? `istiod-host-${local}` : `istiod-${revision}-host-${local}`,
                    revision,
                },
            );
            const already = up.find((h) => h.revision === revision);
            if (already) {
                // A Deployment whose pod template changed (env, args) rolls its pod: stop, then start with the new plan.
                if (!r.plan || !already.template || already.template === podTemplateHash(r.plan)) {
                    kept.push(already);
                    continue;
                }
                log(`${local}: restarting istiod ${revision}: its Deployment's pod template changed (env or args)`);
                stopHosts([already]);
            }
            problems.push(...r.problems);
            if (!r.plan) continue;
            const image = deployment?.spec?.template?.spec?.containers?.find((c) => c.name === "discovery")?.image;
            const b = chooseBinary(r.plan.version, probe, { context: local, deployment: istiodDeploymentName(revision), image });
            if ("problem" in b) {
                problems.push(b.problem);
                continue;
            }
            for (const [name, port] of Object.entries(ISTIOD_PORTS) as [string, number][]) {
                if (!(await portFree(address, port)))
                    problems.push(`${local}: ${address}:${port} (${name} of istiod ${revision}) is in use by another process`);
            }
            planned.push({ local, plan: r.plan, binary: b.binary, address });
        }
    }
    if (problems.length) throw new Error(`cannot start istiod:\n  - ${problems.join("\n  - ")}`);
    // The ones kept running see a changed cacerts Secret as a pod would (files swapped in place, same process).
    for (const local of new Set(kept.map((h) => h.local))) {
        const hosts = kept.filter((h) => h.local === local);
        for (const r of syncCacerts(local, hosts, (await readCluster(clusterAccess(local).kubeconfig, [])).cacerts)) {
            if (r.changed.length) log(`${local}: istiod ${r.revision} (pid ${r.pid}): cacerts ${r.changed.join(", ")} rewritten in place`);
        }
    }

    const started: HostIstiod[] = [];
    for (const { local, plan, binary, address } of planned) {
        const dir = stateDir(local, plan.revision);
        fs.rmSync(dir, { recursive: true, force: true });
        const cacerts: Record<string, string> = {};
        for (const [rel, content] of Object.entries(plan.files)) {
            if (rel.startsWith(`${CACERTS_DIR}/`)) {
                cacerts[rel.slice(CACERTS_DIR.length + 1)] = content;
                continue;
            }
            fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
            fs.writeFileSync(path.join(dir, rel), content, { mode: 0o600 });
        }
        writeCacertsAtomically(dir, cacerts);
        const out = fs.openSync(path.join(dir, "istiod.log"), "a");
        const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, ...plan.env };
        const child = spawn(binary, plan.args, { cwd: dir, env, detached: true, stdio: ["ignore", out, out] });
        child.unref();
        fs.closeSync(out);
        fs.mkdirSync(path.dirname(pidFile(local, plan.revision)), { recursive: true });
        fs.writeFileSync(pidFile(local, plan.revision), String(child.pid));
        const h = hostIstiod(local, plan, address, child.pid!);
        fs.writeFileSync(path.join(dir, "info.json"), JSON.stringify(h, null, 2));
        started.push(h);
    }
    try {
        await Promise.all(started.map((h) => waitReady(h, opts.readyTimeoutMs ?? 60_000)));
    } catch (e) {
        stopHosts(started);
        throw e;
    }
    return [...kept, ...started].sort(byClusterAndRevision(clusters));
}

/**
 * Writes a host istiod's cacerts files the way the kubelet updates a mounted Secret, so that a running istiod sees a
 * new set all at once: the files go into a fresh `..<timestamp>` directory, the `..data` symlink is swapped to it by a
 * rename (one atomic step, which istiod's directory watch sees as a Create), and each key is a symlink
 * `<key> -> ..data/<key>` (made once, also by rename, so a key is never absent). The previous directory is removed.
 */
export function writeCacertsAtomically(dir: string, files: Record<string, string>): void {
    const root = path.join(dir, CACERTS_DIR);
    fs.mkdirSync(root, { recursive: true });
    const data = path.join(root, "..data");
    const previous = (() => {
        try {
            return fs.readlinkSync(data);
        } catch {
            return undefined;
        }
    })();
    const stamp = new Date().toISOString().replace(/[-:.]/g, "_");
    const fresh = fs.mkdtempSync(path.join(root, `..${stamp}.`));
    for (const [key, content] of Object.entries(files)) fs.writeFileSync(path.join(fresh, key), content, { mode: 0o600 });
    const tmp = path.join(root, "..data_tmp");
    fs.rmSync(tmp, { force: true });
    fs.symlinkSync(path.basename(fresh), tmp);
    fs.renameSync(tmp, data);
    for (const key of Object.keys(files)) {
        const link = path.join(root, key);
        const target = path.join("..data", key);
        const isLink = (() => {
            try {
                return fs.readlinkSync(link) === target;
            } catch {
                return false;
            }
        })();
        if (isLink) continue;
        fs.rmSync(`${link}.tmp`, { force: true });
        fs.symlinkSync(target, `${link}.tmp`);
        fs.renameSync(`${link}.tmp`, link);
    }
    if (previous && previous !== path.basename(fresh)) fs.rmSync(path.join(root, previous), { recursive: true, force: true });
}

/** What a cacerts reconcile did to one running host istiod. */
export interface CacertsSync {
    local: string;
    revision: string;
    /** The process, unchanged: the files are swapped under it. */
    pid: number;
    /** The cacerts keys whose content changed (all written at once); empty when the files matched the Secret. */
    changed: string[];
}

/** Brings the cacerts files of these running host istiods (all of one cluster) in line with its Secret's data. */
function syncCacerts(local: string, hosts: HostIstiod[], secret: Record<string, string> | undefined): CacertsSync[] {
    const wanted = cacertsFiles(secret, local);
    if (!wanted.files) throw new Error(`cannot sync the cacerts of ${local}'s istiods: ${wanted.problems.join("; ")}`);
    return hosts.map((h) => {
        const current = Object.fromEntries(Object.keys(wanted.files!).map((k) => [k, readOrUndefined(path.join(h.dir, CACERTS_DIR, k))]));
        const changed = cacertsChanges(wanted.files!, current);
        if (changed.length) writeCacertsAtomically(h.dir, wanted.files!);
        return { local, revision: h.revision, pid: h.pid, changed };
    });
}

function readOrUndefined(file: string): string | undefined {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
}

/**
 * Reconciles the files of every running host istiod (every revision) of these clusters with what a pod would see
 * mounted: when a cluster's `cacerts` Secret changed, its istiods' etc/cacerts files are swapped in place
 * ({@link writeCacertsAtomically}), without a restart (istiod watches the directory and reloads the plugged-in CA).
 * Refuses, naming the cluster, when the Secret is gone or lacks a key (nothing is written for that cluster then).
 */
export async function syncIstiodFiles(opts: { clusters?: string[] } = {}): Promise<CacertsSync[]> {
    const out: CacertsSync[] = [];
    for (const local of opts.clusters ?? localClusters()) {
        const hosts = runningIstiodsOf(local);
        if (!hosts.length) continue;
        const { cacerts } = await readCluster(clusterAccess(local).kubeconfig, []);
        out.push(...syncCacerts(local, hosts, cacerts));
    }
    return out;
}

function hostIstiod(local: string, plan: IstiodPlan, address: string, pid: number): HostIstiod {
    return {
        local,
        revision: plan.revision,
        version: plan.version ?? "unknown",
        clusterId: plan.clusterId,
        address,
        xds: `${address}:${ISTIOD_PORTS.grpc}`,
        http: `http://${address}:${ISTIOD_PORTS.http}`,
        monitoring: `http://${address}:${ISTIOD_PORTS.monitoring}`,
        pid,
        dir: stateDir(local, plan.revision),
        template: podTemplateHash(plan),
    };
}

/** Every host istiod that runs now: every revision of every local cluster. */
export function runningIstiods(): HostIstiod[] {
    return localClusters().flatMap(runningIstiodsOf);
}

/** The host istiods of a local cluster that run now, the revision-less one first, then by revision. */
export function runningIstiodsOf(local: string): HostIstiod[] {
    return pidRevisions(local)
        .map((r) => runningIstiod(local, r))
        .filter((h): h is HostIstiod => !!h)
        .sort(byClusterAndRevision([local]));
}

/**
 * The host istiod of a local cluster's revision (`default`: the revision-less one), if one runs (its pid file names a
 * live pilot-discovery).
 */
export function runningIstiod(local: string, revision: string = DEFAULT_REVISION): HostIstiod | undefined {
    const pid = ourPid(pidFile(local, revision));
    if (!pid) return undefined;
    const info = JSON.parse(readOr(path.join(stateDir(local, revision), "info.json"), "null")) as Partial<HostIstiod> | null;
    if (!info) return undefined;
    return { ...info, revision: info.revision ?? revision, version: info.version ?? "unknown", pid } as HostIstiod;
}

/** SIGTERM to every live process the pid files name (their process groups), SIGKILL after 10 s; removes the files. */
function stopPidFiles(files: string[]): void {
    stopProcessGroups(files.map(ourPid).filter((p): p is number => !!p));
    for (const f of files) fs.rmSync(f, { force: true });
}

function stopHosts(hosts: HostIstiod[]): void {
    if (hosts.length) stopPidFiles(hosts.map((h) => pidFile(h.local, h.revision)));
}

/** Stops every host istiod (every revision) of these clusters, all at once; no process is left behind. */
export function stopIstiods(clusters = localClusters()): void {
    stopPidFiles(clusters.flatMap((local) => pidRevisions(local).map((r) => pidFile(local, r))));
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
    const line = (h: HostIstiod) =>
        `${h.local}: istiod ${h.revision} (Istio ${h.version}) for ${h.clusterId} on ${h.address}, pid ${h.pid}`;
    if (cmd === "start") {
        for (const local of localClusters()) {
            const n = labelInjectedPods(local);
            console.log(
                `${local}: pods of ${n} injection-enabled namespace(s) labelled security.istio.io/tlsMode=istio (the sidecar injector's label)`,
            );
        }
        for (const h of await startIstiods({ log: (l) => console.log(l) })) {
            console.log(`${line(h)} ready, xDS ${h.xds}, debug ${h.http}/debug, clusters ${JSON.stringify(await clusterSync(h))}`);
        }
        console.log("stop with: npm run local:istiod -- stop (npm run local:down stops them too)");
    } else if (cmd === "sync") {
        for (const r of await syncIstiodFiles()) {
            console.log(
                `${r.local}: istiod ${r.revision} (pid ${r.pid}): cacerts ${r.changed.length ? `${r.changed.join(", ")} rewritten` : "unchanged"}`,
            );
        }
    } else if (cmd === "stop") {
        stopIstiods();
        console.log("host istiods stopped");
    } else if (cmd === "status") {
        for (const local of localClusters()) {
            const hs = runningIstiodsOf(local);
            if (!hs.length) console.log(`${local}: not running`);
            for (const h of hs) console.log(`${line(h)}, clusters ${JSON.stringify(await clusterSync(h))}`);
        }
    } else {
        throw new Error(`usage: npm run local:istiod -- [start|sync|stop|status] (got ${cmd})`);
    }
}

if (require.main === module) {
    main().catch((e: Error) => {
        console.error(e.message);
        process.exit(1);
    });
}
