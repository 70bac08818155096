/**
 * The largest mesh this project supports, and why.
 *
 * A mesh of N clusters has N×(N−1) remote-secret links, each a reader token Secret, its read-back, a random
 * suffix and the remote secret itself, so the program's size grows with N². Measured under mocks
 * (`npm run bench`, 2 cores): 50 clusters register 8,104 resources with a peak RSS of ~1.4 GB, of which ~1.1 GB is
 * the Pulumi SDK's own floor for that many resources; 200 clusters ran the program out of memory after ~8 minutes
 * (4.3 GB). A mesh beyond the ceiling is refused before anything registers.
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
