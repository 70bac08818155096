/**
 * ReaderRemoteSecrets — the `perReader` remote-secret layout: everything one cluster (the reader) needs to discover
 * the others, as one Secret `istio-remote-secrets` in its `istio-system` (label `istio/multiCluster=true`) with one
 * entry per target cluster, each a kubeconfig with that link's own reader token. istiod's secret controller
 * registers every entry of a remote secret as a cluster, so this is N Secrets for a mesh of N clusters instead of
 * istioctl's N·(N−1), and each link keeps its own token Secret in its target (revoked when the link goes).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ArgsIssues } from "./argsErrors";
import { refusal } from "./refusal";
import { ClusterAccess } from "./clusterAccess";
import { MeshClusterRef, missingMeshClusterRefFields } from "./meshCluster";
import { ISTIO_NAMESPACE, Labels, READER_REMOTE_SECRET, tokenEpochProblem } from "./model";
import { linkCredential } from "./readerToken";
import { conflictingRemoteSecrets, listRemoteSecrets, remoteSecretLayoutRefusal, uncheckedLayoutWarning } from "./remoteSecretLayoutCheck";
import { TokenWaitOptions } from "./serviceAccountToken";

/** One cluster a {@link ReaderRemoteSecrets} reader watches. */
export interface ReaderRemoteSecretsTarget {
    /** The cluster being watched (normally a {@link MeshCluster}). */
    target: MeshClusterRef;
    /** Its API server URL as the reader's istiod reaches it. Required unless `kubeconfig` is given. */
    apiServerUrl?: pulumi.Input<string>;
    /** `tls-server-name` for that API server, when it differs from the URL host. */
    tlsServerName?: pulumi.Input<string>;
    /** A complete kubeconfig for the target instead of a reader token. Treated as a secret. */
    kubeconfig?: pulumi.Input<string>;
    /** Suffix of the current token Secret's name; generated when unset (IstioMesh shares one per target and slot). */
    tokenSuffix?: pulumi.Input<string>;
    /** Suffix of the previous epoch's token Secret's name; generated when unset. */
    previousTokenSuffix?: pulumi.Input<string>;
}

/** Arguments of {@link ReaderRemoteSecrets}. */
export interface ReaderRemoteSecretsArgs {
    /** The cluster whose istiod reads the Secret (normally a {@link MeshCluster}); the Secret is written here. */
    reader: MeshClusterRef;
    /** The clusters it watches, one entry each; at least one, none of them the reader. */
    targets: ReaderRemoteSecretsTarget[];
    /**
     * The reader tokens' rotation epoch, as for a link.
     * @default "1"
     * @see RemoteSecretLinkArgs.rotationEpoch
     */
    rotationEpoch?: pulumi.Input<string>;
    /**
     * Keep each link's previous-epoch token valid until the next rotation.
     * @default true
     * @see RemoteSecretLinkArgs.keepPreviousToken
     */
    keepPreviousToken?: boolean;
    /** Bounds of the token read-back. */
    tokenWait?: TokenWaitOptions;
}

/** The `perReader` layout for one reader cluster: one remote secret with an entry per target. */
export class ReaderRemoteSecrets extends pulumi.ComponentResource {
    /** The `istio-remote-secrets` Secret in the reader. */
    public readonly secret: k8s.core.v1.Secret;
    /** The current token Secret of each target (absent for targets reached with a supplied kubeconfig). */
    public readonly tokenSecrets: Record<string, k8s.core.v1.Secret>;
    /** The previous epoch's token Secret of each target (keepPreviousToken, epoch ≥ 2). */
    public readonly previousTokenSecrets: Record<string, k8s.core.v1.Secret>;
    /** Name of the reader cluster. */
    public readonly readerCluster: string;
    /** Names of the target clusters, in the order given. */
    public readonly targetClusters: string[];
    /** Name of the Secret in the reader, `istio-remote-secrets`. */
    public readonly secretName: string;

    /**
     * @param name The _unique_ name of this component.
     * @param args Reader, targets and how to authenticate.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: ReaderRemoteSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:ReaderRemoteSecrets", name, {}, opts);
        const { reader } = args;
        const targets = args.targets ?? [];
        const issues = new ArgsIssues("ReaderRemoteSecrets");
        const readerMissing = missingMeshClusterRefFields(reader);
        if (readerMissing.length) issues.add("reader", `must be a MeshCluster or carry its outputs (missing: ${readerMissing.join(", ")})`);
        if (!targets.length) issues.add("targets", "list at least one target cluster");
        const seen = new Set<string>();
        targets.forEach((t, i) => {
            const missing = missingMeshClusterRefFields(t.target);
            if (missing.length)
                issues.add(`targets[${i}].target`, `must be a MeshCluster or carry its outputs (missing: ${missing.join(", ")})`);
            const tn = t.target?.clusterName;
            if (tn !== undefined && tn === reader?.clusterName) issues.add(`targets[${i}].target`, `must differ from the reader (${tn})`);
            if (tn !== undefined && seen.has(tn)) issues.add(`targets[${i}].target`, `duplicate target ${tn} (one entry per cluster)`);
            if (tn !== undefined) seen.add(tn);
            if (!t.kubeconfig && !t.apiServerUrl) {
                issues.add(`targets[${i}].apiServerUrl`, `is required to reach ${tn} from ${reader?.clusterName} (or pass a kubeconfig)`);
            }
        });
        const keepPreviousToken = args.keepPreviousToken ?? true;
        const epoch = args.rotationEpoch ?? "1";
        const epochProblem = tokenEpochProblem(epoch, keepPreviousToken && targets.some((t) => !t.kubeconfig), "rotationEpoch");
        if (epochProblem) issues.add(epochProblem.path, epochProblem.message);
        issues.throwIfAny(this);

        this.readerCluster = reader.clusterName;
        this.targetClusters = targets.map((t) => t.target.clusterName);
        this.secretName = READER_REMOTE_SECRET;
        this.tokenSecrets = {};
        this.previousTokenSecrets = {};
        const kubeconfigs: Record<string, pulumi.Output<string>> = {};
        for (const t of targets) {
            const target = t.target.clusterName;
            const cred = linkCredential(
                `${name}-${target}`,
                {
                    reader: reader.clusterName,
                    target: t.target,
                    apiServerUrl: t.apiServerUrl,
                    tlsServerName: t.tlsServerName,
                    kubeconfig: t.kubeconfig,
                    rotationEpoch: epoch,
                    keepPreviousToken,
                    tokenSuffix: t.tokenSuffix,
                    previousTokenSuffix: t.previousTokenSuffix,
                    tokenWait: args.tokenWait,
                    what: `remote secret entry ${target} in ${reader.clusterName}`,
                },
                this,
            );
            if (cred.tokenSecret) this.tokenSecrets[target] = cred.tokenSecret;
            if (cred.previousTokenSecret) this.previousTokenSecrets[target] = cred.previousTokenSecret;
            kubeconfigs[target] = cred.kubeconfig;
        }

        this.secret = new k8s.core.v1.Secret(
            `${name}-secret`,
            {
                metadata: {
                    name: READER_REMOTE_SECRET,
                    namespace: ISTIO_NAMESPACE,
                    // Resolved only once the reader was checked for Secrets of the per-link layout. (On the labels:
                    // an empty annotations map is dropped from the state, and every preview would show a diff; an
                    // unknown name would preview as a replacement.)
                    labels: refuseOtherLayout(this, reader.access, this.targetClusters, args.tokenWait).apply(() => ({
                        [Labels.multiCluster]: "true",
                    })),
                },
                type: "Opaque",
                // One entry per target, keyed by its cluster ID, as istiod reads it.
                data: pulumi.secret(
                    pulumi
                        .all(kubeconfigs)
                        .apply((kcs) => Object.fromEntries(Object.entries(kcs).map(([t, kc]) => [t, Buffer.from(kc).toString("base64")]))),
                ),
            },
            { parent: this, provider: reader.provider, dependsOn: [reader.namespace] },
        );
        this.registerOutputs({});
    }
}

/**
 * Resolves once the reader was checked for `istio-remote-secret-<target>` Secrets (remoteSecretLayoutCheck.ts):
 * any of them rejects with a ResourceError; an unreadable reader warns. Without `access`, or while it is unknown,
 * nothing is read.
 */
function refuseOtherLayout(
    component: ReaderRemoteSecrets,
    access: pulumi.Input<ClusterAccess> | undefined,
    targets: string[],
    wait: TokenWaitOptions | undefined,
): pulumi.Output<void> {
    if (!access) return pulumi.output(undefined);
    return pulumi.output(access).apply(async (a) => {
        const found = await listRemoteSecrets(a, wait?.requestTimeoutMs);
        if (found.kind === "unknown") {
            void pulumi.log.warn(uncheckedLayoutWarning(component.readerCluster, "perReader", found.why), component);
            return;
        }
        if (found.kind !== "listed") return;
        const conflicts = conflictingRemoteSecrets("perReader", targets, found.secrets);
        if (conflicts.length) throw refusal(remoteSecretLayoutRefusal(component.readerCluster, "perReader", conflicts), component);
    });
}
