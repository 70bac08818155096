/**
 * The mesh model of `clustersConfig(n)` for an `n` beyond the supported ceiling (components/model/config/limits.ts),
 * which the config layer refuses: each slice of at most the ceiling is validated on its own and the slices
 * joined, every ordered pair linked. Only for `npm run bench`, to measure what a higher ceiling would cost
 * (IstioMesh itself has no ceiling).
 */
import { LinkModel, MAX_MESH_CLUSTERS, MeshModel, parseMeshConfig, remoteSecretNameFor } from "../components/model";
import { clustersConfig } from "../test/helpers/configs";

export function modelBeyondCeiling(n: number): MeshModel {
    const config = clustersConfig(n) as { clusters: unknown[] };
    const slices: MeshModel[] = [];
    for (let i = 0; i < n; i += MAX_MESH_CLUSTERS) {
        slices.push(parseMeshConfig({ ...config, clusters: config.clusters.slice(i, i + MAX_MESH_CLUSTERS) }));
    }
    const clusters = slices.flatMap((m) => m.clusters);
    const links: LinkModel[] = clusters.flatMap((r) =>
        clusters
            .filter((t) => t.name !== r.name)
            .map((t) => ({ reader: r.name, target: t.name, remoteSecretName: remoteSecretNameFor(slices[0].remoteSecretLayout, t.name) })),
    );
    return { ...slices[0], clusters, links };
}
