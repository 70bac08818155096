/**
 * Stack config → {@link RevisionsModel} and each cluster's {@link ClusterRevisionsModel}, with every rule of a
 * canary upgrade checked before anything is registered: names, where each revision runs, the skew between
 * releases, and that every tag, gateway cutover and namespace label points at a revision the cluster runs (so a
 * revision still in use cannot be removed). Pure.
 * @see docs/upgrades.md
 */
import type { ConfigIssue } from "../config/errors";
import type { ChartSourceModel } from "../config/types";
import { MIN_ISTIO_MINOR, parseIstioVersion } from "../istio/versions";
import { isDns1123Label } from "../istio/names";
import { ClusterRevisionsModel, revisionNameFor, RevisionModel, RevisionsModel } from "./revisionTypes";

/** The config this resolution reads (the parsed `istio` section and each cluster's overrides). */
export interface RevisionsInput {
    istio: {
        version: string;
        tag?: string;
        chart: ChartSourceModel;
        revisions?: { version: string; name?: string; chartPath?: string; clusters?: string[] }[];
        revisionTags?: Record<string, string>;
        eastWestGatewayRevision?: string;
        namespaceRevision?: string;
    };
    clusters: { name: string; revisionTags?: Record<string, string>; eastWestGateway: { enabled: boolean; revision?: string } }[];
    /**
     * The key of a revision's own chart source, in issues (`chartPath` in stack config, `chart` in component args).
     * @default "chartPath"
     */
    chartKey?: string;
}

/** The result: undefined models in in-place mode (no `istio.revisions`). */
export interface ResolvedRevisions {
    mesh?: RevisionsModel;
    /** Per cluster name. */
    clusters: Map<string, ClusterRevisionsModel>;
    issues: ConfigIssue[];
}

/** Istio's name for the revision-less install: a revision may not take it. */
const RESERVED = "default";

/** Resolves and checks the canary-mode settings; in in-place mode, refuses the settings that need revisions. */
export function resolveRevisions(cfg: RevisionsInput): ResolvedRevisions {
    const issues: ConfigIssue[] = [];
    const clusters = new Map<string, ClusterRevisionsModel>();
    const i = cfg.istio;
    if (!i.revisions) {
        const needs = "only means something with istio.revisions (canary mode); remove it, or list the revisions";
        if (i.revisionTags) issues.push({ path: "istio.revisionTags", message: needs });
        if (i.eastWestGatewayRevision) issues.push({ path: "istio.eastWestGatewayRevision", message: needs });
        if (i.namespaceRevision) issues.push({ path: "istio.namespaceRevision", message: needs });
        cfg.clusters.forEach((c, k) => {
            if (c.revisionTags) issues.push({ path: `clusters[${k}].revisionTags`, message: needs });
            if (c.eastWestGateway.revision) issues.push({ path: `clusters[${k}].eastWestGateway.revision`, message: needs });
        });
        return { clusters, issues };
    }
    if (i.tag) {
        issues.push({ path: "istio.tag", message: "with istio.revisions each revision runs its own release's images: remove istio.tag" });
    }
    const names = new Set(cfg.clusters.map((c) => c.name));
    const revisions: RevisionModel[] = [];
    i.revisions.forEach((r, k) => {
        const at = `istio.revisions[${k}]`;
        const semver = parseIstioVersion(r.version);
        if (!semver) {
            issues.push({
                path: `${at}.version`,
                message: `${JSON.stringify(r.version)} is not an Istio release: use MAJOR.MINOR.PATCH such as 1.30.3`,
            });
            return;
        }
        if (semver.major !== 1 || semver.minor < MIN_ISTIO_MINOR) {
            issues.push({ path: `${at}.version`, message: `Istio ${r.version} is not supported: use 1.${MIN_ISTIO_MINOR}.0 or newer` });
        }
        const name = r.name ?? revisionNameFor(r.version);
        if (!isDns1123Label(name)) {
            issues.push({
                path: `${at}.name`,
                message: `${JSON.stringify(name)} is not a DNS-1123 label (lowercase letters, digits, hyphens)`,
            });
        } else if (name === RESERVED) {
            issues.push({
                path: `${at}.name`,
                message: `"default" is Istio's name for the revision-less install: name the revision e.g. ${revisionNameFor(r.version)}`,
            });
        }
        if (revisions.some((o) => o.name === name)) {
            issues.push({
                path: `${at}.name`,
                message: `revision ${JSON.stringify(name)} is listed twice: give each entry its own name (or version)`,
            });
        }
        const unknown = (r.clusters ?? []).filter((c) => !names.has(c));
        if (unknown.length)
            issues.push({ path: `${at}.clusters`, message: `no such cluster: ${unknown.join(", ")} (clusters[].name lists them)` });
        let chart = i.chart;
        if (r.chartPath) chart = { kind: "path", path: r.chartPath };
        else if (i.chart.kind === "path" && r.version !== i.version) {
            issues.push({
                path: `${at}.${cfg.chartKey ?? "chartPath"}`,
                message: `the chart directory holds the charts of istio.version (${i.version}): set where ${r.version}'s charts are`,
            });
        }
        revisions.push({ name, version: r.version, semver, chart, clusters: r.clusters ?? cfg.clusters.map((c) => c.name) });
    });
    issues.push(...skewIssues(i.version, revisions));

    const meshTags = i.revisionTags ?? {};
    cfg.clusters.forEach((c, k) => {
        const installed = revisions.filter((r) => r.clusters.includes(c.name)).map((r) => r.name);
        if (!installed.length) {
            issues.push({
                path: "istio.revisions",
                message: `cluster ${c.name} runs no revision: leave one revision's clusters unset or list ${c.name} in one`,
            });
            return;
        }
        const only = installed.length === 1 ? installed[0] : undefined;
        const tags: Record<string, string> = { ...(only ? { default: only } : {}), ...meshTags, ...(c.revisionTags ?? {}) };
        const tagPath = (t: string) => (c.revisionTags?.[t] !== undefined ? `clusters[${k}].revisionTags.${t}` : `istio.revisionTags.${t}`);
        for (const [tag, rev] of Object.entries(tags)) {
            if (revisions.some((r) => r.name === tag)) {
                issues.push({
                    path: tagPath(tag),
                    message: `tag ${JSON.stringify(tag)} has a revision's name: istio.io/rev=${tag} would be ambiguous; rename the tag`,
                });
            } else if (!installed.includes(rev)) {
                issues.push({ path: tagPath(tag), message: notInstalled(c.name, rev, installed, `tag ${tag}`) });
            }
        }
        if (!tags.default) {
            issues.push({
                path: "istio.revisionTags.default",
                message: `cluster ${c.name} runs ${installed.join(" and ")}: say which one istio-injection=enabled namespaces use (the one they use now, until you move them)`,
            });
        }
        const gatewayRevision = c.eastWestGateway.revision ?? i.eastWestGatewayRevision ?? only;
        const gwPath = c.eastWestGateway.revision ? `clusters[${k}].eastWestGateway.revision` : "istio.eastWestGatewayRevision";
        if (c.eastWestGateway.enabled && !gatewayRevision) {
            issues.push({
                path: gwPath,
                message: `cluster ${c.name} runs ${installed.join(" and ")}: say which one's east-west gateway the network's Service selects (the current one, until the cutover)`,
            });
        } else if (c.eastWestGateway.enabled && gatewayRevision && !installed.includes(gatewayRevision)) {
            issues.push({ path: gwPath, message: notInstalled(c.name, gatewayRevision, installed, "the east-west gateway") });
        }
        if (i.namespaceRevision && !installed.includes(i.namespaceRevision) && !tags[i.namespaceRevision]) {
            issues.push({
                path: "istio.namespaceRevision",
                message: `${JSON.stringify(i.namespaceRevision)} is neither a revision nor a tag on cluster ${c.name} (revisions: ${installed.join(", ")}; tags: ${Object.keys(tags).join(", ") || "none"})`,
            });
        }
        clusters.set(c.name, { installed, tags, gatewayRevision: gatewayRevision ?? installed[0] });
    });
    return { mesh: { revisions, namespaceRevision: i.namespaceRevision }, clusters, issues };
}

function notInstalled(cluster: string, rev: string, installed: string[], user: string): string {
    return `${user} points at revision ${JSON.stringify(rev)}, which cluster ${cluster} does not run (it runs ${installed.join(", ")}): point it at one of those, or keep ${rev} installed until it is moved`;
}

/**
 * Istio supports a control plane one minor release ahead of its proxies; across a mesh's clusters nothing more is
 * documented (istio/istio.io#12971), so the releases of all revisions, and the base chart's, span at most one
 * minor, and the base chart (the CRDs) is the newest.
 */
export function skewIssues(baseVersion: string, revisions: Pick<RevisionModel, "name" | "version" | "semver">[]): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    if (!revisions.length) return issues;
    const minors = revisions.map((r) => r.semver.minor);
    const lo = revisions[minors.indexOf(Math.min(...minors))];
    const hi = revisions[minors.indexOf(Math.max(...minors))];
    if (hi.semver.minor - lo.semver.minor > 1) {
        issues.push({
            path: "istio.revisions",
            message: `revisions ${lo.name} (${lo.version}) and ${hi.name} (${hi.version}) are ${hi.semver.minor - lo.semver.minor} minor releases apart; Istio supports one: upgrade through 1.${lo.semver.minor + 1} first`,
        });
    }
    const base = parseIstioVersion(baseVersion);
    const newest = [...revisions].sort((a, b) => compare(b.semver, a.semver))[0];
    if (base && compare(base, newest.semver) < 0) {
        issues.push({
            path: "istio.version",
            message: `the base chart (CRDs) is ${baseVersion} but revision ${newest.name} runs ${newest.version}: set istio.version to ${newest.version} (CRDs go first in an upgrade)`,
        });
    } else if (base && hi.semver.minor - lo.semver.minor <= 1 && base.minor - lo.semver.minor > 1) {
        issues.push({
            path: "istio.version",
            message: `the base chart (CRDs) ${baseVersion} is more than one minor ahead of revision ${lo.name} (${lo.version}): keep istio.version within 1.${lo.semver.minor + 1}`,
        });
    }
    return issues;
}

/** Orders two parsed releases. */
export function compare(a: { major: number; minor: number; patch: number }, b: { major: number; minor: number; patch: number }): number {
    return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}
