/**
 * Helm values the model sets from its own config keys (see helmValues.ts). `istio.values` may add to the
 * charts' values but not override these: a second meshID, cluster name or network in values would make the
 * clusters disagree with the model (and with the remote secrets and labels built from it).
 */
import { ConfigIssue } from "../config/errors";

/** A value path the model owns, and the config key that sets it. */
export interface OwnedValue {
    /** Dotted path in the chart's values. */
    path: string;
    /** The config key to use instead. */
    useInstead: string;
}

/** Values owned by the model, per chart of `istio.values`. */
export const OWNED_VALUES: Record<"base" | "istiod" | "gateway", OwnedValue[]> = {
    base: [
        { path: "global.meshID", useInstead: "meshID" },
        { path: "global.multiCluster.clusterName", useInstead: "clusters[].name" },
        { path: "global.network", useInstead: "clusters[].network" },
    ],
    istiod: [
        { path: "global.meshID", useInstead: "meshID" },
        { path: "global.multiCluster.clusterName", useInstead: "clusters[].name" },
        { path: "global.network", useInstead: "clusters[].network" },
    ],
    gateway: [
        { path: "global.meshID", useInstead: "meshID" },
        { path: "global.multiCluster.clusterName", useInstead: "clusters[].name" },
        { path: "global.network", useInstead: "clusters[].network" },
        { path: "networkGateway", useInstead: "clusters[].network" },
    ],
};

function has(values: unknown, dotted: string): boolean {
    let v: unknown = values;
    for (const seg of dotted.split(".")) {
        if (!v || typeof v !== "object" || Array.isArray(v) || !Object.prototype.hasOwnProperty.call(v, seg)) return false;
        v = (v as Record<string, unknown>)[seg];
    }
    return true;
}

/** Issues for `istio.values.<chart>` entries that override a value the model owns. */
export function checkValueOwnership(values: Record<"base" | "istiod" | "gateway", Record<string, unknown>>): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    for (const chart of ["base", "istiod", "gateway"] as const) {
        for (const owned of OWNED_VALUES[chart]) {
            if (has(values[chart], owned.path)) {
                issues.push({
                    path: `istio.values.${chart}.${owned.path}`,
                    message: `is set by the model from ${owned.useInstead}: remove it from istio.values and set ${owned.useInstead} instead`,
                });
            }
        }
    }
    return issues;
}
