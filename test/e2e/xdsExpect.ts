/**
 * Pure helpers for the istiod suite: group an EDS answer by locality, and what a `distribute` rule makes of a
 * proxy's locality groups, as Istio applies it (pilot/pkg/networking/core/loadbalancer: each `to` pattern's weight
 * is split over the groups it matches in proportion to their original weights, rounded up; unmatched groups are
 * dropped).
 */
import type { XdsEndpoint } from "../../scripts/local/xds";

/** The endpoints of one locality at one priority. */
export interface LocalityGroup {
    locality: string;
    priority: number;
    /** The group's load-balancing weight. */
    weight: number;
    endpoints: XdsEndpoint[];
}

/** The EDS endpoints grouped as Envoy receives them (locality, priority). */
export function localityGroups(endpoints: XdsEndpoint[]): LocalityGroup[] {
    const byKey = new Map<string, LocalityGroup>();
    for (const e of endpoints) {
        const key = `${e.priority}|${e.locality}`;
        const g = byKey.get(key) ?? { locality: e.locality, priority: e.priority, weight: e.localityWeight, endpoints: [] };
        g.endpoints.push(e);
        byKey.set(key, g);
    }
    return [...byKey.values()].sort((a, b) => a.priority - b.priority || a.locality.localeCompare(b.locality));
}

/** Istio's LocalityMatch: `region1/*`, `region1/zone1/*`, `region1/zone1` or `region1` against `region/zone[/subzone]`. */
export function localityMatches(locality: string, pattern: string): boolean {
    const have = locality.split("/");
    const want = pattern.split("/");
    return want.every((w, i) => w === "*" || w === (have[i] ?? ""));
}

/** A distribute rule as the DestinationRule holds it. */
export interface DistributeRule {
    from: string;
    to: Record<string, number>;
}

/**
 * The locality weights a proxy whose groups (before distribution, original weight = the sum of the group's
 * endpoint weights) are `groups` gets from `rule`: locality → weight. Localities no `to` pattern matches are absent.
 */
export function distributedWeights(groups: { locality: string; original: number }[], rule: DistributeRule): Record<string, number> {
    const out: Record<string, number> = {};
    const taken = new Set<string>();
    for (const [pattern, weight] of Object.entries(rule.to)) {
        const matched = groups.filter((g) => !taken.has(g.locality) && localityMatches(g.locality, pattern));
        const total = matched.reduce((s, g) => s + g.original, 0);
        for (const g of matched) {
            taken.add(g.locality);
            out[g.locality] = Math.ceil((g.original * weight) / total);
        }
    }
    return out;
}

/** The priority of each locality in `groups` (each locality at one priority). */
export function priorities(groups: LocalityGroup[]): Record<string, number> {
    return Object.fromEntries(groups.map((g) => [g.locality, g.priority]));
}
