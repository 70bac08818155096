/**
 * The root CA checks across clusters (the policy pack's `cacerts-shared-root` rule), for one root and during a
 * rotation alike (model/ca/rootRotation.ts): the root each cluster's intermediate chains to is in every cluster's
 * `root-cert.pem`, and a bundle of more than one root sits only beside a multi-root istiod. Unknown values are skipped.
 * Pure.
 * @see docs/root-ca.md
 */
import { X509Certificate } from "crypto";
import type { ClusterInventory, MeshIssue } from "./meshInventory";
import { normalizePem } from "./secretChecks";

const nameOf = (c: ClusterInventory) => c.clusterName ?? c.label;

/** The certificates of a PEM bundle, normalised, in order. */
export function bundleCertificates(bundle: string): string[] {
    return (bundle.replace(/\r\n/g, "\n").match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(normalizePem);
}

/** The certificate of `roots` that issued and signed `certPem`, if any (unparsable input: none). */
export function issuingRoot(certPem: string, roots: string[]): string | undefined {
    try {
        const cert = new X509Certificate(certPem);
        return roots.find((r) => {
            const root = new X509Certificate(r);
            return cert.checkIssued(root) && cert.verify(root.publicKey);
        });
    } catch {
        return undefined;
    }
}

/** A root's subject and fingerprint prefix, to tell two roots of one subject apart in messages. */
function describeRoot(pem: string): string {
    try {
        const c = new X509Certificate(pem);
        return `${c.subject.replace(/\n/g, ", ")} (SHA-256 ${c.fingerprint256.slice(0, 11)})`;
    } catch {
        return "an unparsable certificate";
    }
}

/**
 * Root CA: the bundles share a root, each cluster's signing root is trusted by every cluster, and a bundle of
 * several roots needs a multi-root istiod.
 */
export function checkSharedRoot(clusters: ClusterInventory[]): MeshIssue[] {
    const known = clusters.filter((c) => c.rootCertPem !== undefined).map((c) => ({ c, trust: bundleCertificates(c.rootCertPem!) }));
    const issues: MeshIssue[] = [];
    const common = known.length ? known[0]!.trust.filter((r) => known.every((k) => k.trust.includes(r))) : [];
    if (known.length > 1 && !common.length) {
        const groups = new Map<string, string[]>();
        for (const k of known) groups.set(k.trust.join("\n"), [...(groups.get(k.trust.join("\n")) ?? []), nameOf(k.c)]);
        return [
            {
                area: "rootCA",
                message: `cacerts do not share one root certificate: ${[...groups.values()].map((cs) => `[${cs.join(", ")}]`).join(" vs ")}; cross-cluster mTLS fails with CERTIFICATE_VERIFY_FAILED (istio/istio#32501)`,
            },
        ];
    }
    for (const k of known) {
        if (k.trust.length > 1 && k.c.multiRoot === false) {
            issues.push({
                area: "rootCA",
                cluster: k.c.label,
                message: `cluster ${nameOf(k.c)}: cacerts trusts ${k.trust.length} roots but istiod runs without ISTIO_MULTIROOT_MESH=true, which refuses them: set ca.multiRoot (docs/root-ca.md)`,
            });
        }
        const signer = k.c.signingCertPem !== undefined ? issuingRoot(k.c.signingCertPem, k.trust) : undefined;
        if (!signer) continue;
        const distrusting = known.filter((o) => !o.trust.includes(signer)).map((o) => nameOf(o.c));
        if (distrusting.length) {
            issues.push({
                area: "rootCA",
                cluster: k.c.label,
                message: `cluster ${nameOf(k.c)} signs with root ${describeRoot(signer)}, which ${distrusting.join(", ")} do not trust: their workloads reject its certificates (CERTIFICATE_VERIFY_FAILED). Rotate one phase at a time: every cluster trusts the new root before any signs with it, and keeps the old one until none signs with it (docs/root-ca.md)`,
            });
        }
    }
    return issues;
}
