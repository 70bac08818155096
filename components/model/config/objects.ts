/**
 * Narrowing helpers for untyped input (parsed YAML, kubeconfig, Helm values, policy props). Internal to the
 * model; not part of the public exports.
 */

/** True if `v` is a non-null, non-array object (what YAML and JSON call a mapping). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `v` if it is an array, else an empty one. */
export function asArray(v: unknown): unknown[] {
    return Array.isArray(v) ? v : [];
}

/** `v[key]` if `v` is a mapping ({@link isPlainObject}), else undefined: optional chaining into untyped input. */
export function field(v: unknown, key: string): unknown {
    return isPlainObject(v) ? v[key] : undefined;
}
