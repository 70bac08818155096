/**
 * SampleNamespace — the namespace every sample workload lives in, labelled `istio-injection=enabled` (or, in canary
 * mode, `istio.io/rev=<revision or tag>`) so its pods get sidecars.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MeshCluster } from "../meshCluster";
import { injectionLabels, SAMPLE_NAMESPACE } from "../model";
import { refusal } from "../refusal";

/** Arguments of {@link SampleNamespace}. */
export interface SampleNamespaceArgs {
    /** The cluster to create the namespace in. */
    cluster: MeshCluster;
    /**
     * Namespace name.
     * @default "sample"
     */
    name?: string;
    /**
     * The revision or tag whose injector serves the namespace (label `istio.io/rev`).
     * @default unset: `istio-injection=enabled`, the `default` tag
     * @see docs/upgrades.md
     */
    revision?: string;
}

/** The `sample` namespace with sidecar injection on, created after istiod (whose webhook injects). */
export class SampleNamespace extends pulumi.ComponentResource {
    /** The namespace. */
    public readonly namespace: k8s.core.v1.Namespace;

    /**
     * @param name The _unique_ name of this component.
     * @param args The cluster.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: SampleNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:SampleNamespace", name, {}, opts);
        if (!args.cluster || !MeshCluster.isInstance(args.cluster)) {
            throw refusal("SampleNamespace: args.cluster must be a MeshCluster", this);
        }
        this.namespace = new k8s.core.v1.Namespace(
            `${name}-ns`,
            { metadata: { name: args.name ?? SAMPLE_NAMESPACE, labels: injectionLabels(args.revision) } },
            { parent: this, provider: args.cluster.provider, dependsOn: [args.cluster.istiod] },
        );
        this.registerOutputs({});
    }
}
