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

/** A rendered Kubernetes object: what every one has typed, the rest of its body as the template writes it. */
export interface KubeObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    [field: string]: unknown;
}

/** One rendered object: its Pulumi type token, child resource name and body. */
export interface RenderedObject {
    type: string;
    name: string;
    object: KubeObject;
}

/** The istio/gateway chart values these templates read (Helm values are otherwise free-form). */
interface GatewayValues {
    name?: string;
    labels?: Record<string, string>;
    networkGateway?: string;
    service?: { annotations?: Record<string, string>; type?: string; ports?: unknown[] };
}

/** The istio/istiod chart values these templates read. */
interface IstiodValues {
    global?: { hub?: string; tag?: string; multiCluster?: { clusterName?: string } };
    pilot?: { env?: Record<string, unknown> };
}

/** A Chart resource's inputs these templates read. */
interface ChartInputs {
    chart?: string;
    name?: string;
    namespace?: string;
    values?: Record<string, unknown>;
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

function gateway(release: string, namespace: string, values: GatewayValues): Omit<RenderedObject, "name">[] {
    const name = values.name ?? release;
    const selector = { app: name, istio: name.replace(/^istio-/, "") };
    const labels = { ...selector, ...(values.labels ?? {}) };
    const network = values.networkGateway;
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

function istiod(namespace: string, values: IstiodValues): Omit<RenderedObject, "name">[] {
    const global = values.global ?? {};
    const env = [{ name: "CLUSTER_ID", value: global.multiCluster?.clusterName ?? "Kubernetes" }];
    for (const [k, v] of Object.entries(values.pilot?.env ?? {})) env.push({ name: k, value: String(v) });
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
export function renderChart(chartName: string, chartInputs: Record<string, unknown>): RenderedObject[] {
    const inputs = chartInputs as ChartInputs;
    const namespace = inputs.namespace ?? "default";
    const release = inputs.name ?? chartName;
    const values = inputs.values ?? {};
    const chart = String(inputs.chart ?? "")
        .split("/")
        .pop();
    const objects = chart === "gateway" ? gateway(release, namespace, values) : chart === "istiod" ? istiod(namespace, values) : [];
    return objects.map((o) => ({ ...o, name: `${chartName}:${namespace}/${o.object.metadata.name}` }));
}
