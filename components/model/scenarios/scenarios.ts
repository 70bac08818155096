/**
 * The seed scenarios (seed 000's sample workloads, CC1–CC4, DNSP1–2; seed 003's helloworld, traffic shifting,
 * TLS frontend, NetworkPolicies and Rancher extras) as selectable parts of a stack. One file per concern:
 * the config schema (scenarioSchema.ts), the seeds' defaults (scenarioDefaults.ts), the resolved model's types
 * (scenarioModel.ts), resolution (scenarioResolution.ts, CC2–CC4 in scenarioLocalityRules.ts) and conflict detection (scenarioConflicts.ts).
 * No Pulumi calls here; the components in `components/scenarios/` consume the model.
 */
export * from "./scenarioSchema";
export type * from "./scenarioSettings";
export * from "./scenarioDefaults";
export * from "./scenarioModel";
export * from "./scenarioResolution";
export * from "./scenarioConflicts";
