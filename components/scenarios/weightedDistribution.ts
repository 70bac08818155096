/**
 * WeightedDistribution — seed 000 CC3 "Locality Weighted Distribution Load Balancing" on cluster2:
 * VirtualService helloworld2 and DestinationRule helloworld2-loc2 with the seed's three `distribute` rules.
 */
import * as pulumi from "@pulumi/pulumi";
import { MeshCluster } from "../meshCluster";
import { CC3_DISTRIBUTE, CC3_OUTLIER, OutlierDetection, resolveServiceHost, SAMPLE_NAMESPACE, weightedDistributionPolicy } from "../model";
import { helloworld2Rule, Helloworld2Rule, requireCluster, checkLocality } from "./resources";

/** Arguments of {@link WeightedDistribution}. */
export interface WeightedDistributionArgs {
    /** Cluster to apply the rule on (seed: cluster2). */
    cluster: MeshCluster;
    /**
     * `localityLbSetting.distribute` rules; each `to` must add up to 100.
     * @default the seed's three rules (from region2/zone1/*, region2/zone2/*, region2/zone3/*)
     */
    distribute?: { from: string; to: Record<string, number> }[];
    /**
     * Outlier detection of the DestinationRule.
     * @default { consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s" }
     */
    outlierDetection?: OutlierDetection;
    /** Resources to wait for (the `sample` namespace). @default [] */
    dependsOn?: pulumi.Resource[];
}

/** Weighted locality distribution for helloworld2 (CC3). */
export class WeightedDistribution extends pulumi.ComponentResource {
    /** The VirtualService and DestinationRule. */
    public readonly rule: Helloworld2Rule;

    /**
     * @param name The _unique_ name of this component.
     * @param args Cluster, distribution and outlier detection.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: WeightedDistributionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:WeightedDistribution", name, {}, opts);
        const cluster = requireCluster("WeightedDistribution", this, args.cluster);
        const localityLbSetting = { enabled: true, distribute: args.distribute ?? CC3_DISTRIBUTE };
        const outlierDetection = args.outlierDetection ?? CC3_OUTLIER;
        checkLocality(this, "WeightedDistribution: args.distribute", localityLbSetting, outlierDetection);
        this.rule = helloworld2Rule(
            name,
            this,
            cluster,
            {
                name: "helloworld2-loc2",
                host: resolveServiceHost("helloworld2", SAMPLE_NAMESPACE),
                trafficPolicy: weightedDistributionPolicy(localityLbSetting.distribute, outlierDetection),
            },
            args.dependsOn,
        );
        this.registerOutputs({});
    }
}
