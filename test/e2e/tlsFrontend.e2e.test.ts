/**
 * Proof of seed 003's TLS frontend with real parts (docs/scenarios.md, docs/tls-proving-ground.md): on the local mesh,
 * `tls-frontend` on cluster1 and cluster2 with Pebble (Let's Encrypt's test ACME server) and the RFC 2136 solver
 * against a local bind9 (TSIG). A real cert-manager controller per cluster gets each Certificate through a DNS-01
 * order (the TXT record really published and checked by Pebble); the issued Secret chains to Pebble's root and names
 * the host; external-dns (rfc2136, crd source) publishes the one DNSEndpoint, so bind9 answers the host with both
 * clusters' ingress addresses; each cluster's real istiod serves its ingress gateway an HTTPS listener on 443 for the
 * host, routing 90/10, whose SDS secret is that certificate. Removing the scenario removes the record, the
 * Certificates and their Secrets; a re-preview shows no change.
 * Never skipped: a missing tool fails `before` with what to do.
 */
import { strict as assert } from "assert";
import { X509Certificate } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { pemCertificates, serviceAccountToken, verifiesAgainst } from "../../scripts/local/caClient";
import { runningIstiods, startIstiods, stopIstiods } from "../../scripts/local/istiod";
import { bindResolver, kubectl, startTlsParts, stopTlsParts, TLS_STATE, TlsParts } from "../../scripts/local/tlsParts";
import { gatewaySecrets, xdsViewAsync } from "../../scripts/local/xds";
import { disposeLocalStack, editStackConfig, eventually, localStack, localUp, REPO, requireToolchain } from "./harness";

const STACK = "tlsfrontend";
const HOST = "hello.mesh.test";
const CREDENTIAL = "hello-mesh-test";
const FRONTEND = { cluster1: "c1", cluster2: "c2" } as const;
type Frontend = keyof typeof FRONTEND;
const NETWORK = { cluster1: "network1", cluster2: "network2" } as const;

describe("e2e: tls-frontend with a real ACME order (Pebble, DNS-01 over RFC 2136), one name for two clusters, HTTPS served by real istiods", function () {
    this.timeout(30 * 60 * 1000);
    let stack: Stack;
    let backend: string;
    let parts: TlsParts;
    const log: string[] = [];
    const onOutput = (s: string) => log.push(s);
    const ingress = {} as Record<Frontend, string>;
    /** When the suite's `before` began (mocha loads every file first: not at load). */
    let t0 = Date.now();
    const at = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;

    const json = (local: string, args: string[]) => JSON.parse(kubectl(local, [...args, "-o", "json"])) as any;
    const frontends = Object.keys(FRONTEND) as Frontend[];
    /** The parts' logs as long as they were when the suite started: what they wrote since is this run's. */
    const logStart: Record<string, number> = {};
    const logFile = (part: string) => path.join(TLS_STATE, "logs", `${part}.log`);
    const logSince = (part: string) => fs.readFileSync(logFile(part), "utf8").slice(logStart[part] ?? 0);

    before(async function () {
        t0 = Date.now();
        const env = requireToolchain();
        localUp(env, 3);
        stopIstiods();
        for (const part of ["named", "pebble"]) logStart[part] = fs.existsSync(logFile(part)) ? fs.statSync(logFile(part)).size : 0;
        parts = await startTlsParts({ clusters: Object.values(FRONTEND), log: (l) => log.push(`${l}\n`) });
        ({ stack, backend } = await localStack(env, STACK, (config) => {
            config["istio-multicluster:scenarios"] = ["helloworld", "shifting", "tls-frontend"];
            config["istio-multicluster:scenarioSettings"] = {
                helloworld: { versions: { cluster1: ["v1", "v2"], cluster2: ["v1", "v2"] } },
                shifting: { clusters: frontends },
                "tls-frontend": {
                    clusters: frontends,
                    host: HOST,
                    email: "ops@mesh.test",
                    acmeServer: parts.pebbleDirectoryUrl,
                    acmeCaBundle: parts.pebbleServingCaPem,
                    dnsZone: parts.dns.zone,
                    rfc2136: {
                        nameserver: `${parts.dns.server}:${parts.dns.port}`,
                        tsigKeyName: parts.dns.tsigKeyName,
                        tsigAlgorithm: "HMACSHA256",
                        tsigSecretConfigKey: "tsigSecret",
                    },
                },
            };
        }));
        await stack.setConfig("istio-multicluster:tsigSecret", { value: parts.dns.tsigSecret, secret: true });
    });

    let failed = false;
    afterEach(function () {
        if (this.currentTest?.state === "failed") failed = true;
    });
    after(async () => {
        if (failed) fs.writeFileSync(path.join(REPO, "e2e-tlsfrontend-pulumi.log"), log.join(""));
        stopIstiods();
        await disposeLocalStack(stack, STACK, backend, onOutput);
        stopTlsParts();
    });

    it("1. up: each cluster's Certificate becomes Ready through a real DNS-01 order against Pebble", async () => {
        const r = await stack.up({ onOutput });
        assert.equal(r.summary.result, "succeeded");
        const outputs = await stack.outputs();
        for (const c of frontends) {
            ingress[c] = String((outputs.ingressGatewayAddresses?.value as Record<string, string>)[c] ?? "");
            assert.match(ingress[c], /^\d+\.\d+\.\d+\.\d+$/, `${c}: the ingress gateway has an address`);
        }
        for (const c of frontends) {
            const cert = await eventually(180_000, () => {
                const x = json(FRONTEND[c], ["-n", "istio-system", "get", "certificate", "hello"]);
                const ready = (x.status?.conditions ?? []).find((k: { type: string }) => k.type === "Ready");
                assert.equal(ready?.status, "True", `${c}: Certificate hello Ready (${ready?.message ?? "no condition yet"})`);
                return x;
            });
            assert.equal(cert.spec.secretName, CREDENTIAL);
            console.log(`      ${c}: Certificate Ready at ${at()}`);
            // the order went through DNS-01: cert-manager recorded its Order and Challenge as valid
            const orders = json(FRONTEND[c], ["-n", "istio-system", "get", "orders.acme.cert-manager.io"]).items;
            assert.ok(
                orders.some((o: any) => o.status?.state === "valid"),
                `${c}: a valid ACME Order`,
            );
        }
        // The TXT record really went to bind9 (a TSIG-signed RFC 2136 update), and Pebble, resolving only through
        // that bind9, set the authorization valid by the completed challenge.
        const named = logSince("named");
        assert.match(named, /key istio-mc-tls: updating zone 'mesh\.test\/IN': adding an RR at '_acme-challenge\.hello\.mesh\.test' TXT/);
        const pebble = logSince("pebble");
        assert.match(pebble, /Identifier:acme\.Identifier\{Type:"dns", Value:"hello\.mesh\.test"\}/);
        assert.equal((pebble.match(/set VALID by completed challenge/g) ?? []).length, 2, "one authorization per cluster's order");
    });

    it("2. the issued Secret chains to Pebble's root and names the host", async () => {
        for (const c of frontends) {
            const s = json(FRONTEND[c], ["-n", "istio-system", "get", "secret", CREDENTIAL]);
            const chain = pemCertificates(Buffer.from(s.data["tls.crt"], "base64").toString());
            assert.ok(chain.length >= 2, `${c}: leaf and intermediate`);
            assert.ok(verifiesAgainst(chain, parts.pebbleRootPem), `${c}: chains to Pebble's root`);
            const leaf = new X509Certificate(chain[0]!);
            assert.match(leaf.subjectAltName ?? "", new RegExp(`DNS:${HOST.replace(/\./g, "\\.")}`));
            assert.ok(s.data["tls.key"], `${c}: the key is in the Secret`);
        }
    });

    it("3. the DNS server answers the host with both clusters' ingress addresses (one DNSEndpoint)", async () => {
        const resolver = bindResolver();
        const answer = await eventually(90_000, async () => {
            const a = (await resolver.resolve4(HOST)).sort();
            assert.deepEqual(a, frontends.map((c) => ingress[c]).sort());
            return a;
        });
        console.log(`      ${HOST} A ${answer.join(", ")} at ${at()}`);
        const eps = json("c1", ["-n", "istio-system", "get", "dnsendpoints.externaldns.k8s.io"]).items;
        assert.equal(eps.length, 1, "one DNSEndpoint, on cluster1");
        assert.equal(json("c2", ["-n", "istio-system", "get", "dnsendpoints.externaldns.k8s.io"]).items.length, 0);
    });

    it("4. each cluster's real istiod serves its ingress gateway HTTPS on 443 for the host with that certificate, routing 90/10", async () => {
        await startIstiods({ clusters: ["c1", "c2", "c3"] });
        for (const c of frontends) {
            const h = runningIstiods().find((x) => x.local === FRONTEND[c])!;
            const gw = {
                cluster: c,
                network: NETWORK[c],
                namespace: "istio-system",
                type: "router" as const,
                labels: { istio: "ingressgateway", app: "istio-ingressgateway" },
            };
            const view = await eventually(60_000, async () => {
                const v = await xdsViewAsync(h, gw);
                const vhosts = Object.values(v.routes)
                    .flat()
                    .filter((vh) => vh.domains.includes(HOST));
                assert.ok(vhosts.length, `${c}: a route for ${HOST}`);
                return { v, vhosts };
            });
            const weights = view.vhosts[0]!.routes[0]!.clusters.map((k) => `${k.name.split("|")[2]}=${k.weight}`).sort();
            assert.deepEqual(weights, ["v1=90", "v2=10"], `${c}: 90/10`);
            const token = serviceAccountToken(FRONTEND[c], "istio-system", "istio-ingressgateway");
            const sds = await eventually(60_000, () => gatewaySecrets(h, { cluster: c, network: NETWORK[c], token, port: 443 }));
            const chain = sds.chains.find((k) => k.serverNames.includes(HOST));
            assert.ok(chain, `${c}: a 443 filter chain for ${HOST}`);
            const secretName = chain!.sdsNames[0]!;
            assert.match(secretName, new RegExp(CREDENTIAL));
            const served = sds.secrets[secretName]!;
            const stored = Buffer.from(
                json(FRONTEND[c], ["-n", "istio-system", "get", "secret", CREDENTIAL]).data["tls.crt"],
                "base64",
            ).toString();
            assert.deepEqual(
                pemCertificates(served.certChainPem ?? ""),
                pemCertificates(stored),
                `${c}: istiod serves the issued certificate`,
            );
            assert.equal(served.hasPrivateKey, true);
        }
    });

    it("5. removing the scenario removes the record, the Certificates and their Secrets; a re-preview shows no change", async () => {
        editStackConfig(STACK, (c) => {
            c["istio-multicluster:scenarios"] = ["helloworld", "shifting"];
            const s = c["istio-multicluster:scenarioSettings"] as Record<string, unknown>;
            delete s["tls-frontend"];
        });
        // A secret config key nothing names any more is refused as unknown (a typo would look the same): it goes too.
        await stack.removeConfig("istio-multicluster:tsigSecret");
        const r = await stack.up({ onOutput });
        assert.equal(r.summary.result, "succeeded");
        const resolver = bindResolver();
        await eventually(90_000, async () => {
            await assert.rejects(resolver.resolve4(HOST), /ENOTFOUND|ENODATA/, "the record is gone");
        });
        for (const c of frontends) {
            assert.equal(json(FRONTEND[c], ["-n", "istio-system", "get", "certificates"]).items.length, 0, `${c}: no Certificate`);
            await eventually(60_000, () =>
                assert.equal(
                    json(FRONTEND[c], ["-n", "istio-system", "get", "secrets", "--field-selector", `metadata.name=${CREDENTIAL}`]).items
                        .length,
                    0,
                    `${c}: the issued Secret is gone (owned by its Certificate)`,
                ),
            );
        }
        const p = await stack.preview({ onOutput });
        const changes = Object.entries(p.changeSummary).filter(([k, n]) => k !== "same" && n);
        assert.deepEqual(changes, [], "no change on re-preview");
    });
});
