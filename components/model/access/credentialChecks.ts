/**
 * Finds credentials (private keys, kubeconfig tokens) in values that should hold none.
 * Part of the pure checks re-exported by policyChecks.ts; values not known yet arrive as {@link UNKNOWN}.
 */
import { isPlainObject } from "../config/objects";

const PRIVATE_KEY_PEM = /-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----/;

/**
 * What kind of credential a string carries, if any: a PEM private key (also inside base64), or a kubeconfig
 * with an inline token or client key.
 */
export function credentialKind(value: string): "private key" | "kubeconfig token" | undefined {
    const texts = [value];
    if (/^[A-Za-z0-9+/=\s]{40,}$/.test(value)) {
        try {
            texts.push(Buffer.from(value, "base64").toString("utf8"));
        } catch {
            // not base64
        }
    }
    for (const t of texts) {
        if (PRIVATE_KEY_PEM.test(t)) return "private key";
        if (/^\s*(kind:\s*Config|apiVersion:\s*v1)\b/m.test(t) && /\busers:/.test(t) && /^\s*(token|client-key-data):\s*\S+/m.test(t)) {
            return "kubeconfig token";
        }
    }
    return undefined;
}

/** Every string in a JSON-like value that carries a credential, with its path. */
export function findCredentials(value: unknown, path = ""): { path: string; kind: "private key" | "kubeconfig token" }[] {
    if (typeof value === "string") {
        const kind = credentialKind(value);
        return kind ? [{ path, kind }] : [];
    }
    if (Array.isArray(value)) return value.flatMap((v, i) => findCredentials(v, `${path}[${i}]`));
    if (isPlainObject(value)) return Object.entries(value).flatMap(([k, v]) => findCredentials(v, path ? `${path}.${k}` : k));
    return [];
}
