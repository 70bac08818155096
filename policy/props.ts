/**
 * Reading resource properties inside policies without tripping over preview-time unknowns, and telling
 * whether a property was a Pulumi secret.
 *
 * - The policy SDK hands props behind a proxy that throws `UnknownValueError` when an unknown value is read
 *   (and then skips the whole policy for that resource with an advisory "can't run during preview").
 *   {@link plain} instead copies props into plain data with unknown values replaced by the model's `UNKNOWN`,
 *   so each check skips only what depends on an unknown value.
 * - The SDK (1.21.0, server.js) deserializes props for validation with `proxySecrets = false`: secret values
 *   arrive as plain values and secret-ness is lost. {@link installSecretTracking} (called by index.ts, before
 *   the pack serves) makes it deserialize with `proxySecrets = true`, which keeps the values transparent to
 *   policies but leaves a `Secret` wrapper in the raw target that {@link secretness} can find.
 */
import { Secret, UnknownValueError } from "@pulumi/policy";
import { UNKNOWN } from "../components/model";

// The sentinels the engine sends for unknown values (@pulumi/policy proxy.ts, pulumi sdk resource/plugin/rpc.go).
const UNKNOWN_SENTINELS = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

const IS_PROXY = "__isSpecialProxy";
const PROXY_TARGET = "__getSpecialProxyTarget";

/** True if `e` is the SDK's error for reading an unknown value. */
export function isUnknownValueError(e: unknown): boolean {
    return e instanceof UnknownValueError || (e instanceof Error && "unknownTypeSentinel" in e);
}

/** Reads `get()`; an unknown value (thrown or as a sentinel) becomes `UNKNOWN`. Anything else is copied with {@link plain}. */
export function read(get: () => unknown): unknown {
    try {
        return plain(get());
    } catch (e) {
        if (isUnknownValueError(e)) return UNKNOWN;
        throw e;
    }
}

/** Deep copy of (proxied) props into plain data; unknown values become `UNKNOWN`. */
export function plain(v: unknown): unknown {
    if (typeof v === "string") return UNKNOWN_SENTINELS.has(v) ? UNKNOWN : v;
    if (v === null || typeof v !== "object") return v;
    if (v instanceof Secret) return plain(v.value);
    if (Array.isArray(v)) {
        const out: unknown[] = [];
        for (let i = 0; i < v.length; i++) out.push(read(() => v[i]));
        return out;
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = read(() => (v as Record<string, unknown>)[k]);
    return out;
}

let tracking = false;

/**
 * Makes the policy SDK keep secret markers when it deserializes props for validation (see the module comment).
 * Returns false, leaving the SDK untouched, if its internals are not what this was written against.
 */
export function installSecretTracking(): boolean {
    if (tracking) return true;
    try {
        // Its typings export nothing; this is the internal shape checked below (a two-argument function).
        const mod = require("@pulumi/policy/deserialize") as { deserializeProperties?: unknown } | undefined;
        const found = mod?.deserializeProperties;
        if (!mod || typeof found !== "function" || found.length !== 2) return false;
        const original = found as (struct: unknown, proxySecrets: boolean) => unknown;
        mod.deserializeProperties = (struct: unknown, _proxySecrets: boolean) => original(struct, true);
        tracking = true;
        return true;
    } catch {
        return false;
    }
}

/** For tests: force the tracking flag (the props must then come from `deserializeProperties(..., true)`). */
export function setSecretTrackingForTests(on: boolean): void {
    tracking = on;
}

function rawTarget(x: unknown): unknown {
    let cur = x;
    for (let i = 0; i < 8 && cur !== null && (typeof cur === "object" || typeof cur === "function"); i++) {
        let isProxy: boolean;
        try {
            isProxy = (cur as Record<string, unknown>)[IS_PROXY] === true;
        } catch {
            isProxy = false;
        }
        if (!isProxy) break;
        cur = (cur as Record<string, unknown>)[PROXY_TARGET];
    }
    return cur;
}

/**
 * Whether the value at `path` of `props` (or any object containing it) was a Pulumi secret: true/false when
 * secret tracking is on, undefined when it is off (secret-ness cannot be known then).
 */
export function secretness(props: unknown, path: readonly (string | number)[]): boolean | undefined {
    let cur: unknown = props;
    let secret = false;
    for (const seg of path) {
        let raw = rawTarget(cur);
        if (raw instanceof Secret) {
            secret = true;
            raw = rawTarget(raw.value);
        }
        if (raw === null || typeof raw !== "object") break;
        let next: unknown = (raw as Record<string | number, unknown>)[seg];
        if (next instanceof Secret) {
            secret = true;
            next = next.value;
        }
        cur = next;
    }
    if (rawTarget(cur) instanceof Secret) secret = true;
    if (secret) return true;
    return tracking ? false : undefined;
}
