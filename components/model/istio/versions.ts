/**
 * Version- and address-dependent facts, kept apart so that the schema and the components agree.
 */
import { classifyHost } from "../access/apiServer";

/** Istio release used when `istio.version` is not set. */
export const DEFAULT_ISTIO_VERSION = "1.30.3";
/** The official Istio Helm repository. */
export const OFFICIAL_CHART_REPO = "https://istio-release.storage.googleapis.com/charts";

/** Oldest Istio minor release whose charts and values this project renders (1.22, charts with `networkGateway`). */
export const MIN_ISTIO_MINOR = 22;

/** Parses an Istio release (`1.30.3`, optionally with a pre-release suffix such as `1.31.0-beta.1`). */
export function parseIstioVersion(v: string): { major: number; minor: number; patch: number } | undefined {
    const m = /^(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/.exec(v);
    return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

/**
 * How a given Istio release allocates addresses to ServiceEntries.
 * - `"controller"`: istiod's IP allocation controller (`PILOT_ENABLE_IP_AUTOALLOCATE`, 1.23+; default on from 1.25,
 *   where the agent-side `ISTIO_META_DNS_AUTO_ALLOCATE` is deprecated).
 * - `"agent"`: the sidecar's own allocation (`ISTIO_META_DNS_AUTO_ALLOCATE`), the only way before 1.23.
 */
export function autoAllocateMode(semver: { minor: number }): "controller" | "agent" {
    return semver.minor >= 25 ? "controller" : "agent";
}

/** True if the URL's host is a loopback address (IPv4-mapped forms included) or `localhost` (unusable from another cluster). */
export function isLoopbackUrl(url: string): boolean {
    try {
        return classifyHost(new URL(url).hostname) === "loopback";
    } catch {
        return false;
    }
}
