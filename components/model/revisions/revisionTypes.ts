/**
 * The model of Istio control-plane revisions (canary upgrades): which control planes run on which cluster, where
 * each revision tag points, and which revision's east-west gateway pods the network's gateway Service selects.
 * Plain data; {@link resolveRevisions} builds it from stack config, the components render it.
 * @see docs/upgrades.md
 */
import type { ChartSourceModel } from "../config/types";
import { REVISION_LABEL } from "../istio/names";

/** One Istio control plane installed under a revision name (`istiod-<name>`, label `istio.io/rev=<name>`). */
export interface RevisionModel {
    /** Revision name: a DNS-1123 label, never `default` (Istio's name for the revision-less install). */
    name: string;
    /** Istio release of this control plane (chart version, image tag). */
    version: string;
    /** Parsed {@link version}. */
    semver: { major: number; minor: number; patch: number };
    /** Where this release's charts come from (its own directory, or the mesh's chart source). */
    chart: ChartSourceModel;
    /** Clusters this revision is installed on, in config order. */
    clusters: string[];
}

/** What one cluster runs in canary mode. */
export interface ClusterRevisionsModel {
    /** Names of the revisions installed here, in `istio.revisions` order. */
    installed: string[];
    /**
     * Revision tags on this cluster: tag name → revision name. The `default` tag is what `istio-injection=enabled`
     * namespaces and the default validation webhook (the base chart's `defaultRevision`) follow.
     */
    tags: Record<string, string>;
    /** The revision whose east-west gateway pods the network's gateway Service selects (the cutover). */
    gatewayRevision: string;
}

/** Canary-mode settings shared by the mesh. */
export interface RevisionsModel {
    /** Every revision of the mesh, in config order. */
    revisions: RevisionModel[];
    /**
     * The revision or tag the mesh's workload namespaces select (`istio.io/rev=<value>`); undefined: they keep
     * `istio-injection=enabled` and follow the `default` tag.
     */
    namespaceRevision?: string;
}

/** The name Istio tooling derives from a release: `1.30.3` → `1-30-3`. */
export function revisionNameFor(version: string): string {
    return version.replace(/[^A-Za-z0-9-]/g, "-").toLowerCase();
}

/** The namespace label that points a namespace's injection at `revision` (a revision or tag; unset: the default tag). */
export function injectionLabels(namespaceRevision: string | undefined): Record<string, string> {
    return namespaceRevision ? { [REVISION_LABEL]: namespaceRevision } : { "istio-injection": "enabled" };
}
