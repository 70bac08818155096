/**
 * Errors raised while turning stack config (or component args) into the mesh model.
 *
 * Every issue names the config path that is wrong and says how to fix it, so a user can act on the
 * message without reading code. Nothing is registered with Pulumi when a {@link MeshConfigError} is thrown.
 */

/** One problem found in the configuration. */
export interface ConfigIssue {
    /** Dotted path of the offending field, e.g. `clusters[1].network`. */
    path: string;
    /** What is wrong and how to fix it. */
    message: string;
}

/** Thrown when the configuration is invalid; carries every issue found, not just the first. */
export class MeshConfigError extends Error {
    /** All issues, in the order found. */
    public readonly issues: ConfigIssue[];

    constructor(issues: ConfigIssue[], header = "Invalid mesh configuration") {
        super(`${header}:\n${issues.map((i) => `  - ${formatIssue(i)}`).join("\n")}`);
        this.name = "MeshConfigError";
        this.issues = issues;
    }
}

/** Renders an issue as `path: message` (or just the message for root-level issues). */
export function formatIssue(issue: ConfigIssue): string {
    return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

/** Renders a path array from zod (or our own walkers) as `a.b[2].c`. */
export function formatPath(path: ReadonlyArray<PropertyKey>, prefix = ""): string {
    let out = prefix;
    for (const seg of path) {
        if (typeof seg === "number") {
            out += `[${seg}]`;
        } else {
            const s = String(seg);
            out += out === "" ? s : /^[A-Za-z_$][\w$-]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`;
        }
    }
    return out;
}
