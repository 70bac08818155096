/**
 * Config-layer checks of how the program reaches each cluster (`clusters[].kubeconfig` / `context`), fed by
 * what the caller learned from the kubeconfig ({@link KubeconfigLookup}): a missing file or context is named
 * as such on its own key, an http:// server is refused, an inline kubeconfig must not carry a credential in
 * plain stack config, and two clusters must not share one context.
 */
import { ConfigIssue } from "../config/errors";
import { describeKubeconfigSource, isInlineKubeconfig, KubeconfigLookup } from "./kubeconfigLookup";

/** One cluster's access settings, as written in stack config. */
export interface ClusterAccessConfig {
    /** Cluster name. */
    name: string;
    /** `clusters[].context`. */
    context?: string;
    /** `clusters[].kubeconfig`: a path or inline YAML text. */
    kubeconfig?: string;
}

/** Inputs of {@link checkClusterAccess}. */
export interface ClusterAccessCheckInput {
    /** Config path of the cluster, e.g. `clusters[1]`. */
    at: string;
    /** The cluster's access settings. */
    cluster: ClusterAccessConfig;
    /** What the kubeconfig says; undefined when the environment did not look. */
    lookup?: KubeconfigLookup;
    /** True when the API server URL must come from the kubeconfig (linked cluster without apiServerUrl). */
    discoveryNeeded: boolean;
    /** True when the `clusters` key is stored as a Pulumi secret (so an inline credential is encrypted). */
    clustersKeyIsSecret: boolean;
    /** Config namespace, for the `pulumi config set` command in messages. */
    namespace: string;
}

/** Result of {@link checkClusterAccess}. */
export interface ClusterAccessCheck {
    /** Problems found, each on its config key. */
    issues: ConfigIssue[];
    /** The server of the cluster's context, when the kubeconfig gave one. */
    server?: string;
    /** True when an issue already says why the server could not be read (no vaguer "unknown URL" issue needed). */
    explained: boolean;
}

/**
 * Checks one cluster's kubeconfig facts, whatever else is set: the cluster's provider connects through this
 * kubeconfig and context even when `apiServerUrl` is given, so a missing file or context would otherwise fail
 * only during `up`, after other clusters were changed.
 */
export function checkClusterAccess(i: ClusterAccessCheckInput): ClusterAccessCheck {
    const { at, lookup } = i;
    if (!lookup) return { issues: [], explained: false };
    const named = lookup.source.kind === "inline" || lookup.source.explicit;
    const what = describeKubeconfigSource(lookup.source);
    const contextFix = (available: string[]) =>
        available.length ? `(it has: ${available.join(", ")}): use one of those` : "(it has no contexts): add one with kubectl config set-context";
    const issues: ConfigIssue[] = [];
    switch (lookup.status) {
        case "fileMissing":
            issues.push({
                path: `${at}.kubeconfig`,
                message: named
                    ? `${what} ${lookup.reason}: fix the path (a leading ~/ is expanded), or remove kubeconfig to use $KUBECONFIG / ~/.kube/config`
                    : `${what} ${lookup.reason}, and cluster ${i.cluster.name} is reached through it${i.discoveryNeeded ? " (its API server URL too)" : ""}: set kubeconfig to the file that has context ${i.cluster.context ?? "(current-context)"}`,
            });
            return { issues, explained: true };
        case "unparsable":
            issues.push({
                path: `${at}.kubeconfig`,
                message: `${what} is ${lookup.reason}: fix the file (kubectl config view --kubeconfig <file> shows what kubectl reads)`,
            });
            return { issues, explained: true };
        case "noCurrentContext":
            issues.push({ path: `${at}.context`, message: `is not set and ${what} has no current-context ${contextFix(lookup.available)}` });
            return { issues, explained: true };
        case "contextMissing":
            issues.push({
                path: `${at}.context`,
                message: `context ${JSON.stringify(lookup.context)} is not in ${what} ${contextFix(lookup.available)}, or point kubeconfig at the file that has it`,
            });
            return { issues, explained: true };
    }
    const cleartext = !!lookup.server && /^http:\/\//i.test(lookup.server);
    if (cleartext) {
        issues.push({
            path: named ? `${at}.kubeconfig` : `${at}.context`,
            message: `${what} gives context ${lookup.context} the server ${lookup.server}: over http:// the credentials and the reader token read back from this cluster would travel in clear; use the API server's https:// endpoint`,
        });
    }
    if (lookup.source.kind === "inline" && lookup.credentials.length && !i.clustersKeyIsSecret) {
        issues.push({
            path: `${at}.kubeconfig`,
            message:
                `the inline kubeconfig carries a credential (${lookup.credentials.join(", ")}) in plain stack config: store it encrypted with ` +
                `\`pulumi config set --secret --path '${i.namespace}:${at}.kubeconfig' < kubeconfig.yaml\`, or set kubeconfig to a file path`,
        });
    }
    // An http:// server is reported here and not used as the discovered API server URL.
    return { issues, server: cleartext ? undefined : lookup.server, explained: cleartext };
}

/** Issues for clusters that reach the same kubeconfig context (same kubeconfig and context) as an earlier one. */
export function checkSharedContexts(clusters: ClusterAccessConfig[], pathOf = (i: number) => `clusters[${i}]`): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const seen = new Map<string, number>();
    clusters.forEach((c, i) => {
        const file = c.kubeconfig === undefined ? "(default)" : isInlineKubeconfig(c.kubeconfig) ? `inline:${c.kubeconfig}` : c.kubeconfig;
        const key = `${file}\u0000${c.context ?? "(current-context)"}`;
        const first = seen.get(key);
        if (first === undefined) {
            seen.set(key, i);
            return;
        }
        const ctx = c.context ? `context ${JSON.stringify(c.context)}` : "the current-context";
        issues.push({
            path: `${pathOf(i)}.context`,
            message: `cluster ${c.name} reaches ${ctx} of the same kubeconfig as ${pathOf(first)} (${clusters[first].name}): two clusters cannot be one API server; give each cluster its own context`,
        });
    });
    return issues;
}
