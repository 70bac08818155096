/**
 * Checks of an existing root CA (`ca.existingRootCertSecret` / `ca.existingRootKeySecret`) with Node's
 * crypto.X509Certificate: a PEM certificate and key that match, a CA certificate, valid now and for as long
 * as the intermediates it will sign. The values are secrets: no message quotes them.
 */
import { createPrivateKey, KeyObject, X509Certificate } from "crypto";

/** One problem with the material: which half it concerns, and what is wrong and how to fix it. */
export interface RootMaterialProblem {
    /** `cert` or `key`. */
    field: "cert" | "key";
    /** Message (never contains the value). */
    message: string;
}

/** Settings the expiry check depends on. */
export interface RootMaterialOptions {
    /** Validity of each intermediate, hours (they must expire before the root). */
    intermediateValidityHours: number;
    /** The current time. */
    now: Date;
}

/** Returns what is wrong with an existing root's certificate and key PEMs (empty when they are usable). */
export function checkRootMaterial(certPem: string, keyPem: string, o: RootMaterialOptions): RootMaterialProblem[] {
    const problems: RootMaterialProblem[] = [];
    let cert: X509Certificate | undefined;
    let key: KeyObject | undefined;
    if (!/-----BEGIN CERTIFICATE-----/.test(certPem)) {
        problems.push({ field: "cert", message: "is not a PEM certificate (expected -----BEGIN CERTIFICATE-----)" });
    } else {
        try {
            cert = new X509Certificate(certPem);
        } catch {
            problems.push({ field: "cert", message: "holds a PEM block that does not parse as an X.509 certificate" });
        }
    }
    if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(keyPem)) {
        problems.push({ field: "key", message: "is not a PEM private key (expected -----BEGIN PRIVATE KEY----- or RSA/EC PRIVATE KEY)" });
    } else {
        try {
            key = createPrivateKey(keyPem);
        } catch {
            problems.push({ field: "key", message: "does not parse as an unencrypted private key (istiod cannot use an encrypted one)" });
        }
    }
    if (cert) {
        if (!cert.ca) problems.push({ field: "cert", message: "is not a CA certificate (basicConstraints CA:TRUE): use the root CA's certificate" });
        const notBefore = new Date(cert.validFrom);
        const notAfter = new Date(cert.validTo);
        const needed = new Date(o.now.getTime() + o.intermediateValidityHours * 3600_000);
        if (notBefore > o.now) problems.push({ field: "cert", message: `is not valid before ${notBefore.toISOString()}` });
        if (notAfter <= needed) {
            const left = Math.floor((notAfter.getTime() - o.now.getTime()) / 3600_000);
            problems.push({
                field: "cert",
                message:
                    left <= 0
                        ? `expired on ${notAfter.toISOString()}: use a current root`
                        : `expires on ${notAfter.toISOString()}, before intermediates issued now would (${needed.toISOString()}): renew the root, or set ca.intermediateValidityHours below ${left}`,
            });
        }
        if (key && !safeMatches(cert, key)) {
            problems.push({ field: "key", message: "does not belong to the certificate in existingRootCertSecret: store the root's own key" });
        }
    }
    return problems;
}

function safeMatches(cert: X509Certificate, key: KeyObject): boolean {
    try {
        return cert.checkPrivateKey(key);
    } catch {
        return false;
    }
}
