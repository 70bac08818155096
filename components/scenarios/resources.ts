/**
 * Small builders the scenario components share: Istio custom resources on a cluster (after its CRDs and
 * istiod), the helloworld2 VirtualService, DestinationRules, routes, and workload placement options.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { baseInstallOf, MeshCluster } from "../meshCluster";
import { Labels, routeWeightsProblem } from "../model";
import { refusal } from "../refusal";

/** API version of the Istio networking resources the scenarios write (v1 is served from Istio 1.22). */
export const ISTIO_NETWORKING_API = "networking.istio.io/v1";

/** Object metadata the builders accept. */
export interface ObjectMeta {
    /** Object name. */
    name: string;
    /** Namespace. */
    namespace: string;
    /** Labels. */
    labels?: Record<string, string>;
    /** Annotations. */
    annotations?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Resource options for a child of `parent` on `cluster`, depending on `deps` (plus extra ones). */
export function onCluster(parent: pulumi.Resource, cluster: MeshCluster, deps: pulumi.Resource[] = []): pulumi.CustomResourceOptions {
    return { parent, provider: cluster.provider, dependsOn: deps };
}

/** Where a component's Istio objects go: under `parent`, on `cluster`, each after everything in `deps`. */
export interface IstioPlacement {
    /** The component the objects belong to. */
    parent: pulumi.Resource;
    /** The cluster (its provider, its `base` chart and istiod). */
    cluster: MeshCluster;
    /** What every object waits for besides the CRDs and istiod. @default [] */
    deps?: pulumi.Resource[];
}

/** Kinds of the Istio networking objects the scenarios write. */
export type IstioKind = "Gateway" | "VirtualService" | "DestinationRule" | "ServiceEntry";

/**
 * An Istio networking resource (Gateway, VirtualService, DestinationRule, ServiceEntry) placed by `at`. It depends on
 * the `base` chart (CRDs), istiod (validating webhook), `at.deps` and `after`.
 */
export function istioResource(
    resourceName: string,
    at: IstioPlacement,
    kind: IstioKind,
    metadata: ObjectMeta,
    spec: Record<string, unknown>,
    after: pulumi.Resource[] = [],
): k8s.apiextensions.CustomResource {
    const { parent, cluster, deps = [] } = at;
    return new k8s.apiextensions.CustomResource(
        resourceName,
        { apiVersion: ISTIO_NETWORKING_API, kind, metadata, spec },
        onCluster(parent, cluster, [baseInstallOf(cluster), cluster.istiod, ...deps, ...after]),
    );
}

/** What {@link weightedIngressRoute} writes: helloworld's `/hello` through the ingress gateway, v1/v2 by weight. */
export interface WeightedIngressRoute {
    /** The Gateway object (name, namespace, annotations). */
    gateway: ObjectMeta;
    /** Its one server (port, TLS, hosts). */
    server: Record<string, unknown>;
    /** The VirtualService object. */
    virtualService: ObjectMeta;
    /** The destination service and port. */
    route: { host: string; port: number };
    /** v1/v2 weights (already checked). */
    weights: { v1: number; v2: number };
}

/**
 * The ingress Gateway and the weighted `/hello` VirtualService bound to it (`<name>-gateway`, `<name>-vs`). The
 * Gateway waits for `gatewayAfter`, the VirtualService for the Gateway and `routeAfter`.
 */
export function weightedIngressRoute(
    name: string,
    at: IstioPlacement,
    r: WeightedIngressRoute,
    gatewayAfter: pulumi.Resource[] = [],
    routeAfter: pulumi.Resource[] = [],
): { gateway: k8s.apiextensions.CustomResource; virtualService: k8s.apiextensions.CustomResource } {
    const gateway = istioResource(`${name}-gateway`, at, "Gateway", r.gateway, ingressGatewaySpec(r.server), gatewayAfter);
    const vsSpec = weightedHelloSpec(r.gateway.name, r.route.host, r.route.port, r.weights);
    const virtualService = istioResource(`${name}-vs`, at, "VirtualService", r.virtualService, vsSpec, [gateway, ...routeAfter]);
    return { gateway, virtualService };
}

/** A route destination, optionally with a port and a subset. */
export function destination(host: string, opts: { port?: number; subset?: string } = {}): Record<string, unknown> {
    return {
        host,
        ...(opts.port !== undefined ? { port: { number: opts.port } } : {}),
        ...(opts.subset !== undefined ? { subset: opts.subset } : {}),
    };
}

/** The VirtualService spec seed 000 applies with each of CC2–CC4: every request for `host` goes to `host`. */
export function plainRouteSpec(host: string): Record<string, unknown> {
    return { hosts: [host], http: [{ route: [{ destination: destination(host) }] }] };
}

/** `/hello` on `gateway`, split between subsets v1 and v2 of `host` (seed 003's traffic shifting and SSL frontend). */
export function weightedHelloSpec(
    gateway: string,
    host: string,
    port: number,
    weights: { v1: number; v2: number },
): Record<string, unknown> {
    return {
        gateways: [gateway],
        hosts: ["*"],
        http: [
            {
                match: [{ uri: { exact: "/hello" } }],
                route: (["v1", "v2"] as const).map((v) => ({ destination: destination(host, { port, subset: v }), weight: weights[v] })),
            },
        ],
    };
}

/** A DestinationRule spec. */
export function destinationRuleSpec(host: string, parts: { trafficPolicy?: Record<string, unknown>; subsets?: string[] } = {}) {
    return {
        host,
        ...(parts.subsets ? { subsets: parts.subsets.map((v) => ({ name: v, labels: { version: v } })) } : {}),
        ...(parts.trafficPolicy ? { trafficPolicy: parts.trafficPolicy } : {}),
    };
}

/** A Gateway spec for the ingress gateway (`istio: ingressgateway`) with one server. */
export function ingressGatewaySpec(server: Record<string, unknown>): Record<string, unknown> {
    return { selector: { istio: "ingressgateway" }, servers: [server] };
}

/** `nodeSelector` that pins a pod to one region/zone. */
export function zoneSelector(region: string, zone: string): Record<string, string> {
    return { [Labels.region]: region, [Labels.zone]: zone };
}

/** NetworkPolicy rules, one per port, as seed 003 writes them (`- ports: [{port, protocol}]`). */
export function portRules(ports: [number, "TCP" | "UDP"][]): { ports: { port: number; protocol: string }[] }[] {
    return ports.map(([port, protocol]) => ({ ports: [{ port, protocol }] }));
}

/** A Deployment of one container. */
export function deploymentSpec(p: {
    labels: Record<string, string>;
    container: k8s.types.input.core.v1.Container;
    nodeSelector?: Record<string, string>;
    serviceAccountName?: string;
}): k8s.types.input.apps.v1.DeploymentSpec {
    return {
        replicas: 1,
        selector: { matchLabels: p.labels },
        template: {
            metadata: { labels: p.labels },
            spec: {
                ...(p.serviceAccountName ? { serviceAccountName: p.serviceAccountName } : {}),
                ...(p.nodeSelector ? { nodeSelector: p.nodeSelector } : {}),
                containers: [p.container],
            },
        },
    };
}

/** The helloworld container (istio samples/helloworld): port 5000, SERVICE_VERSION, 100m CPU request. */
export function helloworldContainer(name: string, image: string, version?: string): k8s.types.input.core.v1.Container {
    return {
        name,
        image,
        imagePullPolicy: "IfNotPresent",
        ...(version !== undefined ? { env: [{ name: "SERVICE_VERSION", value: version }] } : {}),
        ports: [{ containerPort: 5000 }],
        resources: { requests: { cpu: "100m" } },
    };
}

/** A Service `name` on port 5000 (name http) selecting `app: name` (istio samples/helloworld). */
export function helloworldServiceSpec(app: string): Record<string, unknown> {
    return { ports: [{ port: 5000, name: "http" }], selector: { app } };
}

/** The VirtualService + DestinationRule pair CC2–CC4 apply for helloworld2 in `sample`. */
export interface Helloworld2Rule {
    /** VirtualService `helloworld2`. */
    virtualService: k8s.apiextensions.CustomResource;
    /** The scenario's DestinationRule. */
    destinationRule: k8s.apiextensions.CustomResource;
}

/** Throws a ResourceError unless `cluster` is a MeshCluster. */
export function requireCluster(component: string, parent: pulumi.Resource, cluster: unknown, field = "cluster"): MeshCluster {
    if (!cluster || !MeshCluster.isInstance(cluster)) throw refusal(`${component}: args.${field} must be a MeshCluster`, parent);
    return cluster as MeshCluster;
}

/** `weights` back, or a ResourceError naming `args.weights` and the model's {@link routeWeightsProblem}. */
export function requireWeights(
    component: string,
    parent: pulumi.Resource,
    weights: { v1: number; v2: number },
): { v1: number; v2: number } {
    const problem = weights ? routeWeightsProblem(weights) : "v1 and v2 are required";
    if (problem) throw refusal(`${component}: args.weights: ${problem}`, parent);
    return weights;
}
