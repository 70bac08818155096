/**
 * RemoteSecretLink — endpoint discovery from one cluster (the reader) into another (the target): a reader token
 * in the target and, in the reader's `istio-system`, the Secret `istio-remote-secret-<target>` (label
 * `istio/multiCluster=true`) with a kubeconfig for the target's API server, which the reader's istiod watches.
 * What `istioctl create-remote-secret --context=<target> --name=<target> | kubectl apply --context=<reader> -f -`
 * does, as resources, for one ordered pair of clusters.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
    checkRemoteKubeconfig,
    ISTIO_NAMESPACE,
    Labels,
    READER_SERVICE_ACCOUNT,
    REMOTE_SECRET_PREFIX,
    renderRemoteKubeconfig,
} from "./model";
import { MeshClusterRef, missingMeshClusterRefFields } from "./meshCluster";
import { serviceAccountCredential, TokenWaitOptions } from "./serviceAccountToken";

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
     * updates the remote secret before the old token Secret is deleted.
     * @default "1"
     */
    rotationEpoch?: pulumi.Input<string>;
    /**
     * Suffix of the token Secret's name (`istio-reader-service-account-<reader>-<suffix>`). When unset, the link
     * generates one (a RandomId keyed by `rotationEpoch`); IstioMesh shares one per target cluster.
     */
    tokenSuffix?: pulumi.Input<string>;
    /** Bounds of the token read-back. */
    tokenWait?: TokenWaitOptions;
    /**
     * Take over an `istio-remote-secret-<target>` that already exists in the reader, e.g. written by
     * `istioctl create-remote-secret | kubectl apply -f -`. The provider's server-side apply upserts an existing
     * Secret but refuses fields another manager (kubectl) owns; with this set the remote secret carries
     * `pulumi.com/patchForce: "true"`, so Pulumi takes those fields over and manages the Secret from then on
     * (stack config: `adoptExistingRemoteSecrets: true`).
     * @default false
     * @see https://www.pulumi.com/registry/packages/kubernetes/how-to-guides/managing-resources-with-server-side-apply/
     */
    adoptExisting?: boolean;
}

/**
 * Gives `reader`'s istiod read access to `target`: a reader token in the target and an
 * `istio-remote-secret-<target>` in the reader, exactly in istioctl's shape.
 */
export class RemoteSecretLink extends pulumi.ComponentResource {
    /** The token Secret in the target cluster (absent when a kubeconfig was supplied). */
    public readonly tokenSecret?: k8s.core.v1.Secret;
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
        const fail = (field: string, msg: string): never => {
            throw new pulumi.ResourceError(`RemoteSecretLink: args.${field} ${msg}`, this);
        };
        for (const [key, ref] of [
            ["reader", reader],
            ["target", target],
        ] as const) {
            const missing = missingMeshClusterRefFields(ref);
            if (missing.length) fail(key, `must be a MeshCluster or carry its outputs (missing: ${missing.join(", ")})`);
        }
        if (reader.clusterName === target.clusterName) fail("target", `must differ from the reader (${reader.clusterName})`);
        if (!args.kubeconfig && !args.apiServerUrl) {
            fail("apiServerUrl", `is required to link ${reader.clusterName} -> ${target.clusterName} (or pass args.kubeconfig)`);
        }
        this.readerCluster = reader.clusterName;
        this.targetCluster = target.clusterName;
        this.remoteSecretName = `${REMOTE_SECRET_PREFIX}${target.clusterName}`;
        const what = `remote secret ${target.clusterName} in ${reader.clusterName}`;

        if (args.kubeconfig) {
            this.kubeconfig = pulumi.secret(
                pulumi.output(args.kubeconfig).apply((text) => {
                    const check = checkRemoteKubeconfig(text);
                    if (check.errors.length) throw new Error(`${what}: supplied kubeconfig rejected: ${check.errors.join("; ")}`);
                    return text;
                }),
            );
        } else {
            const suffix = args.tokenSuffix ?? tokenSuffix(`${name}-token-suffix`, args.rotationEpoch, this);
            this.tokenSecret = new k8s.core.v1.Secret(
                `${name}-token`,
                {
                    metadata: {
                        name: pulumi.interpolate`${READER_SERVICE_ACCOUNT}-${reader.clusterName}-${suffix}`,
                        namespace: ISTIO_NAMESPACE,
                        annotations: { "kubernetes.io/service-account.name": READER_SERVICE_ACCOUNT },
                        labels: { "app.kubernetes.io/managed-by": "pulumi", "istio-multicluster/reader": reader.clusterName },
                    },
                    type: "kubernetes.io/service-account-token",
                },
                // The ServiceAccount comes from the base chart, its read-only ClusterRole from istiod's.
                { parent: this, provider: target.provider, dependsOn: [target.base, target.istiod], deleteBeforeReplace: false },
            );
            const cred = serviceAccountCredential(this.tokenSecret, target.access, what, args.tokenWait);
            this.kubeconfig = pulumi.secret(
                pulumi.all([cred, args.apiServerUrl!, args.tlsServerName]).apply(([c, server, tlsServerName]) =>
                    renderRemoteKubeconfig({
                        clusterName: target.clusterName,
                        server,
                        caData: c.caData,
                        token: c.token,
                        tlsServerName,
                    }),
                ),
            );
        }

        this.remoteSecret = new k8s.core.v1.Secret(
            `${name}-remote-secret`,
            {
                metadata: {
                    name: this.remoteSecretName,
                    namespace: ISTIO_NAMESPACE,
                    labels: { [Labels.multiCluster]: "true" },
                    annotations: {
                        [Labels.clusterAnnotation]: target.clusterName,
                        ...(args.adoptExisting ? { [PATCH_FORCE_ANNOTATION]: "true" } : {}),
                    },
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
 * A stable random suffix for reader token Secret names that changes when `rotationEpoch` changes, so a
 * rotation creates new token Secrets (and updates the remote secrets) before the old ones are deleted.
 */
export function tokenSuffix(name: string, rotationEpoch: pulumi.Input<string> | undefined, parent: pulumi.Resource): pulumi.Output<string> {
    return new random.RandomId(name, { byteLength: 3, keepers: { epoch: pulumi.output(rotationEpoch ?? "1") } }, { parent }).hex;
}
