/**
 * A link's credential: the reader token Secret(s) in the target cluster (one per token slot) and the kubeconfig
 * istiod reads, built from the token the target's token controller writes — or a kubeconfig the user supplied.
 * Shared by both remote-secret layouts ({@link RemoteSecretLink} per link, {@link ReaderRemoteSecrets} per reader),
 * which differ only in the Secret the kubeconfig is written to.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
    checkRemoteKubeconfig,
    ISTIO_NAMESPACE,
    READER_SERVICE_ACCOUNT,
    readerTokenSecretName,
    readerTokenSlots,
    renderRemoteKubeconfig,
} from "./model";
import { baseInstallOf, MeshClusterRef } from "./meshCluster";
import { serviceAccountCredential, TokenWaitOptions } from "./serviceAccountToken";

/** What one link needs to reach its target. */
export interface LinkCredentialArgs {
    /** Name of the reader cluster (token Secrets are named after it). */
    reader: string;
    /** The target cluster. */
    target: MeshClusterRef;
    /** The target's API server URL as the reader's istiod reaches it; unused with `kubeconfig`. */
    apiServerUrl?: pulumi.Input<string>;
    /** `tls-server-name` for that API server. */
    tlsServerName?: pulumi.Input<string>;
    /** A supplied kubeconfig instead of a reader token (checked the way istiod checks it). */
    kubeconfig?: pulumi.Input<string>;
    /** The token rotation epoch (checked by the caller). */
    rotationEpoch: pulumi.Input<string>;
    /** Two token slots by epoch parity, the previous one kept. */
    keepPreviousToken: boolean;
    /** Suffix of the current token Secret's name; generated (a RandomId keyed by the epoch) when unset. */
    tokenSuffix?: pulumi.Input<string>;
    /** Suffix of the previous epoch's token Secret's name; generated when unset. */
    previousTokenSuffix?: pulumi.Input<string>;
    /** Bounds of the token read-back. */
    tokenWait?: TokenWaitOptions;
    /** Names the link in messages, e.g. `remote secret cluster2 in cluster1`. */
    what: string;
}

/** A link's credential, as resources and the kubeconfig (a Pulumi secret). */
export interface LinkCredential {
    /** The current token Secret in the target (absent with a supplied kubeconfig). */
    tokenSecret?: k8s.core.v1.Secret;
    /** The previous epoch's token Secret (keepPreviousToken, epoch ≥ 2). */
    previousTokenSecret?: k8s.core.v1.Secret;
    /** The kubeconfig istiod reads, a Pulumi secret. */
    kubeconfig: pulumi.Output<string>;
}

/**
 * Declares the link's token Secrets (resource names `<name>-token…`, RandomIds `<name>-…` under `parent`) and
 * returns the kubeconfig built from the current one.
 */
export function linkCredential(name: string, args: LinkCredentialArgs, parent: pulumi.Resource): LinkCredential {
    if (args.kubeconfig) {
        return {
            kubeconfig: pulumi.secret(
                pulumi.output(args.kubeconfig).apply((text) => {
                    const check = checkRemoteKubeconfig(text);
                    if (check.errors.length) throw new Error(`${args.what}: supplied kubeconfig rejected: ${check.errors.join("; ")}`);
                    return text;
                }),
            ),
        };
    }
    // Grace on: the current slot plus the previous epoch's. Grace off: one slot, holding the epoch as given (any
    // string, or an Output).
    const slots = args.keepPreviousToken
        ? readerTokenSlots(args.rotationEpoch as string, true)
        : readerTokenSlots("1", false).map((slot) => ({ ...slot, epoch: args.rotationEpoch }));
    const [current, previous] = slots.map((slot) => {
        const given = slot.current ? args.tokenSuffix : args.previousTokenSuffix;
        const suffix = given ?? tokenSuffix(`${name}-${slot.randomIdSuffix}`, slot.epoch, parent);
        return readerTokenSecret(`${name}-${slot.secretResourceSuffix}`, args.reader, suffix, args.target, parent);
    });
    const cred = serviceAccountCredential(current, args.target.access, args.what, args.tokenWait);
    const target = args.target.clusterName;
    return {
        tokenSecret: current,
        previousTokenSecret: previous,
        kubeconfig: pulumi.secret(
            pulumi
                .all([cred, args.apiServerUrl!, args.tlsServerName])
                .apply(([c, server, tlsServerName]) =>
                    renderRemoteKubeconfig({ clusterName: target, server, caData: c.caData, token: c.token, tlsServerName }),
                ),
        ),
    };
}

/**
 * A token Secret of istio-reader-service-account in the target (the token controller fills it). Every slot is
 * declared through here, so a kept slot's inputs stay exactly what they were when it was current.
 */
function readerTokenSecret(
    resourceName: string,
    reader: string,
    suffix: pulumi.Input<string>,
    target: MeshClusterRef,
    parent: pulumi.Resource,
): k8s.core.v1.Secret {
    return new k8s.core.v1.Secret(
        resourceName,
        {
            metadata: {
                name: pulumi.output(suffix).apply((s) => readerTokenSecretName(reader, s)),
                namespace: ISTIO_NAMESPACE,
                annotations: { "kubernetes.io/service-account.name": READER_SERVICE_ACCOUNT },
                labels: { "app.kubernetes.io/managed-by": "pulumi", "istio-multicluster/reader": reader },
            },
            type: "kubernetes.io/service-account-token",
        },
        // The ServiceAccount comes from the base chart, its read-only ClusterRole from istiod's.
        { parent, provider: target.provider, dependsOn: [baseInstallOf(target), target.istiod], deleteBeforeReplace: false },
    );
}

/**
 * A stable random suffix for reader token Secret names that changes when `rotationEpoch` (the epoch a slot
 * holds) changes, so a rotation creates new token Secrets and updates the remote secrets to them.
 */
export function tokenSuffix(name: string, rotationEpoch: pulumi.Input<string> | undefined, parent: pulumi.Resource): pulumi.Output<string> {
    return new random.RandomId(name, { byteLength: 3, keepers: { epoch: pulumi.output(rotationEpoch ?? "1") } }, { parent }).hex;
}
