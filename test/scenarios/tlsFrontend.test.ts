/**
 * tls-frontend for any ACME server and dns01 solver (docs/scenarios.md), under mocks on seed 003's rancher stack with
 * both clusters: the RFC 2136 solver with its TSIG key as a Secret in cert-manager's namespace (a Pulumi secret),
 * a private ACME server's root as the issuer's caBundle, one DNSEndpoint on one cluster answering the host with both
 * clusters' ingress addresses (no per-Gateway annotation), and the refusals before anything registers.
 */
import { strict as assert } from "assert";
import { MeshConfigError, parseMeshConfig } from "../../components/model";
import { rancherStackConfig, RANCHER_SECRET_KEYS } from "../helpers/configs";
import { RecordingMocks, runProgram } from "../helpers/mocks";
import { pem } from "../policy/helpers";

const mocks = new RecordingMocks();
const A = "mcsps-test-k8s-01";
const B = "mcsps-test-k8s-02";
const PEBBLE_ROOT = pem("rootA-cert");
const TSIG = "dHNpZy1zZWNyZXQtdmFsdWUtMDA0Mg==";

const settings = (tls: Record<string, unknown>) => {
    const base = rancherStackConfig() as any;
    return {
        ...base.scenarioSettings,
        shifting: { clusters: [A, B] },
        "tls-frontend": {
            clusters: [A, B],
            host: "hello.mesh.test",
            email: "ops@mesh.test",
            acmeServer: "https://127.0.0.1:14000/dir",
            acmeCaBundle: PEBBLE_ROOT,
            dnsZone: "mesh.test",
            rfc2136: { nameserver: "127.0.0.1:5353", tsigKeyName: "acme-update", tsigSecretConfigKey: "tsigSecret" },
            ...tls,
        },
    };
};
const config = (tls: Record<string, unknown> = {}) => rancherStackConfig({ scenarioSettings: settings(tls), tsigSecret: TSIG });
const ofKind = (kind: string) => mocks.resources.filter((r) => r.inputs?.kind === kind);
const cluster = (r: { provider?: string }) => r.provider?.split("::")[3]?.replace(/^mesh-(.*)-k8s$/, "$1");

describe("tls-frontend: any ACME server, RFC 2136, one name for every cluster", () => {
    it("renders the rfc2136 issuer with the ACME server's root, the TSIG Secret as a secret, on both clusters", async () => {
        await runProgram(mocks, config(), "test", [...RANCHER_SECRET_KEYS, "tsigSecret"]);
        const issuers = ofKind("ClusterIssuer");
        assert.deepEqual(issuers.map(cluster).sort(), [A, B]);
        const acme = issuers[0]!.inputs.spec.acme;
        assert.equal(acme.server, "https://127.0.0.1:14000/dir");
        assert.equal(Buffer.from(acme.caBundle, "base64").toString(), PEBBLE_ROOT);
        assert.deepEqual(acme.solvers, [
            {
                dns01: {
                    rfc2136: {
                        nameserver: "127.0.0.1:5353",
                        tsigKeyName: "acme-update",
                        tsigAlgorithm: "HMACSHA256",
                        tsigSecretSecretRef: { name: "letsencrypt-wild-tsig", key: "tsig-secret-key" },
                    },
                },
            },
        ]);
        const tsig = mocks.resources.filter(
            (r) => r.type === "kubernetes:core/v1:Secret" && r.inputs.metadata.name === "letsencrypt-wild-tsig",
        );
        assert.deepEqual(tsig.map(cluster).sort(), [A, B]);
        for (const s of tsig) {
            assert.equal(s.inputs.metadata.namespace, "cert-manager");
            assert.equal(s.inputs.stringData["tsig-secret-key"], TSIG);
            assert.ok(s.secretPaths.includes("stringData"), "the TSIG key is a Pulumi secret");
        }
        const certs = ofKind("Certificate");
        assert.deepEqual(
            certs.map((c) => c.inputs.spec.dnsNames),
            [["hello.mesh.test"], ["hello.mesh.test"]],
        );
    });

    it("publishes one DNSEndpoint, on the first cluster, listing both ingress addresses; the Gateways carry no target", async () => {
        await runProgram(mocks, config(), "test", [...RANCHER_SECRET_KEYS, "tsigSecret"]);
        const eps = ofKind("DNSEndpoint");
        assert.equal(eps.length, 1);
        assert.equal(cluster(eps[0]!), A);
        assert.deepEqual(eps[0]!.inputs.metadata, { name: "hello-dns", namespace: "istio-system" });
        const [ep] = eps[0]!.inputs.spec.endpoints;
        assert.equal(ep.dnsName, "hello.mesh.test");
        assert.equal(ep.recordType, "A");
        assert.equal(ep.recordTTL, 60);
        // Under mocks the ingress Services report no address: the record lists only known ones (none here).
        assert.deepEqual(ep.targets, []);
        for (const g of ofKind("Gateway").filter((x) => x.inputs.metadata.name === "helloworld-ssl-gateway")) {
            assert.deepEqual(g.inputs.metadata.annotations ?? {}, {});
        }
    });

    it("with fixed addresses, the record lists each once, sorted", async () => {
        const { recordTargets } = await import("../../components/scenarios/tlsFrontendDns");
        assert.deepEqual(recordTargets(["10.0.0.2", undefined, "10.0.0.1", "10.0.0.2"]), ["10.0.0.1", "10.0.0.2"]);
    });

    it("refuses before anything registers: no solver, both solvers, an http ACME URL, a host outside the zone, the seed's annotation for two clusters", () => {
        const issues = (tls: Record<string, unknown>) => {
            try {
                const c = config(tls) as Record<string, unknown>;
                for (const k of [...RANCHER_SECRET_KEYS, "tsigSecret"]) delete c[k];
                parseMeshConfig(c);
            } catch (e) {
                if (e instanceof MeshConfigError) return e.issues.map((i) => `${i.path}: ${i.message}`);
                throw e;
            }
            return [];
        };
        assert.match(issues({ rfc2136: undefined }).join("\n"), /tls-frontend"\]\.webhook: tls-frontend needs a dns01 solver/);
        assert.match(
            issues({ webhook: { groupName: "acme.example.com", solverName: "x" } }).join("\n"),
            /\.rfc2136: set either webhook or rfc2136/,
        );
        assert.match(issues({ acmeServer: "http://127.0.0.1:14000/dir" }).join("\n"), /\.acmeServer: must be an https:\/\/ URL/);
        assert.match(issues({ host: "hello.example.com" }).join("\n"), /\.host: hello\.example\.com is outside dnsZone mesh\.test/);
        assert.match(issues({ dnsRecords: "gatewayAnnotation" }).join("\n"), /\.dnsRecords: gatewayAnnotation .*external-dns#1441/);
        assert.match(
            issues({ dnsEndpointCluster: "elsewhere" }).join("\n"),
            /\.dnsEndpointCluster: elsewhere is not a tls-frontend cluster/,
        );
    });
});
