/**
 * TrafficShifting — weighted v1/v2 routing on one cluster: DestinationRule `helloworld` (subsets v1/v2), Gateway
 * `helloworld-gateway` (samples/helloworld/helloworld-gateway.yaml) and VirtualService `helloworld` sending
 * `/hello` to v1 and v2 by the given weights through the ingress gateway.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MeshCluster } from "../meshCluster";
import { ShiftingModel } from "../model";
import { destinationRuleSpec, istioResource, requireCluster, requireWeights, weightedIngressRoute } from "./resources";

/** Arguments of {@link TrafficShifting}. */
export interface TrafficShiftingArgs {
    /** The cluster. */
    cluster: MeshCluster;
    /**
     * The resolved shifting objects (`resolveScenarios(...).model.shifting`): names, namespace, route and weights.
     * @see https://istio.io/latest/docs/tasks/traffic-management/traffic-shifting/
     */
    shifting: ShiftingModel;
    /** Resources to wait for (the `sample` namespace, the ingress gateway). @default [] */
    dependsOn?: pulumi.Resource[];
}

/** Weighted v1/v2 routing of helloworld through the ingress gateway on one cluster. */
export class TrafficShifting extends pulumi.ComponentResource {
    /** DestinationRule `helloworld`. */
    public readonly destinationRule: k8s.apiextensions.CustomResource;
    /** Gateway `helloworld-gateway`. */
    public readonly gateway: k8s.apiextensions.CustomResource;
    /** VirtualService `helloworld`. */
    public readonly virtualService: k8s.apiextensions.CustomResource;

    /**
     * @param name The _unique_ name of this component.
     * @param args Cluster and the resolved shifting objects.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: TrafficShiftingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:TrafficShifting", name, {}, opts);
        const cluster = requireCluster("TrafficShifting", this, args.cluster);
        const sh = args.shifting;
        const weights = requireWeights("TrafficShifting", this, sh.route.weights);
        const at = { parent: this, cluster, deps: args.dependsOn };
        const meta = (objectName: string) => ({ name: objectName, namespace: sh.namespace });
        const subsets = destinationRuleSpec(sh.route.host, { subsets: ["v1", "v2"] });
        this.destinationRule = istioResource(`${name}-dr`, at, "DestinationRule", meta(sh.destinationRule), subsets);
        const route = weightedIngressRoute(
            name,
            at,
            {
                gateway: meta(sh.gateway),
                server: { port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["*"] },
                virtualService: meta(sh.virtualService),
                route: sh.route,
                weights,
            },
            [],
            [this.destinationRule],
        );
        this.gateway = route.gateway;
        this.virtualService = route.virtualService;
        this.registerOutputs({});
    }
}
