/**
 * A workload's view of a host istiod's CA (scripts/local/istiod.ts), for root CA rotation tests: a service-account
 * token for the CA's audience, a workload certificate issued the way a proxy's agent gets one (`meshxds ca`,
 * tools/meshxds/ca.go: a fresh key and CSR, `IstioCertificateService/CreateCertificate` on istiod's secure gRPC port
 * 15012 with the JWT as `authorization: Bearer` and the `ClusterID` metadata), and a check of a chain against a root
 * bundle. No token or private key is ever printed: the token reaches meshxds on stdin, the key never leaves it.
 * @see docs/istiod-on-host.md
 */
import { execFile, execFileSync, spawnSync } from "child_process";
import { X509Certificate } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { HostIstiod, STATE } from "./istiod";
import { DEFAULT_REVISION, istiodDeploymentName, ISTIOD_PORTS } from "./istiodPlan";
import { meshxdsBinary } from "./xds";

/** The audience istiod's CA checks a workload's JWT for: TOKEN_AUDIENCES, `istio-ca` unless the Deployment sets it. */
export const CA_AUDIENCE = "istio-ca";

/**
 * A token of a service account of a local cluster (its admin kubeconfig; `kubectl create token`), with the CA's
 * audience unless told otherwise. The service account must exist (every namespace has `default`).
 */
export function serviceAccountToken(
    local: string,
    namespace: string,
    serviceAccount: string,
    opts: { audience?: string; durationSeconds?: number } = {},
): string {
    const kubeconfig = path.join(STATE, local, "admin.kubeconfig");
    const args = ["--kubeconfig", kubeconfig, "create", "token", serviceAccount, "-n", namespace];
    args.push("--audience", opts.audience ?? CA_AUDIENCE, `--duration=${opts.durationSeconds ?? 600}s`);
    return execFileSync("kubectl", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** A namespace's root bundle as istiod publishes it: ConfigMap `istio-ca-root-cert`, key `root-cert.pem`. */
export function rootCertConfigMap(local: string, namespace = "istio-system"): string {
    const kubeconfig = path.join(STATE, local, "admin.kubeconfig");
    return execFileSync(
        "kubectl",
        ["--kubeconfig", kubeconfig, "-n", namespace, "get", "configmap", "istio-ca-root-cert", "-o", "jsonpath={.data.root-cert\\.pem}"],
        { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
}

/** Who asks, and how istiod's serving certificate is checked. */
export interface WorkloadCertRequest {
    /** The ClusterID metadata: the mesh cluster ID (cluster1, …) whose API server reviews the token. */
    cluster: string;
    namespace: string;
    serviceAccount: string;
    /** A token of that service account (audience {@link CA_AUDIENCE}); sent to istiod only, never printed. */
    token: string;
    /** PEM bundle to verify istiod's serving certificate with; without it the connection is not verified (proving ground only). */
    rootPem?: string;
    /** @default "cluster.local" */
    trustDomain?: string;
    /** The name istiod's serving certificate must carry. @default istiod[-<revision>].istio-system.svc */
    san?: string;
    /** @default 3600 */
    ttlSeconds?: number;
}

/** What istiod's CA returned. */
export interface IssuedCert {
    /** The SPIFFE ID the CSR asked for (istiod signs the token's identity, whatever the CSR says). */
    identity: string;
    clusterID: string;
    /** Whether istiod's serving certificate was verified against `rootPem`. */
    verified: boolean;
    /** One PEM per element, as istiod sends it: the leaf first, then its CA chain, the root bundle last. */
    chain: string[];
    leaf: { uris: string[]; issuer: string; notBefore: string; notAfter: string };
}

function caArgs(istiod: Pick<HostIstiod, "address" | "revision">, req: WorkloadCertRequest, rootFile?: string): string[] {
    const revision = istiod.revision ?? DEFAULT_REVISION;
    const args = [
        "ca",
        `--addr=${istiod.address}:${ISTIOD_PORTS.secureGrpc}`,
        `--cluster=${req.cluster}`,
        `--namespace=${req.namespace}`,
        `--service-account=${req.serviceAccount}`,
        `--trust-domain=${req.trustDomain ?? "cluster.local"}`,
        `--san=${req.san ?? `${istiodDeploymentName(revision)}.istio-system.svc`}`,
        `--ttl=${req.ttlSeconds ?? 3600}s`,
        "--token-file=-",
    ];
    args.push(rootFile ? `--root-cert=${rootFile}` : "--insecure");
    return args;
}

/** Runs `fn` with `rootPem` in a private temporary file (or none), removed afterwards. */
function withRootFile<T>(rootPem: string | undefined, fn: (file?: string) => T): T {
    if (rootPem === undefined) return fn(undefined);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshxds-ca-"));
    const file = path.join(dir, "root-cert.pem");
    fs.writeFileSync(file, rootPem, { mode: 0o600 });
    const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
    try {
        const r = fn(file);
        if (r instanceof Promise) return r.finally(cleanup) as T;
        cleanup();
        return r;
    } catch (e) {
        cleanup();
        throw e;
    }
}

function caFailure(status: number | string | null, stderr: string): Error {
    const lines = stderr.split("\n").filter((l) => l.includes("meshxds:"));
    return new Error(`meshxds ca exited ${status}: ${lines.join(" ") || stderr.slice(-2000)}`);
}

const CA_OPTIONS = { encoding: "utf8", maxBuffer: 16 << 20, timeout: 60_000 } as const;

/** Asks `istiod`'s CA for a workload certificate as `req`'s service account, as a proxy's agent does. */
export function issueWorkloadCert(istiod: Pick<HostIstiod, "address" | "revision">, req: WorkloadCertRequest): IssuedCert {
    return withRootFile(req.rootPem, (rootFile) => {
        const r = spawnSync(meshxdsBinary(), caArgs(istiod, req, rootFile), { ...CA_OPTIONS, input: req.token });
        if (r.status !== 0) throw caFailure(r.status ?? r.signal, r.stderr);
        return JSON.parse(r.stdout) as IssuedCert;
    });
}

/** {@link issueWorkloadCert} without blocking the event loop (for polling during an `up`). */
export function issueWorkloadCertAsync(istiod: Pick<HostIstiod, "address" | "revision">, req: WorkloadCertRequest): Promise<IssuedCert> {
    return withRootFile(
        req.rootPem,
        (rootFile) =>
            new Promise<IssuedCert>((resolve, reject) => {
                const child = execFile(meshxdsBinary(), caArgs(istiod, req, rootFile), CA_OPTIONS, (err, stdout, stderr) => {
                    if (err) reject(caFailure(err.code ?? err.signal ?? null, stderr));
                    else resolve(JSON.parse(stdout) as IssuedCert);
                });
                child.stdin?.end(req.token);
            }),
    );
}

/** The PEM certificates in a text (a bundle, or a chain element holding several), in order. */
export function pemCertificates(text: string): string[] {
    return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/**
 * Whether a chain verifies against a root bundle: its first certificate (the leaf) is signed by the next one of the
 * chain, and so on, until one is signed by a root of `rootsPem` (which may hold several). Only the bundle's roots are
 * trusted: a root the chain carries itself counts only when the bundle holds it too. Each issuer must be a CA, and
 * every certificate on the path valid at `at` (default: now). Chain elements may hold several PEMs each.
 */
export function verifiesAgainst(chainPem: string[], rootsPem: string, at: Date = new Date()): boolean {
    const parse = (pems: string[]) => pems.flatMap(pemCertificates).map((p) => new X509Certificate(p));
    const chain = parse(chainPem);
    const roots = parse([rootsPem]);
    if (!chain.length || !roots.length) return false;
    const valid = (c: X509Certificate) => new Date(c.validFrom) <= at && at <= new Date(c.validTo);
    const signs = (issuer: X509Certificate, c: X509Certificate) => issuer.ca && c.checkIssued(issuer) && c.verify(issuer.publicKey);
    let current = chain[0];
    const unused = chain.slice(1);
    while (valid(current)) {
        const root = roots.find((r) => valid(r) && signs(r, current));
        if (root) return true;
        const i = unused.findIndex((c) => signs(c, current));
        if (i < 0) return false;
        current = unused.splice(i, 1)[0];
    }
    return false;
}
