/**
 * Canary mode of a {@link MeshCluster}: one `istiod` chart per revision (`istiod-<revision>`), each rendering the
 * webhooks of the revision tags that point at it. Moving a tag moves its objects (the `istio-revision-tag-<tag>`
 * MutatingWebhookConfiguration and `istiod-revision-tag-<tag>` Service) from one chart to another: as two Pulumi
 * resources that would be a create (an apply onto the live object) followed by a delete of the same Kubernetes
 * object, leaving the tag without a webhook. Each tag object is therefore aliased to its namesake in every other
 * revision's chart, so the engine sees one object updated in place.
 * @see docs/upgrades.md
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ChartSourceModel, ISTIO_NAMESPACE } from "./model";
import { resolveIstioChart } from "./istioCharts";

/** One revision to install: its name, release, chart source and values. */
export interface RevisionInstall {
    name: string;
    version: string;
    chart: ChartSourceModel;
    values: pulumi.Input<Record<string, unknown>>;
}

/** The Pulumi resource name of a revision's istiod chart. */
export function istiodChartResourceName(cluster: string, revision: string): string {
    return `${cluster}-istiod-${revision}`;
}

/**
 * Registers one `istiod` chart per revision under `parent`; returns them by revision name. `opts.transforms` are
 * applied to every chart, before the tag aliases.
 */
export function installIstiodRevisions(
    cluster: string,
    revisions: RevisionInstall[],
    opts: pulumi.ComponentResourceOptions & { transforms?: pulumi.ResourceTransform[] },
): Record<string, k8s.helm.v4.Chart> {
    const charts: Record<string, k8s.helm.v4.Chart> = {};
    for (const r of revisions) {
        const own = istiodChartResourceName(cluster, r.name);
        const others = () =>
            revisions
                .filter((o) => o.name !== r.name)
                .map((o) => ({ chart: charts[o.name], name: istiodChartResourceName(cluster, o.name) }));
        charts[r.name] = new k8s.helm.v4.Chart(
            own,
            {
                ...resolveIstioChart(r.chart, "istiod", r.version),
                name: `istiod-${r.name}`,
                namespace: ISTIO_NAMESPACE,
                values: r.values,
            },
            { ...opts, transforms: [...(opts.transforms ?? []), (a) => aliasTagObjects(a, own, others())] },
        );
    }
    return charts;
}

/** True for the objects a revision tag consists of (the chart's revision-tags templates), by child resource name. */
export function isTagObject(type: string, childName: string, chartName: string): boolean {
    const rest = childName.startsWith(`${chartName}:`) ? childName.slice(chartName.length + 1) : undefined;
    if (rest === undefined) return false;
    if (type === "kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration") return rest.startsWith("istio-revision-tag-");
    if (type === "kubernetes:core/v1:Service") return rest.startsWith(`${ISTIO_NAMESPACE}/istiod-revision-tag-`);
    return false;
}

/** A transform adding, to a tag object of chart `own`, an alias to the same object under each other chart. */
export function aliasTagObjects(
    a: pulumi.ResourceTransformArgs,
    own: string,
    others: { chart: pulumi.Resource | undefined; name: string }[],
): pulumi.ResourceTransformResult | undefined {
    if (!isTagObject(a.type, a.name, own)) return undefined;
    const rest = a.name.slice(own.length + 1);
    const aliases = others.filter((o) => o.chart).map((o) => ({ name: `${o.name}:${rest}`, parent: o.chart }));
    return { props: a.props, opts: { ...a.opts, aliases: [...(a.opts.aliases ?? []), ...aliases] } };
}
