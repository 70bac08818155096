/**
 * The pure mesh model: config schema, validation and the rules the components and policy pack share.
 */
export * from "./errors";
export * from "./names";
export * from "./types";
export * from "./versions";
export * from "./config";
export * from "./limits";
export * from "./tokenSlots";
export * from "./helmValues";
export * from "./kubeconfig";
export * from "./kubeconfigLookup";
export * from "./redact";
export * from "./apiServer";
export * from "./clusterAccessChecks";
export * from "./secretConfigChecks";
export * from "./caValidity";
export * from "./caMaterial";
export * from "./valueOwnership";
export { DEFAULT_CONFIG_NAMESPACE, checkEnvironment } from "./environment";
export type { EnvironmentCheck, EnvironmentCheckInput } from "./environment";
export * from "./locality";
export * from "./topology";
export * from "./scenarios";
export * from "./policyChecks";
export * from "./meshInventory";
