/**
 * Reading a `kubernetes.io/service-account-token` Secret's token robustly. The Kubernetes provider waits
 * only 5 s for the token controller to fill it; on a busy API server that is not enough. When the created
 * Secret comes back without `token`/`ca.crt`, this reads it again from the API server (bounded), and
 * fails with a clear message rather than ever yielding an empty credential.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterAccess, loadKubeconfigText } from "./clusterAccess";

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
}

/**
 * The credential in `secret`, as a Pulumi secret. `access` (the target cluster's kubeconfig/context) enables
 * the read-back; `what` names the link in error messages.
 */
export function serviceAccountCredential(
    secret: k8s.core.v1.Secret,
    access: ClusterAccess | undefined,
    what: string,
    wait: TokenWaitOptions = {},
): pulumi.Output<ServiceAccountCredential> {
    const out = pulumi.all([secret.metadata, secret.data]).apply(async ([md, data]) => {
        let token: string | undefined = data?.["token"];
        let caData: string | undefined = data?.["ca.crt"];
        if ((!token || !caData) && access) {
            const read = await readServiceAccountToken(access, md.namespace!, md.name!, wait);
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
 * (then undefined). Exported for the live tests against real control planes.
 */
export async function readServiceAccountToken(
    access: ClusterAccess,
    namespace: string,
    name: string,
    wait: TokenWaitOptions,
): Promise<Record<string, string> | undefined> {
    const text = loadKubeconfigText(access);
    if (!text) return undefined;
    // Loaded lazily: only needed on a real deployment when the provider's own wait fell short.
    const client = await import("@kubernetes/client-node");
    const kc = new client.KubeConfig();
    kc.loadFromString(text);
    if (access.context) kc.setCurrentContext(access.context);
    const api = kc.makeApiClient(client.CoreV1Api);
    const deadline = Date.now() + (wait.timeoutMs ?? 120000);
    for (;;) {
        try {
            const s = await api.readNamespacedSecret({ name, namespace });
            if (s.data?.token && s.data?.["ca.crt"]) return s.data;
        } catch (e) {
            void pulumi.log.debug(`reading ${namespace}/${name}: ${(e as Error).message}`);
        }
        if (Date.now() >= deadline) return undefined;
        await new Promise((r) => setTimeout(r, wait.intervalMs ?? 2000));
    }
}
