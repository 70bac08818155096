/**
 * The CA's validity rules, shared by the config parser (paths `ca.*`) and the SharedRootCA component (paths
 * `args.*`): intermediates live shorter than a generated root, and renew before they expire.
 */
import { ConfigIssue } from "../config/errors";

/** The validity settings the rules look at (hours). */
export interface CaValidityInput {
    /** Validity of a generated root. */
    rootValidityHours: number;
    /** Validity of each intermediate. */
    intermediateValidityHours: number;
    /** Renew an intermediate this close to its expiry. */
    earlyRenewalHours: number;
    /** True when an existing root signs (its own expiry is checked against the material instead). */
    existingRoot: boolean;
}

/**
 * Issues with the validity settings; `pathOf(field)` renders a field's path (`ca.x` in stack config,
 * `args.x` in the component). Rules: intermediate > 0; intermediate < root (generated root);
 * 0 <= earlyRenewal < intermediate.
 */
export function checkCaValidity(ca: CaValidityInput, pathOf: (field: string) => string): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const { rootValidityHours: root, intermediateValidityHours: inter, earlyRenewalHours: early } = ca;
    if (!(inter > 0)) issues.push({ path: pathOf("intermediateValidityHours"), message: "must be > 0" });
    else if (!ca.existingRoot && !(inter < root)) {
        issues.push({
            path: pathOf("intermediateValidityHours"),
            message: `(${inter}) must be shorter than rootValidityHours (${root}): lower ${pathOf("intermediateValidityHours")} or raise ${pathOf("rootValidityHours")}`,
        });
    }
    if (!(early >= 0 && early < inter)) {
        issues.push({
            path: pathOf("earlyRenewalHours"),
            message: `(${early}) must be >= 0 and below intermediateValidityHours (${inter}): lower ${pathOf("earlyRenewalHours")}`,
        });
    }
    return issues;
}
