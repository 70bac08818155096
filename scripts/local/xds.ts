/**
 * What a host istiod (scripts/local/istiod.ts) serves one proxy of the mesh, through meshxds (tools/meshxds, Istio's
 * own ADS client built in the istiod module): clusters, endpoints, routes and the DNS name table, typed.
 */
import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CACHE, HostIstiod } from "./istiod";

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
    routes: Record<string, { name: string; domains: string[]; routes: { name?: string; prefix?: string; path?: string; clusters: { name: string; weight: number }[] }[] }[]>;
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
    if (proxy.labels) args.push(`--labels=${Object.entries(proxy.labels).map(([k, v]) => `${k}=${v}`).join(",")}`);
    if (proxy.dns) args.push("--dns");
    return args;
}

function meshxdsFailure(args: string[], status: number | string | null, stderr: string): Error {
    return new Error(`meshxds ${args.join(" ")} exited ${status}: ${stderr.split("\n").filter((l) => l.includes("meshxds:")).join(" ") || stderr.slice(-2000)}`);
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

/** Envoy's outbound cluster name for a service host and port. */
export function outbound(host: string, port: number, subset = ""): string {
    return `outbound|${port}|${subset}|${host}`;
}
