/**
 * Real X.509 for the mocks: certificates and certificate requests encoded in DER (RFC 5280, RFC 2986) and signed
 * with node:crypto, so what a test's "tls provider" returns parses with `crypto.X509Certificate` and chains the way
 * the real provider's output does. Only what the tls resources of this project ask for: subject (O, OU, CN, L, C),
 * basic constraints, key usage, subject key id, DNS SANs.
 */
import * as crypto from "crypto";

/** A DER element: tag byte and content bytes. */
function tlv(tag: number, content: Buffer): Buffer {
    const n = content.length;
    const len = n < 0x80 ? Buffer.from([n]) : lengthBytes(n);
    return Buffer.concat([Buffer.from([tag]), len, content]);
}

function lengthBytes(n: number): Buffer {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
    return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer, unused = 0) => tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, "utf8"));
const explicit = (n: number, b: Buffer) => tlv(0xa0 + n, b);

/**
 * A DER INTEGER of a non-negative number or of big-endian bytes (a random serial). DER wants the shortest form: no
 * leading zero byte unless the next byte has its high bit set. A random serial starting with 0x00 would otherwise be
 * "illegal padding" to OpenSSL, once in 512 certificates.
 */
export function integer(n: number | Buffer): Buffer {
    const hex = typeof n === "number" ? n.toString(16) : "";
    let b = typeof n === "number" ? Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex") : n;
    let start = 0;
    while (start < b.length - 1 && b[start] === 0) start++;
    b = b.subarray(start);
    if (b.length === 0) b = Buffer.from([0]);
    if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
    return tlv(0x02, b);
}

function oid(dotted: string): Buffer {
    const [a, b, ...rest] = dotted.split(".").map(Number);
    const out = [40 * a + b];
    for (const v of rest) {
        const chunk: number[] = [v & 0x7f];
        for (let x = v >>> 7; x > 0; x >>>= 7) chunk.unshift(0x80 | (x & 0x7f));
        out.push(...chunk);
    }
    return tlv(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
    const iso = d.toISOString().replace(/[-:T]/g, "").slice(0, 14) + "Z";
    return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2))) : tlv(0x18, Buffer.from(iso));
}

/** The subject attributes the tls provider's `subject` block takes (those this project sets). */
export interface Subject {
    organization?: string;
    organizationalUnit?: string;
    commonName?: string;
    locality?: string;
    country?: string;
}

const NAME_OIDS: [keyof Subject, string][] = [
    ["country", "2.5.4.6"],
    ["organization", "2.5.4.10"],
    ["organizationalUnit", "2.5.4.11"],
    ["commonName", "2.5.4.3"],
    ["locality", "2.5.4.7"],
];

/** A distinguished name in DER. */
export function encodeName(subject: Subject): Buffer {
    return seq(...NAME_OIDS.filter(([k]) => subject[k]).map(([k, o]) => set(seq(oid(o), utf8(subject[k]!)))));
}

/** Bit positions of the tls provider's `allowedUses` in the keyUsage extension (RFC 5280 4.2.1.3). */
const KEY_USAGE_BITS: Record<string, number> = {
    digital_signature: 0,
    content_commitment: 1,
    key_encipherment: 2,
    data_encipherment: 3,
    key_agreement: 4,
    cert_signing: 5,
    crl_signing: 6,
};

function extension(id: string, critical: boolean, value: Buffer): Buffer {
    return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

function keyUsage(uses: string[]): Buffer | undefined {
    const positions = uses.map((u) => KEY_USAGE_BITS[u]).filter((p) => p !== undefined);
    if (!positions.length) return undefined;
    let mask = 0;
    for (const p of positions) mask |= 0x8000 >> p;
    const bytes = mask & 0xff ? Buffer.from([mask >> 8, mask & 0xff]) : Buffer.from([mask >> 8]);
    const last = bytes[bytes.length - 1];
    let unused = 0;
    while (!(last & (1 << unused))) unused++;
    return extension("2.5.29.15", true, bits(bytes, unused));
}

/** A DNS subjectAltName extension. */
function dnsSans(names: string[]): Buffer {
    return extension("2.5.29.17", false, seq(...names.map((n) => tlv(0x82, Buffer.from(n)))));
}

function signatureAlgorithm(key: crypto.KeyObject): Buffer {
    return key.asymmetricKeyType === "ec" ? seq(oid("1.2.840.10045.4.3.2")) : seq(oid("1.2.840.113549.1.1.11"), tlv(0x05, Buffer.alloc(0)));
}

function spki(publicKey: crypto.KeyObject): Buffer {
    return publicKey.export({ type: "spki", format: "der" });
}

function pem(label: string, der: Buffer): string {
    const body = der
        .toString("base64")
        .replace(/(.{64})/g, "$1\n")
        .replace(/\n$/, "");
    return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

/** Reads one DER element at `offset`: its tag, where its content starts, and where it ends. */
function readTlv(der: Buffer, offset: number): { tag: number; start: number; end: number } {
    const tag = der[offset];
    let len = der[offset + 1];
    let start = offset + 2;
    if (len & 0x80) {
        const n = len & 0x7f;
        len = 0;
        for (let i = 0; i < n; i++) len = len * 256 + der[start + i];
        start += n;
    }
    return { tag, start, end: start + len };
}

/** The top-level elements inside a constructed DER element's content. */
function children(der: Buffer, el: { start: number; end: number }): { tag: number; start: number; end: number; raw: Buffer }[] {
    const out = [];
    for (let at = el.start; at < el.end;) {
        const c = readTlv(der, at);
        out.push({ ...c, raw: der.subarray(at, c.end) });
        at = c.end;
    }
    return out;
}

const pemToDer = (text: string) => Buffer.from(text.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");

/** What a certificate or certificate request to be issued says. */
export interface CertTemplate {
    /** The subject's name, encoded (see {@link encodeName}) or as attributes. */
    subject: Subject | Buffer;
    /** The subject's public key. */
    publicKey: crypto.KeyObject;
    /** Extensions already encoded (e.g. copied from a certificate request). */
    extraExtensions?: Buffer[];
    isCa?: boolean;
    maxPathLength?: number;
    allowedUses?: string[];
    dnsNames?: string[];
    setSubjectKeyId?: boolean;
    validityHours: number;
}

/** Issues a certificate for `t`, signed by `issuerKey` under the name `issuer` (self-signed: the subject's own). */
export function issueCertificate(t: CertTemplate, issuer: Buffer, issuerKey: crypto.KeyObject, now = new Date()): string {
    const subject = Buffer.isBuffer(t.subject) ? t.subject : encodeName(t.subject);
    const key = spki(t.publicKey);
    const exts: Buffer[] = [];
    if (t.isCa !== undefined) {
        const pathLen = t.isCa && t.maxPathLength !== undefined && t.maxPathLength >= 0 ? [integer(t.maxPathLength)] : [];
        exts.push(extension("2.5.29.19", true, seq(...(t.isCa ? [bool(true)] : []), ...pathLen)));
    }
    const ku = keyUsage(t.allowedUses ?? []);
    if (ku) exts.push(ku);
    if (t.setSubjectKeyId) exts.push(extension("2.5.29.14", false, octets(crypto.createHash("sha1").update(key).digest())));
    if (t.dnsNames?.length) exts.push(dnsSans(t.dnsNames));
    exts.push(...(t.extraExtensions ?? []));
    const alg = signatureAlgorithm(issuerKey);
    const notAfter = new Date(now.getTime() + t.validityHours * 3600_000);
    const tbs = seq(
        explicit(0, integer(2)),
        integer(crypto.randomBytes(16)),
        alg,
        issuer,
        seq(time(now), time(notAfter)),
        subject,
        key,
        ...(exts.length ? [tlv(0xa3, seq(...exts))] : []),
    );
    return pem("CERTIFICATE", seq(tbs, alg, bits(crypto.sign("sha256", tbs, issuerKey))));
}

/** The subject name (DER) of a PEM certificate, to issue under it. */
export function subjectOf(certPem: string): Buffer {
    const der = pemToDer(certPem);
    const tbs = children(der, readTlv(der, 0))[0];
    const fields = children(der, tbs);
    // version [0] (optional), serial, signature, issuer, validity, subject
    const i = fields[0].tag === 0xa0 ? 1 : 0;
    return fields[i + 4].raw;
}

/** A PKCS#10 certificate request with DNS SANs, signed by `key`. */
export function certificateRequest(subject: Subject, key: crypto.KeyObject, dnsNames: string[] = []): string {
    const pub = crypto.createPublicKey(key);
    const attrs = dnsNames.length ? seq(oid("1.2.840.113549.1.9.14"), set(seq(dnsSans(dnsNames)))) : Buffer.alloc(0);
    const info = seq(integer(0), encodeName(subject), spki(pub), tlv(0xa0, attrs));
    const alg = signatureAlgorithm(key);
    return pem("CERTIFICATE REQUEST", seq(info, alg, bits(crypto.sign("sha256", info, key))));
}

/** What a certificate request asks for: subject (DER), public key and requested extensions (DER, each). */
export function parseCertificateRequest(csrPem: string): { subject: Buffer; publicKey: crypto.KeyObject; extensions: Buffer[] } {
    const der = pemToDer(csrPem);
    const info = children(der, readTlv(der, 0))[0];
    const [, subject, key, attrs] = children(der, info);
    const extensions: Buffer[] = [];
    for (const attr of attrs ? children(der, attrs) : []) {
        const [type, values] = children(der, attr);
        if (!type.raw.equals(oid("1.2.840.113549.1.9.14"))) continue;
        for (const exts of children(der, values)) extensions.push(...children(der, exts).map((e) => e.raw));
    }
    return { subject: subject.raw, publicKey: crypto.createPublicKey({ key: key.raw, format: "der", type: "spki" }), extensions };
}
