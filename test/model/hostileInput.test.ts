/**
 * Issue 10: hostile and careless input. One table per class of problem the tester found: each input is
 * refused by the config layer with a message naming the config key and the fix, or (class 4) accepted.
 * The CA fixtures in test/fixtures/ca were generated for these tests with openssl (test-only keys).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { kubeconfigLookup } from "../../components/clusterAccess";
import { missingLocalCharts } from "../../components/istioCharts";
import { MeshConfigError, parseMeshConfig, ParseEnvironment, redactCredentials } from "../../components/model";
import { clustersConfig, TEST_KUBECONFIG } from "../helpers/configs";

const CA_DIR = path.join(__dirname, "..", "fixtures", "ca");
const pem = (f: string) => fs.readFileSync(path.join(CA_DIR, f), "utf8");
/** A moment at which the fixtures' long-lived root is valid (they were issued on 2026-12-02). */
const NOW = () => new Date("2027-01-01T00:00:00Z");

/** An environment with real kubeconfig and chart look-ups and the given secret values. */
function env(secrets: Record<string, string> = {}, encrypted: string[] = Object.keys(secrets)): ParseEnvironment {
    return {
        kubeconfigServer: (c) => kubeconfigLookup({ kubeconfig: c.kubeconfig, context: c.context }),
        secretValue: (k) => (k in secrets ? { value: secrets[k], secret: encrypted.includes(k) } : undefined),
        isSecretKey: (k) => encrypted.includes(k),
        localChartsMissing: (p) => missingLocalCharts(p),
        now: NOW,
    };
}

const kubeconfig = (user: string, server = "https://192.0.2.50:6443") =>
    [
        "apiVersion: v1",
        "kind: Config",
        "current-context: x",
        `clusters: [{name: x, cluster: {server: "${server}"}}]`,
        "contexts: [{name: x, context: {cluster: x, user: x}}]",
        "users:",
        "  - name: x",
        "    user:",
        `      ${user}`,
        "",
    ].join("\n");

type Case = { name: string; mutate: (c: any) => void; path: string; says: RegExp; env?: ParseEnvironment; secretFragment?: string };

const withUrl = (i: number, url: string) => (c: any) => (c.clusters[i].apiServerUrl = url);

const REFUSED: Record<string, Case[]> = {
    "1. accepted silently before": [
        { name: "unspecified IPv4", mutate: withUrl(0, "https://0.0.0.0:6443"), path: "clusters[0].apiServerUrl", says: /unspecified address.*set apiServerUrl/ },
        { name: "unspecified IPv6", mutate: withUrl(1, "https://[::]:6443"), path: "clusters[1].apiServerUrl", says: /unspecified/ },
        { name: "IPv4-mapped loopback", mutate: withUrl(0, "https://[::ffff:127.0.0.1]:6443"), path: "clusters[0].apiServerUrl", says: /loopback.*allowLoopbackApiServer/ },
        { name: "decimal loopback", mutate: withUrl(0, "https://2130706433:6443"), path: "clusters[0].apiServerUrl", says: /loopback/ },
        { name: "link-local IPv4", mutate: withUrl(2, "https://169.254.3.4:6443"), path: "clusters[2].apiServerUrl", says: /link-local/ },
        { name: "link-local IPv6", mutate: withUrl(0, "https://[fe80::1]:6443"), path: "clusters[0].apiServerUrl", says: /link-local/ },
        { name: "AWS/GCP metadata IPv4", mutate: withUrl(0, "https://169.254.169.254"), path: "clusters[0].apiServerUrl", says: /cloud metadata/ },
        { name: "AWS metadata IPv6", mutate: withUrl(0, "https://[fd00:ec2::254]"), path: "clusters[0].apiServerUrl", says: /cloud metadata/ },
        { name: "GCP metadata name", mutate: withUrl(0, "https://metadata.google.internal"), path: "clusters[0].apiServerUrl", says: /cloud metadata/ },
        {
            name: "userinfo in the URL",
            mutate: withUrl(0, "https://admin:hunter2secret@192.0.2.1:6443"),
            path: "clusters[0].apiServerUrl",
            says: /user:password@ credentials: remove them/,
            secretFragment: "hunter2secret",
        },
        { name: "query", mutate: withUrl(0, "https://192.0.2.1:6443/?insecure=1"), path: "clusters[0].apiServerUrl", says: /query or fragment/ },
        { name: "fragment", mutate: withUrl(0, "https://192.0.2.1:6443#x"), path: "clusters[0].apiServerUrl", says: /query or fragment/ },
        {
            name: "metadata address read from the kubeconfig",
            mutate: (c) => delete c.clusters[0].apiServerUrl,
            env: { kubeconfigServer: () => "https://169.254.169.254:443" },
            path: "clusters[0].apiServerUrl",
            says: /read from kubeconfig context c1-admin.*cloud metadata/,
        },
        { name: "two clusters, one context", mutate: (c) => (c.clusters[1].context = "c1-admin"), path: "clusters[1].context", says: /same kubeconfig as clusters\[0\].*own context/ },
        { name: "two clusters, one API server", mutate: withUrl(2, "https://192.0.2.1:6443/"), path: "clusters[2].apiServerUrl", says: /also the API server of clusters\[0\]/ },
        ...(
            [
                ["istiod", "global.meshID", { global: { meshID: "other" } }, /set by the model from meshID/],
                ["istiod", "global.multiCluster.clusterName", { global: { multiCluster: { clusterName: "x" } } }, /clusters\[\]\.name/],
                ["base", "global.network", { global: { network: "n" } }, /clusters\[\]\.network/],
                ["gateway", "networkGateway", { networkGateway: "n" }, /clusters\[\]\.network instead/],
            ] as const
        ).map(([chart, at, values, says]) => ({
            name: `istio.values.${chart} overriding ${at}`,
            mutate: (c: any) => (c.istio = { values: { [chart]: values } }),
            path: `istio.values.${chart}.${at}`,
            says,
        })),
        { name: "tlsServerName with whitespace", mutate: (c) => (c.clusters[0].tlsServerName = "kube api"), path: "clusters[0].tlsServerName", says: /not a DNS name/ },
        {
            name: "inline kubeconfig with an http:// server",
            mutate: (c) => {
                c.clusters[0].kubeconfig = kubeconfig("token: abc", "http://192.0.2.50:8080");
                c.clusters[0].context = "x";
            },
            env: { ...env(), isSecretKey: (k) => k === "clusters" },
            path: "clusters[0].kubeconfig",
            says: /server http:\/\/192\.0\.2\.50:8080: over http:\/\/ .* in clear; use the API server's https:\/\/ endpoint/,
        },
        {
            name: "inline kubeconfig with a token in plain config",
            mutate: (c) => {
                c.clusters[0].kubeconfig = kubeconfig("token: sekrit-token-4711");
                delete c.clusters[0].context;
            },
            path: "clusters[0].kubeconfig",
            says: /carries a credential \(token\) in plain stack config: .*pulumi config set --secret --path 'istio-multicluster:clusters\[0\]\.kubeconfig'/,
            secretFragment: "sekrit-token-4711",
        },
        {
            name: "inline kubeconfig with a client key in plain config",
            mutate: (c) => {
                c.clusters[1].kubeconfig = kubeconfig("client-key-data: S0VZS0VZS0VZS0VZ");
                c.clusters[1].context = "x";
            },
            path: "clusters[1].kubeconfig",
            says: /client-key-data/,
            secretFragment: "S0VZS0VZS0VZS0VZ",
        },
        ...(
            [
                ["not a PEM certificate", "garbage-cert", pem("root-key.pem"), "ca.existingRootCertSecret", /not a PEM certificate/],
                ["not a PEM key", pem("root-cert.pem"), "garbage-key", "ca.existingRootKeySecret", /not a PEM private key/],
                ["key of another certificate", pem("root-cert.pem"), pem("leaf-key.pem"), "ca.existingRootKeySecret", /does not belong to the certificate/],
                ["not a CA", pem("leaf-cert.pem"), pem("leaf-key.pem"), "ca.existingRootCertSecret", /not a CA certificate \(basicConstraints CA:TRUE\)/],
                ["expires before the intermediates", pem("short-cert.pem"), pem("short-key.pem"), "ca.existingRootCertSecret", /before intermediates issued now would.*intermediateValidityHours below/],
            ] as const
        ).map(([name, cert, key, at, says]) => ({
            name: `existing root: ${name}`,
            mutate: (c: any) => (c.ca = { existingRootCertSecret: "rootCert", existingRootKeySecret: "rootKey" }),
            env: env({ rootCert: cert, rootKey: key }),
            path: at,
            says,
            secretFragment: key.split("\n")[1],
        })),
        {
            name: "existing root key in plain config",
            mutate: (c) => (c.ca = { existingRootCertSecret: "rootCert", existingRootKeySecret: "rootKey" }),
            env: env({ rootCert: pem("root-cert.pem"), rootKey: pem("root-key.pem") }, ["rootCert"]),
            path: "ca.existingRootKeySecret",
            says: /private key in plain stack config: .*pulumi config set --secret istio-multicluster:rootKey < root-key\.pem/,
            secretFragment: pem("root-key.pem").split("\n")[1],
        },
    ],
    "2. misleading before": [
        {
            name: "kubeconfig file missing",
            mutate: (c) => (c.clusters[0].kubeconfig = "/nonexistent/kubeconfig"),
            path: "clusters[0].kubeconfig",
            says: /kubeconfig file \/nonexistent\/kubeconfig not found: fix the path/,
        },
        {
            name: "default kubeconfig missing when the URL must come from it",
            mutate: (c) => delete c.clusters[1].apiServerUrl,
            env: { kubeconfigServer: (c) => withDefaultKubeconfig("/nonexistent/default-kubeconfig", () => kubeconfigLookup({ kubeconfig: undefined, context: c.context })) },
            path: "clusters[1].kubeconfig",
            says: /default kubeconfig \/nonexistent\/default-kubeconfig .* not found, and cluster cluster2 is reached through it \(its API server URL too\)/,
        },
        {
            name: "context not in the kubeconfig",
            mutate: (c) => {
                c.clusters[2].kubeconfig = TEST_KUBECONFIG;
                c.clusters[2].context = "c9-admin";
            },
            path: "clusters[2].context",
            says: /context "c9-admin" is not in kubeconfig file .*kubeconfig\.yaml \(it has: c1-admin, c2-admin, c3-admin, kind-local, mcsps-test-k8s-01, mcsps-test-k8s-02, rancher-local\)/,
        },
    ],
    "3. late before": [
        ...(
            [
                ["exec plugin", kubeconfig("exec: {command: aws, args: [eks, get-token]}"), /uses an exec plugin, which istiod rejects/],
                ["tokenFile", kubeconfig("tokenFile: /var/run/token"), /tokenFile/],
                ["bad YAML", "apiVersion: v1\nusers:\n  - name: x\n    user:\n      token: abcd-SECRET-efgh: oops\n", /not valid YAML/],
                ["loopback server", kubeconfig("token: t", "https://127.0.0.1:6443"), /loopback/],
            ] as const
        ).map(([name, text, says]) => ({
            name: `supplied kubeconfig: ${name}`,
            mutate: (c: any) => (c.clusters[0].remoteKubeconfigSecret = "c1Kubeconfig"),
            env: env({ c1Kubeconfig: text }),
            path: "clusters[0].remoteKubeconfigSecret",
            says,
            secretFragment: name === "bad YAML" ? "SECRET" : undefined,
        })),
        {
            name: "supplied kubeconfig key not set",
            mutate: (c) => (c.clusters[0].remoteKubeconfigSecret = "c1Kubeconfig"),
            env: env(),
            path: "clusters[0].remoteKubeconfigSecret",
            says: /names config key c1Kubeconfig, which is not set: .*pulumi config set --secret istio-multicluster:c1Kubeconfig/,
        },
        {
            name: "istio.chartPath without charts",
            mutate: (c) => (c.istio = { chartPath: "/nonexistent/charts" }),
            env: env(),
            path: "istio.chartPath",
            says: /no base chart under \/nonexistent\/charts .*point chartPath at a directory of Istio 1\.30\.3 charts/,
        },
        {
            name: "intermediate outlives the root",
            mutate: (c) => (c.ca = { rootValidityHours: 100, intermediateValidityHours: 200 }),
            path: "ca.intermediateValidityHours",
            says: /\(200\) must be shorter than rootValidityHours \(100\): lower ca\.intermediateValidityHours/,
        },
        {
            name: "early renewal beyond the intermediate's life",
            mutate: (c) => (c.ca = { intermediateValidityHours: 10, earlyRenewalHours: 20 }),
            path: "ca.earlyRenewalHours",
            says: /\(20\) must be >= 0 and below intermediateValidityHours \(10\)/,
        },
    ],
    "4. second pass (issue 20)": [
        {
            name: "JSON kubeconfig on one line (kubectl config view --flatten -o json) with a token in plain config",
            mutate: (c) => {
                c.clusters[0].kubeconfig = JSON.stringify(YAML.parse(kubeconfig("token: json-sekrit-token-0815")));
                c.clusters[0].context = "x";
            },
            path: "clusters[0].kubeconfig",
            says: /the inline kubeconfig carries a credential \(token\) in plain stack config/,
            secretFragment: "json-sekrit-token-0815",
        },
        {
            name: "JSON kubeconfig without the cluster's context",
            mutate: (c) => {
                c.clusters[1].kubeconfig = JSON.stringify(YAML.parse(kubeconfig("token: json-sekrit-token-0816")));
            },
            env: { ...env(), isSecretKey: (k) => k === "clusters" },
            path: "clusters[1].context",
            says: /context "c2-admin" is not in the inline kubeconfig \(it has: x\)/,
            secretFragment: "json-sekrit-token-0816",
        },
        {
            name: "context not in the default kubeconfig although apiServerUrl is set",
            mutate: (c) => (c.clusters[2].context = "c99-admin"),
            path: "clusters[2].context",
            says: /context "c99-admin" is not in the default kubeconfig .*\(it has: c1-admin, c2-admin, c3-admin, .*\): use one of those/,
        },
        {
            name: "context not in a named kubeconfig file although apiServerUrl is set",
            mutate: (c) => {
                c.clusters[0].kubeconfig = TEST_KUBECONFIG;
                c.clusters[0].context = "c9-admin";
            },
            path: "clusters[0].context",
            says: /context "c9-admin" is not in kubeconfig file .*kubeconfig\.yaml/,
        },
        {
            name: "charts from a plain http:// repository",
            mutate: (c) => (c.istio = { chartRepo: "http://charts.example.com/istio" }),
            path: "istio.chartRepo",
            says: /http:\/\/charts\.example\.com\/istio is plain http: .*use the repository's https:\/\/ or oci:\/\/ URL, or set istio\.allowInsecureChartRepo: true/,
        },
    ],
};

/** Runs `f` with `$KUBECONFIG` (the default kubeconfig) set to `file`. */
function withDefaultKubeconfig<T>(file: string, f: () => T): T {
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = file;
    try {
        return f();
    } finally {
        process.env.KUBECONFIG = saved;
    }
}

describe("hostile and careless input (issue 10)", () => {
    for (const [cls, cases] of Object.entries(REFUSED)) {
        describe(`class ${cls}`, () => {
            for (const bad of cases) {
                it(`refuses: ${bad.name}`, () => {
                    const c = structuredClone(clustersConfig(3));
                    bad.mutate(c);
                    assert.throws(
                        () => parseMeshConfig(c, bad.env ?? env()),
                        (e: unknown) => {
                            assert.ok(e instanceof MeshConfigError, `expected MeshConfigError, got ${e}`);
                            const issue = e.issues.find((i) => i.path === bad.path);
                            assert.ok(issue, `no issue at ${bad.path}; got ${JSON.stringify(e.issues)}`);
                            assert.match(issue.message, bad.says);
                            if (bad.secretFragment) assert.ok(!e.message.includes(bad.secretFragment), `message echoes a secret: ${e.message}`);
                            return true;
                        },
                    );
                });
            }
        });
    }

    it("reports every problem at once, across classes", () => {
        const c: any = clustersConfig(3);
        c.clusters[0].apiServerUrl = "https://169.254.169.254";
        c.clusters[1].context = "c1-admin";
        c.clusters[2].tlsServerName = "a b";
        c.istio = { values: { gateway: { networkGateway: "x" } } };
        c.ca = { earlyRenewalHours: 9000 };
        assert.throws(
            () => parseMeshConfig(c, env()),
            (e: unknown) => {
                assert.ok(e instanceof MeshConfigError);
                // tlsServerName is a schema error: schema errors are reported together, before the other checks.
                assert.deepEqual(e.issues.map((i) => i.path), ["clusters[2].tlsServerName"]);
                return true;
            },
        );
        delete c.clusters[2].tlsServerName;
        assert.throws(
            () => parseMeshConfig(c, env()),
            (e: unknown) => {
                assert.ok(e instanceof MeshConfigError);
                assert.deepEqual(e.issues.map((i) => i.path).sort(), [
                    "ca.earlyRenewalHours",
                    "clusters[0].apiServerUrl",
                    "clusters[1].context",
                    "istio.values.gateway.networkGateway",
                ]);
                return true;
            },
        );
    });

    describe("class 1/3: what stays valid", () => {
        it("accepts loopback with allowLoopbackApiServer (the local stack's 127.0.N.1)", () => {
            const c: any = clustersConfig(3);
            c.clusters.forEach((cl: any, i: number) => (cl.apiServerUrl = `https://127.0.${i + 1}.1:6443`));
            c.allowLoopbackApiServer = true;
            assert.equal(parseMeshConfig(c, env()).clusters[2].apiServerUrl, "https://127.0.3.1:6443");
        });
        it("accepts charts from https:// and oci:// repositories, and from http:// with allowInsecureChartRepo", () => {
            for (const istio of [
                { chartRepo: "https://charts.example.com/istio" },
                { chartRepo: "oci://registry.example.com/istio-charts" },
                { chartRepo: "http://charts.internal/istio", allowInsecureChartRepo: true },
            ]) {
                const c: any = clustersConfig(2);
                c.istio = istio;
                assert.deepEqual(parseMeshConfig(c, env()).istio.chart, { kind: "repo", repo: istio.chartRepo });
            }
        });
        it("accepts an encrypted inline kubeconfig, a good supplied kubeconfig, a usable existing root and private addresses", () => {
            const c: any = clustersConfig(3);
            c.clusters[0].kubeconfig = kubeconfig("token: abc");
            delete c.clusters[0].context;
            c.clusters[1].remoteKubeconfigSecret = "c2Kubeconfig";
            c.clusters[2].apiServerUrl = "https://10.1.2.3:6443";
            c.clusters[2].tlsServerName = "kubernetes.default.svc";
            c.ca = { existingRootCertSecret: "rootCert", existingRootKeySecret: "rootKey" };
            c.istio = { values: { istiod: { global: { logAsJson: true } }, gateway: { replicaCount: 2 } } };
            const e = env({ c2Kubeconfig: kubeconfig("token: t"), rootCert: pem("root-cert.pem"), rootKey: pem("root-key.pem"), clusters: "" });
            const m = parseMeshConfig(c, e);
            assert.equal(m.clusters.length, 3);
            assert.deepEqual(m.ca.existingRoot, { certConfigKey: "rootCert", keyConfigKey: "rootKey" });
        });
    });

    describe("class 4: numbers and booleans where a string is expected", () => {
        it("accepts them and keeps their string", () => {
            const c: any = clustersConfig(2);
            c.meshID = 1234;
            c.clusters[0].network = 7;
            c.clusters[0].nodes[0].zone = 1;
            c.clusters[0].nodes[0].region = true;
            c.istio = { tag: 130, hub: "mirror.example" };
            const m = parseMeshConfig(c);
            assert.equal(m.meshID, "1234");
            assert.equal(m.clusters[0].network, "7");
            assert.deepEqual([m.clusters[0].nodes[0].zone, m.clusters[0].nodes[0].region], ["1", "true"]);
            assert.equal(m.istio.tag, "130");
        });
        it("still refuses objects and lists there, naming the key", () => {
            assert.throws(() => parseMeshConfig({ ...clustersConfig(2), meshID: { a: 1 } }), /meshID: meshID must be a string/);
        });
    });

    describe("class 5: no credential in any message built from a kubeconfig", () => {
        const SECRETS = ["tok3n-AAAA-1111", "S2V5S2V5S2V5S2V5S2V5", "pa55w0rd-XYZ", "Q2VydENlcnRDZXJ0Q2VydA"];
        const broken = [
            // Malformed YAML whose error quotes the credential's line.
            `users:\n- name: u\n  user:\n    token: ${SECRETS[0]}: x\n    client-key-data: ${SECRETS[1]}\n`,
            `users:\n- name: u\n  user: {password: ${SECRETS[2]}, client-certificate-data: ${SECRETS[3]}\n`,
            `users:\n- name: u\n  user:\n\ttoken: ${SECRETS[0]}\n`,
            `apiVersion: v1\nusers:\n  - name: "${SECRETS[0]}\n    user: {token: ${SECRETS[0]}}\n`,
        ];
        for (const [n, text] of broken.entries()) {
            it(`malformed kubeconfig ${n + 1}: inline, supplied and file`, () => {
                const dir = fs.mkdtempSync(path.join(os.tmpdir(), "redact-"));
                try {
                    fs.writeFileSync(path.join(dir, "kc"), text);
                    for (const mutate of [
                        (c: any) => (c.clusters[0].kubeconfig = text),
                        (c: any) => (c.clusters[0].remoteKubeconfigSecret = "kc"),
                        (c: any) => (c.clusters[0].kubeconfig = path.join(dir, "kc")),
                    ]) {
                        const c: any = clustersConfig(2);
                        mutate(c);
                        let msg = "";
                        try {
                            parseMeshConfig(c, env({ kc: text }, ["kc", "clusters"]));
                        } catch (e) {
                            assert.ok(e instanceof MeshConfigError, String(e));
                            msg = e.message;
                        }
                        assert.ok(msg, "refused");
                        for (const s of SECRETS) assert.ok(!msg.includes(s) && !msg.includes(s.slice(0, 8)), `echoes ${s}: ${msg}`);
                    }
                } finally {
                    fs.rmSync(dir, { recursive: true, force: true });
                }
            });
        }
        it("redactCredentials strips keyed values, PEM blocks, bearer tokens and URL userinfo", () => {
            const out = redactCredentials(
                'token: abc123 "password":"p@ss" -----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY----- Bearer eyJhbGciOi.x.y https://u:pw@h',
            );
            for (const s of ["abc123", "p@ss", "MIIEv", "eyJhbGciOi", "u:pw"]) assert.ok(!out.includes(s), out);
        });
    });
});
