/**
 * The outputs the tls provider (@pulumi/tls) returns, computed for real from the inputs: keys generated with
 * node:crypto in the requested algorithm and size, certificate requests and certificates in DER signed by the
 * given keys (test/helpers/x509.ts). A root made by SelfSignedCert and intermediates made by CertRequest +
 * LocallySignedCert chain exactly as on a real `pulumi up`, so checks that parse and verify PEM see real data.
 */
import * as crypto from "crypto";
import { promisify } from "util";
import type * as pulumi from "@pulumi/pulumi";
import type * as tls from "@pulumi/tls";
import { certificateRequest, encodeName, issueCertificate, parseCertificateRequest, subjectOf, Subject } from "./x509";

const generateKeyPair = promisify(crypto.generateKeyPair);

/**
 * Generated keys by algorithm and size, shared by every run in the test process: the n-th key a run asks for with
 * given parameters is the n-th of this list (RSA 4096 takes a second or more to generate; a stack needs several).
 */
const keyPool = new Map<string, Promise<crypto.KeyObject>[]>();

function generate(algorithm: string, rsaBits: number, ecdsaCurve: string): Promise<crypto.KeyObject> {
    const curves: Record<string, string> = { P224: "P-224", P256: "P-256", P384: "P-384", P521: "P-521" };
    return (
        algorithm === "ECDSA"
            ? generateKeyPair("ec", { namedCurve: curves[ecdsaCurve] })
            : generateKeyPair("rsa", { modulusLength: rsaBits })
    ).then((k) => k.privateKey);
}

/** Hands out distinct private keys to the PrivateKey resources of one run (the tls provider's defaults applied). */
export class KeySource {
    private used = new Map<string, number>();

    /** A key for `inputs` (algorithm RSA by default, 2048 bits, curve P224), distinct from the others of this run. */
    next(inputs: { algorithm?: string; rsaBits?: number; ecdsaCurve?: string }): Promise<crypto.KeyObject> {
        const params = [inputs.algorithm ?? "RSA", Number(inputs.rsaBits ?? 2048), inputs.ecdsaCurve ?? "P224"] as const;
        const id = params.join("|");
        const n = this.used.get(id) ?? 0;
        this.used.set(id, n + 1);
        const list = keyPool.get(id) ?? [];
        keyPool.set(id, list);
        while (list.length <= n) list.push(generate(...params));
        return list[n];
    }
}

const readKey = (pem: string) => crypto.createPrivateKey(pem);

/** Key PEMs as the tls provider reports them: PKCS#1 (RSA) or SEC 1 (EC), PKCS#8, and the PKIX public key. */
function keyOutputs(key: crypto.KeyObject): Record<string, string> {
    const pub = crypto.createPublicKey(key);
    return {
        privateKeyPem: key.export({ type: key.asymmetricKeyType === "ec" ? "sec1" : "pkcs1", format: "pem" }).toString(),
        privateKeyPemPkcs8: key.export({ type: "pkcs8", format: "pem" }).toString(),
        publicKeyPem: pub.export({ type: "spki", format: "pem" }).toString(),
        publicKeyFingerprintSha256: `SHA256:${crypto
            .createHash("sha256")
            .update(pub.export({ type: "spki", format: "der" }))
            .digest("base64")}`,
    };
}

const TLS_TYPES = new Set([
    "tls:index/privateKey:PrivateKey",
    "tls:index/selfSignedCert:SelfSignedCert",
    "tls:index/certRequest:CertRequest",
    "tls:index/locallySignedCert:LocallySignedCert",
]);

/** True for the tls resource types {@link tlsState} computes. */
export function isTlsType(type: string): boolean {
    return TLS_TYPES.has(type);
}

/** What a tls resource's mock receives for its `Args`: every input resolved. */
type Inputs<Args> = pulumi.Unwrap<Args>;

/** The state the tls provider returns for a resource of `type` with `inputs` (secrets already unwrapped). */
export async function tlsState(type: string, inputs: Record<string, unknown>, keys: KeySource): Promise<Record<string, unknown>> {
    const validity = (i: { validityPeriodHours?: number }) => Number(i.validityPeriodHours);
    const now = new Date();
    switch (type) {
        case "tls:index/privateKey:PrivateKey":
            return { ...inputs, ...keyOutputs(await keys.next(inputs as Inputs<tls.PrivateKeyArgs>)) };
        case "tls:index/selfSignedCert:SelfSignedCert": {
            const i = inputs as Inputs<tls.SelfSignedCertArgs>;
            const key = readKey(i.privateKeyPem);
            const subject = encodeName((i.subject ?? {}) as Subject);
            const certPem = issueCertificate(
                {
                    subject,
                    publicKey: crypto.createPublicKey(key),
                    isCa: i.isCaCertificate ?? false,
                    allowedUses: i.allowedUses,
                    dnsNames: i.dnsNames,
                    setSubjectKeyId: i.setSubjectKeyId,
                    validityHours: validity(i),
                },
                subject,
                key,
                now,
            );
            return { ...inputs, certPem, ...validityOutputs(now, validity(i)) };
        }
        case "tls:index/certRequest:CertRequest": {
            const i = inputs as Inputs<tls.CertRequestArgs>;
            return {
                ...inputs,
                certRequestPem: certificateRequest((i.subject ?? {}) as Subject, readKey(i.privateKeyPem), i.dnsNames ?? []),
            };
        }
        case "tls:index/locallySignedCert:LocallySignedCert": {
            const i = inputs as Inputs<tls.LocallySignedCertArgs>;
            const req = parseCertificateRequest(i.certRequestPem);
            const certPem = issueCertificate(
                {
                    subject: req.subject,
                    publicKey: req.publicKey,
                    extraExtensions: req.extensions,
                    isCa: i.isCaCertificate ?? false,
                    maxPathLength: i.maxPathLength,
                    allowedUses: i.allowedUses,
                    setSubjectKeyId: i.setSubjectKeyId,
                    validityHours: validity(i),
                },
                subjectOf(i.caCertPem),
                readKey(i.caPrivateKeyPem),
                now,
            );
            return { ...inputs, certPem, ...validityOutputs(now, validity(i)) };
        }
        default:
            throw new Error(`tlsState: ${type} is not a tls resource type this helper computes`);
    }
}

function validityOutputs(now: Date, hours: number): Record<string, unknown> {
    return {
        validityStartTime: now.toISOString(),
        validityEndTime: new Date(now.getTime() + hours * 3600_000).toISOString(),
        readyForRenewal: false,
    };
}
