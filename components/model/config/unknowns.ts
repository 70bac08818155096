/**
 * Values not known yet (Pulumi unknowns at preview time) as the pure checks see them: passed in as
 * {@link UNKNOWN}; every check skips what depends on such a value instead of guessing.
 */
import { isPlainObject } from "./objects";

/** Marks a value that is not known yet (e.g. a Pulumi output during preview). */
export const UNKNOWN: unique symbol = Symbol.for("istio-multicluster.unknown");
/** A value that may not be known yet. */
export type Maybe<T> = T | typeof UNKNOWN;

/** True if `v` is {@link UNKNOWN}. */
export function isUnknown(v: unknown): v is typeof UNKNOWN {
    return v === UNKNOWN;
}

/** True if `v` is {@link UNKNOWN} or contains it anywhere. */
export function containsUnknown(v: unknown): boolean {
    if (v === UNKNOWN) return true;
    if (Array.isArray(v)) return v.some(containsUnknown);
    if (isPlainObject(v)) return Object.values(v).some(containsUnknown);
    return false;
}

/** Errors (Istio rejects or it is broken) and warnings (accepted, but likely not what was meant). */
export interface CheckResult {
    /** Problems to block on. */
    errors: string[];
    /** Problems to report without blocking. */
    warnings: string[];
}
