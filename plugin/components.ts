/**
 * The components of the package, as Pulumi's schema inference reads them (package.json `exports`): the type
 * token of each is `istio-multicluster:index:<class name>` (the package name in package.json, as in the classes).
 */
export { EastWestGateway, IstioMesh, MeshCluster, RemoteSecretLink, SharedRootCA } from "../components";
