/**
 * EastWestGateway — the east-west gateway of one network: Istio's `gateway` Helm chart with
 * `networkGateway=<network>` (a Service on 15443/15012/15017 labelled `topology.istio.io/network`, which istiod
 * reads as that network's gateway) and the `cross-network-gateway` Gateway that passes mTLS traffic for
 * `*.local` services through on 15443 (TLS AUTO_PASSTHROUGH), so other networks reach this cluster's services.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ArgsIssues } from "./argsErrors";
import { toChartSourceModel } from "./chartSource";
import { resolveIstioChart } from "./istioCharts";
import {
    ChartSourceModel,
    eastWestGatewayValues,
    EASTWEST_GATEWAY_NAME,
    eastWestService,
    GatewayServiceType,
    ISTIO_NAMESPACE,
} from "./model";
import { refusal } from "./refusal";
import { baseInstallOf, HelmValues, MeshClusterRef, missingMeshClusterRefFields } from "./meshCluster";
import { TypeScriptOnly } from "./typeScriptOnly";

const tsOnly = new TypeScriptOnly<
    EastWestGateway,
    {
        crossNetworkGateway?: k8s.apiextensions.CustomResource;
        revisionCharts?: Record<string, k8s.helm.v4.Chart>;
        service?: k8s.core.v1.Service;
    }
>();

/** Arguments of {@link EastWestGateway}. */
export interface EastWestGatewayArgs {
    /**
     * The cluster to install the gateway in, normally a {@link MeshCluster} (its provider, network, chart source
     * and istiod are used).
     */
    cluster: MeshClusterRef;
    /**
     * Service type of `istio-eastwestgateway`. Use NodePort where no load balancer exists (istio/istio#49045).
     * @default "LoadBalancer"
     */
    serviceType?: GatewayServiceType;
    /**
     * Annotations on the gateway Service, e.g. `metallb.universe.tf/address-pool` or cloud LB settings
     * (keep it an L4 load balancer: TLS termination in front breaks AUTO_PASSTHROUGH).
     * @default {}
     */
    serviceAnnotations?: Record<string, string>;
    /**
     * Extra values merged over the generated `gateway` chart values.
     * @default {}
     */
    values?: HelmValues;
    /**
     * Also create the `cross-network-gateway` Gateway (15443, TLS AUTO_PASSTHROUGH, hosts `*.local`).
     * @default true
     */
    exposeServices?: boolean;
    /**
     * Canary mode (the cluster has `revisions`): the revision whose gateway pods the network's Service selects. A
     * gateway Deployment runs per revision; changing this is the cutover.
     * @default the cluster's only revision
     * @see docs/upgrades.md
     */
    revision?: string;
}

/**
 * The east-west gateway of one network: the `gateway` chart with `networkGateway=<network>` and the
 * `cross-network-gateway` that passes mTLS traffic for `*.local` services through on port 15443.
 */
export class EastWestGateway extends pulumi.ComponentResource {
    /** The gateway chart; in canary mode, that of the revision the Service selects. */
    public readonly chart: k8s.helm.v4.Chart;
    /**
     * The `cross-network-gateway` Gateway, if created. TypeScript only: a generic CustomResource has no type
     * token the multi-language schema could name.
     */
    public get crossNetworkGateway(): k8s.apiextensions.CustomResource | undefined {
        return tsOnly.get(this).crossNetworkGateway;
    }
    /** The gateway's external address (LoadBalancer IP or hostname) once the cluster reports one. */
    public readonly address: pulumi.Output<string | undefined>;

    /**
     * @param name The _unique_ name of this component.
     * @param args The cluster and Service settings.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: EastWestGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:EastWestGateway", name, {}, opts);
        const issues = new ArgsIssues("EastWestGateway");
        const missing = missingMeshClusterRefFields(args.cluster);
        if (missing.length) issues.add("cluster", `must be a MeshCluster or carry its outputs (missing: ${missing.join(", ")})`);
        let chartSource: ChartSourceModel | undefined;
        try {
            chartSource = toChartSourceModel(args.cluster?.chartSource, "args.cluster.chartSource");
        } catch (e) {
            issues.addMessage((e as Error).message, "cluster.chartSource");
        }
        const serviceTypes = Object.values<string>(GatewayServiceType);
        if (args.serviceType !== undefined && !serviceTypes.includes(args.serviceType)) {
            issues.add("serviceType", `must be one of ${serviceTypes.join(", ")}, got ${JSON.stringify(args.serviceType)}`);
        }
        issues.throwIfAny(this);
        const cluster = args.cluster;
        const child = { parent: this, provider: cluster.provider };

        const serviceType = args.serviceType ?? "LoadBalancer";
        const serviceAnnotations = args.serviceAnnotations ?? {};
        const revisions = cluster.revisions;
        const active = args.revision ?? (revisions?.length === 1 ? revisions[0].name : undefined);
        let revisionCharts: Record<string, k8s.helm.v4.Chart> | undefined;
        let service: k8s.core.v1.Service | undefined;
        if (!revisions) {
            this.chart = new k8s.helm.v4.Chart(
                `${name}-chart`,
                {
                    ...resolveIstioChart(chartSource!, "gateway", cluster.istioVersion),
                    name: EASTWEST_GATEWAY_NAME,
                    namespace: ISTIO_NAMESPACE,
                    values: eastWestGatewayValues({ network: cluster.network, serviceType, serviceAnnotations, overrides: args.values }),
                },
                // Gateway pods are injected by istiod: it must be running first.
                { ...child, dependsOn: [cluster.istiod] },
            );
        } else {
            if (!active || !revisions.some((r) => r.name === active)) {
                throw refusal(
                    `EastWestGateway ${name}: args.revision must name one of the cluster's revisions (${revisions.map((r) => r.name).join(", ")}), got ${JSON.stringify(args.revision)}`,
                    this,
                );
            }
            revisionCharts = {};
            for (const r of revisions) {
                const source = r.chartSource ? toChartSourceModel(r.chartSource, "args.cluster.revisions[].chartSource") : chartSource!;
                revisionCharts[r.name] = new k8s.helm.v4.Chart(
                    `${name}-chart-${r.name}`,
                    {
                        ...resolveIstioChart(source, "gateway", r.version),
                        name: `${EASTWEST_GATEWAY_NAME}-${r.name}`,
                        namespace: ISTIO_NAMESPACE,
                        values: eastWestGatewayValues({
                            network: cluster.network,
                            serviceType,
                            serviceAnnotations,
                            overrides: args.values,
                            revision: r.name,
                        }),
                    },
                    { ...child, dependsOn: [r.istiod] },
                );
            }
            this.chart = revisionCharts[active];
            const svc = eastWestService({ network: cluster.network, serviceType, serviceAnnotations, revision: active });
            service = new k8s.core.v1.Service(
                `${name}-service`,
                { metadata: { ...svc.metadata, namespace: ISTIO_NAMESPACE }, spec: svc.spec },
                // The cutover waits for the selected revision's gateway to be ready.
                { ...child, dependsOn: [this.chart] },
            );
        }

        tsOnly.set(this, {
            revisionCharts,
            service,
            crossNetworkGateway: !(args.exposeServices ?? true)
                ? undefined
                : new k8s.apiextensions.CustomResource(
                      `${name}-cross-network-gateway`,
                      {
                          apiVersion: "networking.istio.io/v1",
                          kind: "Gateway",
                          metadata: { name: "cross-network-gateway", namespace: ISTIO_NAMESPACE },
                          spec: crossNetworkGatewaySpec(),
                      },
                      // The Gateway CRD comes from the base chart.
                      { ...child, dependsOn: [baseInstallOf(cluster), this.chart] },
                  ),
        });

        this.address = service ? serviceAddress(service) : gatewayAddress(this.chart);

        this.registerOutputs({ address: this.address });
    }
}

/** The spec of samples/multicluster/expose-services.yaml. */
export function crossNetworkGatewaySpec() {
    return {
        selector: { istio: "eastwestgateway" },
        servers: [
            {
                port: { number: 15443, name: "tls", protocol: "TLS" },
                tls: { mode: "AUTO_PASSTHROUGH" },
                hosts: ["*.local"],
            },
        ],
    };
}

/** A Service's external address (LoadBalancer IP or hostname), once reported. */
export function serviceAddress(svc: k8s.core.v1.Service): pulumi.Output<string | undefined> {
    return svc.status.apply((s) => {
        const ing = s?.loadBalancer?.ingress?.[0];
        return (ing?.ip || ing?.hostname || undefined) as string | undefined;
    });
}

/** The external address (LoadBalancer IP or hostname) of the Service a gateway chart rendered, once reported. */
export function gatewayAddress(chart: k8s.helm.v4.Chart): pulumi.Output<string | undefined> {
    return chart.resources.apply((rs) => {
        const svc = (rs ?? []).find((r: unknown) => k8s.core.v1.Service.isInstance(r)) as k8s.core.v1.Service | undefined;
        if (!svc) return pulumi.output(undefined as string | undefined);
        return serviceAddress(svc);
    });
}
