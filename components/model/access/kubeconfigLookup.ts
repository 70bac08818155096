/**
 * What a cluster's kubeconfig (file or inline text) says about the context the program will use: found or
 * not and why, its server, and which credential fields its user carries. Pure: the caller reads the file.
 * Every reason string is redacted ({@link redactCredentials}).
 */
import * as YAML from "yaml";
import { asArray, field, isPlainObject } from "../config/objects";
import { redactCredentials } from "./redact";

/** Where a kubeconfig came from. */
export type KubeconfigSource =
    /** A file: named by `clusters[].kubeconfig` (`explicit`), or the default `$KUBECONFIG` / `~/.kube/config`. */
    | { kind: "file"; path: string; explicit: boolean }
    /** YAML text given directly in `clusters[].kubeconfig`. */
    | { kind: "inline" };

/** Result of looking a context up in a kubeconfig. */
export type KubeconfigLookup =
    /** The context exists. */
    | {
          status: "found";
          /** Where the kubeconfig came from. */
          source: KubeconfigSource;
          /** The context used (given, or the kubeconfig's current-context). */
          context: string;
          /** Its cluster's `server`, if set. */
          server?: string;
          /** Credential fields set on its user (e.g. `token`, `client-key-data`, `password`). */
          credentials: string[];
      }
    /** The file does not exist or cannot be read. */
    | { status: "fileMissing"; source: KubeconfigSource; reason: string }
    /** The text is not a kubeconfig (YAML error or not a mapping); `reason` is redacted. */
    | { status: "unparsable"; source: KubeconfigSource; reason: string }
    /** No context was given and the kubeconfig has no current-context. */
    | { status: "noCurrentContext"; source: KubeconfigSource; available: string[] }
    /** The context is not in the kubeconfig. */
    | { status: "contextMissing"; source: KubeconfigSource; context: string; available: string[] };

/** Credential fields of a kubeconfig user that must not sit in plain stack config. */
export const USER_CREDENTIAL_FIELDS = ["token", "client-key-data", "password", "client-certificate-data"] as const;

/**
 * True if a `clusters[].kubeconfig` value is kubeconfig text rather than a path: YAML that spans lines, JSON or a
 * YAML flow mapping on one line (`kubectl config view --flatten -o json`), a document start (`---`), or a one-line
 * `key: value`. Anything that could hold a credential is text, never quoted as a path.
 */
export function isInlineKubeconfig(value: string): boolean {
    return /[\r\n]/.test(value) || /^\s*(\{|---|[A-Za-z_][\w.-]*:\s)/.test(value);
}

/** Longest path quoted in a message; a longer value is cut (a path is never that long, text would be). */
const MAX_QUOTED_PATH = 200;

/** A kubeconfig path as messages quote it: its first line, at most {@link MAX_QUOTED_PATH} characters. */
export function quotedKubeconfigPath(path: string): string {
    const first = path.split(/[\r\n]/, 1)[0];
    return first.length > MAX_QUOTED_PATH ? `${first.slice(0, MAX_QUOTED_PATH)}…` : first;
}

/** How to name a kubeconfig source in messages (a path, never text). */
export function describeKubeconfigSource(s: KubeconfigSource): string {
    if (s.kind === "inline") return "the inline kubeconfig";
    const p = quotedKubeconfigPath(s.path);
    return s.explicit ? `kubeconfig file ${p}` : `the default kubeconfig ${p} ($KUBECONFIG or ~/.kube/config)`;
}

/** Looks `context` (or the current-context) up in kubeconfig `text`; `text` undefined means the file could not be read. */
export function lookupKubeconfig(text: string | undefined, source: KubeconfigSource, context?: string, readError = "not found"): KubeconfigLookup {
    if (text === undefined) return { status: "fileMissing", source, reason: readError };
    let doc: unknown;
    try {
        doc = YAML.parse(text);
    } catch (e) {
        return { status: "unparsable", source, reason: `not valid YAML: ${redactCredentials((e as Error).message, text)}` };
    }
    if (!isPlainObject(doc)) {
        return { status: "unparsable", source, reason: "not a kubeconfig (expected a YAML mapping with clusters, contexts and users)" };
    }
    const contexts = asArray(doc.contexts);
    const available = contexts.map((c) => field(c, "name")).filter((n): n is string => typeof n === "string");
    const current = doc["current-context"];
    const name = context ?? (typeof current === "string" && current ? current : undefined);
    if (!name) return { status: "noCurrentContext", source, available };
    const ctx = field(
        contexts.find((c) => field(c, "name") === name),
        "context",
    );
    if (!ctx) return { status: "contextMissing", source, context: name, available };
    const cluster = field(
        asArray(doc.clusters).find((c) => field(c, "name") === field(ctx, "cluster")),
        "cluster",
    );
    const user = field(
        asArray(doc.users).find((u) => field(u, "name") === field(ctx, "user")),
        "user",
    );
    const credentials: string[] = USER_CREDENTIAL_FIELDS.filter((f) => {
        const v = field(user, f);
        return typeof v === "string" && v !== "";
    });
    const authConfig = field(field(user, "auth-provider"), "config");
    if (authConfig && typeof authConfig === "object") {
        for (const k of ["id-token", "refresh-token", "access-token", "client-secret"]) {
            if (field(authConfig, k)) credentials.push(`auth-provider.config.${k}`);
        }
    }
    const server = field(cluster, "server");
    return {
        status: "found",
        source,
        context: name,
        server: typeof server === "string" ? server : undefined,
        credentials,
    };
}
