/**
 * TrafficShifting — seed 003 "Traffic shifting" on each cluster: DestinationRule `helloworld` (subsets v1/v2),
 * Gateway `helloworld-gateway` (samples/helloworld/helloworld-gateway.yaml) and VirtualService `helloworld`
 * sending `/hello` 10% to v1 and 90% to v2 through the ingress gateway.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MeshCluster } from "../meshCluster";
import { SAMPLE_NAMESPACE } from "../model";
import { destinationRuleSpec, ingressGatewaySpec, istioResource, requireCluster, weightedHelloSpec } from "./resources";

/** Arguments of {@link TrafficShifting}. */
export interface TrafficShiftingArgs {
    /** The cluster. */
    cluster: MeshCluster;
    /**
     * Route weights of the helloworld subsets (must add up to 100).
     * @default { v1: 10, v2: 90 }
     */
    weights?: { v1: number; v2: number };
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
     * @param args Cluster and weights.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: TrafficShiftingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:TrafficShifting", name, {}, opts);
        const cluster = requireCluster("TrafficShifting", this, args.cluster);
        const weights = args.weights ?? { v1: 10, v2: 90 };
        if (weights.v1 + weights.v2 !== 100 || weights.v1 < 0 || weights.v2 < 0) {
            throw new pulumi.ResourceError(`TrafficShifting: args.weights v1 ${weights.v1} + v2 ${weights.v2} must add up to 100`, this);
        }
        const ns = SAMPLE_NAMESPACE;
        const deps = args.dependsOn ?? [];
        this.destinationRule = istioResource(
            `${name}-dr`,
            this,
            cluster,
            "DestinationRule",
            { name: "helloworld", namespace: ns },
            destinationRuleSpec("helloworld", { subsets: ["v1", "v2"] }),
            deps,
        );
        this.gateway = istioResource(
            `${name}-gateway`,
            this,
            cluster,
            "Gateway",
            { name: "helloworld-gateway", namespace: ns },
            ingressGatewaySpec({ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["*"] }),
            deps,
        );
        this.virtualService = istioResource(
            `${name}-vs`,
            this,
            cluster,
            "VirtualService",
            { name: "helloworld", namespace: ns },
            weightedHelloSpec("helloworld-gateway", "helloworld", 5000, weights),
            [...deps, this.gateway, this.destinationRule],
        );
        this.registerOutputs({});
    }
}
