/**
 * Public API of the istio-multicluster component library.
 */
export * from "./sharedRootCA";
export * from "./meshCluster";
export * from "./eastWestGateway";
export * from "./remoteSecretLink";
export * from "./mesh";
export * from "./clusterAccess";
export * from "./istioCharts";
export * from "./serviceAccountToken";
export * from "./model";
export * from "./scenarios";
