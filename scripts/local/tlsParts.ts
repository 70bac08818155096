/**
 * `ts-node scripts/local/tlsParts.ts [start [c1,c2…]|stop|status]`: the real parts of seed 003's TLS frontend on the
 * proving ground, as host processes (built by `scripts/toolchain.sh --only tls`, nothing fetched at run time):
 * - bind9 (`named -g`), authoritative for one zone (default `mesh.test.`) on 127.0.0.1:15353, taking RFC 2136
 *   updates and zone transfers only when signed with a TSIG key generated here (`tsig-keygen`);
 * - Pebble, Let's Encrypt's test ACME server, on 127.0.0.1:14000 (ACME, TLS with its module's minica certificate)
 *   and 127.0.0.1:15000 (management: `/roots/0` is the root it generated at start), resolving through that bind9;
 * - per cluster: external-dns (rfc2136 provider, sources service, istio-gateway, crd) and the cert-manager
 *   controller (ACME DNS-01 checked only against that bind9), both with the cluster's admin kubeconfig, after their
 *   CRDs (copied from the Go module cache by the toolchain into <cache>/tls-crds) are applied.
 * State: <cache>/local/tls (bind/, pebble/, logs/, run/*.pid), so `scripts/local/down.sh` stops these too.
 * Key material (the TSIG key, Pebble's serving key) is kept in 0600 files there and never printed.
 * @see docs/tls-proving-ground.md
 */
import { execFileSync, spawn, spawnSync } from "child_process";
import * as dns from "dns";
import * as fs from "fs";
import * as https from "https";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { alive, stopProcessGroups } from "./hostProcess";

export const CACHE = process.env.ISTIO_MC_CACHE ?? path.join(os.homedir(), ".cache", "istio-multicluster");
export const STATE = path.join(CACHE, "local");
/** Everything these parts write: bind/, pebble/, logs/, run/. Under local/, so down.sh removes it with the rest. */
export const TLS_STATE = path.join(STATE, "tls");
const RUN = path.join(TLS_STATE, "run");
const LOGS = path.join(TLS_STATE, "logs");
/** What the toolchain copied out of the module cache (scripts/toolchain/tls.sh tls_crds). */
export const TLS_CRDS = path.join(CACHE, "tls-crds");

export const DNS_ADDRESS = "127.0.0.1";
export const DNS_PORT = Number(process.env.ISTIO_MC_TLS_DNS_PORT ?? 15353);
export const DEFAULT_ZONE = "mesh.test";
export const TSIG_KEY_NAME = "istio-mc-tls";
/** bind9's and external-dns's name of the TSIG algorithm; cert-manager's rfc2136 solver calls it HMACSHA256. */
export const TSIG_ALGORITHM = "hmac-sha256";
export const PEBBLE_ACME = "127.0.0.1:14000";
export const PEBBLE_MANAGEMENT = "127.0.0.1:15000";
/** The namespace of cluster-scoped cert-manager resources' Secrets (ACME account keys, the TSIG Secret). */
export const CERT_MANAGER_NAMESPACE = "cert-manager";
export const EXTERNAL_DNS_SOURCES = ["service", "istio-gateway", "crd"];

export interface TlsDns {
    /** bind9's address and port (UDP and TCP). */
    server: string;
    port: number;
    /** The zone, without the trailing dot. */
    zone: string;
    tsigKeyName: string;
    /** Base64; also in <state>/bind/tsig.key (0600). Never log it. */
    tsigSecret: string;
    tsigAlgorithm: string;
}

export interface TlsParts {
    /** Pebble's ACME directory (TLS, served with the certificate {@link pebbleServingCaPem} issued). */
    pebbleDirectoryUrl: string;
    /** The root of every certificate Pebble issues (generated at Pebble's start; from :15000/roots/0). */
    pebbleRootPem: string;
    /** The CA of the certificate Pebble's ACME and management APIs are served with (its module's test minica). */
    pebbleServingCaPem: string;
    dns: TlsDns;
    /** The clusters an external-dns and a cert-manager controller run for. */
    clusters: string[];
}

export interface StartOptions {
    clusters: string[];
    zone?: string;
    /** external-dns sources (default service, istio-gateway, crd; istio-gateway is left out, with a log line, on a
     * cluster without Istio's Gateway CRD: its informer would never sync there). */
    sources?: string[];
    log?: (line: string) => void;
}

// ---------- processes ----------

function readOr(file: string, fallback: string): string {
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : fallback;
}

/** Alive and not a zombie (a child this process started and stops is not reaped while spawnSync blocks the loop). */
const pidFile = (name: string) => path.join(RUN, `${name}.pid`);

/** The pid a part's pid file names, when it is a live process of ours (its command line names our state). */
function ourPid(name: string): number | undefined {
    const pid = Number(readOr(pidFile(name), "0"));
    return pid && alive(pid) && readOr(`/proc/${pid}/cmdline`, "").includes(STATE) ? pid : undefined;
}

/** Starts a part detached (own process group), output to logs/<name>.log, pid in run/<name>.pid. */
function startProcess(name: string, binary: string, args: string[], env: Record<string, string> = {}, cwd = TLS_STATE): number {
    fs.mkdirSync(RUN, { recursive: true });
    fs.mkdirSync(LOGS, { recursive: true });
    const out = fs.openSync(path.join(LOGS, `${name}.log`), "a");
    const child = spawn(binary, args, {
        cwd,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: TLS_STATE, ...env },
        detached: true,
        stdio: ["ignore", out, out],
    });
    child.unref();
    fs.closeSync(out);
    fs.writeFileSync(pidFile(name), String(child.pid));
    return child.pid!;
}

function logTail(name: string, lines = 25): string {
    return readOr(path.join(LOGS, `${name}.log`), "")
        .split("\n")
        .slice(-lines)
        .join("\n");
}

/** True when something accepts TCP connections on host:port (a part of another run, or another program). */
function portInUse(host: string, port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const sock = net.connect({ host, port, timeout: 1000 });
        sock.once("connect", () => {
            sock.destroy();
            resolve(true);
        });
        sock.once("error", () => resolve(false));
        sock.once("timeout", () => {
            sock.destroy();
            resolve(false);
        });
    });
}

/** Refuses to start a part whose address is taken: its readiness probe would otherwise be answered by the other one. */
async function ensureFree(part: string, addresses: string[]): Promise<void> {
    for (const a of addresses) {
        const [host, port] = a.split(":");
        if (await portInUse(host, Number(port)))
            throw new Error(`${part}: ${a} is in use by another process (another proving ground's TLS parts?); stop it first`);
    }
}

/** Polls `check` until it resolves true; throws with the part's log tail when it exits or the time is up. */
async function waitFor(name: string, pid: number, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && alive(pid)) {
        if (await check().catch(() => false)) return;
        await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${name} not ready within ${timeoutMs / 1000}s${alive(pid) ? "" : " (exited)"}:\n${logTail(name)}`);
}

/** SIGTERM to the parts' process groups, SIGKILL after 10 s; removes their pid files. */
function stopNames(names: string[]): void {
    stopProcessGroups(names.map(ourPid).filter((p): p is number => !!p));
    for (const n of names) fs.rmSync(pidFile(n), { force: true });
}

/** The names of the parts whose pid files exist (named, pebble, external-dns-<c>, cert-manager-<c>). */
function pidNames(): string[] {
    return fs.existsSync(RUN) ? fs.readdirSync(RUN).flatMap((f) => (f.endsWith(".pid") ? [f.slice(0, -4)] : [])) : [];
}

/** A binary of the toolchain's cache, else from PATH. */
export function binary(name: string): string {
    const cached = path.join(CACHE, "bin", name);
    if (fs.existsSync(cached)) return cached;
    const r = spawnSync("bash", ["-c", `command -v ${name}`], { encoding: "utf8" });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
    throw new Error(`${name} not found: run scripts/toolchain.sh --only tls`);
}

// ---------- bind9 ----------

const BIND = path.join(TLS_STATE, "bind");
const TSIG_FILE = path.join(BIND, "tsig.key");

/** The TSIG key's secret, read from the key file `tsig-keygen` wrote. */
function tsigSecret(): string {
    const m = /secret\s+"([^"]+)"/.exec(readOr(TSIG_FILE, ""));
    if (!m) throw new Error(`no TSIG secret in ${TSIG_FILE}`);
    return m[1];
}

/** A resolver that asks our bind9 only. */
export function bindResolver(): dns.promises.Resolver {
    const r = new dns.promises.Resolver({ timeout: 1000, tries: 1 });
    r.setServers([`${DNS_ADDRESS}:${DNS_PORT}`]);
    return r;
}

function namedConf(zone: string): string {
    return `// written by scripts/local/tlsParts.ts
options {
    directory "${BIND}";
    listen-on port ${DNS_PORT} { ${DNS_ADDRESS}; };
    listen-on-v6 { none; };
    pid-file "${BIND}/named.pid";
    // BIND 9.18 binds with SO_REUSEPORT by default: a second named on the same port would silently share the queries
    reuseport no;
    session-keyfile "${BIND}/session.key";
    managed-keys-directory "${BIND}";
    recursion no;
    allow-query { any; };
    dnssec-validation no;
    notify no;
};
controls { };
include "${TSIG_FILE}";
zone "${zone}" {
    type primary;
    file "${BIND}/${zone}.zone";
    allow-update { key "${TSIG_KEY_NAME}"; };
    allow-transfer { key "${TSIG_KEY_NAME}"; };
};
`;
}

function zoneFile(zone: string): string {
    return `$TTL 60
@   IN SOA ns1.${zone}. hostmaster.${zone}. 1 60 60 3600 30
@   IN NS  ns1.${zone}.
ns1 IN A   ${DNS_ADDRESS}
`;
}

async function startBind(zone: string, log: (l: string) => void): Promise<void> {
    if (ourPid("named")) {
        log(`bind9 runs already (pid ${ourPid("named")})`);
        return;
    }
    await ensureFree("bind9", [`${DNS_ADDRESS}:${DNS_PORT}`]);
    fs.rmSync(BIND, { recursive: true, force: true });
    fs.mkdirSync(BIND, { recursive: true, mode: 0o700 });
    const key = execFileSync(binary("tsig-keygen"), ["-a", TSIG_ALGORITHM, TSIG_KEY_NAME], { encoding: "utf8" });
    fs.writeFileSync(TSIG_FILE, key, { mode: 0o600 });
    fs.writeFileSync(path.join(BIND, `${zone}.zone`), zoneFile(zone));
    fs.writeFileSync(path.join(BIND, "named.conf"), namedConf(zone), { mode: 0o600 });
    execFileSync(binary("named-checkconf"), [path.join(BIND, "named.conf")], { stdio: "pipe" });
    const pid = startProcess("named", binary("named"), ["-g", "-c", path.join(BIND, "named.conf")], {}, BIND);
    const resolver = bindResolver();
    await waitFor("named", pid, 20_000, async () => (await resolver.resolveSoa(zone)).nsname === `ns1.${zone}`);
    log(`bind9 (pid ${pid}) serves ${zone}. on ${DNS_ADDRESS}:${DNS_PORT}`);
}

// ---------- Pebble ----------

const PEBBLE = path.join(TLS_STATE, "pebble");

/** GET over TLS, trusting only `ca` (the system's roots when undefined). With a User-Agent: Pebble refuses requests without. */
export function httpsGet(url: string, ca: string | undefined, timeoutMs = 5000): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        const req = https.get(url, { ca, timeout: timeoutMs, headers: { "User-Agent": "istio-multicluster-tls-parts" } }, (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (d: string) => (body += d));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("timeout", () => req.destroy(new Error(`timeout: ${url}`)));
        req.on("error", reject);
    });
}

export function pebbleServingCa(): string {
    const f = path.join(TLS_CRDS, "pebble.minica.pem");
    if (!fs.existsSync(f)) throw new Error(`${f} not found: run scripts/toolchain.sh --only tls`);
    return fs.readFileSync(f, "utf8");
}

async function startPebble(log: (l: string) => void): Promise<void> {
    if (ourPid("pebble")) {
        log(`Pebble runs already (pid ${ourPid("pebble")})`);
        return;
    }
    await ensureFree("Pebble", [PEBBLE_ACME, PEBBLE_MANAGEMENT]);
    fs.rmSync(PEBBLE, { recursive: true, force: true });
    fs.mkdirSync(PEBBLE, { recursive: true, mode: 0o700 });
    const served = path.join(TLS_CRDS, "pebble-localhost");
    // the serving pair is Pebble's own public test pair; copied so that the key file is ours and 0600
    fs.copyFileSync(path.join(served, "cert.pem"), path.join(PEBBLE, "cert.pem"));
    fs.copyFileSync(path.join(served, "key.pem"), path.join(PEBBLE, "key.pem"));
    fs.chmodSync(path.join(PEBBLE, "key.pem"), 0o600);
    const config = {
        pebble: {
            listenAddress: PEBBLE_ACME,
            managementListenAddress: PEBBLE_MANAGEMENT,
            certificate: path.join(PEBBLE, "cert.pem"),
            privateKey: path.join(PEBBLE, "key.pem"),
            // HTTP-01 / TLS-ALPN-01 validation ports (unused: DNS-01 only here)
            httpPort: 5002,
            tlsPort: 5001,
            ocspResponderURL: "",
            externalAccountBindingRequired: false,
            retryAfter: { authz: 1, order: 1 },
            keyAlgorithm: "ecdsa",
            profiles: { default: { description: "proving ground", validityPeriod: 7776000 } },
        },
    };
    fs.writeFileSync(path.join(PEBBLE, "config.json"), JSON.stringify(config, null, 2) + "\n");
    const pid = startProcess(
        "pebble",
        binary("pebble"),
        ["-config", path.join(PEBBLE, "config.json"), "-dnsserver", `${DNS_ADDRESS}:${DNS_PORT}`],
        // no sleep before validating; no random nonce rejection (5% by default), so runs are repeatable
        { PEBBLE_VA_NOSLEEP: "1", PEBBLE_WFE_NONCEREJECT: "0" },
        PEBBLE,
    );
    const ca = pebbleServingCa();
    await waitFor("pebble", pid, 20_000, async () => (await httpsGet(`https://${PEBBLE_ACME}/dir`, ca)).status === 200);
    log(`Pebble (pid ${pid}) serves https://${PEBBLE_ACME}/dir, resolving with ${DNS_ADDRESS}:${DNS_PORT}`);
}

// ---------- clusters ----------

/** The cluster's admin kubeconfig (scripts/local/up.sh) and its own loopback address (127.0.N.1). */
export function clusterAccess(local: string): { kubeconfig: string; address: string } {
    const kubeconfig = path.join(STATE, local, "admin.kubeconfig");
    if (!fs.existsSync(kubeconfig)) throw new Error(`${local}: ${kubeconfig} not found: start the clusters (scripts/local/up.sh)`);
    const doc = YAML.parse(fs.readFileSync(kubeconfig, "utf8")) as { clusters: { cluster: { server: string } }[] };
    return { kubeconfig, address: new URL(doc.clusters[0].cluster.server).hostname };
}

/** kubectl against a local cluster; `input` goes to stdin. */
export function kubectl(local: string, args: string[], input?: string): string {
    return execFileSync(binary("kubectl"), ["--kubeconfig", clusterAccess(local).kubeconfig, ...args], {
        encoding: "utf8",
        input,
        stdio: ["pipe", "pipe", "pipe"],
    });
}

function crdFiles(dir: string): string[] {
    const d = path.join(TLS_CRDS, dir);
    if (!fs.existsSync(d)) throw new Error(`${d} not found: run scripts/toolchain.sh --only tls`);
    return fs
        .readdirSync(d)
        .filter((f) => f.endsWith(".yaml"))
        .map((f) => path.join(d, f));
}

function applyCrds(local: string, files: string[], names: string[]): void {
    kubectl(local, ["apply", "--server-side", "--force-conflicts", ...files.flatMap((f) => ["-f", f])]);
    kubectl(local, ["wait", "--for=condition=Established", "--timeout=60s", ...names.map((n) => `crd/${n}`)]);
}

function hasCrd(local: string, name: string): boolean {
    return kubectl(local, ["get", "crd", name, "--ignore-not-found", "-o", "name"]).trim() !== "";
}

/** GET over plain HTTP; true when it answers 200. */
async function httpOk(url: string): Promise<boolean> {
    const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return r.ok;
}

/**
 * external-dns for one cluster. Owner ID `istio-mc-<cluster>` (one per cluster, not shared): each instance only ever
 * changes or deletes records its own TXT registry entries claim, so two clusters can never delete each other's
 * records; a name both publish goes to the first writer and the second logs it as owned by another instance
 * (kubernetes-sigs/external-dns#1441: external-dns does not merge targets across owners). See
 * docs/tls-proving-ground.md.
 */
async function startExternalDns(local: string, d: TlsDns, sources: string[], log: (l: string) => void): Promise<void> {
    const name = `external-dns-${local}`;
    if (ourPid(name)) {
        log(`${local}: external-dns runs already (pid ${ourPid(name)})`);
        return;
    }
    applyCrds(local, crdFiles("external-dns"), ["dnsendpoints.externaldns.k8s.io"]);
    let used = sources;
    if (used.includes("istio-gateway") && !hasCrd(local, "gateways.networking.istio.io")) {
        log(`${local}: no Istio Gateway CRD (gateways.networking.istio.io): external-dns runs without its istio-gateway source`);
        used = used.filter((s) => s !== "istio-gateway");
    }
    const { kubeconfig, address } = clusterAccess(local);
    const metrics = `${address}:7979`;
    const args = [
        `--kubeconfig=${kubeconfig}`,
        ...used.map((s) => `--source=${s}`),
        "--crd-source-apiversion=externaldns.k8s.io/v1alpha1",
        "--crd-source-kind=DNSEndpoint",
        "--provider=rfc2136",
        `--rfc2136-host=${d.server}`,
        `--rfc2136-port=${d.port}`,
        `--rfc2136-zone=${d.zone}`,
        `--rfc2136-tsig-keyname=${d.tsigKeyName}`,
        `--rfc2136-tsig-secret-alg=${d.tsigAlgorithm}`,
        "--rfc2136-axfr",
        `--domain-filter=${d.zone}`,
        "--registry=txt",
        `--txt-owner-id=istio-mc-${local}`,
        "--policy=sync",
        "--interval=10s",
        "--events",
        `--metrics-address=${metrics}`,
    ];
    // the secret goes by environment (kingpin's DefaultEnvars), not on the command line that ps shows
    const pid = startProcess(name, binary("external-dns"), args, { EXTERNAL_DNS_RFC2136_TSIG_SECRET: d.tsigSecret });
    await waitFor(name, pid, 60_000, () => httpOk(`http://${metrics}/healthz`));
    log(`${local}: external-dns (pid ${pid}) sources ${used.join(",")} -> rfc2136 ${d.server}:${d.port} zone ${d.zone}`);
}

/** The cert-manager controller alone (no webhook, no cainjector) for one cluster; its CRDs applied first. */
async function startCertManager(local: string, d: TlsDns, log: (l: string) => void): Promise<void> {
    const name = `cert-manager-${local}`;
    if (ourPid(name)) {
        log(`${local}: cert-manager controller runs already (pid ${ourPid(name)})`);
        return;
    }
    const crds = crdFiles("cert-manager");
    applyCrds(
        local,
        crds,
        crds.map((f) => String((YAML.parse(fs.readFileSync(f, "utf8")) as { metadata: { name: string } }).metadata.name)),
    );
    kubectl(local, ["apply", "-f", "-"], `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${CERT_MANAGER_NAMESPACE}\n`);
    const { kubeconfig, address } = clusterAccess(local);
    const args = [
        `--kubeconfig=${kubeconfig}`,
        `--cluster-resource-namespace=${CERT_MANAGER_NAMESPACE}`,
        "--leader-elect=false",
        `--dns01-recursive-nameservers=${d.server}:${d.port}`,
        "--dns01-recursive-nameservers-only",
        "--dns01-check-retry-period=2s",
        // the issued Secret is owned by its Certificate: deleting the Certificate (removing tls-frontend) removes it
        "--enable-certificate-owner-ref",
        `--metrics-listen-address=${address}:9402`,
        `--internal-healthz-listen-address=${address}:9403`,
        "--v=2",
    ];
    const pid = startProcess(name, binary("cert-manager-controller"), args);
    await waitFor(name, pid, 60_000, () => httpOk(`http://${address}:9403/livez`));
    log(`${local}: cert-manager controller (pid ${pid}) DNS-01 checks against ${d.server}:${d.port} only`);
}

/** What a running set of parts offers (the TSIG secret read from its 0600 file). */
async function describe(zone: string, clusters: string[]): Promise<TlsParts> {
    const ca = pebbleServingCa();
    const root = await httpsGet(`https://${PEBBLE_MANAGEMENT}/roots/0`, ca);
    if (root.status !== 200) throw new Error(`Pebble /roots/0 answered ${root.status}`);
    return {
        pebbleDirectoryUrl: `https://${PEBBLE_ACME}/dir`,
        pebbleRootPem: root.body,
        pebbleServingCaPem: ca,
        dns: {
            server: DNS_ADDRESS,
            port: DNS_PORT,
            zone,
            tsigKeyName: TSIG_KEY_NAME,
            tsigSecret: tsigSecret(),
            tsigAlgorithm: TSIG_ALGORITHM,
        },
        clusters,
    };
}

/**
 * Starts what is not running yet: bind9, then Pebble (it resolves through bind9), then per cluster external-dns and
 * the cert-manager controller. Parts already running are kept (a restarted Pebble would have a new root). On a
 * failure, stops what this call started.
 */
export async function startTlsParts(opts: StartOptions): Promise<TlsParts> {
    const zone = (opts.zone ?? DEFAULT_ZONE).replace(/\.$/, "");
    const log = opts.log ?? (() => undefined);
    const before = new Set(pidNames().filter((n) => ourPid(n)));
    try {
        await startBind(zone, log);
        await startPebble(log);
        const d = (await describe(zone, opts.clusters)).dns;
        for (const local of opts.clusters) {
            await startExternalDns(local, d, opts.sources ?? EXTERNAL_DNS_SOURCES, log);
            await startCertManager(local, d, log);
        }
    } catch (e) {
        stopNames(pidNames().filter((n) => !before.has(n)));
        throw e;
    }
    return describe(zone, opts.clusters);
}

/** Stops the parts: all of them, or only these clusters' external-dns and cert-manager controller. */
export function stopTlsParts(opts: { clusters?: string[] } = {}): void {
    const names = opts.clusters ? opts.clusters.flatMap((c) => [`external-dns-${c}`, `cert-manager-${c}`]) : pidNames();
    stopNames(names);
}

/** The parts running now: name → pid. */
export function runningTlsParts(): Record<string, number> {
    return Object.fromEntries(pidNames().flatMap((n) => (ourPid(n) ? [[n, ourPid(n)!]] : [])));
}

async function main(): Promise<void> {
    const [cmd = "start", list] = process.argv.slice(2);
    if (cmd === "start") {
        const clusters = (list ?? "c1").split(",").filter(Boolean);
        const p = await startTlsParts({ clusters, log: (l) => console.log(l) });
        console.log(
            `ACME directory ${p.pebbleDirectoryUrl} (serving CA ${path.join(TLS_CRDS, "pebble.minica.pem")}); ` +
                `DNS ${p.dns.server}:${p.dns.port} zone ${p.dns.zone}, TSIG key ${p.dns.tsigKeyName} (${p.dns.tsigAlgorithm}) in ${TSIG_FILE}`,
        );
    } else if (cmd === "stop") {
        stopTlsParts();
        console.log("TLS parts stopped");
    } else if (cmd === "status") {
        const r = runningTlsParts();
        console.log(
            Object.keys(r).length
                ? Object.entries(r)
                      .map(([n, p]) => `${n}: pid ${p}`)
                      .join("\n")
                : "not running",
        );
    } else {
        throw new Error(`usage: tlsParts.ts [start [c1,c2…]|stop|status] (got ${cmd})`);
    }
}

if (require.main === module) {
    main().catch((e: Error) => {
        console.error(e.message);
        process.exit(1);
    });
}
