/**
 * Locality load-balancer validation for Istio DestinationRules.
 *
 * A pure TypeScript port of Istio's `ValidateLocalityLbSetting` (and its helpers
 * `validateLocalities` / `getLocalityParam`) from
 * `pkg/config/validation/agent/validation.go`. The Go code is byte-for-byte identical
 * in Istio 1.28.0 through 1.30.3, so this module models all of those releases.
 *
 * Behaviour follows the Go code, including its early returns (for example, once a
 * weight is out of range nothing else is reported) and its order-dependent overlap
 * check for `distribute[].from`. Each message keeps Istio's wording and is prefixed with
 * the field path relative to `localityLbSetting`, e.g.
 * `distribute[1].to: total locality weight 90 != 100`.
 *
 * Known deviations (also described on {@link validateLocalityLbSetting}):
 *  - Inputs are checked against the CRD schema first (types, uint32 weights). Istio's
 *    webhook never sees such objects because they cannot be decoded into the proto, so
 *    if any schema error is found only those errors are returned.
 *  - Go walks `distribute[].to` in random map order, so its overlap check on `to` keys
 *    can accept a map on one run and reject it on the next. Here an overlap is an error
 *    if *any* key order would make Istio reject it.
 *
 * The module has no Pulumi imports; the topology label keys come from names.ts (istio pilot's label.go).
 */
import { Labels } from "../istio/names";
import { isPlainObject } from "../config/objects";

export type { LocalityLbSetting, OutlierDetection, ValidationResult } from "./localityTypes";
import type { LocalityLbSetting, OutlierDetection, ValidationResult } from "./localityTypes";

const UINT32_MAX = 4294967295;

const REGION_INDEX = 0;
const ZONE_INDEX = 1;
const SUBZONE_INDEX = 2;

/** A locality problem found by validateLocalities: the index of the bad entry and Istio's message. */
interface LocalityError {
    index: number;
    message: string;
}

/** Well-typed copy of the input, with Go's zero values ("" for a missing string). */
interface NormalizedSetting {
    distribute: { from: string; to: [string, number][] }[];
    failover: { from: string; to: string }[];
    failoverPriority: string[];
}

function describe(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    if (typeof v === "string") return `string ${JSON.stringify(v)}`;
    if (typeof v === "number") return `number ${String(v)}`;
    return typeof v;
}

function isAbsent(v: unknown): v is null | undefined {
    return v === undefined || v === null;
}

/** Same as Go's `strings.SplitN(s, sep, n)` for n > 0. */
function splitN(s: string, sep: string, n: number): string[] {
    const out: string[] = [];
    let rest = s;
    while (out.length < n - 1) {
        const i = rest.indexOf(sep);
        if (i < 0) break;
        out.push(rest.slice(0, i));
        rest = rest.slice(i + sep.length);
    }
    out.push(rest);
    return out;
}

/** Port of Go `getLocalityParam`. Returns undefined where Go returns an error (an empty segment). */
function getLocalityParam(locality: string): { region: string; zone: string; subZone: string; index: number } | undefined {
    const items = splitN(locality, "/", 3);
    if (items.some((item) => item === "")) return undefined;
    return { region: items[0] ?? "", zone: items[1] ?? "", subZone: items[2] ?? "", index: items.length - 1 };
}

/**
 * Port of Go `validateLocalities`: returns the first problem in list order, or undefined.
 * `regionZoneSubZoneMap` in Go is modelled with nested Maps/Sets; a zone entry of `"*"`
 * plays the same role as in Go.
 */
function validateLocalities(localities: readonly string[]): LocalityError | undefined {
    const rzs = new Map<string, Map<string, Map<string, boolean>>>();
    const overlap = (index: number, locality: string): LocalityError => ({
        index,
        message: `locality ${locality} overlap with previous specified ones`,
    });
    for (let index = 0; index < localities.length; index++) {
        const locality = localities[index] as string;
        const n = locality.split("*").length - 1;
        if (n > 0 && (n > 1 || !locality.endsWith("*"))) {
            return {
                index,
                message: `locality ${locality} wildcard '*' number can not exceed 1 and must be in the end`,
            };
        }
        if (rzs.has("*")) return overlap(index, locality);

        const p = getLocalityParam(locality);
        if (p === undefined) {
            return { index, message: `locality ${locality} must not contain empty region/zone/subzone info` };
        }
        const { region, zone, subZone } = p;
        switch (p.index) {
            case REGION_INDEX: {
                if (rzs.has(region)) return overlap(index, locality);
                rzs.set(region, new Map([["*", new Map([["*", true]])]]));
                break;
            }
            case ZONE_INDEX: {
                const r = rzs.get(region);
                if (r !== undefined) {
                    if (r.has("*")) return overlap(index, locality);
                    if (r.has(zone)) return overlap(index, locality);
                    r.set(zone, new Map([["*", true]]));
                } else {
                    rzs.set(region, new Map([[zone, new Map([["*", true]])]]));
                }
                break;
            }
            case SUBZONE_INDEX: {
                const r = rzs.get(region);
                if (r !== undefined) {
                    if (r.has("*")) return overlap(index, locality);
                    const z = r.get(zone);
                    if (z !== undefined) {
                        if (z.get("*") === true) return overlap(index, locality);
                        if (z.get(subZone) === true) return overlap(index, locality);
                        z.set(subZone, true);
                    } else {
                        r.set(zone, new Map([[subZone, true]]));
                    }
                } else {
                    rzs.set(region, new Map([[zone, new Map([[subZone, true]])]]));
                }
                break;
            }
        }
    }
    return undefined;
}

/**
 * Checks the `to` keys of one distribute entry. Go iterates `to` (a map) in random order,
 * so first we check in insertion order. If that passes, we try each pair of keys in reverse
 * order too. The Go overlap rule only ever compares two entries at a time, so this finds
 * every rejection that any Go iteration order could produce.
 */
function validateDestLocalities(keys: readonly string[]): LocalityError | undefined {
    const first = validateLocalities(keys);
    if (first !== undefined) return first;
    for (let later = 1; later < keys.length; later++) {
        for (let earlier = 0; earlier < later; earlier++) {
            const e = validateLocalities([keys[later] as string, keys[earlier] as string]);
            if (e !== undefined) return { index: e.index === 0 ? later : earlier, message: e.message };
        }
    }
    return undefined;
}

/**
 * Checks the input against the DestinationRule CRD schema / proto types. Returns schema
 * errors, or a well-typed copy with Go zero values filled in.
 */
function normalize(lb: Record<string, unknown>): { errors: string[]; value?: NormalizedSetting } {
    const errors: string[] = [];
    const value: NormalizedSetting = { distribute: [], failover: [], failoverPriority: [] };

    if (!isAbsent(lb.enabled) && typeof lb.enabled !== "boolean") {
        errors.push(`enabled: expected a boolean, got ${describe(lb.enabled)}`);
    }

    const optString = (v: unknown, path: string): string => {
        if (isAbsent(v)) return "";
        if (typeof v !== "string") {
            errors.push(`${path}: expected a string, got ${describe(v)}`);
            return "";
        }
        return v;
    };

    const list = (v: unknown, path: string): unknown[] => {
        if (isAbsent(v)) return [];
        if (!Array.isArray(v)) {
            errors.push(`${path}: expected an array, got ${describe(v)}`);
            return [];
        }
        return v;
    };

    /** The object entries of the list `lb[key]` in order, each with its path; any other entry is reported as met. */
    function* objectEntries(key: "distribute" | "failover"): Generator<{ entry: Record<string, unknown>; path: string }> {
        const entries = list(lb[key], key);
        for (let i = 0; i < entries.length; i++) {
            const entry = entries[i];
            const path = `${key}[${i}]`;
            if (isPlainObject(entry)) yield { entry, path };
            else errors.push(`${path}: expected an object, got ${describe(entry)}`);
        }
    }

    for (const { entry: d, path } of objectEntries("distribute")) {
        const from = optString(d.from, `${path}.from`);
        const to: [string, number][] = [];
        if (!isAbsent(d.to)) {
            if (!isPlainObject(d.to)) {
                errors.push(`${path}.to: expected an object mapping locality to weight, got ${describe(d.to)}`);
            } else {
                for (const key of Object.keys(d.to)) {
                    const w = d.to[key];
                    if (typeof w !== "number" || !Number.isInteger(w) || w < 0 || w > UINT32_MAX) {
                        errors.push(
                            `${path}.to[${JSON.stringify(key)}]: locality weight must be an unsigned 32-bit integer, got ${describe(w)}`,
                        );
                        continue;
                    }
                    to.push([key, w]);
                }
            }
        }
        value.distribute.push({ from, to });
    }

    for (const { entry: f, path } of objectEntries("failover")) {
        value.failover.push({ from: optString(f.from, `${path}.from`), to: optString(f.to, `${path}.to`) });
    }

    const priority = list(lb.failoverPriority, "failoverPriority");
    for (let i = 0; i < priority.length; i++) {
        const p = priority[i];
        if (typeof p !== "string") {
            errors.push(`failoverPriority[${i}]: expected a string, got ${describe(p)}`);
            continue;
        }
        value.failoverPriority.push(p);
    }

    return errors.length > 0 ? { errors } : { errors, value };
}

/**
 * Validates a DestinationRule `localityLbSetting` the way Istio 1.28–1.30 does
 * (`ValidateLocalityLbSetting` in `pkg/config/validation/agent/validation.go`).
 *
 * Checks, in Istio's order, with Istio's early returns:
 *  1. `distribute` and `failover` both non-empty: error, and nothing else is checked.
 *  2. `failover` together with a `failoverPriority` entry that is exactly
 *     `topology.kubernetes.io/region`, `topology.kubernetes.io/zone` or
 *     `topology.istio.io/subzone`: error, and nothing else is checked.
 *  3. For each `distribute[i]`: every `to` weight must be in [1, 100] and the weights must
 *     add up to 100 (either problem stops all further checks). Then the `to` localities are
 *     checked (at most one `*`, only at the end; no empty segment; no overlaps).
 *  4. The `distribute[].from` localities are checked the same way, in list order. Because
 *     Istio uses the first matching `from`, an entry hidden by an earlier, broader one is an error.
 *  5. `failover` or `failoverPriority` without `outlierDetection`: a warning only. Any object
 *     counts as present, even `{}`.
 *  6. For each `failover[i]`: `from` == `to`, a `/` in either, or a `*` in either is an error.
 *
 * Differences from the Go code:
 *  - Input may come from untrusted YAML, so it is checked against the CRD schema first (objects,
 *    arrays, strings, booleans, weights that are unsigned 32-bit integers). Istio never sees input
 *    that fails these checks (the API server or proto decoding rejects it), so if any are found
 *    only those errors are returned. This function never throws.
 *  - `null` counts as not set, like a missing field.
 *  - Go reads the `to` map in random order. Here weights are checked in the input's key order, and
 *    overlapping `to` keys are an error whenever some key order would make Istio reject them.
 *
 * @param localityLbSetting the `trafficPolicy.loadBalancer.localityLbSetting` value; `undefined`/`null` is valid.
 * @param outlierDetection the `trafficPolicy.outlierDetection` value of the same traffic policy, if any.
 * @returns errors and warnings, each prefixed with its field path relative to `localityLbSetting`.
 */
export function validateLocalityLbSetting(
    localityLbSetting: LocalityLbSetting | undefined,
    outlierDetection?: OutlierDetection,
): ValidationResult {
    const errors: string[] = [];
    const warnings: string[] = [];
    const raw: unknown = localityLbSetting;
    const rawOutlier: unknown = outlierDetection;

    if (!isAbsent(rawOutlier) && !isPlainObject(rawOutlier)) {
        errors.push(`outlierDetection: expected an object, got ${describe(rawOutlier)}`);
    }
    if (isAbsent(raw)) return { errors, warnings };
    if (!isPlainObject(raw)) {
        errors.push(`localityLbSetting: expected an object, got ${describe(raw)}`);
        return { errors, warnings };
    }

    const normalized = normalize(raw);
    if (normalized.value === undefined || errors.length > 0) {
        return { errors: [...errors, ...normalized.errors], warnings };
    }
    const lb = normalized.value;

    // 1. distribute and failover together.
    if (lb.distribute.length > 0 && lb.failover.length > 0) {
        errors.push(`failover: can not simultaneously specify 'distribute' and 'failover'`);
        return { errors, warnings };
    }

    // 2. failover together with region/zone/subzone topology labels in failoverPriority.
    if (lb.failover.length > 0 && lb.failoverPriority.length > 0) {
        for (let i = 0; i < lb.failoverPriority.length; i++) {
            const priorityLabel = lb.failoverPriority[i] as string;
            switch (priorityLabel) {
                case Labels.region:
                case Labels.zone:
                case Labels.subzone:
                    errors.push(
                        `failoverPriority[${i}]: can not simultaneously set 'failover' and topology label '${priorityLabel}' in 'failover_priority'`,
                    );
                    return { errors, warnings };
            }
        }
    }

    // 3. distribute weights and destination localities.
    const srcLocalities: string[] = [];
    for (let i = 0; i < lb.distribute.length; i++) {
        const entry = lb.distribute[i] as NormalizedSetting["distribute"][number];
        srcLocalities.push(entry.from);
        let totalWeight = 0;
        const destLocalities: string[] = [];
        for (const [loc, weight] of entry.to) {
            destLocalities.push(loc);
            if (weight <= 0 || weight > 100) {
                errors.push(`distribute[${i}].to[${JSON.stringify(loc)}]: locality weight must be in range [1, 100]`);
                return { errors, warnings };
            }
            totalWeight += weight;
        }
        if (totalWeight !== 100) {
            errors.push(`distribute[${i}].to: total locality weight ${totalWeight} != 100`);
            return { errors, warnings };
        }
        const destErr = validateDestLocalities(destLocalities);
        if (destErr !== undefined) errors.push(`distribute[${i}].to: ${destErr.message}`);
    }

    // 4. source localities, in list order.
    const srcErr = validateLocalities(srcLocalities);
    if (srcErr !== undefined) errors.push(`distribute[${srcErr.index}].from: ${srcErr.message}`);

    // 5. failover without outlier detection: warning only.
    if ((lb.failover.length !== 0 || lb.failoverPriority.length !== 0) && isAbsent(rawOutlier)) {
        const path = lb.failover.length !== 0 ? "failover" : "failoverPriority";
        warnings.push(`${path}: outlier detection policy must be provided for failover`);
    }

    // 6. failover entries.
    for (let i = 0; i < lb.failover.length; i++) {
        const f = lb.failover[i] as NormalizedSetting["failover"][number];
        if (f.from === f.to) {
            errors.push(`failover[${i}]: locality lb failover settings must specify different regions`);
        }
        if (f.from.includes("/") || f.to.includes("/")) {
            errors.push(`failover[${i}]: locality lb failover only specify region`);
        }
        if (f.to.includes("*") || f.from.includes("*")) {
            errors.push(`failover[${i}]: locality lb failover region should not contain '*' wildcard`);
        }
    }

    return { errors, warnings };
}
