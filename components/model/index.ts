/**
 * The pure mesh model: validation and the rules the components and policy pack share. This is the repository's
 * internal barrel; what the package exports of it is public.ts (the zod schemas, configSchema.ts and
 * scenarioSettingsSchema.ts, are in neither, so no declaration reachable from the package mentions zod).
 *
 * One folder per concept: config/ (stack config schema, parser, errors, limits), access/ (how the program and the
 * other clusters reach each API server, kubeconfig look-ups, redaction), remoteSecrets/ (the kubeconfig istiod
 * reads, reader-token slots), ca/ (root CA material and validity), istio/ (names, versions, Helm values),
 * locality/ (Istio's locality load-balancer validation), scenarios/ (the seed scenarios), policy/ (checks on
 * rendered objects, shared with the policy pack), revisions/ (canary upgrades: revisions, tags, gateway cutover).
 */
export * from "./config/errors";
export * from "./istio/names";
export * from "./config/types";
export * from "./istio/versions";
export * from "./config/config";
export * from "./config/limits";
export * from "./remoteSecrets/tokenSlots";
export * from "./remoteSecrets/layout";
export * from "./istio/helmValues";
export * from "./remoteSecrets/kubeconfig";
export * from "./access/kubeconfigLookup";
export * from "./access/redact";
export * from "./access/apiServer";
export * from "./access/clusterAccessChecks";
export * from "./remoteSecrets/secretConfigChecks";
export * from "./ca/caValidity";
export * from "./ca/caMaterial";
export * from "./ca/rootRotation";
export * from "./ca/rootSteps";
export { MULTIROOT_REQUIRED } from "./ca/rootRotationConfig";
export * from "./istio/valueOwnership";
export { DEFAULT_CONFIG_NAMESPACE, checkEnvironment } from "./config/environment";
export type { EnvironmentCheck, EnvironmentCheckInput } from "./config/environment";
export * from "./locality/locality";
export * from "./access/topology";
export * from "./scenarios/scenarios";
export * from "./policy/policyChecks";
export * from "./policy/meshInventory";
export * from "./policy/rootTrustChecks";
export * from "./revisions/revisionTypes";
export * from "./revisions/revisionResolution";
export * from "./revisions/gatewayService";
export * from "./revisions/revisionSteps";
export * from "./policy/revisionChecks";
