/**
 * The kubeconfig a remote secret carries, rendered as `istioctl create-remote-secret` renders it, and the
 * checks istiod applies to it (pkg/kube/util.go sanitisation), shared with the policy pack.
 */
import * as YAML from "yaml";
import { redactCredentials } from "../access/redact";
import { asArray, field, isPlainObject } from "../config/objects";

/** What goes into a reader-token kubeconfig. */
export interface RemoteKubeconfigInput {
    /** Cluster name: used for the cluster, context and user entries (as istioctl does). */
    clusterName: string;
    /** API server URL as reachable from the reading istiod. */
    server: string;
    /** Base64 PEM of the API server's CA (`certificate-authority-data`). */
    caData: string;
    /** Bearer token of istio-reader-service-account. */
    token: string;
    /** Optional `tls-server-name`. */
    tlsServerName?: string;
}

/** Renders the kubeconfig exactly as istioctl does (checked live against istioctl 1.30 in test/e2e). Throws if any credential part is empty. */
export function renderRemoteKubeconfig(i: RemoteKubeconfigInput): string {
    for (const [field, v] of [
        ["server", i.server],
        ["caData", i.caData],
        ["token", i.token],
    ] as const) {
        if (!v || !v.trim()) {
            throw new Error(`refusing to write a remote kubeconfig for cluster ${i.clusterName} with an empty ${field}`);
        }
    }
    const cluster: Record<string, string> = { "certificate-authority-data": i.caData, server: i.server };
    if (i.tlsServerName) cluster["tls-server-name"] = i.tlsServerName;
    return YAML.stringify({
        apiVersion: "v1",
        clusters: [{ cluster, name: i.clusterName }],
        contexts: [{ context: { cluster: i.clusterName, user: i.clusterName }, name: i.clusterName }],
        "current-context": i.clusterName,
        kind: "Config",
        users: [{ name: i.clusterName, user: { token: i.token } }],
    });
}

/** Kubeconfig fields istiod refuses unless listed in PILOT_INSECURE_MULTICLUSTER_KUBECONFIG_OPTIONS. */
export const INSECURE_KUBECONFIG_OPTIONS = ["exec", "auth-provider", "tokenFile", "client-key", "client-certificate"] as const;

/** Result of {@link checkRemoteKubeconfig}. */
export interface KubeconfigCheck {
    /** Problems istiod would reject the kubeconfig for (or that make it unusable). */
    errors: string[];
    /** API server URLs of the kubeconfig's clusters. */
    servers: string[];
}

/**
 * Checks a kubeconfig meant for a remote secret the way istiod does before using it: it must parse, name a
 * current context, and use no exec plugin, no auth-provider other than oidc, no token file and no client
 * key/certificate file paths (inline `*-data` and `token` are fine). Messages never quote a credential
 * ({@link redactCredentials}).
 */
export function checkRemoteKubeconfig(text: string, allowedInsecure: readonly string[] = []): KubeconfigCheck {
    const errors: string[] = [];
    let doc: unknown;
    try {
        doc = YAML.parse(text);
    } catch (e) {
        return { errors: [`kubeconfig is not valid YAML: ${redactCredentials((e as Error).message, text)}`], servers: [] };
    }
    if (!isPlainObject(doc)) return { errors: ["kubeconfig is empty or not a YAML mapping"], servers: [] };
    const servers = asArray(doc.clusters)
        .map((c) => field(field(c, "cluster"), "server"))
        .filter((s: unknown): s is string => typeof s === "string");
    const current = doc["current-context"];
    if (!current) errors.push("kubeconfig has no current-context");
    else if (!asArray(doc.contexts).some((c) => field(c, "name") === current)) {
        errors.push(`kubeconfig current-context ${JSON.stringify(current)} is not among its contexts`);
    }
    if (!servers.length) errors.push("kubeconfig has no cluster with a server URL");
    for (const u of asArray(doc.users)) {
        const user = field(u, "user") ?? {};
        const who = `user ${JSON.stringify(redactCredentials(String(field(u, "name") ?? "")))}`;
        if (field(user, "exec") && !allowedInsecure.includes("exec")) errors.push(`${who} uses an exec plugin, which istiod rejects`);
        const authProvider = field(user, "auth-provider");
        if (authProvider && field(authProvider, "name") !== "oidc" && !allowedInsecure.includes("auth-provider")) {
            errors.push(`${who} uses auth-provider ${JSON.stringify(field(authProvider, "name"))}; istiod accepts only oidc`);
        }
        if (field(user, "tokenFile") && !allowedInsecure.includes("tokenFile"))
            errors.push(`${who} uses tokenFile, which istiod rejects; inline the token`);
        for (const f of ["client-key", "client-certificate"] as const) {
            if (field(user, f) && !allowedInsecure.includes(f)) errors.push(`${who} uses ${f} (a file path), which istiod rejects; use ${f}-data`);
        }
    }
    return { errors: errors.map((e) => redactCredentials(e, text)), servers };
}
