/**
 * A remote secret istioctl already wrote under our name: found by a program-time read of the reader cluster
 * (through the token read-back's client), refused with the adopt command when Pulumi did not write it, fine when
 * it did or when there is none; a cluster that cannot be read warns and does not block.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { RemoteSecretLink } from "../../components";
import {
    ADOPT_COMMAND,
    findExistingRemoteSecret,
    foreignRemoteSecretRefusal,
    managedByPulumi,
    SKIP_CLUSTER_READS_ENV,
} from "../../components/existingRemoteSecret";
import { FAKE_TOKEN, FakeApiServer, fakeKubeconfig, FakeBehaviour, startFakeApiServer } from "../helpers/fakeApiServer";
import { plainClusterRef, testCluster } from "../helpers/meshCluster";
import { withClusterReads } from "../helpers/clusterReads";
import { RecordingMocks, setMocks, settle } from "../helpers/mocks";

const NAME = "istio-remote-secret-c2";
const BY_ISTIOCTL: FakeBehaviour = {
    kind: "secret",
    data: { c2: "a3ViZWNvbmZpZw==" },
    metadata: { managedFields: [{ manager: "kubectl-client-side-apply", operation: "Update" }] },
};
const BY_PULUMI: FakeBehaviour = {
    kind: "secret",
    data: { c2: "a3ViZWNvbmZpZw==" },
    metadata: { managedFields: [{ manager: "pulumi-kubernetes-2b1e3f", operation: "Apply" }] },
};

describe("existing remote secrets: the read (fake API server)", () => {
    let fake: FakeApiServer | undefined;
    afterEach(async () => {
        await fake?.close();
        fake = undefined;
    });
    const find = (f: FakeApiServer, timeoutMs = 200) =>
        withClusterReads(() => findExistingRemoteSecret({ kubeconfig: f.kubeconfig }, "istio-system", NAME, timeoutMs));

    it("finds istioctl's Secret foreign, with its field managers", async () => {
        fake = await startFakeApiServer(BY_ISTIOCTL);
        assert.deepEqual(await find(fake), { kind: "foreign", managers: ["kubectl-client-side-apply"] });
    });

    it("finds a Secret the Kubernetes provider manages ours", async () => {
        fake = await startFakeApiServer(BY_PULUMI);
        assert.deepEqual(await find(fake), { kind: "ours" });
    });

    it("finds a missing Secret absent", async () => {
        fake = await startFakeApiServer({ kind: "status", status: 404 });
        assert.deepEqual(await find(fake), { kind: "absent" });
    });

    it("cannot tell, with the cause and without the token, when the read fails or hangs", async () => {
        fake = await startFakeApiServer({ kind: "status", status: 403 });
        const forbidden = await find(fake);
        assert.equal(forbidden.kind, "unknown");
        assert.match((forbidden as { why: string }).why, /403 Forbidden/);
        await fake.close();
        fake = await startFakeApiServer({ kind: "hang" });
        const hung = await find(fake, 100);
        assert.equal(hung.kind, "unknown");
        assert.match((hung as { why: string }).why, /did not answer within 100 ms/);
        assert.ok(!JSON.stringify([forbidden, hung]).includes(FAKE_TOKEN));
    });

    it("cannot tell when the API server is down or the kubeconfig unusable", async () => {
        const down = await withClusterReads(() =>
            findExistingRemoteSecret({ kubeconfig: fakeKubeconfig("http://127.0.0.1:9") }, "istio-system", NAME, 2000),
        );
        assert.equal(down.kind, "unknown");
        assert.match((down as { why: string }).why, /unreachable/);
        const unusable = await withClusterReads(() =>
            findExistingRemoteSecret({ kubeconfig: "/nonexistent/kubeconfig" }, "istio-system", NAME),
        );
        assert.equal(unusable.kind, "unknown");
        assert.match((unusable as { why: string }).why, /kubeconfig \/nonexistent\/kubeconfig cannot be used/);
    });

    it("reads nothing when cluster reads are turned off", async () => {
        fake = await startFakeApiServer(BY_ISTIOCTL);
        const saved = process.env[SKIP_CLUSTER_READS_ENV];
        process.env[SKIP_CLUSTER_READS_ENV] = "1";
        try {
            assert.deepEqual(await findExistingRemoteSecret({ kubeconfig: fake.kubeconfig }, "istio-system", NAME), { kind: "skipped" });
        } finally {
            if (saved === undefined) delete process.env[SKIP_CLUSTER_READS_ENV];
            else process.env[SKIP_CLUSTER_READS_ENV] = saved;
        }
        assert.equal(fake.requests(), 0);
    });

    it("tells Pulumi's field managers and label from others", () => {
        assert.equal(managedByPulumi({ managedFields: [{ manager: "pulumi-kubernetes" }] }), true);
        assert.equal(managedByPulumi({ labels: { "app.kubernetes.io/managed-by": "pulumi" } }), true);
        assert.equal(managedByPulumi({ managedFields: [{ manager: "pulumi-kubernetesx" }, { manager: "kubectl" }] }), false);
        assert.equal(managedByPulumi(undefined), false);
    });

    it("words the refusal with the cluster, the Secret and the adopt command (the real config key)", () => {
        const msg = foreignRemoteSecretRefusal({ reader: "c1", target: "c2", secret: `istio-system/${NAME}` }, ["kubectl"]);
        assert.match(msg, /^cluster c1 already has Secret istio-system\/istio-remote-secret-c2 \(field managers: kubectl\)/);
        assert.ok(msg.includes("`pulumi config set istio-multicluster:adoptExistingRemoteSecrets true`"), msg);
        assert.equal(ADOPT_COMMAND, "pulumi config set istio-multicluster:adoptExistingRemoteSecrets true");
    });
});

describe("existing remote secrets: RemoteSecretLink (mocks + fake API server)", () => {
    const mocks = new RecordingMocks();
    let fake: FakeApiServer | undefined;
    before(async () => {
        await setMocks(mocks, "existingremote");
    });
    beforeEach(() => mocks.reset());
    afterEach(async () => {
        await fake?.close();
        fake = undefined;
    });

    /** Links reader c1 (reached through the fake) to target c2; returns the link and how its remote Secret ended. */
    async function link(behaviour: FakeBehaviour, adoptExisting = false) {
        fake = await startFakeApiServer(behaviour);
        const kubeconfig = fake.kubeconfig;
        return withClusterReads(async () => {
            const reader = testCluster(`c1x${mocks.resources.length}`, { clusterName: "c1", access: { kubeconfig } });
            const target = testCluster(`c2x${mocks.resources.length}`, { clusterName: "c2" });
            const linkName = `l${mocks.resources.length}`;
            const l = new RemoteSecretLink(linkName, {
                reader,
                target,
                apiServerUrl: "https://192.0.2.12:6443",
                adoptExisting,
            });
            // A rejected input fails the Secret's registration; the SDK reports that as an unhandled rejection
            // (what the language host prints), and the Secret's URN never resolves.
            let onRejection: ((e: unknown) => void) | undefined;
            const rejected = new Promise<unknown>((resolve) => {
                onRejection = resolve;
                process.on("unhandledRejection", onRejection);
            });
            try {
                const registered = (l.remoteSecret.urn as unknown as { promise(): Promise<string> }).promise().then(() => undefined);
                const outcome = await Promise.race([registered, rejected]);
                await settle(mocks);
                const written = mocks.resources.some(
                    (r) => r.type === "kubernetes:core/v1:Secret" && r.name === `${linkName}-remote-secret`,
                );
                return { l, outcome, written };
            } finally {
                process.off("unhandledRejection", onRejection!);
            }
        });
    }

    it("refuses istioctl's Secret with our message, writing no remote secret", async () => {
        const { l, outcome, written } = await link(BY_ISTIOCTL);
        assert.ok(pulumi.ResourceError.isInstance(outcome), String(outcome));
        const e = outcome as pulumi.ResourceError;
        assert.equal(e.resource, l);
        assert.match(
            e.message,
            /(^|: )cluster c1 already has Secret istio-system\/istio-remote-secret-c2 \(field managers: kubectl-client-side-apply\)/,
        );
        assert.ok(e.message.includes(ADOPT_COMMAND));
        assert.equal(written, false);
    });

    it("adopts it with adoptExisting (no read at all), and updates its own", async () => {
        const adopted = await link(BY_ISTIOCTL, true);
        assert.equal(adopted.outcome, undefined);
        assert.equal(adopted.written, true);
        // the reader's MeshCluster reads its own base install (baseInstallCheck.ts); the remote secret is not read
        const secretReads = () => fake!.paths().filter((p) => p === `/api/v1/namespaces/istio-system/secrets/${NAME}`).length;
        assert.equal(secretReads(), 0);
        await fake!.close();
        fake = undefined;
        const own = await link(BY_PULUMI);
        assert.equal(own.outcome, undefined);
        assert.equal(own.written, true);
        assert.equal(secretReads(), 1);
    });

    it("writes it when there is none, and when the reader cannot be read (warning, not blocking)", async () => {
        const none = await link({ kind: "status", status: 404 });
        assert.equal(none.outcome, undefined);
        assert.equal(none.written, true);
        await fake!.close();
        fake = undefined;
        const forbidden = await link({ kind: "status", status: 403 });
        assert.equal(forbidden.outcome, undefined);
        assert.equal(forbidden.written, true);
    });
});

describe("existing remote secrets: preview with a reader not known yet (mocks, preview)", () => {
    const mocks = new RecordingMocks();
    before(async () => {
        await setMocks(mocks, "existingremotepreview", true);
    });
    after(async () => {
        await setMocks(mocks, "existingremote");
    });

    it("does not block the remote secret while the reader's access is unknown", async () => {
        await withClusterReads(async () => {
            const mc = testCluster("pv1", { clusterName: "p1" });
            const reader = {
                ...plainClusterRef(mc),
                // What a cluster created in the same run gives in preview: an endpoint not known yet.
                access: { kubeconfig: pulumi.output(pulumi.unknown) as never },
            };
            const target = testCluster("pv2", { clusterName: "p2" });
            new RemoteSecretLink("pv", { reader, target, apiServerUrl: "https://192.0.2.12:6443" });
            await settle(mocks);
            assert.equal(mocks.ofType("kubernetes:core/v1:Secret").filter((r) => r.name === "pv-remote-secret").length, 1);
        });
    });
});
