/**
 * The shapes the locality validation works on: `localityLbSetting` and `outlierDetection` of a DestinationRule
 * traffic policy (YAML field names), and what the validation returns. See locality.ts.
 */

/**
 * The `trafficPolicy.loadBalancer.localityLbSetting` block of a DestinationRule
 * (Istio `LocalityLoadBalancerSetting`), with YAML (camelCase) field names.
 */
export interface LocalityLbSetting {
    /** Turns locality load balancing on or off. A value set here overrides the mesh-wide setting. */
    enabled?: boolean;
    /** Explicit traffic weights: for clients in `from`, how to split traffic across the `to` localities. */
    distribute?: { from?: string; to?: Record<string, number> }[];
    /** Region-to-region failover order. Only regions are allowed, with no `/` and no `*`. */
    failover?: { from?: string; to?: string }[];
    /** Ordered label keys (or `key=value`) that control failover priority. */
    failoverPriority?: string[];
}

/**
 * The `trafficPolicy.outlierDetection` block of a DestinationRule. Validation only checks
 * whether it is present. Any object counts, even an empty one, as in Istio.
 */
export interface OutlierDetection {
    /** Number of 5xx errors before a host is ejected. */
    consecutive5xxErrors?: number;
    /** Number of gateway errors (502/503/504) before a host is ejected. */
    consecutiveGatewayErrors?: number;
    /** Time between ejection sweeps, e.g. `"10s"`. */
    interval?: string;
    /** Minimum ejection duration, e.g. `"30s"`. */
    baseEjectionTime?: string;
    /** Any other OutlierDetection field; these are not checked here. */
    [k: string]: unknown;
}

/**
 * What {@link validateLocalityLbSetting} returns. `errors` are the problems that make
 * Istio reject the DestinationRule. `warnings` are problems Istio accepts but reports
 * (for example, failover without outlierDetection, which then has no effect).
 */
export interface ValidationResult {
    /** Messages that would make Istio reject the resource, each prefixed with a field path. */
    errors: string[];
    /** Messages Istio would accept with a warning, each prefixed with a field path. */
    warnings: string[];
}
