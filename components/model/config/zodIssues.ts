/**
 * The one mapping from zod issues to {@link ConfigIssue}s: config paths, and messages that say what to write
 * instead of zod's defaults. Internal to the model; not part of the public exports.
 */
import { z } from "zod";
import { ConfigIssue, formatPath } from "./errors";

/** Options of {@link zodIssueToConfigIssue}. */
export interface ZodIssueOptions {
    /** Config path the issue paths are relative to (e.g. `scenarioSettings`). @default "" */
    prefix?: string;
    /**
     * What to append to an unknown-field message, given the issue's path (relative to `prefix`); undefined
     * appends nothing. @default a pointer to the config reference in README.md
     */
    unknownKeysHint?: (path: ReadonlyArray<PropertyKey>) => string | undefined;
}

const README_HINT = () => "check the spelling against the config reference in README.md";

/** Maps one zod issue to a {@link ConfigIssue}. */
export function zodIssueToConfigIssue(issue: z.core.$ZodIssue, opts: ZodIssueOptions = {}): ConfigIssue {
    const path = formatPath(issue.path, opts.prefix ?? "");
    switch (issue.code) {
        case "unrecognized_keys": {
            const hint = (opts.unknownKeysHint ?? README_HINT)(issue.path);
            const fields = `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
            return { path, message: hint ? `${fields}: ${hint}` : fields };
        }
        case "invalid_type":
            if (issue.input === undefined) return { path, message: `is required (expected ${issue.expected})` };
            return { path, message: issue.message.startsWith("Invalid input") ? `expected ${issue.expected}` : issue.message };
        default:
            return { path, message: issue.message };
    }
}
