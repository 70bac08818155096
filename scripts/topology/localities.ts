/**
 * The zones of a mesh as the picture groups them (cluster → region → zone, in node order), and which of them an
 * Istio locality (`region/zone/subzone`, `*` for any) names, for drawing CC3's distribute and CC4's failover rules.
 */
import type { ClusterModel } from "../../components/model";

/** One zone of one cluster, with the nodes labelled with it. */
export interface ZoneGroup {
    /** Cluster name. */
    cluster: string;
    /** `topology.kubernetes.io/region`. */
    region: string;
    /** `topology.kubernetes.io/zone`. */
    zone: string;
    /** The nodes, each `name` or `name (subzone)`. */
    nodes: string[];
}

/** The zones of `clusters`, grouped by cluster, then region, then zone, each in order of first appearance. */
export function zoneGroups(clusters: ClusterModel[]): ZoneGroup[] {
    const out: ZoneGroup[] = [];
    for (const c of clusters) {
        const regions: string[] = [];
        const byKey = new Map<string, ZoneGroup>();
        for (const n of c.nodes) {
            if (!regions.includes(n.region)) regions.push(n.region);
            const key = `${n.region}/${n.zone}`;
            const group = byKey.get(key) ?? { cluster: c.name, region: n.region, zone: n.zone, nodes: [] };
            byKey.set(key, group);
            group.nodes.push(n.subzone ? `${n.name} (${n.subzone})` : n.name);
        }
        for (const r of regions) out.push(...[...byKey.values()].filter((g) => g.region === r));
    }
    return out;
}

/** What a locality names among the zones. */
export interface LocalityMatch {
    /** The zones it names. */
    zones: ZoneGroup[];
    /** True when it names whole regions (`region1`, `region1/*`, `*`), false for one zone. */
    wholeRegions: boolean;
}

/**
 * The zones `locality` names: `region`, `region/*` and `*` name whole regions, `region/zone[/...]` one zone
 * (subzones are not told apart: every node of the zone is drawn in one box).
 */
export function matchLocality(locality: string, zones: ZoneGroup[]): LocalityMatch {
    const [region = "*", zone = "*"] = locality.split("/");
    const wholeRegions = zone === "*";
    return {
        zones: zones.filter((z) => (region === "*" || z.region === region) && (wholeRegions || z.zone === zone)),
        wholeRegions,
    };
}
