/**
 * Where each Istio chart comes from: the Helm repository (chart version = Istio version) or a local
 * directory for air-gapped sites — a packaged layout (base/, istiod/, gateway/) or the source tree's
 * manifests/charts layout (base/, istio-control/istio-discovery/, gateway/).
 */
import * as fs from "fs";
import * as path from "path";
import { expandHome } from "./clusterAccess";
import { ChartSourceModel } from "./model";

/** The three Istio charts this project installs. */
export type IstioChartName = "base" | "istiod" | "gateway";

const LOCAL_LAYOUTS: Record<IstioChartName, string[]> = {
    base: ["base"],
    istiod: ["istiod", path.join("istio-control", "istio-discovery")],
    gateway: ["gateway"],
};

/** The `chart`/`version`/`repositoryOpts` arguments of a helm.v4.Chart. */
export interface ResolvedChart {
    /** Chart name (repo) or directory (local). */
    chart: string;
    /** Chart version (repo only). */
    version?: string;
    /** Repository (repo only). */
    repositoryOpts?: { repo: string };
}

/**
 * Resolves one chart. For a local directory, the chart must exist there (its Chart.yaml is looked up);
 * a missing chart throws an error naming the directories tried.
 */
export function resolveIstioChart(
    source: ChartSourceModel,
    chart: IstioChartName,
    version: string,
    exists: (p: string) => boolean = (p) => fs.existsSync(p),
): ResolvedChart {
    if (source.kind === "repo") {
        return { chart, version, repositoryOpts: { repo: source.repo } };
    }
    const { found, tried } = findLocalChart(source.path, chart, exists);
    if (!found) {
        throw new Error(
            `istio.chartPath: no ${chart} chart under ${source.path} (looked for Chart.yaml in ${tried.join(", ")}); ` +
                `point chartPath at a directory of Istio ${version} charts`,
        );
    }
    return { chart: found };
}

/** Looks one chart up under a local chart directory (either layout): the directory found, and those tried. */
export function findLocalChart(
    chartPath: string,
    chart: IstioChartName,
    exists: (p: string) => boolean = (p) => fs.existsSync(p),
): { found?: string; tried: string[] } {
    const tried = LOCAL_LAYOUTS[chart].map((rel) => path.resolve(expandHome(chartPath), rel));
    return { found: tried.find((dir) => exists(path.join(dir, "Chart.yaml"))), tried };
}

/** The charts missing under a local chart directory (what the config layer refuses before anything registers). */
export function missingLocalCharts(chartPath: string, exists?: (p: string) => boolean): { chart: IstioChartName; tried: string[] }[] {
    return (["base", "istiod", "gateway"] as const)
        .map((chart) => ({ chart, ...findLocalChart(chartPath, chart, exists) }))
        .filter((r) => !r.found)
        .map(({ chart, tried }) => ({ chart, tried }));
}
