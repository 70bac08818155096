/**
 * The chart source as component args take it: one object with a `kind`, a shape every Pulumi language can pass
 * (the model's {@link ChartSourceModel} is a union, which the multi-language schema cannot express). Every
 * ChartSourceModel value is an IstioChartSource, so TypeScript callers pass either.
 */
import { ChartSourceKind, ChartSourceModel, OFFICIAL_CHART_REPO } from "./model";
import { chartRepoProblem } from "./model/istio/chartRepo";

/** Where the Istio Helm charts come from. */
export interface IstioChartSource {
    /**
     * `repo`: a Helm repository (chart version = Istio version); `path`: a local directory holding base/,
     * istiod/ (or istio-control/istio-discovery/) and gateway/.
     */
    kind: ChartSourceKind;
    /**
     * Helm repository URL (`kind: repo` only).
     * @default "https://istio-release.storage.googleapis.com/charts"
     */
    repo?: string;
    /**
     * Accept an `http://` `repo` (the charts install istiod with cluster-admin rights; only for a repository
     * inside a trusted network).
     * @default false
     */
    allowInsecureRepo?: boolean;
    /** Local chart directory; required when `kind` is `path`. `~/` is expanded. */
    path?: string;
}

/**
 * The validated {@link ChartSourceModel} of `src` (the official repository when unset). Throws an Error naming
 * `key` (e.g. `args.istio.chart`) when the kind is unknown or a `path` source has no path.
 */
export function toChartSourceModel(src: IstioChartSource | undefined, key: string): ChartSourceModel {
    if (!src) return { kind: "repo", repo: OFFICIAL_CHART_REPO };
    if (src.kind === "repo") {
        if (src.path !== undefined) throw new Error(`${key}.path is only read with kind "path"; drop it or set kind: "path"`);
        const problem = src.repo && chartRepoProblem(src.repo, src.allowInsecureRepo ?? false, `${key}.allowInsecureRepo`);
        if (problem) throw new Error(`${key}.repo ${problem}`);
        return { kind: "repo", repo: src.repo || OFFICIAL_CHART_REPO };
    }
    if (src.kind === "path") {
        if (!src.path) throw new Error(`${key}.path is required with kind "path" (a directory of Istio charts)`);
        if (src.repo !== undefined) throw new Error(`${key}.repo is only read with kind "repo"; drop it or set kind: "repo"`);
        return { kind: "path", path: src.path };
    }
    throw new Error(`${key}.kind must be "repo" or "path", got ${JSON.stringify((src as { kind?: unknown }).kind)}`);
}
