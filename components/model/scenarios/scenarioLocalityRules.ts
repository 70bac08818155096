/**
 * CC2–CC4's resolution: one helloworld2 VirtualService + DestinationRule per selected rule, every name, host and
 * traffic policy decided here, the locality settings checked as istiod checks them, and localities no node has
 * reported as warnings.
 */
import type { ConfigIssue } from "../config/errors";
import { LocalityLbSetting, OutlierDetection } from "../locality/locality";
import { checkLocalitySetting } from "../locality/localityCheck";
import { Labels, resolveServiceHost } from "../istio/names";
import {
    LOCALITY_FAILOVER_OUTLIER,
    DEFAULT_DISTRIBUTE_RULES,
    WEIGHTED_DISTRIBUTION_OUTLIER,
    DEFAULT_FAILOVER_RULES,
    REGION_FAILOVER_OUTLIER,
    localityFailoverPolicy,
    regionFailoverPolicy,
    SAMPLE_NAMESPACE,
    weightedDistributionPolicy,
} from "./scenarioDefaults";
import type { LocalityRuleModel, ScenarioCluster, ScenariosModel } from "./scenarioModel";
import type { Resolver, Settings } from "./scenarioResolution";
import type { ScenarioId } from "./scenarioSchema";

/** The helloworld2 VirtualService every locality rule applies with its DestinationRule (seed 000). */
const HELLOWORLD2_ROUTE = { name: "helloworld2", host: "helloworld2" } as const;

/** CC2–CC4: one helloworld2 DestinationRule each, validated as Istio validates it. */
export function resolveLocalityRules(r: Resolver, settings: Settings, selectedSet: Set<ScenarioId>, model: ScenariosModel): void {
    const qualified = resolveServiceHost(HELLOWORLD2_ROUTE.host, SAMPLE_NAMESPACE);
    const rule = (kind: LocalityRuleModel["kind"], cluster: string, name: string, host: string) => ({
        kind,
        cluster,
        namespace: SAMPLE_NAMESPACE,
        virtualService: { ...HELLOWORLD2_ROUTE },
        name,
        host,
    });
    if (selectedSet.has("cc2")) {
        const s = settings.cc2 ?? {};
        const od: OutlierDetection = s.outlierDetection ? { ...s.outlierDetection } : LOCALITY_FAILOVER_OUTLIER;
        model.cc2 = {
            ...rule("LocalityFailover", r.pick("cc2", s.cluster, 0), "helloworld2-loc1", HELLOWORLD2_ROUTE.host),
            trafficPolicy: localityFailoverPolicy(od),
            outlierDetection: od,
        };
    }
    if (selectedSet.has("cc3")) {
        const s = settings.cc3 ?? {};
        const distribute = s.distribute ?? DEFAULT_DISTRIBUTE_RULES;
        const lb: LocalityLbSetting = { enabled: true, distribute };
        const od: OutlierDetection = s.outlierDetection ? { ...s.outlierDetection } : WEIGHTED_DISTRIBUTION_OUTLIER;
        collectLocality(r, "cc3", lb, od);
        model.cc3 = {
            ...rule("WeightedDistribution", r.pick("cc3", s.cluster, 1), "helloworld2-loc2", qualified),
            trafficPolicy: weightedDistributionPolicy(distribute, od),
            outlierDetection: od,
            distribute,
        };
    }
    if (selectedSet.has("cc4")) {
        const s = settings.cc4 ?? {};
        const failover = s.failover ?? DEFAULT_FAILOVER_RULES;
        const lb: LocalityLbSetting = { enabled: true, failover };
        const od: OutlierDetection = s.outlierDetection ? { ...s.outlierDetection } : REGION_FAILOVER_OUTLIER;
        const maxRequestsPerConnection = s.maxRequestsPerConnection ?? 1;
        collectLocality(r, "cc4", lb, od);
        model.cc4 = {
            ...rule("RegionFailover", r.pick("cc4", s.cluster, 1), "helloworld2-loc-failover", qualified),
            trafficPolicy: regionFailoverPolicy(failover, od, maxRequestsPerConnection),
            outlierDetection: od,
            failover,
            maxRequestsPerConnection,
        };
    }
    for (const [id, rule] of [
        ["cc3", model.cc3],
        ["cc4", model.cc4],
    ] as const) {
        if (rule) warnUnknownRegions(id, rule, r.clusters, r.warnings);
    }
}

function collectLocality(r: Resolver, id: string, lb: LocalityLbSetting, od: OutlierDetection): void {
    const v = checkLocalitySetting(`scenarioSettings.${id}`, lb, od);
    r.issues.push(...v.issues);
    r.warnings.push(...v.warnings);
}

function warnUnknownRegions(id: string, rule: LocalityRuleModel, clusters: ScenarioCluster[], warnings: ConfigIssue[]): void {
    const regions = new Set(clusters.flatMap((c) => c.nodes.map((n) => n.region)));
    if (!regions.size) return;
    const lb = (rule.trafficPolicy.loadBalancer as { localityLbSetting: LocalityLbSetting }).localityLbSetting;
    const localities = [
        ...(lb.distribute ?? []).flatMap((d) => [d.from ?? "", ...Object.keys(d.to ?? {})]),
        ...(lb.failover ?? []).flatMap((f) => [f.from ?? "", f.to ?? ""]),
    ];
    for (const l of localities) {
        const region = l.split("/")[0];
        if (region && region !== "*" && !regions.has(region)) {
            warnings.push({
                path: `scenarioSettings.${id}`,
                message: `locality ${l}: no node of any cluster is labelled ${Labels.region}=${region}`,
            });
        }
    }
}
