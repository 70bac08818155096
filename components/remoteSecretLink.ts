/**
 * RemoteSecretLink — endpoint discovery from one cluster (the reader) into another (the target): a reader token
 * in the target and, in the reader's `istio-system`, the Secret `istio-remote-secret-<target>` (label
 * `istio/multiCluster=true`) with a kubeconfig for the target's API server, which the reader's istiod watches.
 * What `istioctl create-remote-secret --context=<target> --name=<target> | kubectl apply --context=<reader> -f -`
 * does, as resources, for one ordered pair of clusters.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ISTIO_NAMESPACE, Labels, REMOTE_SECRET_PREFIX, tokenEpochProblem } from "./model";
import { ArgsIssues } from "./argsErrors";
import { refusal } from "./refusal";
import { MeshClusterRef, missingMeshClusterRefFields } from "./meshCluster";
import { ClusterAccess } from "./clusterAccess";
import { findExistingRemoteSecret, foreignRemoteSecretRefusal, uncheckedRemoteSecretWarning } from "./existingRemoteSecret";
import { linkCredential } from "./readerToken";
import { conflictingRemoteSecrets, listRemoteSecrets, remoteSecretLayoutRefusal } from "./remoteSecretLayoutCheck";
import { TokenWaitOptions } from "./serviceAccountToken";

export { tokenSuffix } from "./readerToken";

/** The Kubernetes provider's annotation that forces server-side apply over fields other managers own. */
export const PATCH_FORCE_ANNOTATION = Labels.patchForce;

/** Arguments of {@link RemoteSecretLink}. */
export interface RemoteSecretLinkArgs {
    /** The cluster whose istiod watches `target` (normally a {@link MeshCluster}); the remote secret is written here. */
    reader: MeshClusterRef;
    /** The cluster being watched (normally a {@link MeshCluster}). */
    target: MeshClusterRef;
    /**
     * The target's API server URL as reachable from the reader's istiod (istioctl's `--server`). Required
     * unless `kubeconfig` is given.
     */
    apiServerUrl?: pulumi.Input<string>;
    /** `tls-server-name` for the target's API server certificate, when it differs from the URL host. */
    tlsServerName?: pulumi.Input<string>;
    /**
     * A complete kubeconfig for reaching the target (e.g. a Rancher API token, seed 003) used instead of an
     * istio-reader-service-account token. Treated as a secret.
     */
    kubeconfig?: pulumi.Input<string>;
    /**
     * Changing this value issues a new reader token (a new token Secret with a new random suffix) and
     * updates the remote secret to it. With `keepPreviousToken` (the default) it must be a plain whole-number
     * string ("1", "2", …: raise it by 1 to rotate) and the previous epoch's token stays valid until the next
     * rotation; without, any string, and the old token Secret is deleted at the end of the rotation's `up`.
     * @default "1"
     * @see readerTokenSlots
     */
    rotationEpoch?: pulumi.Input<string>;
    /**
     * Keep the previous epoch's token Secret (and so its token) until the next rotation, so a reader istiod that
     * was offline during the rotation still authenticates with the token it holds. The link then has two token
     * slots by epoch parity: `<name>-token` (odd epochs) and `<name>-token-even`.
     * @default true
     * @see readerTokenSlots
     */
    keepPreviousToken?: boolean;
    /**
     * Suffix of the current token Secret's name (`istio-reader-service-account-<reader>-<suffix>`). When unset, the
     * link generates one (a RandomId keyed by the epoch); IstioMesh shares one per target cluster and slot.
     */
    tokenSuffix?: pulumi.Input<string>;
    /**
     * Suffix of the previous epoch's token Secret name (only used with `keepPreviousToken` from epoch 2 on).
     * When unset, the link generates one (a RandomId keyed by the previous epoch).
     */
    previousTokenSuffix?: pulumi.Input<string>;
    /** Bounds of the token read-back. */
    tokenWait?: TokenWaitOptions;
    /**
     * Take over an `istio-remote-secret-<target>` that already exists in the reader, e.g. written by
     * `istioctl create-remote-secret | kubectl apply -f -`. The provider's server-side apply upserts an existing
     * Secret but refuses fields another manager (kubectl) owns; with this set the remote secret carries
     * `pulumi.com/patchForce: "true"`, so Pulumi takes those fields over and manages the Secret from then on
     * (stack config: `adoptExistingRemoteSecrets: true`). Without it, the reader is read once before the remote secret
     * is written (also in `pulumi preview`): a Secret of that name that Pulumi's Kubernetes provider does not manage
     * fails the link with a message naming the cluster, the Secret and the command that adopts it; a reader that
     * cannot be read (unreachable, forbidden, not created yet) logs a warning and does not block. Set
     * `ISTIO_MULTICLUSTER_SKIP_CLUSTER_READS=1` to skip that read (offline previews, tests under mocks).
     * @default false
     * @see docs/remote-secrets.md
     * @see https://www.pulumi.com/registry/packages/kubernetes/how-to-guides/managing-resources-with-server-side-apply/
     */
    adoptExisting?: boolean;
}

/**
 * Gives `reader`'s istiod read access to `target`: a reader token in the target and an
 * `istio-remote-secret-<target>` in the reader, exactly in istioctl's shape.
 */
export class RemoteSecretLink extends pulumi.ComponentResource {
    /** The token Secret in the target cluster the remote secret uses (absent when a kubeconfig was supplied). */
    public readonly tokenSecret?: k8s.core.v1.Secret;
    /** The previous epoch's token Secret, kept valid until the next rotation (`keepPreviousToken`, epoch ≥ 2). */
    public readonly previousTokenSecret?: k8s.core.v1.Secret;
    /** The `istio-remote-secret-<target>` Secret in the reader cluster. */
    public readonly remoteSecret: k8s.core.v1.Secret;
    /** The kubeconfig stored in the remote secret (a Pulumi secret). */
    public readonly kubeconfig: pulumi.Output<string>;
    /** Name of the reader cluster (whose istiod reads the remote secret). */
    public readonly readerCluster: string;
    /** Name of the target cluster (the one the remote secret points at). */
    public readonly targetCluster: string;
    /** Name of the remote secret in the reader, `istio-remote-secret-<target>` as istioctl writes it. */
    public readonly remoteSecretName: string;

    /**
     * @param name The _unique_ name of this component.
     * @param args Reader, target and how to authenticate.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: RemoteSecretLinkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:RemoteSecretLink", name, {}, opts);
        const { reader, target } = args;
        const issues = new ArgsIssues("RemoteSecretLink");
        for (const [key, ref] of [
            ["reader", reader],
            ["target", target],
        ] as const) {
            const missing = missingMeshClusterRefFields(ref);
            if (missing.length) issues.add(key, `must be a MeshCluster or carry its outputs (missing: ${missing.join(", ")})`);
        }
        if (reader?.clusterName !== undefined && reader.clusterName === target?.clusterName) {
            issues.add("target", `must differ from the reader (${reader.clusterName})`);
        }
        if (!args.kubeconfig && !args.apiServerUrl) {
            issues.add("apiServerUrl", `is required to link ${reader?.clusterName} -> ${target?.clusterName} (or pass args.kubeconfig)`);
        }
        const keepPreviousToken = args.keepPreviousToken ?? true;
        const epoch = args.rotationEpoch ?? "1";
        const epochProblem = tokenEpochProblem(epoch, keepPreviousToken && !args.kubeconfig, "rotationEpoch");
        if (epochProblem) issues.add(epochProblem.path, epochProblem.message);
        issues.throwIfAny(this);
        this.readerCluster = reader.clusterName;
        this.targetCluster = target.clusterName;
        this.remoteSecretName = `${REMOTE_SECRET_PREFIX}${target.clusterName}`;
        const what = `remote secret ${target.clusterName} in ${reader.clusterName}`;

        const cred = linkCredential(
            name,
            {
                reader: reader.clusterName,
                target,
                apiServerUrl: args.apiServerUrl,
                tlsServerName: args.tlsServerName,
                kubeconfig: args.kubeconfig,
                rotationEpoch: epoch,
                keepPreviousToken,
                tokenSuffix: args.tokenSuffix,
                previousTokenSuffix: args.previousTokenSuffix,
                tokenWait: args.tokenWait,
                what,
            },
            this,
        );
        this.tokenSecret = cred.tokenSecret;
        this.previousTokenSecret = cred.previousTokenSecret;
        this.kubeconfig = cred.kubeconfig;

        const annotations = {
            [Labels.clusterAnnotation]: target.clusterName,
            ...(args.adoptExisting ? { [PATCH_FORCE_ANNOTATION]: "true" } : {}),
        };
        this.remoteSecret = new k8s.core.v1.Secret(
            `${name}-remote-secret`,
            {
                metadata: {
                    name: this.remoteSecretName,
                    namespace: ISTIO_NAMESPACE,
                    labels: { [Labels.multiCluster]: "true" },
                    // Resolved only once the reader was checked for a Secret istioctl wrote under this name.
                    annotations: args.adoptExisting
                        ? annotations
                        : refuseForeignRemoteSecret(this, reader.access, this.remoteSecretName, target.clusterName, args.tokenWait).apply(
                              () => annotations,
                          ),
                },
                type: "Opaque",
                data: pulumi.secret(this.kubeconfig.apply((kc) => ({ [target.clusterName]: Buffer.from(kc).toString("base64") }))),
            },
            { parent: this, provider: reader.provider, dependsOn: [reader.namespace] },
        );

        this.registerOutputs({});
    }
}

/**
 * Resolves once the reader (`access`) was checked for an `istio-remote-secret-<target>` Pulumi did not write:
 * absent, ours or unknown resolve (unknown with a warning on `link`); foreign rejects with a ResourceError naming
 * the cluster, the Secret and the adopt command. Without `access` (the reader came with its own provider), or
 * while `access` is unknown (preview of a cluster not created yet), nothing is read.
 */
function refuseForeignRemoteSecret(
    link: RemoteSecretLink,
    access: pulumi.Input<ClusterAccess> | undefined,
    secretName: string,
    target: string,
    wait: TokenWaitOptions | undefined,
): pulumi.Output<void> {
    if (!access) return pulumi.output(undefined);
    return pulumi.output(access).apply(async (a) => {
        const names = { reader: link.readerCluster, target, secret: `${ISTIO_NAMESPACE}/${secretName}` };
        const [found, listed] = await Promise.all([
            findExistingRemoteSecret(a, ISTIO_NAMESPACE, secretName, wait?.requestTimeoutMs),
            listRemoteSecrets(a, wait?.requestTimeoutMs),
        ]);
        // A perReader layout's Secret already names this target: see remoteSecretLayoutCheck.ts.
        const conflicts = listed.kind === "listed" ? conflictingRemoteSecrets("perLink", [target], listed.secrets) : [];
        if (conflicts.length) throw refusal(remoteSecretLayoutRefusal(link.readerCluster, "perLink", conflicts), link);
        if (found.kind === "foreign") throw refusal(foreignRemoteSecretRefusal(names, found.managers), link);
        if (found.kind === "unknown") void pulumi.log.warn(uncheckedRemoteSecretWarning(names, found.why), link);
    });
}
