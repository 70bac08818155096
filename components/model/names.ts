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
} as const;

/** The Secret name istiod looks for the plugged-in CA under. */
export const CACERTS_SECRET = "cacerts";
/** Prefix of the remote secrets `istioctl create-remote-secret` writes. */
export const REMOTE_SECRET_PREFIX = "istio-remote-secret-";
/** The ServiceAccount whose token the remote secrets carry (rendered by the base chart). */
export const READER_SERVICE_ACCOUNT = "istio-reader-service-account";
/** Istio's system namespace. */
export const ISTIO_NAMESPACE = "istio-system";
