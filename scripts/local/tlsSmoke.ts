/**
 * `bash scripts/local/exclusive.sh ts-node --transpile-only scripts/local/tlsSmoke.ts [cN] [--keep]`: proves the TLS
 * frontend's real parts (scripts/local/tlsParts.ts) on one local cluster (default c1; the clusters must be up):
 *  1. bind9 answers SOA for the zone, takes an RFC 2136 update signed with the TSIG key and refuses an unsigned one;
 *  2. Pebble's ACME directory answers over TLS, trusted through its minica only (and not without it);
 *  3. external-dns publishes an A record into bind9 for a DNSEndpoint and for a LoadBalancer Service with the
 *     hostname annotation;
 *  4. the cert-manager controller turns a ClusterIssuer (ACME at Pebble, DNS-01 over RFC 2136 at bind9 with a TSIG
 *     Secret) and a Certificate for a name in the zone into a Ready Certificate whose Secret's chain verifies up to
 *     the root Pebble generated (a real ACME order: Pebble looks the TXT record up in bind9).
 * Prints each step's time; exits 1 on the first failure. Deletes what it created in the cluster, and stops the parts
 * unless --keep. @see docs/tls-proving-ground.md
 */
import { spawnSync } from "child_process";
import { X509Certificate } from "crypto";
import * as path from "path";
import {
    bindResolver,
    binary,
    CERT_MANAGER_NAMESPACE,
    httpsGet,
    kubectl,
    startTlsParts,
    stopTlsParts,
    TLS_STATE,
    TlsParts,
} from "./tlsParts";

const NS = process.env.TLS_SMOKE_NAMESPACE ?? "tls-smoke";
const ISSUER = "tls-smoke-pebble";
const TSIG_SECRET = "tls-smoke-tsig";

function step(name: string, t0: number): void {
    console.log(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
        try {
            const v = await probe();
            if (v !== undefined) return v;
        } catch (e) {
            last = e;
        }
        await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`${what}: not within ${timeoutMs / 1000}s${last ? ` (last: ${(last as Error).message})` : ""}`);
}

/** nsupdate with (or without) the TSIG key file; returns exit status and output. */
function nsupdate(p: TlsParts, commands: string, signed: boolean): { status: number; out: string } {
    const script = `server ${p.dns.server} ${p.dns.port}\nzone ${p.dns.zone}\n${commands}\nsend\n`;
    const args = signed ? ["-k", path.join(TLS_STATE, "bind", "tsig.key")] : [];
    const r = spawnSync(binary("nsupdate"), args, { input: script, encoding: "utf8", timeout: 15_000 });
    return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}`.trim() };
}

async function resolveA(name: string): Promise<string[] | undefined> {
    const a = await bindResolver()
        .resolve4(name)
        .catch(() => [] as string[]);
    return a.length ? a : undefined;
}

/** PEM blocks of a bundle. */
function pemBlocks(pem: string): string[] {
    return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const local = args.find((a) => !a.startsWith("--")) ?? "c1";
    const keep = args.includes("--keep");
    const all = Date.now();

    let t0 = Date.now();
    const p = await startTlsParts({ clusters: [local], log: (l) => console.log(`     ${l}`) });
    step(`parts started for ${local}`, t0);
    const zone = p.dns.zone;
    try {
        // 1. bind9
        t0 = Date.now();
        const soa = await bindResolver().resolveSoa(zone);
        if (soa.nsname !== `ns1.${zone}`) throw new Error(`SOA of ${zone}: ${JSON.stringify(soa)}`);
        const unsigned = nsupdate(p, `update add unsigned.${zone} 60 A 127.0.0.8`, false);
        if (unsigned.status === 0 || !/REFUSED/.test(unsigned.out)) throw new Error(`unsigned update was not refused: ${unsigned.out}`);
        const signed = nsupdate(p, `update delete tsig-check.${zone} A\nupdate add tsig-check.${zone} 60 A 127.0.0.9`, true);
        if (signed.status !== 0) throw new Error(`signed update failed: ${signed.out}`);
        const a = await until(`tsig-check.${zone} A`, 5000, () => resolveA(`tsig-check.${zone}`));
        if (await resolveA(`unsigned.${zone}`)) throw new Error(`unsigned.${zone} exists`);
        nsupdate(p, `update delete tsig-check.${zone} A`, true);
        step(`bind9: SOA ${zone} (serial ${soa.serial}); TSIG-signed update -> ${a.join(",")}; unsigned update REFUSED`, t0);

        // 2. Pebble over TLS
        t0 = Date.now();
        const dir = await httpsGet(p.pebbleDirectoryUrl, p.pebbleServingCaPem);
        const directory = JSON.parse(dir.body) as Record<string, unknown>;
        if (dir.status !== 200 || typeof directory.newOrder !== "string") throw new Error(`directory: ${dir.status} ${dir.body}`);
        const untrusted = await httpsGet(p.pebbleDirectoryUrl, undefined).then(
            () => "accepted",
            (e: Error) => e.message,
        );
        if (untrusted === "accepted") throw new Error("Pebble's directory was trusted without its minica");
        const root = new X509Certificate(p.pebbleRootPem);
        step(
            `Pebble: directory over TLS via minica (with the system's roots instead: ${untrusted}); root ${root.subject.replace(/\n/g, ",")}`,
            t0,
        );

        // 3. external-dns (a namespace of an earlier run may still be terminating)
        t0 = Date.now();
        kubectl(local, ["delete", "namespace", NS, "--ignore-not-found", "--wait=true", "--timeout=120s"]);
        kubectl(local, ["apply", "-f", "-"], `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n`);
        kubectl(
            local,
            ["apply", "-f", "-"],
            `apiVersion: externaldns.k8s.io/v1alpha1
kind: DNSEndpoint
metadata:
  name: smoke
  namespace: ${NS}
spec:
  endpoints:
    - dnsName: endpoint.${zone}
      recordType: A
      recordTTL: 60
      targets: ["127.0.0.77"]
---
apiVersion: v1
kind: Service
metadata:
  name: smoke-lb
  namespace: ${NS}
  annotations:
    external-dns.kubernetes.io/hostname: lb.${zone}
spec:
  type: LoadBalancer
  selector: { app: none }
  ports: [{ name: https, port: 443, targetPort: 8443 }]
`,
        );
        const ep = await until(`endpoint.${zone} A (DNSEndpoint)`, 60_000, () => resolveA(`endpoint.${zone}`));
        step(`external-dns: DNSEndpoint -> endpoint.${zone} A ${ep.join(",")}`, t0);
        // v0.23.0 reads external-dns.kubernetes.io/ annotations (the alpha prefix only with --enable-legacy-annotation-prefix)
        const lbIp = await until("LoadBalancer ingress IP of smoke-lb", 30_000, async () => {
            const ip = kubectl(local, ["-n", NS, "get", "svc", "smoke-lb", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}"]).trim();
            return ip || undefined;
        });
        const lb = await until(`lb.${zone} A (Service)`, 45_000, async () => {
            const r = await resolveA(`lb.${zone}`);
            return r?.includes(lbIp) ? r : undefined;
        });
        step(`external-dns: LoadBalancer Service (ingress ${lbIp}) -> lb.${zone} A ${lb.join(",")}`, t0);
        t0 = Date.now();

        // 4. cert-manager: a real ACME DNS-01 order at Pebble
        const host = `app.${zone}`;
        kubectl(
            local,
            ["apply", "-f", "-"],
            `apiVersion: v1
kind: Secret
metadata:
  name: ${TSIG_SECRET}
  namespace: ${CERT_MANAGER_NAMESPACE}
type: Opaque
stringData:
  secret: ${JSON.stringify(p.dns.tsigSecret)}
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: ${ISSUER}
spec:
  acme:
    server: ${p.pebbleDirectoryUrl}
    caBundle: ${Buffer.from(p.pebbleServingCaPem).toString("base64")}
    email: admin@${zone}
    privateKeySecretRef:
      name: ${ISSUER}-account
    solvers:
      - dns01:
          rfc2136:
            nameserver: ${p.dns.server}:${p.dns.port}
            tsigKeyName: ${p.dns.tsigKeyName}
            tsigAlgorithm: HMACSHA256
            tsigSecretSecretRef:
              name: ${TSIG_SECRET}
              key: secret
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: app
  namespace: ${NS}
spec:
  secretName: app-tls
  dnsNames: ["${host}"]
  privateKey: { algorithm: ECDSA, size: 256 }
  issuerRef: { kind: ClusterIssuer, name: ${ISSUER} }
`,
        );
        await until(`ClusterIssuer ${ISSUER} Ready`, 60_000, async () => {
            const s = kubectl(local, ["get", "clusterissuer", ISSUER, "-o", 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
            return s.trim() === "True" ? true : undefined;
        });
        step(`cert-manager: ClusterIssuer ${ISSUER} Ready (ACME account registered at Pebble)`, t0);
        await until(`Certificate ${NS}/app Ready`, 180_000, async () => {
            const s = kubectl(local, [
                "-n",
                NS,
                "get",
                "certificate",
                "app",
                "-o",
                'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
            ]);
            return s.trim() === "True" ? true : undefined;
        });
        const data = JSON.parse(kubectl(local, ["-n", NS, "get", "secret", "app-tls", "-o", "jsonpath={.data}"])) as Record<string, string>;
        const chain = pemBlocks(Buffer.from(data["tls.crt"], "base64").toString("utf8")).map((b) => new X509Certificate(b));
        if (chain.length < 2) throw new Error(`app-tls holds ${chain.length} certificate(s), expected leaf + intermediate`);
        const [leaf, ...rest] = chain;
        if (!leaf.checkHost(host)) throw new Error(`leaf is not for ${host}: ${leaf.subjectAltName}`);
        const links = [...chain, root];
        for (let i = 0; i + 1 < links.length; i++) {
            if (!links[i].checkIssued(links[i + 1]) || !links[i].verify(links[i + 1].publicKey))
                throw new Error(`chain breaks at ${links[i].subject} -> ${links[i + 1].subject}`);
        }
        const key = data["tls.key"] ? "present" : "MISSING";
        step(
            `cert-manager: Certificate ${NS}/app Ready; app-tls: leaf ${leaf.subjectAltName} (${leaf.validFrom} .. ${leaf.validTo}) ` +
                `+ ${rest.length} intermediate(s) verify up to Pebble's root; tls.key ${key}`,
            t0,
        );
    } finally {
        try {
            kubectl(local, ["delete", "namespace", NS, "--ignore-not-found", "--wait=false"]);
            kubectl(local, ["delete", "clusterissuer", ISSUER, "--ignore-not-found"]);
            kubectl(local, ["-n", CERT_MANAGER_NAMESPACE, "delete", "secret", TSIG_SECRET, `${ISSUER}-account`, "--ignore-not-found"]);
        } catch (e) {
            console.error(`cleanup: ${(e as Error).message}`);
        }
        if (!keep) stopTlsParts();
    }
    console.log(`PASS tls smoke on ${local} in ${((Date.now() - all) / 1000).toFixed(1)}s${keep ? " (parts left running)" : ""}`);
}

main().catch((e: Error) => {
    console.error(`FAIL ${e.message}`);
    process.exit(1);
});
