/**
 * The pure mesh model: config schema, validation and the rules the components and policy pack share.
 */
export * from "./errors";
export * from "./names";
export * from "./types";
export * from "./versions";
export * from "./config";
export * from "./helmValues";
export * from "./kubeconfig";
export * from "./locality";
export * from "./topology";
export * from "./scenarios";
export * from "./policyChecks";
export * from "./meshInventory";
