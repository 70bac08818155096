/**
 * IngressGateway — `istio-ingressgateway` as Istio's `gateway` Helm chart (labels `istio: ingressgateway`, which
 * the helloworld Gateways select): the entry from outside the mesh for traffic shifting and the TLS frontend.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { resolveIstioChart } from "../istioCharts";
import { MeshCluster } from "../meshCluster";
import { deepMerge, GatewayServiceType, ISTIO_NAMESPACE } from "../model";
import { requireCluster } from "./resources";
import { gatewayAddress } from "../eastWestGateway";

/** Name of the ingress gateway release, Deployment and Service. */
export const INGRESS_GATEWAY_NAME = "istio-ingressgateway";

/** Arguments of {@link IngressGateway}. */
export interface IngressGatewayArgs {
    /** The cluster. */
    cluster: MeshCluster;
    /**
     * Service type.
     * @default "LoadBalancer"
     */
    serviceType?: GatewayServiceType;
    /** Extra `gateway` chart values merged over the generated ones. @default {} */
    values?: Record<string, unknown>;
}

/** Values of the ingress gateway chart. */
export function ingressGatewayValues(serviceType: GatewayServiceType = "LoadBalancer", overrides: Record<string, unknown> = {}) {
    return deepMerge(
        { name: INGRESS_GATEWAY_NAME, labels: { istio: "ingressgateway", app: INGRESS_GATEWAY_NAME }, service: { type: serviceType } },
        overrides,
    );
}

/** The ingress gateway of one cluster. */
export class IngressGateway extends pulumi.ComponentResource {
    /** The gateway chart. */
    public readonly chart: k8s.helm.v4.Chart;
    /** External address of the gateway Service once the cluster reports one. */
    public readonly address: pulumi.Output<string | undefined>;

    /**
     * @param name The _unique_ name of this component.
     * @param args The cluster and Service settings.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: IngressGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:IngressGateway", name, {}, opts);
        const cluster = requireCluster("IngressGateway", this, args.cluster);
        this.chart = new k8s.helm.v4.Chart(
            `${name}-chart`,
            {
                ...resolveIstioChart(cluster.chartSource, "gateway", cluster.istioVersion),
                name: INGRESS_GATEWAY_NAME,
                namespace: ISTIO_NAMESPACE,
                values: ingressGatewayValues(args.serviceType, args.values),
            },
            // The gateway pod is injected by istiod.
            { parent: this, provider: cluster.provider, dependsOn: [cluster.istiod] },
        );
        this.address = gatewayAddress(this.chart);
        this.registerOutputs({ address: this.address });
    }
}
