/**
 * What a host istiod (scripts/local/istiod.ts) serves one proxy of the mesh, through meshxds (tools/meshxds, Istio's
 * own ADS client built in the istiod module): clusters, endpoints, routes and the DNS name table, typed.
 */
import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CACHE, HostIstiod } from "./istiod";
import { DEFAULT_REVISION, istiodDeploymentName, ISTIOD_PORTS } from "./istiodPlan";

/** One endpoint of a cluster load assignment (EDS), with its locality group's priority and weight. */
export interface XdsEndpoint {
    address: string;
    port: number;
    weight: number;
    locality: string;
    priority: number;
    localityWeight: number;
    cluster?: string;
}
/** What istiod served the proxy. */
export interface XdsView {
    node: string;
    clusters: { name: string; type: string; outlierDetection: boolean; lbPolicy: string }[];
    endpoints: Record<string, XdsEndpoint[]>;
    routes: Record<
        string,
        {
            name: string;
            domains: string[];
            routes: { name?: string; prefix?: string; path?: string; clusters: { name: string; weight: number }[] }[];
        }[]
    >;
    nameTable?: Record<string, string[]>;
    listeners: string[];
    received: Record<string, number>;
}

/** The proxy to impersonate. */
export interface ProxyIdentity {
    /** The mesh cluster ID the proxy runs in (its istiod's CLUSTER_ID). */
    cluster: string;
    /** The cluster's network (topology.istio.io/network of istio-system). */
    network: string;
    /** region/zone[/subzone]. */
    locality?: string;
    /** @default "sample" */
    namespace?: string;
    /** @default "meshxds-probe" */
    workload?: string;
    /** A pod IP; a real pod's IP makes istiod apply that pod's labels. @default "10.255.0.1" */
    ip?: string;
    /** "router" for a gateway. @default "sidecar" */
    type?: "sidecar" | "router";
    /** Workload labels (a gateway's selector labels). */
    labels?: Record<string, string>;
    /** Ask for the DNS name table (DNS capture and auto-allocation on). */
    dns?: boolean;
}

/** The meshxds binary the toolchain built from the current tools/meshxds. */
export function meshxdsBinary(): string {
    const bin = path.join(CACHE, "bin", "meshxds");
    if (!fs.existsSync(bin)) throw new Error("meshxds not found: run `npm run toolchain` (scripts/toolchain.sh --only istio builds it)");
    return bin;
}

function meshxdsArgs(istiod: Pick<HostIstiod, "xds">, proxy: ProxyIdentity): string[] {
    const args = [`--addr=${istiod.xds}`, `--cluster=${proxy.cluster}`, `--network=${proxy.network}`];
    if (proxy.locality) args.push(`--locality=${proxy.locality}`);
    if (proxy.namespace) args.push(`--namespace=${proxy.namespace}`);
    if (proxy.workload) args.push(`--workload=${proxy.workload}`);
    if (proxy.ip) args.push(`--ip=${proxy.ip}`);
    if (proxy.type) args.push(`--type=${proxy.type}`);
    if (proxy.labels)
        args.push(
            `--labels=${Object.entries(proxy.labels)
                .map(([k, v]) => `${k}=${v}`)
                .join(",")}`,
        );
    if (proxy.dns) args.push("--dns");
    return args;
}

function meshxdsFailure(args: string[], status: number | string | null, stderr: string): Error {
    return new Error(
        `meshxds ${args.join(" ")} exited ${status}: ${
            stderr
                .split("\n")
                .filter((l) => l.includes("meshxds:"))
                .join(" ") || stderr.slice(-2000)
        }`,
    );
}

const MESHXDS_OPTIONS = { encoding: "utf8", maxBuffer: 64 << 20, timeout: 90_000 } as const;

/** Connects to `istiod` as `proxy` and returns what it served. */
export function xdsView(istiod: Pick<HostIstiod, "xds">, proxy: ProxyIdentity): XdsView {
    const args = meshxdsArgs(istiod, proxy);
    const r = spawnSync(meshxdsBinary(), args, MESHXDS_OPTIONS);
    if (r.status !== 0) throw meshxdsFailure(args, r.status, r.stderr);
    return JSON.parse(r.stdout) as XdsView;
}

/** {@link xdsView} without blocking the event loop (for polling while other work runs). */
export function xdsViewAsync(istiod: Pick<HostIstiod, "xds">, proxy: ProxyIdentity): Promise<XdsView> {
    const args = meshxdsArgs(istiod, proxy);
    return new Promise((resolve, reject) => {
        execFile(meshxdsBinary(), args, MESHXDS_OPTIONS, (err, stdout, stderr) => {
            if (err) reject(meshxdsFailure(args, err.code ?? err.signal ?? null, stderr));
            else resolve(JSON.parse(stdout) as XdsView);
        });
    });
}

/**
 * The trust anchors `istiod` serves `proxy` over PCDS (`meshxds pcds`, tools/meshxds/pcds.go): each certificate of the
 * ProxyConfig's `caCertificatesPem`, one PEM each, in istiod's order. istiod serves PCDS only with
 * `ISTIO_MULTIROOT_MESH=true` (stack config `ca.multiRoot`); otherwise it sends nothing and this rejects with
 * meshxds's timeout message. `proxy.dns` is ignored.
 * @see docs/istiod-on-host.md
 */
export function trustAnchorsAsync(istiod: Pick<HostIstiod, "xds">, proxy: ProxyIdentity): Promise<string[]> {
    const args = ["pcds", ...meshxdsArgs(istiod, { ...proxy, dns: false })];
    return new Promise((resolve, reject) => {
        execFile(meshxdsBinary(), args, MESHXDS_OPTIONS, (err, stdout, stderr) => {
            // a meshxds built from a checkout without pcds.go takes `pcds` for a stray argument and stops parsing there
            if (err && stderr.includes("--cluster and --network are required"))
                reject(new Error(`${meshxdsBinary()} has no \`pcds\` subcommand: rebuild it (bash scripts/toolchain.sh --only istio)`));
            else if (err) reject(meshxdsFailure(args, err.code ?? err.signal ?? null, stderr));
            else resolve((JSON.parse(stdout) as { node: string; trustAnchors: string[] }).trustAnchors);
        });
    });
}

/** Envoy's outbound cluster name for a service host and port. */
export function outbound(host: string, port: number, subset = ""): string {
    return `outbound|${port}|${subset}|${host}`;
}

/** Who asks `meshxds sds` (tools/meshxds/sds.go): an ingress gateway of a cluster, authenticated with its JWT. */
export interface GatewaySdsRequest {
    /** The gateway's mesh cluster ID (CLUSTER_ID and the ClusterID metadata: the cluster whose API server reviews the token). */
    cluster: string;
    /** The cluster's network. */
    network: string;
    /** A token of the gateway's service account (audience istio-ca); sent to istiod only (stdin of meshxds), never printed. */
    token: string;
    /** PEM bundle to verify istiod's serving certificate with; without it the connection is not verified (proving ground only). */
    rootPem?: string;
    /** The Gateway server's port whose listeners are read; 0 for every listener. @default 443 */
    port?: number;
    /** The gateway's labels (a Gateway's selector). @default { istio: "ingressgateway", app: "istio-ingressgateway" } */
    labels?: Record<string, string>;
    /** The gateway's namespace; the token's service account must be in it. @default "istio-system" */
    namespace?: string;
    /** The gateway's workload name. @default "istio-ingressgateway" */
    workload?: string;
    /** The SERVICE_ACCOUNT the proxy reports; must be the token's. @default the workload */
    serviceAccount?: string;
    /** The name istiod's serving certificate must carry. @default istiod[-<revision>].istio-system.svc */
    san?: string;
    /** How long meshxds waits for each response (LDS, then SDS). @default 20 */
    timeoutSeconds?: number;
}

/** One secret istiod served over SDS. The private key is never returned: only whether istiod sent one. */
export interface GatewaySdsSecret {
    certChainPem?: string;
    hasPrivateKey: boolean;
    privateKeyProvider?: string;
    /** For a validation context (`…-cacert`, MUTUAL mode): the trusted CA bundle. */
    trustedCaPem?: string;
}

/** What istiod serves a gateway for the TLS servers on a port. */
export interface GatewaySds {
    node: string;
    /** Whether istiod's serving certificate was verified against `rootPem`. */
    verified: boolean;
    /** The listeners on the port, e.g. `0.0.0.0_443`. */
    listeners: string[];
    /** Each filter chain of those listeners: its SNI names and the SDS names its TLS context refers to. */
    chains: { listener: string; serverNames: string[]; sdsNames: string[] }[];
    /** The SDS names asked of istiod (those whose SDS config is ADS, e.g. `kubernetes://<credentialName>`). */
    requested: string[];
    secrets: Record<string, GatewaySdsSecret>;
    /** Requested names istiod did not serve (not authorized, absent, or no valid TLS Secret). */
    missing?: string[];
}

function sdsArgs(istiod: Pick<HostIstiod, "address" | "revision">, req: GatewaySdsRequest, rootFile?: string): string[] {
    const revision = istiod.revision ?? DEFAULT_REVISION;
    const labels = req.labels ?? { istio: "ingressgateway", app: "istio-ingressgateway" };
    const args = [
        "sds",
        `--addr=${istiod.address}:${ISTIOD_PORTS.secureGrpc}`,
        `--cluster=${req.cluster}`,
        `--network=${req.network}`,
        `--namespace=${req.namespace ?? "istio-system"}`,
        `--workload=${req.workload ?? "istio-ingressgateway"}`,
        `--labels=${Object.entries(labels)
            .map(([k, v]) => `${k}=${v}`)
            .join(",")}`,
        `--port=${req.port ?? 443}`,
        `--san=${req.san ?? `${istiodDeploymentName(revision)}.istio-system.svc`}`,
        "--token-file=-",
    ];
    if (req.serviceAccount) args.push(`--service-account=${req.serviceAccount}`);
    if (req.timeoutSeconds) args.push(`--timeout=${req.timeoutSeconds}s`);
    args.push(rootFile ? `--root-cert=${rootFile}` : "--insecure");
    return args;
}

/**
 * What `istiod` serves an ingress gateway over SDS for its Gateways' `credentialName`s on `req.port`: connects to its
 * secure port (15012) as the gateway, authenticated with `req.token`, and returns the listeners, filter chains and
 * served certificate chains. Rejects with meshxds's message (istiod's refusal quoted) when it fails.
 * @see docs/istiod-on-host.md
 */
export function gatewaySecrets(istiod: Pick<HostIstiod, "address" | "revision">, req: GatewaySdsRequest): Promise<GatewaySds> {
    const dir = req.rootPem === undefined ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "meshxds-sds-"));
    const rootFile = dir && path.join(dir, "root-cert.pem");
    if (rootFile) fs.writeFileSync(rootFile, req.rootPem ?? "", { mode: 0o600 });
    const args = sdsArgs(istiod, req, rootFile);
    return new Promise<GatewaySds>((resolve, reject) => {
        const child = execFile(meshxdsBinary(), args, { ...MESHXDS_OPTIONS, timeout: 60_000 }, (err, stdout, stderr) => {
            if (err) reject(meshxdsFailure(args, err.code ?? err.signal ?? null, stderr));
            else resolve(JSON.parse(stdout) as GatewaySds);
        });
        child.stdin?.end(req.token);
    }).finally(() => {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });
}
