/**
 * Finding an `istio-remote-secret-<target>` that another tool (normally `istioctl create-remote-secret | kubectl
 * apply -f -`) already wrote in the reader cluster, before Pulumi tries to write its own. The Kubernetes provider
 * would then fail with a field-manager conflict; this check fails first, with the command that adopts the Secret.
 */
import { KubeconfigAccess } from "./clusterAccess";
import { checkReader, withTimeout } from "./clusterClient";
import { classifyReadError } from "./serviceAccountToken";

export { SKIP_CLUSTER_READS_ENV } from "./clusterClient";

/** What the reader cluster holds under the remote secret's name. */
export type ExistingRemoteSecret =
    /** No such Secret (first deployment): Pulumi creates it. */
    | { kind: "absent" }
    /** A Secret Pulumi's Kubernetes provider manages (this stack, or one it adopted): Pulumi updates it. */
    | { kind: "ours" }
    /** A Secret written by someone else; `managers` are its field managers (e.g. `kubectl-client-side-apply`). */
    | { kind: "foreign"; managers: string[] }
    /** Could not tell (API server unreachable, no permission, unusable kubeconfig): `why`. */
    | { kind: "unknown"; why: string }
    /** Not looked at: cluster reads are turned off ({@link SKIP_CLUSTER_READS_ENV}). */
    | { kind: "skipped" };

/** The Secret's metadata fields the check looks at. */
export interface SecretMetadata {
    /** `metadata.labels`. */
    labels?: Record<string, string>;
    /** `metadata.managedFields[].manager`. */
    managedFields?: { manager?: string }[];
}

/**
 * True when Pulumi's Kubernetes provider manages the Secret: a field manager `pulumi-kubernetes` (client-side
 * apply) or `pulumi-kubernetes-<suffix>` (server-side apply), or the `app.kubernetes.io/managed-by: pulumi` label
 * it sets with client-side apply.
 */
export function managedByPulumi(md: SecretMetadata | undefined): boolean {
    if (md?.labels?.["app.kubernetes.io/managed-by"] === "pulumi") return true;
    return (md?.managedFields ?? []).some((f) => /^pulumi-kubernetes(-|$)/.test(f.manager ?? ""));
}

/**
 * Reads `namespace/name` in the cluster `access` reaches, once, within `requestTimeoutMs`: absent (404), ours,
 * foreign, or unknown (any other outcome, with its cause, never a credential); skipped when cluster reads are
 * turned off. Never throws.
 */
export async function findExistingRemoteSecret(
    access: KubeconfigAccess,
    namespace: string,
    name: string,
    requestTimeoutMs = 10000,
): Promise<ExistingRemoteSecret> {
    const reader = await checkReader(access);
    if (reader.kind !== "api") return reader;
    try {
        const s = await withTimeout(reader.api.readNamespacedSecret({ name, namespace }), requestTimeoutMs);
        if (managedByPulumi(s.metadata)) return { kind: "ours" };
        const managers = [...new Set((s.metadata?.managedFields ?? []).map((f) => f.manager).filter((m): m is string => !!m))];
        return { kind: "foreign", managers };
    } catch (e) {
        if ((e as { code?: unknown }).code === 404) return { kind: "absent" };
        return { kind: "unknown", why: classifyReadError(e, requestTimeoutMs).message };
    }
}

/** The command that lets the stack adopt existing remote secrets (stack config `adoptExistingRemoteSecrets`). */
export const ADOPT_COMMAND = "pulumi config set istio-multicluster:adoptExistingRemoteSecrets true";

/** Names of the link, for messages. */
export interface RemoteSecretNames {
    /** The reader cluster (where the Secret is). */
    reader: string;
    /** The target cluster (what the Secret points at). */
    target: string;
    /** `<namespace>/<name>` of the Secret. */
    secret: string;
}

/** The refusal for a foreign Secret: the cluster, the Secret, who wrote it, and the command that adopts it. */
export function foreignRemoteSecretRefusal(n: RemoteSecretNames, managers: string[]): string {
    const by = managers.length ? ` (field managers: ${managers.join(", ")})` : "";
    return (
        `cluster ${n.reader} already has Secret ${n.secret}${by}, which Pulumi did not write; ` +
        `\`istioctl create-remote-secret --name=${n.target} | kubectl apply -f -\` writes it so. Pulumi would fail to take its fields over. ` +
        `To adopt it (this stack then manages and updates it), run \`${ADOPT_COMMAND}\` and \`pulumi up\` again ` +
        `(library users: RemoteSecretLinkArgs.adoptExisting or IstioMeshArgs.adoptExistingRemoteSecrets). ` +
        `Nothing was written to ${n.reader}.`
    );
}

/** The warning when the check could not tell; the deployment goes on and the provider has the last word. */
export function uncheckedRemoteSecretWarning(n: RemoteSecretNames, why: string): string {
    return (
        `could not check whether cluster ${n.reader} already has Secret ${n.secret} written by istioctl: ${why}. ` +
        `If it does, writing it fails with a field-manager conflict; \`${ADOPT_COMMAND}\` adopts it.`
    );
}
