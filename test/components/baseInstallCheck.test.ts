/**
 * Switching istio.baseInstall on a cluster that has the base chart: the program reads which form the cluster has
 * (Helm's release Secrets, the reader service account) and refuses the other one in preview, naming the setting;
 * a cluster that cannot be read warns and does not block.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
    baseInstallSwitchRefusal,
    CurrentBaseInstall,
    findCurrentBaseInstall,
    READER_SERVICE_ACCOUNT,
} from "../../components/baseInstallCheck";
import { SKIP_CLUSTER_READS_ENV } from "../../components/existingRemoteSecret";
import { BaseInstall } from "../../components/model";
import { FAKE_TOKEN, FakeApiServer, FakeBehaviour, startFakeApiServer } from "../helpers/fakeApiServer";
import { testCluster } from "../helpers/meshCluster";
import { withClusterReads } from "../helpers/clusterReads";
import { RecordingMocks, setMocks } from "../helpers/mocks";

const SECRETS = "/api/v1/namespaces/istio-system/secrets";
const READER = `/api/v1/namespaces/istio-system/serviceaccounts/${READER_SERVICE_ACCOUNT}`;
const helmRevision = (status: string, version: number) => ({
    metadata: {
        name: `sh.helm.release.v1.istio-base.v${version}`,
        labels: { owner: "helm", name: "istio-base", status, version: String(version) },
    },
});
const cluster = (opts: { revisions?: unknown[]; reader?: boolean }): FakeBehaviour => ({
    kind: "routes",
    routes: [
        { path: SECRETS, body: { kind: "SecretList", apiVersion: "v1", items: opts.revisions ?? [] } },
        ...(opts.reader
            ? [{ path: READER, body: { kind: "ServiceAccount", apiVersion: "v1", metadata: { name: READER_SERVICE_ACCOUNT } } }]
            : []),
    ],
});
const NONE = cluster({});
const OBJECTS = cluster({ reader: true });
const RELEASE = cluster({ revisions: [helmRevision("superseded", 1), helmRevision("deployed", 2)], reader: true });

describe("base install check: the read (fake API server)", () => {
    let fake: FakeApiServer | undefined;
    afterEach(async () => {
        await fake?.close();
        fake = undefined;
    });
    const find = async (b: FakeBehaviour, timeoutMs = 500) => {
        fake = await startFakeApiServer(b);
        return withClusterReads(() => findCurrentBaseInstall({ kubeconfig: fake!.kubeconfig }, timeoutMs));
    };

    it("none, objects or the release's status, from Helm's release Secrets and the reader service account", async () => {
        assert.deepEqual(await find(NONE), { kind: "none" });
        await fake!.close();
        assert.deepEqual(await find(OBJECTS), { kind: "objects" });
        await fake!.close();
        assert.deepEqual(await find(RELEASE), { kind: "release", status: "deployed" });
        await fake!.close();
        assert.deepEqual(await find(cluster({ revisions: [helmRevision("failed", 1)] })), { kind: "release", status: "failed" });
        await fake!.close();
        // `helm uninstall --keep-history` leaves its revisions, marked uninstalled: no release any more
        assert.deepEqual(await find(cluster({ revisions: [helmRevision("uninstalled", 1)] })), { kind: "none" });
    });

    it("cannot tell, with the cause and without the token, when a read is refused or hangs", async () => {
        const forbidden = await find({ kind: "status", status: 403 });
        assert.equal(forbidden.kind, "unknown");
        assert.match((forbidden as { why: string }).why, /403 Forbidden/);
        await fake!.close();
        const hung = await find({ kind: "hang" }, 100);
        assert.equal(hung.kind, "unknown");
        assert.equal(fake!.requests(), 3, "a read that gets no answer is tried three times");
        assert.match((hung as { why: string }).why, /did not answer within 100 ms/);
        assert.ok(!JSON.stringify([forbidden, hung]).includes(FAKE_TOKEN));
    });

    it("reads nothing when cluster reads are turned off", async () => {
        fake = await startFakeApiServer(RELEASE);
        const saved = process.env[SKIP_CLUSTER_READS_ENV];
        process.env[SKIP_CLUSTER_READS_ENV] = "1";
        try {
            assert.deepEqual(await findCurrentBaseInstall({ kubeconfig: fake.kubeconfig }), { kind: "skipped" });
        } finally {
            if (saved === undefined) delete process.env[SKIP_CLUSTER_READS_ENV];
            else process.env[SKIP_CLUSTER_READS_ENV] = saved;
        }
        assert.equal(fake.requests(), 0);
    });
});

describe("base install check: which switches are refused", () => {
    const found: CurrentBaseInstall[] = [
        { kind: "none" },
        { kind: "objects" },
        { kind: "release", status: "deployed" },
        { kind: "unknown", why: "x" },
        { kind: "skipped" },
    ];
    const configured: BaseInstall[] = ["objects", "release"];

    it("refuses exactly release → objects and objects → release; installing either on a fresh cluster or keeping the form passes", () => {
        for (const c of configured) {
            for (const f of found) {
                const refused = baseInstallSwitchRefusal("c1", c, f) !== undefined;
                assert.equal(
                    refused,
                    (c === "objects" && f.kind === "release") || (c === "release" && f.kind === "objects"),
                    `${c} over ${f.kind}`,
                );
            }
        }
    });

    it("words each refusal with the cluster, what would break, and the setting to keep", () => {
        const back = baseInstallSwitchRefusal("c1", "objects", { kind: "release", status: "deployed" })!;
        assert.match(back, /^cluster c1 has Istio's base chart \(the CRDs\) as the Helm release istio-base/);
        assert.match(back, /uninstall that release afterwards, deleting the CRDs, every Istio resource/);
        assert.match(back, /Keep istio.baseInstall "release" for this stack/);
        const over = baseInstallSwitchRefusal("c1", "release", { kind: "objects" })!;
        assert.match(over, /invalid ownership metadata/);
        assert.match(over, /Keep istio.baseInstall "objects" for this stack/);
        for (const m of [back, over]) assert.match(m, /Nothing was changed in c1\.$/);
    });
});

describe("base install check: MeshCluster (mocks + fake API server)", () => {
    const mocks = new RecordingMocks();
    let fake: FakeApiServer | undefined;
    before(async () => {
        await setMocks(mocks, "baseinstall");
    });
    afterEach(async () => {
        await fake?.close();
        fake = undefined;
    });

    /** A MeshCluster reached through the fake; how its base install's registration ended. */
    async function meshCluster(behaviour: FakeBehaviour, baseInstall: BaseInstall) {
        fake = await startFakeApiServer(behaviour);
        const kubeconfig = fake.kubeconfig;
        return withClusterReads(async () => {
            const name = `bc${mocks.resources.length}`;
            let onRejection: ((e: unknown) => void) | undefined;
            const rejected = new Promise<unknown>((resolve) => {
                onRejection = resolve;
                process.on("unhandledRejection", onRejection);
            });
            try {
                const mc = testCluster(name, { clusterName: "c1", access: { kubeconfig }, istio: { version: "1.30.3", baseInstall } });
                const base = (mc.base ?? mc.baseRelease)!;
                const registered = (base.urn as unknown as { promise(): Promise<string> }).promise().then(() => undefined);
                // Not settled afterwards: a refused input leaves the engine waiting on that registration.
                return { mc, outcome: await Promise.race([registered, rejected]) };
            } finally {
                process.off("unhandledRejection", onRejection!);
            }
        });
    }

    it("installs either form on a fresh cluster, and keeps the form a cluster has", async () => {
        for (const [b, form] of [
            [NONE, "release"],
            [NONE, "objects"],
            [RELEASE, "release"],
            [OBJECTS, "objects"],
        ] as const) {
            const { outcome } = await meshCluster(b, form);
            assert.equal(outcome, undefined, `${form}`);
            await fake!.close();
            fake = undefined;
        }
    });
    it("refuses objects over the release, naming istio.baseInstall, on the MeshCluster", async () => {
        const { mc, outcome } = await meshCluster(RELEASE, "objects");
        assert.ok(pulumi.ResourceError.isInstance(outcome), String(outcome));
        assert.equal((outcome as pulumi.ResourceError).resource, mc);
        assert.match((outcome as Error).message, /cluster c1 has Istio's base chart \(the CRDs\) as the Helm release istio-base/);
    });

    it("refuses the release over objects", async () => {
        const { outcome } = await meshCluster(OBJECTS, "release");
        assert.ok(pulumi.ResourceError.isInstance(outcome), String(outcome));
        assert.match((outcome as Error).message, /invalid ownership metadata/);
    });
});
