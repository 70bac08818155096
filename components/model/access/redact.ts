/**
 * One place that strips credentials out of any message derived from a kubeconfig (ours, the YAML parser's,
 * a client library's), so a malformed kubeconfig never gets its token echoed into a terminal or CI log.
 */

/** What replaces a credential in a message. */
export const REDACTED = "[REDACTED]";

/**
 * Kubeconfig fields (and auth-provider/exec config keys) whose values are credentials. Values of these keys
 * are redacted wherever they appear in a message, quoted or not, in block or flow style.
 */
export const CREDENTIAL_KEYS = [
    "token",
    "client-key-data",
    "client-certificate-data",
    "password",
    "username",
    "id-token",
    "refresh-token",
    "access-token",
    "client-secret",
    "idp-certificate-authority-data",
] as const;

const keyAlternation = CREDENTIAL_KEYS.map((k) => k.replace(/[-]/g, "\\-")).join("|");
/** `token: value…` / `"token": "value"` / `token=value`: everything after the key to the end of the line. */
const KEY_VALUE = new RegExp(`(["']?\\b(?:${keyAlternation})["']?\\s*[:=]\\s*)([^\\n]*)`, "gi");
/** PEM blocks (private keys, certificates): the whole block. */
const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g;
/** `Bearer xyz` / `Basic xyz` authorisation values. */
const AUTH_HEADER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
/** Long base64url / JWT / hex runs mixing letters and digits (tokens, key material); paths and host names have '/' or '.'. */
const LONG_OPAQUE = /(?=[A-Za-z+_=-]*[0-9])(?=[0-9+_=-]*[A-Za-z])[A-Za-z0-9+_=-]{32,}(\.[A-Za-z0-9+_=-]{8,}){0,2}/g;
/** Rancher-style `token-abcde:secret` tokens. */
const RANCHER_TOKEN = /\btoken-[a-z0-9]{3,}:[A-Za-z0-9]+/g;
/** `user:password@` in URLs. */
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi;

/**
 * Values of credential keys found in `source` (a kubeconfig's text), so that a parser message quoting a
 * fragment of one of them without its key is redacted too. Works on text that is not valid YAML.
 */
export function credentialValuesIn(source: string): string[] {
    const values = new Set<string>();
    for (const m of source.matchAll(KEY_VALUE)) {
        const v = m[2].trim().replace(/^["']|["',}\]]+$/g, "");
        if (v.length >= 4) values.add(v);
        // Each whitespace/flow-separated word of the value as well (a parser may quote only part of a line).
        for (const w of v.split(/[\s,{}[\]"']+/)) if (w.length >= 6) values.add(w);
    }
    for (const m of source.matchAll(PEM_BLOCK)) {
        for (const line of m[0].split("\n")) if (line.length >= 16 && !line.startsWith("-----")) values.add(line.trim());
    }
    return [...values].sort((a, b) => b.length - a.length);
}

/**
 * Returns `message` with every credential removed: values of {@link CREDENTIAL_KEYS}, PEM blocks, bearer
 * tokens, URL userinfo, long opaque strings, and (when `source` is given) every credential value of that
 * kubeconfig text wherever it appears. Use it on every message built from kubeconfig content.
 */
export function redactCredentials(message: string, source?: string): string {
    let out = message;
    if (source) {
        for (const v of credentialValuesIn(source)) out = out.split(v).join(REDACTED);
    }
    return out
        .replace(PEM_BLOCK, REDACTED)
        .replace(KEY_VALUE, (_m, key: string) => `${key}${REDACTED}`)
        .replace(AUTH_HEADER, (_m, scheme: string) => `${scheme} ${REDACTED}`)
        .replace(RANCHER_TOKEN, REDACTED)
        .replace(URL_USERINFO, (_m, scheme: string) => `${scheme}${REDACTED}@`)
        .replace(LONG_OPAQUE, REDACTED);
}
