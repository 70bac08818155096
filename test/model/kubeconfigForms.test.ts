/**
 * Issue 20: every form of kubeconfig text kubectl reads (YAML block or flow style, JSON on one line or pretty-printed
 * as `kubectl config view --flatten -o json` prints it) is recognised as text, never taken for a file path, and no
 * refusal of any of them quotes its token; paths are quoted, but only their first line.
 */
import { strict as assert } from "assert";
import * as YAML from "yaml";
import { isInlineKubeconfig, MeshConfigError, parseMeshConfig, ParseEnvironment, quotedKubeconfigPath } from "../../components/model";
import { kubeconfigLookup } from "../../components/clusterAccess";
import { clustersConfig } from "../helpers/configs";

const TOKEN = "eyJhbGciOiJSUzI1NiJ9.form-test-token-4242";

/** A kubeconfig (as an object) whose one context `ctx` reaches `server` with {@link TOKEN}. */
const doc = (server = "https://192.0.2.50:6443", ctx = "x") => ({
    apiVersion: "v1",
    kind: "Config",
    "current-context": ctx,
    clusters: [{ name: "x", cluster: { server } }],
    contexts: [{ name: ctx, context: { cluster: "x", user: "x" } }],
    users: [{ name: "x", user: { token: TOKEN } }],
});

/** The forms of one kubeconfig's text. */
const FORMS: Record<string, (d: object) => string> = {
    "YAML, block style": (d) => YAML.stringify(d),
    "YAML, one-line flow mapping": (d) => YAML.stringify(d, { collectionStyle: "flow" }).trim(),
    "YAML with a document start": (d) => `---\n${YAML.stringify(d)}`,
    "JSON on one line": (d) => JSON.stringify(d),
    "JSON, pretty-printed (kubectl -o json)": (d) => JSON.stringify(d, null, 4),
    "JSON with leading white space": (d) => `  ${JSON.stringify(d)}`,
};

/** What can be wrong with it, the key that must be named, and whether the `clusters` key is a secret. */
const FAULTS: { name: string; text: (form: (d: object) => string) => string; context?: string; path: string; secret: boolean; says: RegExp }[] = [
    { name: "a token in plain config", text: (f) => f(doc()), context: "x", path: "clusters[0].kubeconfig", secret: false, says: /carries a credential \(token\)/ },
    { name: "the context missing", text: (f) => f(doc()), context: "c1-admin", path: "clusters[0].context", secret: true, says: /context "c1-admin" is not in the inline kubeconfig/ },
    { name: "an http:// server", text: (f) => f(doc("http://192.0.2.50:8080")), context: "x", path: "clusters[0].kubeconfig", secret: true, says: /http:\/\/192\.0\.2\.50:8080: over http:\/\//i },
];

const env = (secretClusters: boolean): ParseEnvironment => ({
    kubeconfigServer: (c) => kubeconfigLookup({ kubeconfig: c.kubeconfig, context: c.context }),
    isSecretKey: (k) => secretClusters && k === "clusters",
});

describe("kubeconfig text in every form kubectl reads (issue 20)", () => {
    for (const [form, render] of Object.entries(FORMS)) {
        describe(form, () => {
            it("is kubeconfig text, not a path, and parses to the same kubeconfig", () => {
                const text = render(doc());
                assert.ok(isInlineKubeconfig(text));
                const found = kubeconfigLookup({ kubeconfig: text, context: "x" });
                assert.equal(found.status, "found");
                assert.equal(found.status === "found" && found.server, "https://192.0.2.50:6443");
            });
            for (const fault of FAULTS) {
                it(`with ${fault.name}: refused on ${fault.path}, and no message quotes the token`, () => {
                    const c: any = clustersConfig(2);
                    c.clusters[0].kubeconfig = fault.text(render);
                    c.clusters[0].context = fault.context;
                    assert.throws(
                        () => parseMeshConfig(c, env(fault.secret)),
                        (e: unknown) => {
                            assert.ok(e instanceof MeshConfigError, `expected MeshConfigError, got ${String(e)}`);
                            const issue = e.issues.find((i) => i.path === fault.path);
                            assert.ok(issue, `no issue at ${fault.path}; got ${JSON.stringify(e.issues.map((i) => i.path))}`);
                            assert.match(issue.message, fault.says);
                            for (const part of [TOKEN, ...TOKEN.split(".")]) {
                                assert.ok(!e.message.includes(part), `the message quotes the token: ${e.message}`);
                            }
                            assert.ok(!e.message.includes('"apiVersion"') && !e.message.includes("apiVersion:"), "the message quotes the kubeconfig text");
                            return true;
                        },
                    );
                });
            }
        });
    }

    it("takes file paths for paths, and quotes only their first line, cut to 200 characters", () => {
        for (const p of ["/home/u/.kube/config", "~/.kube/config", "kubeconfig.yaml", "C:\\Users\\u\\.kube\\config", "./clusters/a b.yaml"]) {
            assert.ok(!isInlineKubeconfig(p), p);
        }
        assert.equal(quotedKubeconfigPath("/a/b"), "/a/b");
        assert.equal(quotedKubeconfigPath(`/${"x".repeat(300)}`), `/${"x".repeat(199)}…`);
        assert.equal(quotedKubeconfigPath("/a/b\ntoken: t"), "/a/b");
    });

    it("a missing kubeconfig file is named by its path", () => {
        const c: any = clustersConfig(2);
        c.clusters[0].kubeconfig = "/nonexistent/kube/config";
        assert.throws(() => parseMeshConfig(c, env(false)), /clusters\[0\]\.kubeconfig: kubeconfig file \/nonexistent\/kube\/config not found/);
    });
});
