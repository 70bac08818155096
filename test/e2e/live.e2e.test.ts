/**
 * Live checks of the remote-secret logic against real local control planes, without the Pulumi engine:
 * istioctl's own create-remote-secret output versus RemoteSecretLink's rendering, the real token
 * controller versus the token read-back, and the least privilege of the resulting kubeconfig.
 * Needs the kube and istio toolchain groups (scripts/toolchain.sh); the clusters are started here.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as YAML from "yaml";
import { readServiceAccountToken } from "../../components/serviceAccountToken";
import { ISTIO_NAMESPACE, Labels, READER_SERVICE_ACCOUNT, REMOTE_SECRET_PREFIX, renderRemoteKubeconfig } from "../../components/model";
import { assertReaderOnly, clients, Clients, clusterSnapshot, KUBECONFIG, localUp, requireToolchain } from "./harness";

const TARGET = { name: "cluster2", context: "c2-admin", server: "https://127.0.2.1:6443" };
const b64 = (s: string) => Buffer.from(s, "base64").toString("utf8");

describe("live: remote secrets against a real API server", function () {
    this.timeout(10 * 60 * 1000);
    let env: NodeJS.ProcessEnv;
    let c2: Clients;
    let before0: Record<string, unknown>;
    const created: string[] = [];

    before(async function () {
        env = requireToolchain();
        localUp(env);
        c2 = await clients({ context: TARGET.context });
        before0 = await clusterSnapshot(c2);
    });

    after(async () => {
        if (!c2) return;
        for (const name of created) await c2.core.deleteNamespacedSecret({ name, namespace: ISTIO_NAMESPACE }).catch(() => undefined);
        // What istioctl created for the reader account.
        const kubectl = (...a: string[]) => spawnSync("kubectl", ["--kubeconfig", KUBECONFIG, "--context", TARGET.context, ...a], { env });
        kubectl("delete", "clusterrolebinding,clusterrole", "-l", "app=istio-reader", "--ignore-not-found");
        kubectl("delete", "namespace", ISTIO_NAMESPACE, "--ignore-not-found", "--wait=true");
        assert.deepEqual(await clusterSnapshot(c2), before0, "the cluster is as before");
    });

    let istioctlSecret: any;
    it("istioctl create-remote-secret and RemoteSecretLink produce the same secret", () => {
        const r = spawnSync(
            "istioctl",
            [
                "create-remote-secret",
                "--kubeconfig",
                KUBECONFIG,
                "--context",
                TARGET.context,
                "--name",
                TARGET.name,
                "--server",
                TARGET.server,
            ],
            { env, encoding: "utf8" },
        );
        assert.equal(r.status, 0, r.stderr);
        const docs = YAML.parseAllDocuments(r.stdout)
            .map((d) => d.toJSON())
            .filter(Boolean);
        istioctlSecret = docs.find((d: any) => d.kind === "Secret");
        assert.ok(istioctlSecret, r.stdout);
        created.push(`${READER_SERVICE_ACCOUNT}-istio-remote-secret-token`);
        // Metadata as RemoteSecretLink writes it.
        assert.deepEqual(istioctlSecret.metadata, {
            name: `${REMOTE_SECRET_PREFIX}${TARGET.name}`,
            namespace: ISTIO_NAMESPACE,
            labels: { [Labels.multiCluster]: "true" },
            annotations: { [Labels.clusterAnnotation]: TARGET.name },
        });
        assert.deepEqual(Object.keys(istioctlSecret.stringData), [TARGET.name]);
        // The kubeconfig: ours, rendered from istioctl's own credential, is the same document.
        const theirs = YAML.parse(istioctlSecret.stringData[TARGET.name]);
        const ours = YAML.parse(
            renderRemoteKubeconfig({
                clusterName: TARGET.name,
                server: TARGET.server,
                caData: theirs.clusters[0].cluster["certificate-authority-data"],
                token: theirs.users[0].user.token,
            }),
        );
        assert.deepEqual(ours, theirs);
    });

    let credential: { token: string; caData: string } | undefined;
    it("the token controller fills RemoteSecretLink's token Secret and the read-back returns it", async () => {
        const name = `${READER_SERVICE_ACCOUNT}-cluster1-e2e001`;
        created.push(name);
        const t0 = Date.now();
        await c2.core.createNamespacedSecret({
            namespace: ISTIO_NAMESPACE,
            body: {
                metadata: { name, annotations: { "kubernetes.io/service-account.name": READER_SERVICE_ACCOUNT } },
                type: "kubernetes.io/service-account-token",
            },
        });
        const data = await readServiceAccountToken({ kubeconfig: KUBECONFIG, context: TARGET.context }, ISTIO_NAMESPACE, name, {
            timeoutMs: 60000,
            intervalMs: 200,
        });
        assert.ok(data?.token && data["ca.crt"], "filled within 60 s");
        console.log(`      token filled after ${Date.now() - t0} ms`);
        credential = { token: b64(data.token), caData: data["ca.crt"] };
        // The CA istiod will trust is the one the API server serves with.
        const cluster = c2.kc.getCurrentCluster()!;
        const ca = cluster.caData ? b64(cluster.caData) : "";
        assert.equal(b64(credential.caData).trim(), ca.trim());
    });

    it("the kubeconfig rendered from it can read what istiod reads, and nothing more", async () => {
        assert.ok(credential, "previous step provided a credential");
        const kubeconfig = renderRemoteKubeconfig({ clusterName: TARGET.name, server: TARGET.server, ...credential });
        const remote = await clients({ kubeconfig });
        await assertReaderOnly(remote);
    });

    it("the read-back gives up within its bound when no controller fills the token", async () => {
        const name = "unfilled-token-e2e";
        created.push(name);
        // An Opaque Secret is never filled by the token controller.
        await c2.core.createNamespacedSecret({ namespace: ISTIO_NAMESPACE, body: { metadata: { name }, type: "Opaque" } });
        const t0 = Date.now();
        const data = await readServiceAccountToken({ kubeconfig: KUBECONFIG, context: TARGET.context }, ISTIO_NAMESPACE, name, {
            timeoutMs: 1500,
            intervalMs: 200,
        });
        assert.equal(data, undefined);
        assert.ok(Date.now() - t0 < 5000, "bounded");
    });
});
