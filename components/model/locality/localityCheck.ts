/**
 * The one locality check: a DestinationRule's `localityLbSetting` and `outlierDetection` run through Istio's
 * own validation ({@link validateLocalityLbSetting}), collected as {@link ConfigIssue}s. The config parser
 * reports them with every other issue; components throw the issues and log the warnings.
 */
import { ConfigIssue } from "../config/errors";
import { LocalityLbSetting, OutlierDetection, validateLocalityLbSetting } from "./locality";

/**
 * Validates locality settings as Istio does. Each error is an issue at `path` ("Istio would reject this
 * DestinationRule: …"); each warning (accepted by Istio, e.g. failover without outlierDetection) a warning there.
 */
export function checkLocalitySetting(
    path: string,
    setting: LocalityLbSetting | undefined,
    outlierDetection: OutlierDetection | undefined,
): { issues: ConfigIssue[]; warnings: ConfigIssue[] } {
    const r = validateLocalityLbSetting(setting, outlierDetection);
    return {
        issues: r.errors.map((e) => ({ path, message: `Istio would reject this DestinationRule: ${e}` })),
        warnings: r.warnings.map((w) => ({ path, message: w })),
    };
}
