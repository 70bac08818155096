/**
 * The mesh model as the package exports it (`@istio-multicluster/mesh/model`, and re-exported by the package's
 * root): the validation a program calls — {@link parseMeshConfig}, {@link resolveScenarios},
 * {@link validateLocalityLbSetting}, {@link checkRemoteKubeconfig} — their error type, the documented config
 * input types and the model types they return. The rest of the model (schemas, naming rules, Helm values,
 * scenario defaults) is internal to the components and the policy pack; `./index.ts` is that internal barrel.
 */
export { MeshConfigError, formatIssue } from "./errors";
export type { ConfigIssue } from "./errors";
export { DEFAULT_ISTIO_VERSION, OFFICIAL_CHART_REPO, parseMeshConfig } from "./config";
export type { MissingChart, ParseEnvironment } from "./config";
export type * from "./configInput";
export type * from "./scenarioSettings";
export { ChartSourceKind, EcdsaCurve, GatewayServiceType, KeyAlgorithm } from "./types";
export type {
    CaModel,
    ChartSourceModel,
    ClusterModel,
    EastWestGatewayModel,
    IstioModel,
    LinkModel,
    MeshModel,
    NodeTopology,
    RemoteCredentialModel,
} from "./types";
export { resolveScenarios } from "./scenarioResolution";
export type { ScenariosModel } from "./scenarioModel";
export { validateLocalityLbSetting } from "./locality";
export type { LocalityLbSetting, OutlierDetection, ValidationResult } from "./locality";
export { checkRemoteKubeconfig } from "./kubeconfig";
export type { KubeconfigCheck } from "./kubeconfig";
