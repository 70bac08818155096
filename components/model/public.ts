/**
 * The mesh model as the package exports it (`@istio-multicluster/mesh/model`, and re-exported by the package's
 * root): the validation a program calls — {@link parseMeshConfig}, {@link resolveScenarios},
 * {@link validateLocalityLbSetting}, {@link checkRemoteKubeconfig} — their error type, the documented config
 * input types and the model types they return. The rest of the model (schemas, naming rules, Helm values,
 * scenario defaults) is internal to the components and the policy pack; `./index.ts` is that internal barrel.
 */
export { MeshConfigError, formatIssue } from "./config/errors";
export type { ConfigIssue } from "./config/errors";
export { DEFAULT_ISTIO_VERSION, OFFICIAL_CHART_REPO, parseMeshConfig } from "./config/config";
export type { MissingChart, ParseEnvironment } from "./config/config";
export type * from "./config/configInput";
export type * from "./scenarios/scenarioSettings";
export { BaseInstall, ChartSourceKind, EcdsaCurve, GatewayServiceType, KeyAlgorithm, RemoteSecretLayout } from "./config/types";
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
} from "./config/types";
export { resolveScenarios } from "./scenarios/scenarioResolution";
export type { ScenariosModel } from "./scenarios/scenarioModel";
export { validateLocalityLbSetting } from "./locality/locality";
export type { LocalityLbSetting, OutlierDetection, ValidationResult } from "./locality/locality";
export { checkRemoteKubeconfig } from "./remoteSecrets/kubeconfig";
export type { KubeconfigCheck } from "./remoteSecrets/kubeconfig";
