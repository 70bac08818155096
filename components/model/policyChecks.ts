/**
 * Pure checks on Kubernetes/Istio objects as the program renders them: DestinationRule locality settings,
 * VirtualService weights and subsets, remote secrets, `cacerts`, image hubs and credentials in plain text.
 * Shared by the policy pack (policy/) and usable by the program; no Pulumi imports.
 *
 * Values that are not known yet (Pulumi unknowns at preview time) are passed in as {@link UNKNOWN}; every
 * check skips what depends on such a value instead of guessing.
 */
import { X509Certificate } from "crypto";
import { checkRemoteKubeconfig } from "./kubeconfig";
import { validateLocalityLbSetting } from "./locality";
import { CACERTS_SECRET, ISTIO_NAMESPACE, Labels, REMOTE_SECRET_PREFIX } from "./names";
import { asArray, isPlainObject } from "./objects";
import { isLoopbackUrl } from "./versions";

/** Marks a value that is not known yet (e.g. a Pulumi output during preview). */
export const UNKNOWN: unique symbol = Symbol.for("istio-multicluster.unknown");
/** A value that may not be known yet. */
export type Maybe<T> = T | typeof UNKNOWN;

/** True if `v` is {@link UNKNOWN}. */
export function isUnknown(v: unknown): v is typeof UNKNOWN {
    return v === UNKNOWN;
}

/** True if `v` is {@link UNKNOWN} or contains it anywhere. */
export function containsUnknown(v: unknown): boolean {
    if (v === UNKNOWN) return true;
    if (Array.isArray(v)) return v.some(containsUnknown);
    if (isPlainObject(v)) return Object.values(v).some(containsUnknown);
    return false;
}

/** Errors (Istio rejects or it is broken) and warnings (accepted, but likely not what was meant). */
export interface CheckResult {
    /** Problems to block on. */
    errors: string[];
    /** Problems to report without blocking. */
    warnings: string[];
}

// ---------------------------------------------------------------------------------------------------------
// DestinationRule

/** Every traffic policy of a DestinationRule spec with its path: top level, port level, subsets (and their ports). */
export function destinationRuleTrafficPolicies(spec: unknown): { path: string; policy: Record<string, unknown> }[] {
    const out: { path: string; policy: Record<string, unknown> }[] = [];
    if (!isPlainObject(spec)) return out;
    const visit = (tp: unknown, path: string) => {
        if (!isPlainObject(tp)) return;
        out.push({ path, policy: tp });
        asArray(tp.portLevelSettings).forEach((p, i) => {
            if (isPlainObject(p)) out.push({ path: `${path}.portLevelSettings[${i}]`, policy: p });
        });
    };
    visit(spec.trafficPolicy, "spec.trafficPolicy");
    asArray(spec.subsets).forEach((s, i) => {
        if (isPlainObject(s)) visit(s.trafficPolicy, `spec.subsets[${i}].trafficPolicy`);
    });
    return out;
}

/**
 * Runs {@link validateLocalityLbSetting} on every traffic policy of a DestinationRule, as Istio's
 * `validateTrafficPolicy` does (each level with its own outlierDetection). Messages are prefixed with the
 * full path (e.g. `spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to: ...`). Traffic policies
 * whose locality or outlier settings are not known yet are skipped.
 */
export function checkDestinationRuleLocality(spec: unknown): CheckResult {
    const result: CheckResult = { errors: [], warnings: [] };
    for (const { path, policy } of destinationRuleTrafficPolicies(spec)) {
        const lbBlock = policy.loadBalancer;
        if (isUnknown(lbBlock)) continue;
        const lb = isPlainObject(lbBlock) ? lbBlock.localityLbSetting : undefined;
        if (containsUnknown(lb) || containsUnknown(policy.outlierDetection)) continue;
        const r = validateLocalityLbSetting(lb as never, policy.outlierDetection as never);
        const at = `${path}.loadBalancer.localityLbSetting`;
        result.errors.push(...r.errors.map((m) => `${at}.${m}`));
        result.warnings.push(...r.warnings.map((m) => `${at}.${m}`));
    }
    return result;
}

// ---------------------------------------------------------------------------------------------------------
// VirtualService

/** Options of {@link checkVirtualServiceWeights}. */
export interface RouteWeightOptions {
    /**
     * Require weights to add up to 100 (percentages) whenever a route has more than one destination or any
     * weight. Istio itself treats weights as relative and only rejects negative weights and an all-zero split.
     * @default true
     */
    requireSum100?: boolean;
}

/**
 * Checks the destination weights of every `http`, `tcp` and `tls` route of a VirtualService spec: no negative
 * weight; with several destinations, not all zero and none left without a weight (it would get no traffic);
 * and (by default) weights adding up to 100. A single destination may omit its weight. Routes with a weight
 * not known yet are skipped.
 */
export function checkVirtualServiceWeights(spec: unknown, opts: RouteWeightOptions = {}): string[] {
    const errors: string[] = [];
    if (!isPlainObject(spec)) return errors;
    const requireSum100 = opts.requireSum100 ?? true;
    for (const kind of ["http", "tcp", "tls"] as const) {
        asArray(spec[kind]).forEach((route, i) => {
            if (!isPlainObject(route)) return;
            const dests = route.route;
            if (isUnknown(dests) || !Array.isArray(dests) || dests.length === 0) return;
            const at = `spec.${kind}[${i}].route`;
            const weights = dests.map((d) => (isPlainObject(d) ? d.weight : undefined));
            if (weights.some(isUnknown)) return;
            const given = weights.filter((w): w is number => typeof w === "number");
            const bad = weights.findIndex((w) => w !== undefined && w !== null && (typeof w !== "number" || !Number.isInteger(w)));
            if (bad >= 0) {
                errors.push(`${at}[${bad}].weight: must be an integer, got ${JSON.stringify(weights[bad])}`);
                return;
            }
            const neg = weights.findIndex((w) => typeof w === "number" && w < 0);
            if (neg >= 0) {
                errors.push(`${at}[${neg}].weight: weight ${weights[neg]} < 0`);
                return;
            }
            if (dests.length === 1) {
                if (requireSum100 && given.length === 1 && given[0] !== 100 && given[0] !== 0) {
                    errors.push(`${at}: the only destination has weight ${given[0]}; omit it or set 100 (it gets all traffic either way)`);
                }
                return;
            }
            const total = given.reduce((a, b) => a + b, 0);
            if (total === 0) {
                errors.push(`${at}: total destination weight = 0 (Istio rejects a split where no destination gets traffic)`);
                return;
            }
            const missing = weights.map((w, j) => (typeof w === "number" ? -1 : j)).filter((j) => j >= 0);
            if (missing.length) {
                errors.push(
                    `${at}[${missing.join("], [")}]: no weight among ${dests.length} weighted destinations; it gets no traffic (weight 0)`,
                );
            }
            if (requireSum100 && total !== 100) {
                errors.push(`${at}: destination weights add up to ${total}, not 100`);
            }
        });
    }
    return errors;
}

/** A destination of a VirtualService route that names a subset. */
export interface SubsetReference {
    /** Path of the destination in the spec. */
    path: string;
    /** Destination host as written. */
    host: string;
    /** Subset name. */
    subset: string;
}

/** Every destination (http/tcp/tls routes and http mirrors) that names a subset; entries with unknown host or subset are left out. */
export function virtualServiceSubsetReferences(spec: unknown): SubsetReference[] {
    const out: SubsetReference[] = [];
    if (!isPlainObject(spec)) return out;
    const add = (d: unknown, path: string) => {
        if (!isPlainObject(d)) return;
        const dest = d.destination;
        if (!isPlainObject(dest)) return;
        if (typeof dest.host === "string" && typeof dest.subset === "string" && dest.subset !== "") {
            out.push({ path: `${path}.destination`, host: dest.host, subset: dest.subset });
        }
    };
    for (const kind of ["http", "tcp", "tls"] as const) {
        asArray(spec[kind]).forEach((route, i) => {
            if (!isPlainObject(route)) return;
            asArray(route.route).forEach((d, j) => add(d, `spec.${kind}[${i}].route[${j}]`));
            if (kind === "http") {
                if (isPlainObject(route.mirror)) {
                    const m = route.mirror;
                    if (typeof m.host === "string" && typeof m.subset === "string" && m.subset !== "") {
                        out.push({ path: `spec.http[${i}].mirror`, host: m.host, subset: m.subset });
                    }
                }
                asArray(route.mirrors).forEach((m, j) => add(m, `spec.http[${i}].mirrors[${j}]`));
            }
        });
    }
    return out;
}

// ---------------------------------------------------------------------------------------------------------
// Secrets

/** The parts of a Kubernetes Secret the checks look at; values may be {@link UNKNOWN}. */
export interface SecretObject {
    /** metadata.name. */
    name?: Maybe<string>;
    /** metadata.namespace. */
    namespace?: Maybe<string>;
    /** metadata.labels. */
    labels?: Maybe<Record<string, Maybe<string>>>;
    /** metadata.annotations. */
    annotations?: Maybe<Record<string, Maybe<string>>>;
    /** data (base64 values). */
    data?: Maybe<Record<string, Maybe<string>>>;
    /** stringData (plain values). */
    stringData?: Maybe<Record<string, Maybe<string>>>;
}

/** True if the Secret is a remote secret istiod watches (label `istio/multiCluster: "true"`). */
export function isRemoteSecret(s: SecretObject): boolean {
    return isPlainObject(s.labels) && s.labels[Labels.multiCluster] === "true";
}

/** The keys of data and stringData, or UNKNOWN if either map is unknown. */
export function secretKeys(s: SecretObject): Maybe<string[]> {
    if (isUnknown(s.data) || isUnknown(s.stringData)) return UNKNOWN;
    return [...new Set([...Object.keys(s.data ?? {}), ...Object.keys(s.stringData ?? {})])];
}

/** A Secret entry as text (stringData wins, as in Kubernetes), UNKNOWN if not known, undefined if absent. */
export function secretValue(s: SecretObject, key: string): Maybe<string> | undefined {
    if (isUnknown(s.stringData)) return UNKNOWN;
    const sd = s.stringData?.[key];
    if (sd !== undefined) return sd;
    if (isUnknown(s.data)) return UNKNOWN;
    const d = s.data?.[key];
    if (d === undefined || isUnknown(d)) return d;
    return Buffer.from(d, "base64").toString("utf8");
}

/** Options of {@link checkRemoteSecret}. */
export interface RemoteSecretOptions {
    /** Kubeconfig options istiod is told to accept (PILOT_INSECURE_MULTICLUSTER_KUBECONFIG_OPTIONS). */
    allowedInsecureKubeconfigOptions?: readonly string[];
    /** Accept loopback API servers (single-host test setups). */
    allowLoopbackApiServer?: boolean;
    /** Namespace istiod runs in (and watches remote secrets in). @default "istio-system" */
    istioNamespace?: string;
}

/**
 * Checks a remote secret the way `istioctl create-remote-secret` writes it and istiod reads it: annotation
 * `networking.istio.io/cluster: <c>`, name `istio-remote-secret-<c>`, exactly one entry keyed `<c>`, in istiod's
 * namespace, holding a kubeconfig that passes {@link checkRemoteKubeconfig} and whose API server is not loopback.
 */
export function checkRemoteSecret(s: SecretObject, opts: RemoteSecretOptions = {}): string[] {
    const errors: string[] = [];
    const ns = opts.istioNamespace ?? ISTIO_NAMESPACE;
    if (typeof s.namespace === "string" && s.namespace !== ns) {
        errors.push(`metadata.namespace is ${JSON.stringify(s.namespace)}: istiod only reads remote secrets in its own namespace ${ns}`);
    }
    if (isUnknown(s.annotations)) return errors;
    const cluster = s.annotations?.[Labels.clusterAnnotation];
    if (isUnknown(cluster)) return errors;
    if (!cluster) {
        errors.push(`metadata.annotations["${Labels.clusterAnnotation}"] is missing: it names the cluster the secret points at`);
        return errors;
    }
    if (typeof s.name === "string" && s.name !== `${REMOTE_SECRET_PREFIX}${cluster}`) {
        errors.push(
            `metadata.name is ${JSON.stringify(s.name)}, expected ${JSON.stringify(REMOTE_SECRET_PREFIX + cluster)} for cluster ${cluster}`,
        );
    }
    const keys = secretKeys(s);
    if (isUnknown(keys)) return errors;
    if (keys.length !== 1 || keys[0] !== cluster) {
        errors.push(
            `holds entries ${JSON.stringify(keys)}; expected exactly one, ${JSON.stringify(cluster)} (istiod registers every key as a cluster ID)`,
        );
    }
    if (!keys.includes(cluster)) return errors;
    const text = secretValue(s, cluster);
    if (text === undefined || isUnknown(text)) return errors;
    const check = checkRemoteKubeconfig(text, opts.allowedInsecureKubeconfigOptions ?? []);
    errors.push(...check.errors.map((e) => `kubeconfig for ${cluster}: ${e}`));
    if (!opts.allowLoopbackApiServer) {
        for (const server of check.servers.filter(isLoopbackUrl)) {
            errors.push(
                `kubeconfig for ${cluster}: server ${server} is a loopback address, which the reading istiod cannot reach (istio/istio#58047)`,
            );
        }
    }
    return errors;
}

/** The entries of the two `cacerts` layouts istiod accepts, and which entry of each is the private key. */
export const CACERTS_LAYOUTS = {
    istio: {
        entries: ["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"],
        key: "ca-key.pem",
        root: "root-cert.pem",
        cert: "ca-cert.pem",
    },
    tls: { entries: ["tls.crt", "tls.key", "ca.crt"], key: "tls.key", root: "ca.crt", cert: "tls.crt" },
} as const;

/** Which `cacerts` layout a set of keys uses (istiod looks for tls.crt first), and what it lacks. */
export function cacertsLayout(keys: readonly string[]): { layout: keyof typeof CACERTS_LAYOUTS; missing: string[] } {
    const layout = keys.includes("tls.crt") || keys.includes("tls.key") ? "tls" : "istio";
    return { layout, missing: CACERTS_LAYOUTS[layout].entries.filter((e) => !keys.includes(e)) };
}

/** True if the Secret is istiod's plugged-in CA. */
export function isCaCertsSecret(s: SecretObject): boolean {
    return s.name === CACERTS_SECRET;
}

/** Checks that a `cacerts` Secret has every entry of its layout (istiod otherwise silently falls back to a self-signed CA). */
export function checkCaCertsEntries(s: SecretObject): string[] {
    const keys = secretKeys(s);
    if (isUnknown(keys)) return [];
    const { layout, missing } = cacertsLayout(keys);
    if (!missing.length) return [];
    const all = CACERTS_LAYOUTS[layout].entries.join(", ");
    return [
        `cacerts lacks ${missing.join(", ")} (needs ${all}${layout === "istio" ? ", or tls.crt, tls.key, ca.crt" : ""}); ` +
            `istiod would fall back to a self-signed CA and cross-cluster mTLS fails (istio/istio#32501)`,
    ];
}

/** Normalises a PEM bundle for comparison (line endings, surrounding whitespace). */
export function normalizePem(pem: string): string {
    return pem.replace(/\r\n/g, "\n").trim();
}

/**
 * Checks one cluster's CA material: the signing certificate is signed by the root, and the chain (if given)
 * ends with the root. Returns problems; unparsable PEM is reported too.
 */
export function checkCaChain(caCertPem: string, rootCertPem: string, certChainPem?: string): string[] {
    const errors: string[] = [];
    let root: X509Certificate;
    let ca: X509Certificate;
    try {
        root = new X509Certificate(rootCertPem);
    } catch (e) {
        return [`root certificate does not parse: ${(e as Error).message}`];
    }
    try {
        ca = new X509Certificate(caCertPem);
    } catch (e) {
        return [`signing certificate does not parse: ${(e as Error).message}`];
    }
    if (ca.fingerprint256 !== root.fingerprint256 && !(ca.checkIssued(root) && ca.verify(root.publicKey))) {
        errors.push(
            `signing certificate (${ca.subject.replace(/\n/g, ", ")}) is not signed by the root (${root.subject.replace(/\n/g, ", ")})`,
        );
    }
    if (certChainPem !== undefined) {
        const blocks = normalizePem(certChainPem).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
        const last = blocks[blocks.length - 1];
        if (!last || normalizePem(last) !== normalizePem(rootCertPem)) errors.push("cert chain does not end with the root certificate");
    }
    return errors;
}

// ---------------------------------------------------------------------------------------------------------
// Images

/** Default registries Istio images and the sample curl image are pulled from. */
export const DEFAULT_ALLOWED_HUBS = ["docker.io/istio", "gcr.io/istio-release", "docker.io/curlimages"] as const;

/**
 * Splits an image reference into registry-qualified repository (Docker Hub names expanded:
 * `istio/pilot` -> `docker.io/istio/pilot`, `busybox` -> `docker.io/library/busybox`).
 */
export function imageRepository(image: string): string {
    let name = image.split("@")[0] ?? image;
    const slash = name.lastIndexOf("/");
    const colon = name.lastIndexOf(":");
    if (colon > slash) name = name.slice(0, colon);
    const parts = name.split("/");
    const first = parts[0] ?? "";
    const hasRegistry = parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
    if (!hasRegistry) return parts.length === 1 ? `docker.io/library/${name}` : `docker.io/${name}`;
    return first === "index.docker.io" || first === "registry-1.docker.io" ? ["docker.io", ...parts.slice(1)].join("/") : name;
}

function normalizeHub(hub: string): string {
    const h = hub.replace(/\/+$/, "");
    const parts = h.split("/");
    const first = parts[0] ?? "";
    const hasRegistry = parts.length > 1 ? first.includes(".") || first.includes(":") || first === "localhost" : first.includes(".");
    return hasRegistry ? h : `docker.io/${h}`;
}

/** True if `image` (or the injection placeholder `auto`) comes from one of `allowedHubs` (a repository prefix). */
export function isImageFromAllowedHub(image: string, allowedHubs: readonly string[]): boolean {
    if (image === "auto") return true;
    const repo = imageRepository(image);
    return allowedHubs.some((h) => repo.startsWith(`${normalizeHub(h)}/`));
}

/** True if a chart's `hub` value (e.g. `global.hub`) is one of, or below one of, `allowedHubs`. */
export function isHubAllowed(hub: string, allowedHubs: readonly string[]): boolean {
    const n = normalizeHub(hub);
    return allowedHubs.some((h) => n === normalizeHub(h) || n.startsWith(`${normalizeHub(h)}/`));
}

/** Every container image of a pod spec (containers, initContainers, ephemeralContainers), with its path. */
export function podSpecImages(podSpec: unknown, path: string): { path: string; image: Maybe<string> }[] {
    const out: { path: string; image: Maybe<string> }[] = [];
    if (!isPlainObject(podSpec)) return out;
    for (const kind of ["initContainers", "containers", "ephemeralContainers"] as const) {
        asArray(podSpec[kind]).forEach((c, i) => {
            if (!isPlainObject(c)) return;
            const image = c.image;
            if (typeof image === "string" || isUnknown(image)) out.push({ path: `${path}.${kind}[${i}].image`, image });
        });
    }
    return out;
}

// ---------------------------------------------------------------------------------------------------------
// Credentials in plain text

const PRIVATE_KEY_PEM = /-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----/;

/**
 * What kind of credential a string carries, if any: a PEM private key (also inside base64), or a kubeconfig
 * with an inline token or client key.
 */
export function credentialKind(value: string): "private key" | "kubeconfig token" | undefined {
    const texts = [value];
    if (/^[A-Za-z0-9+/=\s]{40,}$/.test(value)) {
        try {
            texts.push(Buffer.from(value, "base64").toString("utf8"));
        } catch {
            // not base64
        }
    }
    for (const t of texts) {
        if (PRIVATE_KEY_PEM.test(t)) return "private key";
        if (/^\s*(kind:\s*Config|apiVersion:\s*v1)\b/m.test(t) && /\busers:/.test(t) && /^\s*(token|client-key-data):\s*\S+/m.test(t)) {
            return "kubeconfig token";
        }
    }
    return undefined;
}

/** Every string in a JSON-like value that carries a credential, with its path. */
export function findCredentials(value: unknown, path = ""): { path: string; kind: "private key" | "kubeconfig token" }[] {
    if (typeof value === "string") {
        const kind = credentialKind(value);
        return kind ? [{ path, kind }] : [];
    }
    if (Array.isArray(value)) return value.flatMap((v, i) => findCredentials(v, `${path}[${i}]`));
    if (isPlainObject(value)) return Object.entries(value).flatMap(([k, v]) => findCredentials(v, path ? `${path}.${k}` : k));
    return [];
}
