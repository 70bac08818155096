/**
 * The network's one east-west gateway Service in canary mode. Each revision runs its own gateway Deployment
 * (`istio-eastwestgateway-<revision>`, pods labelled `istio.io/rev=<revision>`), and one Service, which outlives
 * every revision, selects the pods of exactly one: its address (what every peer's istiod lists in networkz) never
 * changes, and the cutover is one selector edit, reviewable in a preview and undone by the reverse edit. Istio has
 * no such switch: two revisions' gateways would be two network gateways with no weight between them
 * (istio/istio#53690). The ports are the gateway chart's with `networkGateway` set.
 * @see docs/upgrades.md
 */
import { EASTWEST_GATEWAY_NAME } from "../istio/helmValues";
import { Labels, REVISION_LABEL } from "../istio/names";

/** Settings of the network's gateway Service. */
export interface EastWestServiceInput {
    /** The network the gateway serves (`topology.istio.io/network`, how istiod recognises a network gateway). */
    network: string;
    /** Service type. */
    serviceType: string;
    /** Service annotations. */
    serviceAnnotations: Record<string, string>;
    /** The revision whose gateway pods take the traffic. */
    revision: string;
}

/** `metadata` and `spec` of the Service `istio-eastwestgateway` in `istio-system`. */
export function eastWestService(i: EastWestServiceInput): {
    metadata: { name: string; labels: Record<string, string>; annotations?: Record<string, string> };
    spec: { type: string; selector: Record<string, string>; ports: { name: string; port: number; targetPort: number }[] };
} {
    const port = (name: string, n: number) => ({ name, port: n, targetPort: n });
    return {
        metadata: {
            name: EASTWEST_GATEWAY_NAME,
            labels: { app: EASTWEST_GATEWAY_NAME, istio: "eastwestgateway", [Labels.network]: i.network },
            ...(Object.keys(i.serviceAnnotations).length ? { annotations: i.serviceAnnotations } : {}),
        },
        spec: {
            type: i.serviceType,
            selector: { istio: "eastwestgateway", [REVISION_LABEL]: i.revision },
            ports: [port("status-port", 15021), port("tls", 15443), port("tls-istiod", 15012), port("tls-webhook", 15017)],
        },
    };
}
