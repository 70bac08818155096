/**
 * The Kubernetes API client this program uses itself (not through the provider): for the reader-token read-back
 * and the check for remote secrets another tool wrote. Not part of the public API.
 */
import { KubeconfigAccess, kubeconfigLookup, loadKubeconfigText } from "./clusterAccess";
import { isInlineKubeconfig, quotedKubeconfigPath } from "./model/access/kubeconfigLookup";
import { redactCredentials } from "./model/access/redact";
import { classifyReadError } from "./serviceAccountToken";

/** A CoreV1 client for `access`, or an error (starting with `prefix`) saying why its kubeconfig cannot be used (never a silent skip). */
export async function coreApi(access: KubeconfigAccess, prefix: string): Promise<import("@kubernetes/client-node").CoreV1Api> {
    return apiClient(access, prefix, (c) => c.CoreV1Api);
}

/** An AppsV1 client for `access` (as {@link coreApi}). */
export async function appsApi(access: KubeconfigAccess, prefix: string): Promise<import("@kubernetes/client-node").AppsV1Api> {
    return apiClient(access, prefix, (c) => c.AppsV1Api);
}

type ClientModule = typeof import("@kubernetes/client-node");

async function apiClient<T extends import("@kubernetes/client-node").ApiType>(
    access: KubeconfigAccess,
    prefix: string,
    pick: (c: ClientModule) => new (config: import("@kubernetes/client-node").Configuration) => T,
): Promise<T> {
    const found = kubeconfigLookup(access);
    if (found.status !== "found") {
        const where = access.kubeconfig && !isInlineKubeconfig(access.kubeconfig) ? ` ${quotedKubeconfigPath(access.kubeconfig)}` : "";
        const why =
            found.status === "fileMissing" || found.status === "unparsable"
                ? found.reason
                : found.status === "noCurrentContext"
                  ? `it has no current-context; set the cluster's context (it has: ${found.available.join(", ") || "none"})`
                  : `context "${found.context}" is not in it (it has: ${found.available.join(", ") || "none"})`;
        throw new Error(`${prefix}: the kubeconfig${where} cannot be used: ${why}`);
    }
    const text = loadKubeconfigText(access)!;
    // Loaded lazily: only needed when a program actually talks to a cluster.
    const client = await import("@kubernetes/client-node");
    const kc = new client.KubeConfig();
    try {
        kc.loadFromString(text);
        if (access.context) kc.setCurrentContext(access.context);
        return kc.makeApiClient(pick(client));
    } catch (e) {
        // eslint-disable-next-line preserve-caught-error -- the original message may quote a credential
        throw new Error(`${prefix}: the kubeconfig cannot be used: ${redactCredentials((e as Error).message, text)}`);
    }
}

/** `p`, or a rejection with code `REQUEST_TIMEOUT` after `ms` milliseconds without an answer. */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: "REQUEST_TIMEOUT" })), ms);
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Environment variable that turns the program's checks that read clusters off (`1`/`true`): offline previews, unit tests. */
export const SKIP_CLUSTER_READS_ENV = "ISTIO_MULTICLUSTER_SKIP_CLUSTER_READS";

/**
 * A CoreV1 client for a program-time check, or why there is none: `skipped` when cluster reads are turned off
 * ({@link SKIP_CLUSTER_READS_ENV}), `unknown` with the reason (never a credential) when the kubeconfig cannot be used.
 */
export async function checkReader(
    access: KubeconfigAccess,
): Promise<{ kind: "api"; api: import("@kubernetes/client-node").CoreV1Api } | { kind: "skipped" } | { kind: "unknown"; why: string }> {
    const off = process.env[SKIP_CLUSTER_READS_ENV];
    if (off === "1" || off === "true") return { kind: "skipped" };
    try {
        return { kind: "api", api: await coreApi(access, "cannot check") };
    } catch (e) {
        return { kind: "unknown", why: (e as Error).message.replace(/^cannot check: /, "") };
    }
}

/**
 * `read()` within `ms`, tried up to `attempts` times while the failure is one another try may cure (no answer in
 * time, a dropped connection): a busy API server must not turn the check into a mere warning.
 */
export async function patiently<T>(read: () => Promise<T>, ms: number, attempts = 3): Promise<T> {
    for (let i = 1; ; i++) {
        try {
            return await withTimeout(read(), ms);
        } catch (e) {
            if (i >= attempts || !classifyReadError(e, ms).retry) throw e;
        }
    }
}
