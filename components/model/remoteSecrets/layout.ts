/**
 * The remote-secret layout's rules, shared by the config model and IstioMesh's argument checks: which Secret
 * a link's kubeconfig lives in, and which settings cannot go with `perReader`.
 */
import { READER_REMOTE_SECRET, REMOTE_SECRET_PREFIX } from "../istio/names";
import type { RemoteSecretLayout } from "../config/types";

/** The Secret in the reader's `istio-system` that holds the kubeconfig for `target` under `layout`. */
export function remoteSecretNameFor(layout: RemoteSecretLayout, target: string): string {
    return layout === "perReader" ? READER_REMOTE_SECRET : `${REMOTE_SECRET_PREFIX}${target}`;
}

/**
 * Why the layout cannot be used with these settings, or undefined. `perReader` cannot adopt the per-link Secrets
 * istioctl wrote: istiod would keep each cluster registered from istioctl's Secret and ignore the entry in ours.
 */
export function remoteSecretLayoutProblem(
    layout: RemoteSecretLayout | undefined,
    adoptExisting: boolean | undefined,
): { path: string; message: string } | undefined {
    if (layout !== "perReader" || !adoptExisting) return undefined;
    return {
        path: "remoteSecretLayout",
        message:
            `"perReader" cannot be combined with adoptExistingRemoteSecrets: adopting takes over istioctl's per-link ` +
            `istio-remote-secret-<cluster> Secrets, which only the "perLink" layout writes. Set remoteSecretLayout to "perLink" ` +
            `to adopt them, or delete them and set adoptExistingRemoteSecrets to false`,
    };
}
