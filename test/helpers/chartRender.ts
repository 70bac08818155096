/**
 * The objects Istio's Helm charts render that the mesh's checks read, from a `kubernetes:helm.sh/v4:Chart`'s
 * inputs: helm.v4.Chart registers each rendered object as a child resource named `<chart>:<namespace>/<name>`.
 * Not the whole chart (no RBAC, CRDs, webhooks, PodDisruptionBudgets), only what the policy pack and the
 * components look at:
 * - `gateway` (istio/gateway): its Deployment (`image: auto`, injected by istiod) and Service; with
 *   `networkGateway` the Service carries `topology.istio.io/network` and the ports 15021/15443/15012/15017,
 *   which replace `service.ports` (manifests/charts/gateway/templates/service.yaml).
 * - `istiod` (istio/istiod): the `istiod` Deployment (`<hub>/pilot:<tag>`, env `CLUSTER_ID` from
 *   `global.multiCluster.clusterName`) and the `istio-sidecar-injector` ConfigMap whose `values` is the
 *   chart's values as JSON.
 * - anything else (`base`, CRDs only here): nothing.
 */

type Obj = Record<string, any>;

/** One rendered object: its Pulumi type token, child resource name and body. */
export interface RenderedObject {
    type: string;
    name: string;
    object: Obj;
}

const NETWORK_GATEWAY_PORTS = [
    { name: "status-port", port: 15021, targetPort: 15021, protocol: "TCP" },
    { name: "tls", port: 15443, targetPort: 15443, protocol: "TCP" },
    { name: "tls-istiod", port: 15012, targetPort: 15012, protocol: "TCP" },
    { name: "tls-webhook", port: 15017, targetPort: 15017, protocol: "TCP" },
];

const DEFAULT_GATEWAY_PORTS = [
    { name: "status-port", port: 15021, targetPort: 15021, protocol: "TCP" },
    { name: "http2", port: 80, targetPort: 80, protocol: "TCP" },
    { name: "https", port: 443, targetPort: 443, protocol: "TCP" },
];

function gateway(release: string, namespace: string, values: Obj): Omit<RenderedObject, "name">[] {
    const name: string = values.name ?? release;
    const selector = { app: name, istio: name.replace(/^istio-/, "") };
    const labels = { ...selector, ...(values.labels ?? {}) };
    const network = values.networkGateway as string | undefined;
    const serviceLabels = { ...labels, ...(network ? { "topology.istio.io/network": network } : {}) };
    const service = values.service ?? {};
    return [
        {
            type: "kubernetes:apps/v1:Deployment",
            object: {
                apiVersion: "apps/v1",
                kind: "Deployment",
                metadata: { name, namespace, labels },
                spec: {
                    selector: { matchLabels: selector },
                    template: {
                        metadata: {
                            labels: { ...labels, "sidecar.istio.io/inject": "true" },
                            annotations: { "inject.istio.io/templates": "gateway" },
                        },
                        spec: {
                            serviceAccountName: name,
                            containers: [
                                {
                                    name: "istio-proxy",
                                    image: "auto",
                                    env: network ? [{ name: "ISTIO_META_REQUESTED_NETWORK_VIEW", value: network }] : [],
                                },
                            ],
                        },
                    },
                },
            },
        },
        {
            type: "kubernetes:core/v1:Service",
            object: {
                apiVersion: "v1",
                kind: "Service",
                metadata: { name, namespace, labels: serviceLabels, ...(service.annotations ? { annotations: service.annotations } : {}) },
                spec: {
                    type: service.type ?? "LoadBalancer",
                    selector,
                    ports: network ? NETWORK_GATEWAY_PORTS : (service.ports ?? DEFAULT_GATEWAY_PORTS),
                },
            },
        },
    ];
}

function istiod(namespace: string, values: Obj): Omit<RenderedObject, "name">[] {
    const global = values.global ?? {};
    const env = [{ name: "CLUSTER_ID", value: global.multiCluster?.clusterName ?? "Kubernetes" }];
    for (const [k, v] of Object.entries((values.pilot?.env ?? {}) as Obj)) env.push({ name: k, value: String(v) });
    return [
        {
            type: "kubernetes:apps/v1:Deployment",
            object: {
                apiVersion: "apps/v1",
                kind: "Deployment",
                metadata: { name: "istiod", namespace, labels: { app: "istiod", istio: "pilot" } },
                spec: {
                    selector: { matchLabels: { istio: "pilot" } },
                    template: {
                        metadata: { labels: { app: "istiod", istio: "pilot" } },
                        spec: { containers: [{ name: "discovery", image: `${global.hub}/pilot:${global.tag}`, env }] },
                    },
                },
            },
        },
        {
            type: "kubernetes:core/v1:ConfigMap",
            object: {
                apiVersion: "v1",
                kind: "ConfigMap",
                metadata: { name: "istio-sidecar-injector", namespace },
                data: { values: JSON.stringify({ global }) },
            },
        },
    ];
}

/** The objects the chart described by a Chart resource's `inputs` renders, as children of `chartName`. */
export function renderChart(chartName: string, inputs: Obj): RenderedObject[] {
    const namespace: string = inputs.namespace ?? "default";
    const release: string = inputs.name ?? chartName;
    const values: Obj = inputs.values ?? {};
    const chart = String(inputs.chart ?? "")
        .split("/")
        .pop();
    const objects = chart === "gateway" ? gateway(release, namespace, values) : chart === "istiod" ? istiod(namespace, values) : [];
    return objects.map((o) => ({ ...o, name: `${chartName}:${namespace}/${o.object.metadata.name}` }));
}
