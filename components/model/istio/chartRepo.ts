/**
 * Where Istio's charts may come from. The charts install cluster-admin workloads (istiod's ClusterRoles, the
 * validating webhook), so a repository reached over plain http:// would let anyone on the path swap them: it is
 * refused unless the caller opts in explicitly.
 */

/**
 * Why `repo` may not be used as the charts' Helm repository, or undefined when it may. `key` names the setting in
 * the message (e.g. `istio.chartRepo`); `optIn` names the setting that allows http:// (e.g.
 * `istio.allowInsecureChartRepo`).
 */
export function chartRepoProblem(repo: string, allowInsecure: boolean, optIn: string): string | undefined {
    if (/^http:\/\//i.test(repo) && !allowInsecure) {
        return (
            `${repo} is plain http: the charts install istiod with cluster-admin rights, and anyone on the path could ` +
            `replace them; use the repository's https:// or oci:// URL, or set ${optIn}: true to accept the risk ` +
            `(e.g. a repository only reachable inside a trusted network)`
        );
    }
    return undefined;
}
