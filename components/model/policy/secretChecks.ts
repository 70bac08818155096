/**
 * Checks on Secrets: remote secrets as istiod reads them, `cacerts` entries and its CA chain.
 * Part of the pure checks re-exported by policyChecks.ts; values not known yet arrive as {@link UNKNOWN}.
 */
import { X509Certificate } from "crypto";
import { checkRemoteKubeconfig } from "../remoteSecrets/kubeconfig";
import { CACERTS_SECRET, ISTIO_NAMESPACE, Labels, READER_REMOTE_SECRET, REMOTE_SECRET_PREFIX } from "../istio/names";
import { isPlainObject } from "../config/objects";
import { isLoopbackUrl } from "../istio/versions";
import { UNKNOWN, isUnknown, type Maybe } from "../config/unknowns";

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
 * Checks a remote secret the way istiod reads it, in istiod's namespace. Either istioctl's per-link shape
 * (`create-remote-secret`): annotation `networking.istio.io/cluster: <c>`, name `istio-remote-secret-<c>`,
 * exactly one entry keyed `<c>`; or the per-reader layout's `istio-remote-secrets`, one entry per cluster. Each
 * entry holds a kubeconfig that passes {@link checkRemoteKubeconfig} and whose API server is not loopback.
 */
export function checkRemoteSecret(s: SecretObject, opts: RemoteSecretOptions = {}): string[] {
    const errors: string[] = [];
    const ns = opts.istioNamespace ?? ISTIO_NAMESPACE;
    if (typeof s.namespace === "string" && s.namespace !== ns) {
        errors.push(`metadata.namespace is ${JSON.stringify(s.namespace)}: istiod only reads remote secrets in its own namespace ${ns}`);
    }
    if (s.name === READER_REMOTE_SECRET) {
        const keys = secretKeys(s);
        if (isUnknown(keys)) return errors;
        if (!keys.length)
            errors.push(`holds no entries: the per-reader remote secret needs one per remote cluster, keyed by its cluster ID`);
        for (const k of keys) errors.push(...checkEntry(s, k, opts));
        return errors;
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
    errors.push(...checkEntry(s, cluster, opts));
    return errors;
}

/** The entry `cluster` of a remote secret: a kubeconfig istiod accepts, not pointing at a loopback address. */
function checkEntry(s: SecretObject, cluster: string, opts: RemoteSecretOptions): string[] {
    const errors: string[] = [];
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
 * Checks one cluster's CA material: the signing certificate is signed by a root of `root-cert.pem` (one root, or
 * during a rotation two), and the chain (if given) ends with that root. Returns problems; unparsable PEM is
 * reported too.
 */
export function checkCaChain(caCertPem: string, rootCertPem: string, certChainPem?: string): string[] {
    const errors: string[] = [];
    let roots: X509Certificate[];
    let ca: X509Certificate;
    try {
        const pems = rootCertPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [rootCertPem];
        roots = pems.map((p) => new X509Certificate(p));
    } catch (e) {
        return [`root certificate does not parse: ${(e as Error).message}`];
    }
    try {
        ca = new X509Certificate(caCertPem);
    } catch (e) {
        return [`signing certificate does not parse: ${(e as Error).message}`];
    }
    const signer = roots.find((r) => ca.fingerprint256 === r.fingerprint256 || (ca.checkIssued(r) && ca.verify(r.publicKey)));
    if (!signer) {
        const names = roots.map((r) => `(${r.subject.replace(/\n/g, ", ")})`).join(" or ");
        errors.push(`signing certificate (${ca.subject.replace(/\n/g, ", ")}) is not signed by the root ${names}`);
    }
    if (certChainPem !== undefined) {
        const blocks = normalizePem(certChainPem).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
        const last = blocks[blocks.length - 1];
        const ends = (r: X509Certificate) => !!last && normalizePem(last) === normalizePem(r.toString());
        if (!(signer ? ends(signer) : roots.some(ends))) errors.push("cert chain does not end with the root certificate");
    }
    return errors;
}
