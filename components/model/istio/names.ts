/**
 * Kubernetes and Istio naming rules, shared by the config schema, the components and the policy pack.
 */

/** RFC 1123 label: what Kubernetes requires of namespace names and Istio of cluster names. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: what Kubernetes requires of most object names (nodes included). */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A Kubernetes label value (may be empty; we reject empty separately where it matters). */
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** True if `s` is a valid DNS-1123 label (max 63 characters). */
export function isDns1123Label(s: string): boolean {
    return s.length <= 63 && DNS1123_LABEL.test(s);
}

/** True if `s` is a valid DNS-1123 subdomain (max 253 characters). */
export function isDns1123Subdomain(s: string): boolean {
    return s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
}

/** True if `s` is a non-empty Kubernetes label value (max 63 characters). */
export function isLabelValue(s: string): boolean {
    return s.length > 0 && s.length <= 63 && LABEL_VALUE.test(s);
}

/** Well-known label and annotation keys used across the mesh. */
export const Labels = {
    region: "topology.kubernetes.io/region",
    zone: "topology.kubernetes.io/zone",
    subzone: "topology.istio.io/subzone",
    network: "topology.istio.io/network",
    multiCluster: "istio/multiCluster",
    clusterAnnotation: "networking.istio.io/cluster",
    /** The Kubernetes provider's annotation: server-side apply takes over fields other managers own. */
    patchForce: "pulumi.com/patchForce",
} as const;

/** The label naming a pod's or namespace's control-plane revision (or tag, on a namespace). */
export const REVISION_LABEL = "istio.io/rev";

/** The Secret name istiod looks for the plugged-in CA under. */
export const CACERTS_SECRET = "cacerts";
/** Prefix of the remote secrets `istioctl create-remote-secret` writes. */
export const REMOTE_SECRET_PREFIX = "istio-remote-secret-";
/**
 * The one remote secret per reader cluster of the `perReader` layout: one entry per target cluster. Never equal
 * to an `istio-remote-secret-<cluster>` name (no hyphen after "secret").
 */
export const READER_REMOTE_SECRET = "istio-remote-secrets";
/** The ServiceAccount whose token the remote secrets carry (rendered by the base chart). */
export const READER_SERVICE_ACCOUNT = "istio-reader-service-account";
/** Istio's system namespace. */
export const ISTIO_NAMESPACE = "istio-system";

/**
 * The one host resolver: a VirtualService or DestinationRule host the way istiod resolves it
 * (`ResolveShortnameToFQDN` in pilot's config model). Only a name without a dot is short and becomes
 * `<name>.<namespace>.svc.<domain>` (the rule's namespace); a wildcard, an IP address and every name with a dot
 * are taken as written. So `helloworld2` in namespace `sample` is `helloworld2.sample.svc.cluster.local`, but
 * `helloworld2.sample` stays `helloworld2.sample`, which matches no Kubernetes Service (their hostnames are
 * the FQDNs): write either the bare name or the FQDN. Lowercased, as DNS names compare.
 */
export function resolveServiceHost(host: string, namespace: string, domain = "cluster.local"): string {
    if (host.startsWith("*") || host.includes(".") || host.includes(":")) return host.toLowerCase();
    return `${host}.${namespace}.svc.${domain}`.toLowerCase();
}
