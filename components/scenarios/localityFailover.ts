/**
 * LocalityFailover — seed 000 CC2 "Locality Aware Load Balancing" on cluster1: VirtualService helloworld2 and
 * DestinationRule helloworld2-loc1 with only outlierDetection, which switches on Istio's default
 * locality-prioritised routing (same zone, then region, then anywhere).
 */
import * as pulumi from "@pulumi/pulumi";
import { MeshCluster } from "../meshCluster";
import { CC2_OUTLIER, OutlierDetection, localityFailoverPolicy } from "../model";
import { helloworld2Rule, Helloworld2Rule, requireCluster, checkLocality } from "./resources";

/** Arguments of {@link LocalityFailover}. */
export interface LocalityFailoverArgs {
    /** Cluster to apply the rule on (seed: cluster1). */
    cluster: MeshCluster;
    /**
     * Outlier detection of the DestinationRule.
     * @default { consecutive5xxErrors: 5, interval: "1s", baseEjectionTime: "30s" }
     */
    outlierDetection?: OutlierDetection;
    /** Resources to wait for (the `sample` namespace). @default [] */
    dependsOn?: pulumi.Resource[];
}

/** Locality-prioritised load balancing for helloworld2 (CC2). */
export class LocalityFailover extends pulumi.ComponentResource {
    /** The VirtualService and DestinationRule. */
    public readonly rule: Helloworld2Rule;

    /**
     * @param name The _unique_ name of this component.
     * @param args Cluster and outlier detection.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: LocalityFailoverArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:LocalityFailover", name, {}, opts);
        const cluster = requireCluster("LocalityFailover", this, args.cluster);
        const outlierDetection = args.outlierDetection ?? CC2_OUTLIER;
        checkLocality(this, "LocalityFailover", undefined, outlierDetection);
        this.rule = helloworld2Rule(
            name,
            this,
            cluster,
            { name: "helloworld2-loc1", host: "helloworld2", trafficPolicy: localityFailoverPolicy(outlierDetection) },
            args.dependsOn,
        );
        this.registerOutputs({});
    }
}
