/**
 * RegionFailover — seed 000 CC4 "Locality Failover" on cluster2: VirtualService helloworld2 and DestinationRule
 * helloworld2-loc-failover (ROUND_ROBIN, failover region4 → region3, one request per connection, eager ejection).
 */
import * as pulumi from "@pulumi/pulumi";
import { MeshCluster } from "../meshCluster";
import { CC4_FAILOVER, CC4_OUTLIER, OutlierDetection, regionFailoverPolicy, resolveServiceHost, SAMPLE_NAMESPACE } from "../model";
import { helloworld2Rule, Helloworld2Rule, requireCluster, checkLocality } from "./resources";

/** Arguments of {@link RegionFailover}. */
export interface RegionFailoverArgs {
    /** Cluster to apply the rule on (seed: cluster2). */
    cluster: MeshCluster;
    /**
     * `localityLbSetting.failover` (regions only; from ≠ to).
     * @default [{ from: "region4", to: "region3" }]
     */
    failover?: { from: string; to: string }[];
    /**
     * Outlier detection (failover has no effect without it).
     * @default { consecutive5xxErrors: 1, interval: "1s", baseEjectionTime: "1m" }
     */
    outlierDetection?: OutlierDetection;
    /**
     * `connectionPool.http.maxRequestsPerConnection`.
     * @default 1
     */
    maxRequestsPerConnection?: number;
    /** Resources to wait for (the `sample` namespace). @default [] */
    dependsOn?: pulumi.Resource[];
}

/** Region failover for helloworld2 (CC4). */
export class RegionFailover extends pulumi.ComponentResource {
    /** The VirtualService and DestinationRule. */
    public readonly rule: Helloworld2Rule;

    /**
     * @param name The _unique_ name of this component.
     * @param args Cluster, failover order and outlier detection.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: RegionFailoverArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:RegionFailover", name, {}, opts);
        const cluster = requireCluster("RegionFailover", this, args.cluster);
        const localityLbSetting = { enabled: true, failover: args.failover ?? CC4_FAILOVER };
        const outlierDetection = args.outlierDetection ?? CC4_OUTLIER;
        checkLocality(this, "RegionFailover: args.failover", localityLbSetting, outlierDetection);
        this.rule = helloworld2Rule(
            name,
            this,
            cluster,
            {
                name: "helloworld2-loc-failover",
                host: resolveServiceHost("helloworld2", SAMPLE_NAMESPACE),
                trafficPolicy: regionFailoverPolicy(localityLbSetting.failover, outlierDetection, args.maxRequestsPerConnection ?? 1),
            },
            args.dependsOn,
        );
        this.registerOutputs({});
    }
}
