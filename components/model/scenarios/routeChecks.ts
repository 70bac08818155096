/**
 * Checks on DestinationRule traffic policies and VirtualService routes (weights, subsets).
 * Part of the pure checks re-exported by policyChecks.ts; values not known yet arrive as {@link UNKNOWN}.
 */
import { validateLocalityLbSetting } from "../locality/locality";
import { asArray, isPlainObject } from "../config/objects";
import { isUnknown, containsUnknown, type CheckResult } from "../config/unknowns";

/** Every traffic policy of a DestinationRule spec with its path: top level, port level, subsets (and their ports). */
export function destinationRuleTrafficPolicies(spec: unknown): { path: string; policy: Record<string, unknown> }[] {
    const out: { path: string; policy: Record<string, unknown> }[] = [];
    if (!isPlainObject(spec)) return out;
    const visit = (tp: unknown, path: string) => {
        if (!isPlainObject(tp)) return;
        out.push({ path, policy: tp });
        asArray(tp.portLevelSettings).forEach((p, i) => {
            if (isPlainObject(p)) out.push({ path: `${path}.portLevelSettings[${i}]`, policy: p });
        });
    };
    visit(spec.trafficPolicy, "spec.trafficPolicy");
    asArray(spec.subsets).forEach((s, i) => {
        if (isPlainObject(s)) visit(s.trafficPolicy, `spec.subsets[${i}].trafficPolicy`);
    });
    return out;
}

/**
 * Runs {@link validateLocalityLbSetting} on every traffic policy of a DestinationRule, as Istio's
 * `validateTrafficPolicy` does (each level with its own outlierDetection). Messages are prefixed with the
 * full path (e.g. `spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to: ...`). Traffic policies
 * whose locality or outlier settings are not known yet are skipped.
 */
export function checkDestinationRuleLocality(spec: unknown): CheckResult {
    const result: CheckResult = { errors: [], warnings: [] };
    for (const { path, policy } of destinationRuleTrafficPolicies(spec)) {
        const lbBlock = policy.loadBalancer;
        if (isUnknown(lbBlock)) continue;
        const lb = isPlainObject(lbBlock) ? lbBlock.localityLbSetting : undefined;
        if (containsUnknown(lb) || containsUnknown(policy.outlierDetection)) continue;
        const r = validateLocalityLbSetting(lb as never, policy.outlierDetection as never);
        const at = `${path}.loadBalancer.localityLbSetting`;
        result.errors.push(...r.errors.map((m) => `${at}.${m}`));
        result.warnings.push(...r.warnings.map((m) => `${at}.${m}`));
    }
    return result;
}

/** Options of {@link checkVirtualServiceWeights}. */
export interface RouteWeightOptions {
    /**
     * Require weights to add up to 100 (percentages) whenever a route has more than one destination or any
     * weight. Istio itself treats weights as relative and only rejects negative weights and an all-zero split.
     * @default true
     */
    requireSum100?: boolean;
}

/**
 * Checks the destination weights of every `http`, `tcp` and `tls` route of a VirtualService spec: no negative
 * weight; with several destinations, not all zero and none left without a weight (it would get no traffic);
 * and (by default) weights adding up to 100. A single destination may omit its weight. Routes with a weight
 * not known yet are skipped.
 */
export function checkVirtualServiceWeights(spec: unknown, opts: RouteWeightOptions = {}): string[] {
    const errors: string[] = [];
    if (!isPlainObject(spec)) return errors;
    const requireSum100 = opts.requireSum100 ?? true;
    for (const kind of ["http", "tcp", "tls"] as const) {
        asArray(spec[kind]).forEach((route, i) => {
            if (!isPlainObject(route)) return;
            const dests = route.route;
            if (isUnknown(dests) || !Array.isArray(dests) || dests.length === 0) return;
            const at = `spec.${kind}[${i}].route`;
            const weights = dests.map((d) => (isPlainObject(d) ? d.weight : undefined));
            if (weights.some(isUnknown)) return;
            const given = weights.filter((w): w is number => typeof w === "number");
            const bad = weights.findIndex((w) => w !== undefined && w !== null && (typeof w !== "number" || !Number.isInteger(w)));
            if (bad >= 0) {
                errors.push(`${at}[${bad}].weight: must be an integer, got ${JSON.stringify(weights[bad])}`);
                return;
            }
            const neg = weights.findIndex((w) => typeof w === "number" && w < 0);
            if (neg >= 0) {
                errors.push(`${at}[${neg}].weight: weight ${weights[neg]} < 0`);
                return;
            }
            if (dests.length === 1) {
                if (requireSum100 && given.length === 1 && given[0] !== 100 && given[0] !== 0) {
                    errors.push(`${at}: the only destination has weight ${given[0]}; omit it or set 100 (it gets all traffic either way)`);
                }
                return;
            }
            const total = given.reduce((a, b) => a + b, 0);
            if (total === 0) {
                errors.push(`${at}: total destination weight = 0 (Istio rejects a split where no destination gets traffic)`);
                return;
            }
            const missing = weights.map((w, j) => (typeof w === "number" ? -1 : j)).filter((j) => j >= 0);
            if (missing.length) {
                errors.push(
                    `${at}[${missing.join("], [")}]: no weight among ${dests.length} weighted destinations; it gets no traffic (weight 0)`,
                );
            }
            if (requireSum100 && total !== 100) {
                errors.push(`${at}: destination weights add up to ${total}, not 100`);
            }
        });
    }
    return errors;
}

/** A destination of a VirtualService route that names a subset. */
export interface SubsetReference {
    /** Path of the destination in the spec. */
    path: string;
    /** Destination host as written. */
    host: string;
    /** Subset name. */
    subset: string;
}

/** Every destination (http/tcp/tls routes and http mirrors) that names a subset; entries with unknown host or subset are left out. */
export function virtualServiceSubsetReferences(spec: unknown): SubsetReference[] {
    const out: SubsetReference[] = [];
    if (!isPlainObject(spec)) return out;
    const add = (d: unknown, path: string) => {
        if (!isPlainObject(d)) return;
        const dest = d.destination;
        if (!isPlainObject(dest)) return;
        if (typeof dest.host === "string" && typeof dest.subset === "string" && dest.subset !== "") {
            out.push({ path: `${path}.destination`, host: dest.host, subset: dest.subset });
        }
    };
    for (const kind of ["http", "tcp", "tls"] as const) {
        asArray(spec[kind]).forEach((route, i) => {
            if (!isPlainObject(route)) return;
            asArray(route.route).forEach((d, j) => add(d, `spec.${kind}[${i}].route[${j}]`));
            if (kind === "http") {
                if (isPlainObject(route.mirror)) {
                    const m = route.mirror;
                    if (typeof m.host === "string" && typeof m.subset === "string" && m.subset !== "") {
                        out.push({ path: `spec.http[${i}].mirror`, host: m.host, subset: m.subset });
                    }
                }
                asArray(route.mirrors).forEach((m, j) => add(m, `spec.http[${i}].mirrors[${j}]`));
            }
        });
    }
    return out;
}
