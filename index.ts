/**
 * The istio-multicluster program: stack config → validated mesh model → components (see program/).
 */
import { main } from "./program/main";

const { outputs } = main();

/** The shared root certificate (public). */
export const rootCertPem = outputs.rootCertPem;
/** East-west gateway address per cluster, once the cluster reports one. */
export const eastWestGatewayAddresses = outputs.eastWestGatewayAddresses;
/** Remote secret names per reader cluster. */
export const remoteSecrets = outputs.remoteSecrets;
/** Scenarios selected in stack config. */
export const scenarios = outputs.scenarios;
/** Ingress gateway address per cluster (scenarios shifting / tls-frontend). */
export const ingressGatewayAddresses = outputs.ingressGatewayAddresses;
