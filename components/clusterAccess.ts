/**
 * How a cluster's API server is reached from this program: a kubeconfig (file path or contents) and context.
 * Used to build the cluster's Kubernetes provider and, for remote secrets, to read back token Secrets. Component
 * args take {@link ClusterAccess}, whose fields may be another resource's outputs (an EKS or GKE cluster created
 * in the same program); the read-back resolves them to a {@link KubeconfigAccess} first.
 */
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isInlineKubeconfig, KubeconfigLookup, KubeconfigSource, lookupKubeconfig } from "./model/access/kubeconfigLookup";

/** Kubeconfig and context of one cluster, as component args take them. */
export interface ClusterAccess {
    /**
     * Kubeconfig file path (a leading `~/` is expanded) or contents, e.g. a cluster resource's kubeconfig output.
     * Contents carry a credential: pass a secret.
     * @default $KUBECONFIG (first entry) or ~/.kube/config
     */
    kubeconfig?: pulumi.Input<string>;
    /**
     * Context in that kubeconfig.
     * @default the kubeconfig's current-context
     */
    context?: pulumi.Input<string>;
}

/** {@link ClusterAccess} with its values known: what the kubeconfig look-ups read. */
export interface KubeconfigAccess {
    /** Kubeconfig file path or contents; `$KUBECONFIG` (first entry) or `~/.kube/config` when unset. */
    kubeconfig?: string;
    /** Context in that kubeconfig; its current-context when unset. */
    context?: string;
}

/** `access` once its values are known (secret if either is). */
export function resolveClusterAccess(access: ClusterAccess): pulumi.Output<KubeconfigAccess> {
    return pulumi.all([access.kubeconfig, access.context]).apply(([kubeconfig, context]) => ({ kubeconfig, context }));
}

/** Expands a leading `~/` to the home directory (stack config may use it for kubeconfig and chart paths). */
export function expandHome(p: string): string {
    return p === "~" || p.startsWith("~/") ? path.join(os.homedir(), p.slice(1)) : p;
}

/** Returns the kubeconfig text for `access` (reading the file when a path is given), or undefined if none exists. */
export function loadKubeconfigText(access: KubeconfigAccess): string | undefined {
    const k = access.kubeconfig;
    if (k && isInlineKubeconfig(k)) return k;
    const file = k ?? defaultKubeconfigPath();
    if (!file) return undefined;
    try {
        return fs.readFileSync(expandHome(file), "utf8");
    } catch {
        return undefined;
    }
}

/** The API server URL `access` resolves to, read from the kubeconfig; undefined when it cannot be read. */
export function kubeconfigServer(access: KubeconfigAccess): string | undefined {
    const found = kubeconfigLookup(access);
    return found.status === "found" ? found.server : undefined;
}

/** Reads the kubeconfig of `access` and looks its context up: found (server, credential fields), or why not. */
export function kubeconfigLookup(access: KubeconfigAccess): KubeconfigLookup {
    const k = access.kubeconfig;
    if (k && isInlineKubeconfig(k)) return lookupKubeconfig(k, { kind: "inline" }, access.context);
    const file = k ?? defaultKubeconfigPath();
    const source: KubeconfigSource = { kind: "file", path: file ?? "~/.kube/config", explicit: k !== undefined };
    if (!file) return lookupKubeconfig(undefined, source, access.context);
    let text: string;
    try {
        text = fs.readFileSync(expandHome(file), "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        return lookupKubeconfig(undefined, source, access.context, code === "ENOENT" ? "not found" : `cannot be read (${code ?? "error"})`);
    }
    return lookupKubeconfig(text, source, access.context);
}

function defaultKubeconfigPath(): string | undefined {
    const env = process.env.KUBECONFIG;
    if (env) return env.split(path.delimiter).find((p) => p.length > 0);
    return path.join(os.homedir(), ".kube", "config");
}
