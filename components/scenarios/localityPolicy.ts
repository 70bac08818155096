/**
 * LocalityPolicy — one helloworld2 locality load-balancing rule on one cluster: the VirtualService that routes
 * every request for the service to itself and the DestinationRule whose `trafficPolicy` turns on Istio's
 * locality-aware routing (locality-prioritised failover, weighted `distribute`, or region `failover`).
 *
 * It renders a {@link LocalityRuleModel} exactly as the model resolved it (`resolveScenarios`): names, hosts,
 * namespace and traffic policy all come from the model, which also validated them as istiod would.
 */
import * as pulumi from "@pulumi/pulumi";
import { MeshCluster } from "../meshCluster";
import { LocalityRuleModel } from "../model";
import { destinationRuleSpec, Helloworld2Rule, istioResource, plainRouteSpec, requireCluster } from "./resources";

/** Arguments of {@link LocalityPolicy}. */
export interface LocalityPolicyArgs {
    /** Cluster to apply the rule on; must be the MeshCluster named by `rule.cluster`. */
    cluster: MeshCluster;
    /**
     * The resolved rule (`resolveScenarios(...).model.cc2`, `.cc3` or `.cc4`).
     * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#LocalityLoadBalancerSetting
     */
    rule: LocalityRuleModel;
    /** Resources to wait for (the rule's namespace). @default [] */
    dependsOn?: pulumi.Resource[];
}

/** Pulumi type token of a {@link LocalityPolicy} applying `kind` (one token per kind, so URNs stay stable). */
export function localityPolicyType(kind: LocalityRuleModel["kind"]): string {
    return `istio-multicluster:index:${kind}`;
}

/** A helloworld2 VirtualService + DestinationRule pair with a locality load-balancing policy (CC2–CC4). */
export class LocalityPolicy extends pulumi.ComponentResource {
    /** The VirtualService and DestinationRule. */
    public readonly rule: Helloworld2Rule;

    /**
     * @param name The _unique_ name of this component.
     * @param args Cluster and the resolved rule.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: LocalityPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
        super(localityPolicyType(args.rule.kind), name, {}, opts);
        const cluster = requireCluster("LocalityPolicy", this, args.cluster);
        const r = args.rule;
        const at = { parent: this, cluster, deps: args.dependsOn };
        const vs = { name: r.virtualService.name, namespace: r.namespace };
        this.rule = {
            virtualService: istioResource(`${name}-vs`, at, "VirtualService", vs, plainRouteSpec(r.virtualService.host)),
            destinationRule: istioResource(
                `${name}-dr`,
                at,
                "DestinationRule",
                { name: r.name, namespace: r.namespace },
                destinationRuleSpec(r.host, { trafficPolicy: r.trafficPolicy }),
            ),
        };
        this.registerOutputs({});
    }
}
