/**
 * Which API server URLs another cluster's istiod can use: https, no credentials or query in the URL, and a
 * host that is neither unspecified, link-local, a cloud metadata endpoint nor (unless allowed) loopback.
 * Address classes come from Node's `net.BlockList`, which also matches IPv4-mapped IPv6 forms.
 */
import { BlockList, isIP } from "net";

/** How a host is classified for reachability from other clusters. */
export type HostClass = "routable" | "loopback" | "unspecified" | "linkLocal" | "metadata";

function blockList(ranges: [string, number, "ipv4" | "ipv6"][]): BlockList {
    const b = new BlockList();
    for (const [net, prefix, family] of ranges) b.addSubnet(net, prefix, family);
    return b;
}

const METADATA_ADDRESSES = blockList([
    ["169.254.169.254", 32, "ipv4"], // AWS, GCP, Azure, OpenStack
    ["169.254.170.2", 32, "ipv4"], // AWS ECS task metadata
    ["fd00:ec2::254", 128, "ipv6"], // AWS IMDS over IPv6
]);
/** Host names of cloud metadata services. */
export const METADATA_HOSTNAMES = ["metadata.google.internal", "metadata", "instance-data", "instance-data.ec2.internal"];
const LOOPBACK = blockList([
    ["127.0.0.0", 8, "ipv4"],
    ["::1", 128, "ipv6"],
]);
const UNSPECIFIED = blockList([
    ["0.0.0.0", 8, "ipv4"], // "this host on this network": never a destination
    ["::", 128, "ipv6"],
]);
const LINK_LOCAL = blockList([
    ["169.254.0.0", 16, "ipv4"],
    ["fe80::", 10, "ipv6"],
]);

/** Classifies a URL host name (brackets allowed around IPv6; a trailing dot is ignored). */
export function classifyHost(rawHost: string): HostClass {
    const host = rawHost.replace(/^\[|\]$/g, "").replace(/\.$/, "").toLowerCase();
    const family = isIP(host);
    if (family) {
        const type = family === 4 ? "ipv4" : "ipv6";
        if (METADATA_ADDRESSES.check(host, type)) return "metadata";
        if (UNSPECIFIED.check(host, type)) return "unspecified";
        if (LOOPBACK.check(host, type)) return "loopback";
        if (LINK_LOCAL.check(host, type)) return "linkLocal";
        return "routable";
    }
    if (host === "localhost" || host.endsWith(".localhost")) return "loopback";
    if (METADATA_HOSTNAMES.includes(host)) return "metadata";
    return "routable";
}

/** The URL with any `user:password@` replaced, for messages (never echo a credential). */
export function displayUrl(url: string): string {
    try {
        const u = new URL(url);
        if (u.username || u.password) {
            u.username = "";
            u.password = "";
            return u.href.replace("://", "://[credentials removed]@");
        }
        return url;
    } catch {
        return url.replace(/\/\/[^/@\s]*@/, "//[credentials removed]@");
    }
}

/**
 * What is wrong with `url` as written (scheme and shape, independent of where the host points), or undefined:
 * it must be https with a host, and carry no userinfo, query or fragment.
 */
export function apiServerUrlShapeProblem(url: string): string | undefined {
    let u: URL;
    try {
        u = new URL(url);
    } catch {
        return `${JSON.stringify(displayUrl(url))} is not a URL: use https://<host>:<port> (e.g. https://10.0.0.1:6443)`;
    }
    if (u.username || u.password) {
        return `${displayUrl(url)} carries user:password@ credentials: remove them (remote secrets authenticate with a token); use https://<host>:<port>`;
    }
    if (u.protocol === "http:") {
        return `${url} is http://: the reader token would travel in clear; use the API server's https:// endpoint`;
    }
    if (u.protocol !== "https:" || !u.hostname) {
        return `${JSON.stringify(url)} is not an https:// URL with a host (e.g. https://10.0.0.1:6443)`;
    }
    if (u.search || u.hash || /[?#]/.test(url)) {
        return `${url} has a query or fragment, which kubeconfig servers do not take: use https://<host>:<port>[/path]`;
    }
    return undefined;
}

/**
 * Everything wrong with `url` as the API server other clusters' istiod dial, or undefined: its shape
 * ({@link apiServerUrlShapeProblem}) and its host's class. `from` (e.g. " (read from kubeconfig context x)")
 * is inserted after the URL in messages.
 */
export function apiServerUrlProblem(url: string, allowLoopback: boolean, from = ""): string | undefined {
    const shape = apiServerUrlShapeProblem(url);
    if (shape) return from ? `${shape}${from}` : shape;
    const shown = `${url}${from}`;
    switch (classifyHost(new URL(url).hostname)) {
        case "loopback":
            return allowLoopback
                ? undefined
                : `${shown} is a loopback address, which the other clusters' istiod cannot reach: set apiServerUrl to an address reachable from them, or set allowLoopbackApiServer: true for single-host test setups`;
        case "unspecified":
            return `${shown} is an unspecified address (0.0.0.0 / ::), which names no server: set apiServerUrl to the API server's reachable address`;
        case "linkLocal":
            return `${shown} is a link-local address (169.254.0.0/16, fe80::/10), which other clusters cannot route to: set apiServerUrl to a routable address`;
        case "metadata":
            return `${shown} is a cloud metadata endpoint, not an API server: set apiServerUrl to the cluster's API server`;
        default:
            return undefined;
    }
}

/** A canonical form of an API server URL for comparing two clusters' (lowercase host, default port made explicit). */
export function canonicalApiServer(url: string): string | undefined {
    try {
        const u = new URL(url);
        const port = u.port || (u.protocol === "https:" ? "443" : u.protocol === "http:" ? "80" : "");
        return `${u.protocol}//${u.hostname.toLowerCase()}:${port}${u.pathname.replace(/\/+$/, "")}`;
    } catch {
        return undefined;
    }
}

/** True if `s` can be a kubeconfig `tls-server-name`: a DNS host name (letters, digits, '-', dots) or an IP address. */
export function isTlsServerName(s: string): boolean {
    if (isIP(s)) return true;
    if (s.length > 253) return false;
    return /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/.test(s);
}
