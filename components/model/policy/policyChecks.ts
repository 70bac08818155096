/**
 * Pure checks on Kubernetes/Istio objects as the program renders them: DestinationRule locality settings,
 * VirtualService weights and subsets, remote secrets, `cacerts`, image hubs and credentials in plain text.
 * Shared by the policy pack (policy/) and usable by the program; no Pulumi imports. One file per concern:
 *
 * - unknowns.ts: {@link UNKNOWN}, for values not known yet (Pulumi unknowns at preview time); checks skip them.
 * - routeChecks.ts: DestinationRule traffic policies, VirtualService weights and subset references.
 * - secretChecks.ts: remote secrets, `cacerts` layouts and the CA chain.
 * - imageChecks.ts: image registries (hubs).
 * - credentialChecks.ts: private keys and tokens in plain values.
 */
export * from "../config/unknowns";
export * from "../scenarios/routeChecks";
export * from "./secretChecks";
export * from "../istio/imageChecks";
export * from "../access/credentialChecks";
