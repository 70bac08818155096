/**
 * Reading a `kubernetes.io/service-account-token` Secret's token robustly. The Kubernetes provider waits
 * only 5 s for the token controller to fill it; on a busy API server that is not enough. When the created
 * Secret comes back without `token`/`ca.crt`, this reads it again from the API server (bounded), and
 * fails with a clear message rather than ever yielding an empty credential.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterAccess, KubeconfigAccess, resolveClusterAccess } from "./clusterAccess";
import { coreApi, withTimeout } from "./clusterClient";
import { redactCredentials } from "./model/access/redact";

/** Token and CA bundle of a service-account token Secret (both as the kubeconfig needs them). */
export interface ServiceAccountCredential {
    /** The bearer token (decoded). */
    token: string;
    /** Base64 PEM CA bundle of the API server (`certificate-authority-data`). */
    caData: string;
}

/** Bounds of the read-back. */
export interface TokenWaitOptions {
    /** Give up after this many milliseconds. @default 120000 */
    timeoutMs?: number;
    /** Delay between reads. @default 2000 */
    intervalMs?: number;
    /** Each read of the Secret fails after this many milliseconds without an answer (then retried within `timeoutMs`). @default 10000 */
    requestTimeoutMs?: number;
}

/**
 * The credential in `secret`, as a Pulumi secret. `access` (the target cluster's kubeconfig/context, values or
 * other resources' outputs) enables the read-back; `what` names the link in error messages.
 */
export function serviceAccountCredential(
    secret: k8s.core.v1.Secret,
    access: ClusterAccess | undefined,
    what: string,
    wait: TokenWaitOptions = {},
): pulumi.Output<ServiceAccountCredential> {
    const known = access ? resolveClusterAccess(access) : undefined;
    const out = pulumi.all([secret.metadata, secret.data, known]).apply(async ([md, data, resolved]) => {
        let token: string | undefined = data?.["token"];
        let caData: string | undefined = data?.["ca.crt"];
        if ((!token || !caData) && resolved) {
            const read = await readServiceAccountToken(resolved, md.namespace!, md.name!, wait, what);
            token = read?.token;
            caData = read?.["ca.crt"];
        }
        if (!token || !caData) {
            throw new Error(
                `${what}: Secret ${md.namespace}/${md.name} has no token/ca.crt yet. The token controller ` +
                    `(kube-controller-manager) did not fill it${access ? ` within ${(wait.timeoutMs ?? 120000) / 1000}s` : ""}; ` +
                    `check that istio-reader-service-account exists and the controller manager runs, then run \`pulumi up\` again. ` +
                    `No remote secret was written.`,
            );
        }
        return { token: Buffer.from(token, "base64").toString("utf8"), caData };
    });
    return pulumi.secret(out);
}

/**
 * Reads a token Secret from the API server until `token` and `ca.crt` are filled or the bound runs out
 * (then undefined: the Secret exists but the token controller has not filled it). Every other outcome is an
 * error naming `what`, the Secret and the cause: a kubeconfig it cannot use, 401/403 (the credential may not
 * read Secrets in the namespace), 404 (the Secret is gone), a TLS failure (wrong CA or server name), or an
 * API server still unreachable, or not answering within `requestTimeoutMs`, when the bound runs out. Messages
 * never quote a credential. Exported for the live tests against real control planes.
 */
export async function readServiceAccountToken(
    access: KubeconfigAccess,
    namespace: string,
    name: string,
    wait: TokenWaitOptions,
    what = "token read-back",
): Promise<Record<string, string> | undefined> {
    const secretName = `Secret ${namespace}/${name}`;
    const api = await coreApi(access, `${what}: cannot read ${secretName}`);
    const deadline = Date.now() + (wait.timeoutMs ?? 120000);
    const requestTimeoutMs = wait.requestTimeoutMs ?? 10000;
    for (;;) {
        let transient: string | undefined;
        try {
            const s = await withTimeout(api.readNamespacedSecret({ name, namespace }), requestTimeoutMs);
            if (s.data?.token && s.data?.["ca.crt"]) return s.data;
        } catch (e) {
            const cause = classifyReadError(e, requestTimeoutMs);
            // The client error is not attached as `cause`: its message is unredacted and would be printed.
            // eslint-disable-next-line preserve-caught-error
            if (!cause.retry) throw new Error(`${what}: reading ${secretName} failed: ${cause.message}`);
            transient = cause.message;
        }
        if (Date.now() >= deadline) {
            if (transient) throw new Error(`${what}: reading ${secretName} failed until the read-back gave up: ${transient}`);
            return undefined;
        }
        await new Promise((r) => setTimeout(r, wait.intervalMs ?? 2000));
    }
}

/** TLS verification failures Node reports (OpenSSL codes and the host-name check). */
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|ERR_SSL|EPROTO/;
/** Errors worth retrying until the bound: the API server is (still) unreachable, slow, or briefly failing. */
const NETWORK_CODES = new Set([
    "ECONNREFUSED",
    "ECONNRESET",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "ETIMEDOUT",
    "EAI_AGAIN",
    "ENOTFOUND",
    "EPIPE",
    "REQUEST_TIMEOUT",
    "UND_ERR_SOCKET",
]);

/** What went wrong in one read, and whether another read may succeed. */
export function classifyReadError(e: unknown, requestTimeoutMs: number): { message: string; retry: boolean } {
    const err = e as { code?: unknown; message?: string; cause?: { code?: string; message?: string } };
    if (typeof err.code === "number") {
        const status = err.code;
        if (status === 401)
            return {
                message: "401 Unauthorized: the kubeconfig's credential is not accepted by this API server; refresh it",
                retry: false,
            };
        if (status === 403) {
            return {
                message:
                    "403 Forbidden: the kubeconfig's user may not get Secrets in this namespace; grant it get on secrets or use an admin context",
                retry: false,
            };
        }
        if (status === 404) {
            return {
                message:
                    "404 Not Found: the Secret does not exist (deleted behind Pulumi's back?); run `pulumi refresh` then `pulumi up` to recreate it",
                retry: false,
            };
        }
        return { message: `HTTP ${status} from the API server`, retry: status === 429 || status >= 500 };
    }
    const code = [err.code, err.cause?.code].find((c): c is string => typeof c === "string");
    const text = redactCredentials([err.message, err.cause?.message].filter(Boolean).join(": "));
    if (code === "REQUEST_TIMEOUT")
        return { message: `the API server did not answer within ${requestTimeoutMs} ms (tokenWait.requestTimeoutMs)`, retry: true };
    if ((code && TLS_CODES.test(code)) || /certificate|self[- ]signed/i.test(text)) {
        return {
            message: `TLS: ${text}; check the kubeconfig's certificate-authority-data and tls-server-name for this server`,
            retry: false,
        };
    }
    if ((code && NETWORK_CODES.has(code)) || /fetch failed|socket hang up|ECONNREFUSED/.test(text)) {
        return { message: `API server unreachable (${code ?? "network error"}): ${text}`, retry: true };
    }
    return { message: text || String(e), retry: false };
}
