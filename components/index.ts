/**
 * Public API of the istio-multicluster component library (package.json `main` / `exports["."]`): the components,
 * their args types, and the model's validation (components/model/public.ts). Helpers the components share
 * (chart resolution, token read-back, Helm values, naming rules) are internal: import them by module path
 * inside this repository only.
 */
export { SharedRootCA } from "./sharedRootCA";
export type { CaCertsBundle, ExistingRootCA, SharedRootCAArgs } from "./sharedRootCA";
export { MeshCluster } from "./meshCluster";
export type { HelmValues, MeshClusterArgs, MeshClusterIstioArgs, MeshClusterRef, NamespaceMetadataArgs } from "./meshCluster";
export type { IstioChartSource } from "./chartSource";
export type { ClusterAccess } from "./clusterAccess";
export { EastWestGateway } from "./eastWestGateway";
export type { EastWestGatewayArgs } from "./eastWestGateway";
export { RemoteSecretLink } from "./remoteSecretLink";
export type { RemoteSecretLinkArgs } from "./remoteSecretLink";
export { ReaderRemoteSecrets } from "./readerRemoteSecrets";
export type { ReaderRemoteSecretsArgs, ReaderRemoteSecretsTarget } from "./readerRemoteSecrets";
export type { TokenWaitOptions } from "./serviceAccountToken";
export { IstioMesh, meshArgsFromModel } from "./mesh";
export type { IstioMeshArgs, IstioMeshCaArgs, IstioMeshClusterArgs, IstioMeshGatewayArgs, IstioMeshIstioArgs, MeshSecrets } from "./mesh";
export { Scenarios } from "./scenarios";
export type { ScenariosArgs } from "./scenarios";
export * from "./model/public";
