/**
 * Istio's `base` chart on one cluster (the CRDs, the reader service account, the default-revision webhook), in one
 * of two forms (`MeshClusterArgs.istio.baseInstall`):
 * - `objects`: a `helm.v4.Chart`, each rendered object its own Pulumi resource. A preview shows each CRD's diff; the
 *   state holds every CRD schema three times (inputs, outputs, the outputs' copy of the inputs).
 * - `release`: one `helm.v3.Release`. The state holds the values and the release status; Helm keeps the manifest in
 *   the cluster. A preview shows a values or version change, not the schemas.
 *
 * Destroy semantics are the same in both: the stack owns the CRDs (destroy deletes them, and with them every Istio
 * resource of the cluster) unless `keepCrdsOnDestroy`, where they stay, as `helm uninstall` leaves them.
 */
import * as fs from "fs";
import * as k8s from "@pulumi/kubernetes";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedChart } from "./istioCharts";
import { BaseInstall, baseValues, ISTIO_NAMESPACE } from "./model";
import type { HelmValues } from "./meshCluster";

/** What {@link installIstioBase} needs. */
export interface IstioBaseArgs {
    /** The resolved `base` chart. */
    chart: ResolvedChart;
    /** The Istio release the chart is (a local chart's version, which a release records so that an upgrade diffs). */
    version: string;
    /** `objects` or `release`. */
    install: BaseInstall;
    /** Leave the CRDs in place on destroy. */
    keepCrdsOnDestroy: boolean;
    /** Extra values merged over the generated ones. */
    values?: HelmValues;
    /** Canary mode: the revision the `default` tag points at (the chart's `defaultRevision`); unset in-place. */
    defaultRevision?: string;
    /** Resolves once the cluster was checked (baseInstallCheck.ts); a refusal rejects it, failing the preview. */
    checked?: pulumi.Output<void>;
}

/** The Helm release name of the `base` chart (the same in both forms). */
export const BASE_RELEASE = "istio-base";

/** Installs the `base` chart as `args.install` says; `opts` carries parent, provider and dependencies. */
export function installIstioBase(
    name: string,
    args: IstioBaseArgs,
    opts: pulumi.CustomResourceOptions,
): k8s.helm.v4.Chart | k8s.helm.v3.Release {
    const values = baseValues(args.values, args.defaultRevision);
    const common = {
        ...args.chart,
        name: BASE_RELEASE,
        namespace: ISTIO_NAMESPACE,
        // not secret, even when the kubeconfig the check read is: the values are what a preview shows
        values: args.checked ? pulumi.unsecret(args.checked.apply(() => values)) : values,
    };
    if (args.install === "release") {
        return new k8s.helm.v3.Release(
            name,
            {
                ...common,
                // A local chart has no version of its own in the args: record the release's, so that an Istio
                // upgrade with a chart path that stays the same (a link) still shows as a change and upgrades.
                version: args.chart.version ?? args.version,
                postrender: args.keepCrdsOnDestroy ? undefined : ownCrdsPostRenderer(),
            },
            opts,
        );
    }
    return new k8s.helm.v4.Chart(name, common, {
        ...opts,
        transforms: args.keepCrdsOnDestroy ? [] : [ownCustomResourceDefinitions],
    });
}

/**
 * A transform on the `base` chart: its CRDs carry `helm.sh/resource-policy: keep`, for which the provider registers
 * them with `retainOnDelete`. Dropping the annotation and the option makes them the stack's, deleted on destroy.
 */
export function ownCustomResourceDefinitions(args: pulumi.ResourceTransformArgs): pulumi.ResourceTransformResult | undefined {
    if (args.type !== "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition") return undefined;
    const { annotations, ...rest } = (args.props.metadata ?? {}) as { annotations?: Record<string, string> };
    const kept = Object.fromEntries(Object.entries(annotations ?? {}).filter(([k]) => k !== "helm.sh/resource-policy"));
    // No empty `annotations: {}` left behind: the API server drops it, which would read as a diff on every preview.
    return {
        props: { ...args.props, metadata: Object.keys(kept).length ? { ...rest, annotations: kept } : rest },
        opts: { ...args.opts, retainOnDelete: false },
    };
}

/** The post-renderer's file name, next to this module (copied into dist/ by `npm run build`). */
export const POST_RENDERER_FILE = path.join("helm", "ownCrdsPostRenderer.cjs");

/**
 * The path the release's `postrender` gets: relative to the working directory (`./…`) when the post-renderer lies
 * under it, which it does for a program that has this package in its node_modules, so that the same program
 * previews without a diff from any checkout; absolute otherwise. Helm resolves it against the provider's working
 * directory, the program's.
 */
export function ownCrdsPostRenderer(cwd = process.cwd(), moduleDir = __dirname): string {
    const file = path.join(moduleDir, POST_RENDERER_FILE);
    if (!fs.existsSync(file)) {
        throw new Error(`istio.baseInstall "release": the Helm post-renderer ${file} is missing; reinstall the package`);
    }
    const rel = path.relative(cwd, file);
    return rel.startsWith("..") || path.isAbsolute(rel) ? file : `.${path.sep}${rel}`;
}
