/**
 * The pure mesh model: validation and the rules the components and policy pack share. This is the repository's
 * internal barrel; what the package exports of it is public.ts (the zod schemas, configSchema.ts and
 * scenarioSettingsSchema.ts, are in neither, so no declaration reachable from the package mentions zod).
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
