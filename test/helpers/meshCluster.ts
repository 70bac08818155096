/**
 * A MeshCluster for component tests under mocks: its own one-cluster CA, a kubeconfig that is never read, and
 * `extra` over the defaults.
 */
import { MeshCluster, SharedRootCA } from "../../components";
import type { MeshClusterRef } from "../../components/meshCluster";

/** A MeshCluster `name` on network `<name>-net` in mesh `m`. */
export function testCluster(name: string, extra: Partial<ConstructorParameters<typeof MeshCluster>[1]> = {}): MeshCluster {
    const ca = new SharedRootCA(`${name}-ca`, { clusterNames: ["any"] });
    return new MeshCluster(name, {
        clusterName: name,
        network: `${name}-net`,
        meshID: "m",
        caCerts: ca.caCerts.any,
        access: { kubeconfig: "/nonexistent/kubeconfig", context: name },
        istio: { version: "1.30.3" },
        ...extra,
    });
}

/** `mc` as plain values, the way another Pulumi language passes a cluster (chart source: the official repo). */
export function plainClusterRef(mc: MeshCluster): MeshClusterRef {
    return {
        clusterName: mc.clusterName,
        network: mc.network,
        istioVersion: mc.istioVersion,
        chartSource: { kind: "repo" as const },
        provider: mc.provider,
        namespace: mc.namespace,
        base: mc.base,
        baseRelease: mc.baseRelease,
        istiod: mc.istiod,
    };
}
