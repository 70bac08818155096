/**
 * The remote-secret layout is decided when a stack is created. istiod registers a cluster from the first Secret
 * that names it, ignores it in any other ("cluster has already been registered", pkg/kube/multicluster/
 * secretcontroller.go), and drops it when that Secret goes. Switching layouts in one `up` creates the new Secrets
 * (ignored) and then deletes the old ones: every reader's istiod would lose every remote cluster until it restarts.
 * So before writing, the reader is read once: a Secret of the other layout, ours or another tool's, refuses the
 * deployment in `pulumi preview`, naming the cluster, the Secret and the setting.
 */
import { KubeconfigAccess } from "./clusterAccess";
import { checkReader, patiently } from "./clusterClient";
import { managedByPulumi } from "./existingRemoteSecret";
import { ISTIO_NAMESPACE, Labels, READER_REMOTE_SECRET, REMOTE_SECRET_PREFIX, RemoteSecretLayout } from "./model";
import { classifyReadError } from "./serviceAccountToken";

/** A remote secret found in a reader cluster. */
export interface FoundRemoteSecret {
    /** `metadata.name`. */
    name: string;
    /** Written by Pulumi's Kubernetes provider (this stack or another). */
    ours: boolean;
}

/** The remote secrets (label `istio/multiCluster=true`) in a reader's `istio-system`, or why they are not known. */
export type ReaderRemoteSecrets = { kind: "listed"; secrets: FoundRemoteSecret[] } | { kind: "unknown"; why: string } | { kind: "skipped" };

/** Lists the reader's remote secrets (names and owners only; their data is never looked at). Never throws. */
export async function listRemoteSecrets(access: KubeconfigAccess, requestTimeoutMs = 10000): Promise<ReaderRemoteSecrets> {
    const reader = await checkReader(access);
    if (reader.kind !== "api") return reader;
    try {
        const list = await patiently(
            () => reader.api.listNamespacedSecret({ namespace: ISTIO_NAMESPACE, labelSelector: `${Labels.multiCluster}=true` }),
            requestTimeoutMs,
        );
        return {
            kind: "listed",
            secrets: list.items.map((s) => ({ name: s.metadata?.name ?? "", ours: managedByPulumi(s.metadata) })),
        };
    } catch (e) {
        if ((e as { code?: unknown }).code === 404) return { kind: "listed", secrets: [] };
        return { kind: "unknown", why: classifyReadError(e, requestTimeoutMs).message };
    }
}

/**
 * The Secrets in `found` that conflict with writing `targets` under `layout`: for `perReader`, any
 * `istio-remote-secret-<target>`; for `perLink`, an `istio-remote-secrets`.
 */
export function conflictingRemoteSecrets(
    layout: RemoteSecretLayout,
    targets: readonly string[],
    found: FoundRemoteSecret[],
): FoundRemoteSecret[] {
    if (layout === "perLink") return found.filter((s) => s.name === READER_REMOTE_SECRET);
    const names = new Set(targets.map((t) => `${REMOTE_SECRET_PREFIX}${t}`));
    return found.filter((s) => names.has(s.name));
}

/** The refusal for `conflicts` in `reader` under `layout`: what istiod would do, and what to set instead. */
export function remoteSecretLayoutRefusal(reader: string, layout: RemoteSecretLayout, conflicts: FoundRemoteSecret[]): string {
    const other = layout === "perLink" ? "perReader" : "perLink";
    const listed = conflicts.map((c) => `${ISTIO_NAMESPACE}/${c.name}`).join(", ");
    const byUs = conflicts.every((c) => c.ours);
    const origin = byUs
        ? `written with remoteSecretLayout "${other}"`
        : `not written by Pulumi (for example by \`istioctl create-remote-secret | kubectl apply -f -\`)`;
    const fix = byUs
        ? `Keep remoteSecretLayout "${other}" for this stack (library users: IstioMeshArgs.remoteSecretLayout); switching the layout of an existing mesh is not supported (docs/scale.md).`
        : `Delete ${conflicts.length > 1 ? "them" : "it"} first, or use remoteSecretLayout "perLink" with adoptExistingRemoteSecrets to take ${conflicts.length > 1 ? "them" : "it"} over.`;
    return (
        `cluster ${reader} has ${listed}, ${origin}. istiod keeps a remote cluster registered from the Secret that named it first ` +
        `and ignores it in any other, so with remoteSecretLayout "${layout}" ${reader}'s istiod would lose those clusters once ` +
        `${conflicts.length > 1 ? "those Secrets go" : "that Secret goes"}. ${fix} Nothing was written to ${reader}.`
    );
}

/** The warning when the reader could not be read; the deployment goes on. */
export function uncheckedLayoutWarning(reader: string, layout: RemoteSecretLayout, why: string): string {
    return (
        `could not check cluster ${reader}'s remote secrets before writing them with remoteSecretLayout "${layout}": ${why}. ` +
        `A Secret of the other layout there would make its istiod lose remote clusters (docs/scale.md).`
    );
}
