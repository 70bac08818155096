/**
 * Growing and shrinking the mesh under mocks: adding a cluster to a stack registers that cluster's resources and
 * its links to every other cluster, and changes no input of anything that was there before. Removing it again is
 * the same diff read backwards. The engine e2e suite checks the same on a real preview (step 4a).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import * as YAML from "yaml";
import { stackFileConfig, TEST_KUBECONFIG } from "../helpers/configs";
import { RecordingMocks, runProgram } from "../helpers/mocks";

const mocks = new RecordingMocks();

/** What the program registers for `config`: inputs per `type::name`. */
async function registered(config: Record<string, unknown>): Promise<Map<string, unknown>> {
    await runProgram(mocks, config, "dev");
    return new Map(mocks.resources.map((r) => [`${r.type}::${r.name}`, r.inputs]));
}

const fourth = {
    name: "cluster4",
    context: "c4-admin",
    network: "network4",
    nodes: [
        { name: "c4n1", region: "region5", zone: "zone1" },
        { name: "c4n2", region: "region5", zone: "zone2" },
    ],
};

describe("growing and shrinking a stack by one cluster (mocks)", () => {
    const savedKubeconfig = process.env.KUBECONFIG;
    let dir: string;
    before(() => {
        // The test kubeconfig plus a fourth context, as `kubectl config set-context` would add it.
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "grow-"));
        const doc = YAML.parse(fs.readFileSync(TEST_KUBECONFIG, "utf8"));
        doc.clusters.push({ name: "c4", cluster: { server: "https://192.0.2.14:6443" } });
        doc.contexts.push({ name: "c4-admin", context: { cluster: "c4", user: "admin" } });
        fs.writeFileSync(path.join(dir, "kubeconfig"), YAML.stringify(doc));
        process.env.KUBECONFIG = path.join(dir, "kubeconfig");
    });
    after(() => {
        fs.rmSync(dir, { recursive: true, force: true });
        if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
        else process.env.KUBECONFIG = savedKubeconfig;
    });

    // The dev stack's clusters with every scenario the local stack turns on.
    const base = (): Record<string, unknown> => ({ ...stackFileConfig("dev"), scenarios: stackFileConfig("local").scenarios });
    const grown = () => {
        const b = base();
        return { ...b, clusters: [...(b.clusters as unknown[]), fourth] };
    };

    it("adds only the new cluster's resources and its six links; no existing input changes", async () => {
        const before = await registered(base());
        const after = await registered(grown());
        const added = [...after.keys()].filter((k) => !before.has(k));
        assert.deepEqual([...before.keys()].filter((k) => !after.has(k)), [], "nothing is removed");
        assert.deepEqual(
            [...before.keys()].filter((k) => !isDeepStrictEqual(before.get(k), after.get(k))),
            [],
            "no existing resource's inputs change",
        );
        assert.deepEqual(
            added.filter((k) => !k.includes("cluster4")),
            [],
            "every new resource belongs to cluster4",
        );
        const links = added.filter((k) => k.startsWith("istio-multicluster:index:RemoteSecretLink::")).sort();
        assert.equal(links.length, 6, links.join("\n"));
        for (const other of ["cluster1", "cluster2", "cluster3"]) {
            assert.equal(links.filter((l) => l.includes(other)).length, 2, `${other} <-> cluster4: two links`);
        }
        const remoteSecrets = mocks
            .ofType("kubernetes:core/v1:Secret")
            .filter((s) => s.inputs.metadata.name === "istio-remote-secret-cluster4")
            .map((s) => mocks.providerName(s))
            .sort();
        assert.deepEqual(remoteSecrets, ["mesh-cluster1-k8s", "mesh-cluster2-k8s", "mesh-cluster3-k8s"]);
    });

    it("removing the cluster again registers exactly what was there before, with the same inputs", async () => {
        const grownSet = await registered(grown());
        const shrunk = await registered(base());
        const gone = [...grownSet.keys()].filter((k) => !shrunk.has(k));
        assert.ok(gone.length > 6);
        assert.ok(gone.every((k) => k.includes("cluster4")), gone.filter((k) => !k.includes("cluster4")).join("\n"));
        assert.deepEqual([...shrunk.keys()].filter((k) => !grownSet.has(k)), []);
        assert.equal(mocks.ofType("kubernetes:core/v1:Secret").filter((s) => /cluster4/.test(s.inputs.metadata.name)).length, 0);
    });
});
