/**
 * The mesh over clusters another Pulumi stack creates (EKS, GKE, AKS, ...): every cluster's API server endpoint
 * and admin kubeconfig arrive as that stack's outputs — `pulumi.Output<string>`, not known when this program
 * runs — and go straight into IstioMesh. The same code works when the cluster resources live in this program:
 * pass e.g. `eksCluster.core.endpoint` and `eksCluster.kubeconfigJson` instead of the stack reference's outputs.
 *
 * The clusters stack exports `clusters`: `{ <name>: { endpoint: "https://…", kubeconfig: "<kubeconfig YAML/JSON>" } }`,
 * the kubeconfig as a secret.
 */
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_ISTIO_VERSION, IstioMesh } from "@istio-multicluster/mesh";
import type { IstioMeshClusterArgs } from "@istio-multicluster/mesh";

/** What the clusters stack exports for each cluster. */
interface ClusterOutputs {
    /** The API server endpoint, reachable from the other clusters (their istiod dials it). */
    endpoint: string;
    /** An admin kubeconfig for this program (secret). */
    kubeconfig: string;
}

/** One cluster of the mesh as this stack's config names it. */
interface MeshClusterConfig {
    /** Istio cluster name; also the key in the clusters stack's `clusters` output. */
    name: string;
    /** Istio network: clusters in different VPCs/VNets are on different networks. */
    network: string;
}

const config = new pulumi.Config();
const infra = new pulumi.StackReference(config.require("clustersStack"));
const exported = infra.requireOutput("clusters") as pulumi.Output<Record<string, ClusterOutputs>>;

function fromClustersStack(c: MeshClusterConfig): IstioMeshClusterArgs {
    const outputs = exported.apply((all) => {
        const found = all[c.name];
        if (!found)
            throw new Error(
                `clusters: ${c.name} is not in the clusters stack's \`clusters\` output (it has: ${Object.keys(all).join(", ")})`,
            );
        return found;
    });
    return {
        name: c.name,
        network: c.network,
        access: { kubeconfig: pulumi.secret(outputs.kubeconfig) },
        apiServerUrl: outputs.endpoint,
    };
}

const mesh = new IstioMesh("mesh", {
    meshID: config.get("meshID") ?? "mesh1",
    clusters: config.requireObject<MeshClusterConfig[]>("clusters").map(fromClustersStack),
    istio: { version: config.get("istioVersion") ?? DEFAULT_ISTIO_VERSION },
});

/** The shared root certificate (public). */
export const rootCertPem = mesh.rootCertPem;
/** `<reader>-><target>` → the remote secret's name in the reader's istio-system. */
export const remoteSecretNames = mesh.remoteSecretNames;
