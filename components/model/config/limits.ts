/**
 * The largest mesh this project supports, and why: the largest measured on the real engine.
 *
 * `npm run bench:scale` (the real Pulumi CLI, file backend, local control planes, 2 cores, docs/scale.md) measured
 * fresh `up`, no-op `preview`, adding and removing a cluster and `destroy` up to 12 clusters, with the layout
 * docs/scale.md recommends (`istio.baseInstall: release`, `remoteSecretLayout: perReader`). Past what was measured
 * nothing is known about time, memory or the API servers' load, so the config layer refuses a larger mesh before
 * anything registers and points at the layout that scales: several meshes, one stack each.
 *
 * Under mocks (`npm run bench`, 2026-12-03) memory was never the limit below 50 clusters (8,104 resources, peak
 * RSS ~1.4 GB at epoch 1, ~1.5 GB at epoch 2; 100 clusters ~4.1 GB, 200 out of memory): the program's own cost is
 * not what bounds a mesh, the engine's per-step checkpoint is.
 */
/** Most clusters one stack (one IstioMesh from stack config) may list: the largest mesh measured on the real engine. */
export const MAX_MESH_CLUSTERS = 12;

/** The config-layer message for too many clusters (also used by the components). */
export function tooManyClustersMessage(n: number): string {
    return (
        `lists ${n} clusters; the largest mesh supported is ${MAX_MESH_CLUSTERS}, the largest measured on the real engine ` +
        `(docs/scale.md): split the fleet into several meshes, one stack each (clusters in different meshes need no remote secrets for each other)`
    );
}
