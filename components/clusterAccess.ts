/**
 * How a cluster's API server is reached from this program: a kubeconfig (file path or contents) and context.
 * Used to build the cluster's Kubernetes provider and, for remote secrets, to read back token Secrets.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";

/** Kubeconfig and context of one cluster. */
export interface ClusterAccess {
    /** Kubeconfig file path or contents; `$KUBECONFIG` (first entry) or `~/.kube/config` when unset. */
    kubeconfig?: string;
    /** Context in that kubeconfig; its current-context when unset. */
    context?: string;
}

/** Expands a leading `~/` to the home directory (stack config may use it for kubeconfig and chart paths). */
export function expandHome(p: string): string {
    return p === "~" || p.startsWith("~/") ? path.join(os.homedir(), p.slice(1)) : p;
}

/** Returns the kubeconfig text for `access` (reading the file when a path is given), or undefined if none exists. */
export function loadKubeconfigText(access: ClusterAccess): string | undefined {
    const k = access.kubeconfig;
    if (k && /\n/.test(k)) return k;
    const file = k ?? defaultKubeconfigPath();
    if (!file) return undefined;
    try {
        return fs.readFileSync(expandHome(file), "utf8");
    } catch {
        return undefined;
    }
}

/** The API server URL `access` resolves to, read from the kubeconfig; undefined when it cannot be read. */
export function kubeconfigServer(access: ClusterAccess): string | undefined {
    const text = loadKubeconfigText(access);
    if (!text) return undefined;
    let doc: any;
    try {
        doc = YAML.parse(text);
    } catch {
        return undefined;
    }
    const ctxName = access.context ?? doc?.["current-context"];
    const ctx = (doc?.contexts ?? []).find((c: any) => c?.name === ctxName)?.context;
    const cluster = (doc?.clusters ?? []).find((c: any) => c?.name === ctx?.cluster)?.cluster;
    return typeof cluster?.server === "string" ? cluster.server : undefined;
}

function defaultKubeconfigPath(): string | undefined {
    const env = process.env.KUBECONFIG;
    if (env) return env.split(path.delimiter).find((p) => p.length > 0);
    return path.join(os.homedir(), ".kube", "config");
}
