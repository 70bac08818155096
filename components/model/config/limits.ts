/**
 * The largest mesh this project supports, and why.
 *
 * A mesh of N clusters has N×(N−1) remote-secret links, each a RemoteSecretLink with a reader token Secret (two
 * from epoch 2 on, docs/rotation.md) and the remote secret, so the program's size grows with N². Measured under
 * mocks (`npm run bench`, 2 shared cores, 2026-12-03): 50 clusters register 8,104 resources at epoch 1 with a
 * peak RSS of ~1.36 GB, and 10,604 at epoch 2 (~1.49 GB). Almost all of it is the Pulumi SDK's own cost per
 * pending registration (~110–150 KB each while the program's resources wait to be registered: promise chains,
 * closures and a formatted stack trace per debuggable promise; a bare program of as many trivial resources
 * needs ~95 % of it). 100 clusters, built through IstioMesh (which has no ceiling) for the bench, register
 * 31,204 resources with a peak RSS of ~4.1 GB; 200 ran out of memory. So the ceiling stays at 50, the largest
 * size that keeps a rotated mesh under 1.5 GB. A mesh beyond it is refused by the config layer before anything
 * registers.
 *
 * On the real engine (file backend, 2 cores, docs/scale.md) 9 clusters is the most measured: a fresh `up` of 579
 * resources in 211 s, writing 8 GiB of checkpoints; the time grows about as N², so past 9 the docs advise several
 * meshes. The ceiling here stays the memory bound above, not a time bound.
 */
/** Most clusters one stack (one IstioMesh) may list. Larger fleets: several meshes, or a hub that reads many spokes. */
export const MAX_MESH_CLUSTERS = 50;

/** The config-layer message for too many clusters (also used by the components). */
export function tooManyClustersMessage(n: number): string {
    return (
        `lists ${n} clusters; the largest mesh supported is ${MAX_MESH_CLUSTERS} (${MAX_MESH_CLUSTERS * (MAX_MESH_CLUSTERS - 1)} remote-secret ` +
        `links; ${n} clusters would need ${n * (n - 1)}): split the fleet into several meshes (one stack each)`
    );
}
