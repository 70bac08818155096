/**
 * Helm values for the Istio charts, per cluster. Pure functions so unit tests and the policy pack can
 * check exactly what the components pass to the charts.
 */
import { isPlainObject } from "../config/objects";
import { autoAllocateMode, parseIstioVersion } from "./versions";

/** Where Istio's release images live; pinned explicitly so every chart source (repo or directory) gets release images. */
export const DEFAULT_ISTIO_HUB = "docker.io/istio";

/** Settings the istiod values depend on. */
export interface IstiodValuesInput {
    /** `global.meshID`. */
    meshID: string;
    /** `global.multiCluster.clusterName` (becomes istiod's CLUSTER_ID). */
    clusterName: string;
    /** `global.network`. */
    network: string;
    /** Istio release, e.g. `1.30.3`: selects the DNS auto-allocation mechanism and is the default image tag. */
    version: string;
    /**
     * `global.hub`.
     * @default "docker.io/istio" (the release hub; charts read from a source tree default to a dev registry)
     */
    hub?: string;
    /**
     * `global.tag`.
     * @default the Istio version (a source-tree chart would otherwise default to `latest`)
     */
    tag?: string;
    /** Sidecar DNS proxy on/off. */
    dnsCapture: boolean;
    /** ServiceEntry address auto-allocation on/off. */
    dnsAutoAllocate: boolean;
    /**
     * More than one trusted root: `pilot.env.ISTIO_MULTIROOT_MESH` and proxies' `PROXY_CONFIG_XDS_AGENT`.
     * @default false
     */
    multiRoot?: boolean;
    /** User values merged last. */
    overrides?: Record<string, unknown>;
    /**
     * Canary mode: the revision this control plane runs under (`istiod-<revision>`, `istio.io/rev=<revision>`).
     * @default unset: the revision-less install
     */
    revision?: string;
    /**
     * Canary mode: the revision tags this control plane serves on its cluster (the chart renders a tag webhook each).
     * @default []
     */
    revisionTags?: string[];
}

/** Values for the `istiod` chart (what seed 000's IstioOperator `values`/`meshConfig` set). */
export function istiodValues(i: IstiodValuesInput): Record<string, unknown> {
    const proxyMetadata: Record<string, string> = {};
    const pilotEnv: Record<string, string> = {};
    if (i.dnsCapture) proxyMetadata.ISTIO_META_DNS_CAPTURE = "true";
    const semver = parseIstioVersion(i.version);
    if (!semver) throw new Error(`istio.version: ${JSON.stringify(i.version)} is not an Istio release (MAJOR.MINOR.PATCH)`);
    if (autoAllocateMode(semver) === "controller") {
        pilotEnv.PILOT_ENABLE_IP_AUTOALLOCATE = String(i.dnsAutoAllocate);
    } else if (i.dnsAutoAllocate) {
        proxyMetadata.ISTIO_META_DNS_AUTO_ALLOCATE = "true";
    }
    if (i.multiRoot) {
        pilotEnv.ISTIO_MULTIROOT_MESH = "true";
        proxyMetadata.PROXY_CONFIG_XDS_AGENT = "true";
    }
    const base: Record<string, unknown> = {
        global: {
            meshID: i.meshID,
            multiCluster: { clusterName: i.clusterName },
            network: i.network,
            hub: i.hub ?? DEFAULT_ISTIO_HUB,
            tag: i.tag ?? i.version,
        },
        meshConfig: { defaultConfig: { proxyMetadata } },
    };
    if (Object.keys(pilotEnv).length) base.pilot = { env: pilotEnv };
    if (i.revision) {
        base.revision = i.revision;
        base.revisionTags = [...(i.revisionTags ?? [])].sort();
    }
    return deepMerge(base, i.overrides ?? {});
}

/**
 * Values for the `base` chart. In canary mode `defaultRevision` names the revision the `default` tag points at: the
 * default validation webhook calls its istiod.
 */
export function baseValues(overrides?: Record<string, unknown>, defaultRevision?: string): Record<string, unknown> {
    return deepMerge(defaultRevision ? { defaultRevision } : {}, overrides ?? {});
}

/** The east-west gateway's fixed name (the chart derives the `istio: eastwestgateway` selector label from it). */
export const EASTWEST_GATEWAY_NAME = "istio-eastwestgateway";

/** Settings the east-west gateway values depend on. */
export interface GatewayValuesInput {
    /** Network this gateway serves (`networkGateway`). */
    network: string;
    /** Service type. */
    serviceType: string;
    /** Service annotations. */
    serviceAnnotations: Record<string, string>;
    /** User values merged last. */
    overrides?: Record<string, unknown>;
    /**
     * Canary mode: the control-plane revision that injects this gateway. Its pods get `istio.io/rev=<revision>`,
     * the Deployment is `istio-eastwestgateway-<revision>`, and the chart renders no Service: the network's one
     * Service (eastWestServiceSpec) selects one revision's pods at a time.
     * @default unset: the revision-less gateway with its own Service
     */
    revision?: string;
}

/**
 * Values for the `gateway` chart as `gen-eastwest-gateway.sh` configures it: with `networkGateway` the chart
 * exposes 15021/15443/15012/15017, labels the Service (and, from 1.26, the pods) with topology.istio.io/network
 * and sets ISTIO_META_REQUESTED_NETWORK_VIEW; the `istio: eastwestgateway` label matches the
 * `cross-network-gateway` selector.
 */
export function eastWestGatewayValues(i: GatewayValuesInput): Record<string, unknown> {
    if (i.revision) {
        const name = `${EASTWEST_GATEWAY_NAME}-${i.revision}`;
        return deepMerge(
            {
                name,
                revision: i.revision,
                networkGateway: i.network,
                labels: { istio: "eastwestgateway", app: name },
                service: { type: "None" },
            },
            i.overrides ?? {},
        );
    }
    return deepMerge(
        {
            name: EASTWEST_GATEWAY_NAME,
            networkGateway: i.network,
            // Only the selector labels: `networkGateway` already adds topology.istio.io/network (Service: all
            // versions; pods: 1.26+) and ISTIO_META_REQUESTED_NETWORK_VIEW; repeating them in `labels`/`env`
            // renders duplicate keys, which server-side apply rejects.
            labels: { istio: "eastwestgateway", app: EASTWEST_GATEWAY_NAME },
            service: { type: i.serviceType, ...(Object.keys(i.serviceAnnotations).length ? { annotations: i.serviceAnnotations } : {}) },
        },
        i.overrides ?? {},
    );
}

/** Recursively merges plain objects; arrays and scalars in `over` replace those in `base`. Inputs are not mutated. */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) {
        const b = out[k];
        out[k] = isPlainObject(b) && isPlainObject(v) ? deepMerge(b, v) : v;
    }
    return out;
}
