/**
 * A Pulumi YAML program (examples/yaml) brings up seed 000's three-cluster mesh on the local control planes
 * through the component package (plugin/): the YAML language host (toolchain group yaml) constructs IstioMesh,
 * which the nodejs host serves from this repo. Checks the mesh in each cluster, then destroys it and checks the
 * clusters are as before. Needs the pulumi, kube, istio and yaml toolchain groups; the clusters are started here.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { CACERTS_SECRET, EASTWEST_GATEWAY_NAME, ISTIO_NAMESPACE, Labels, REMOTE_SECRET_PREFIX } from "../../components/model";
import {
    CACHE,
    clients,
    Clients,
    ClusterName,
    CLUSTERS,
    CONTEXTS,
    clusterSnapshot,
    KUBECONFIG,
    localUp,
    pulumiCli,
    pulumiEnv,
    REPO,
    requireToolchain,
    toolchainEnv,
} from "./harness";

const NETWORKS: Record<ClusterName, string> = { cluster1: "network1", cluster2: "network2", cluster3: "network3" };
const b64 = (s: string) => Buffer.from(s, "base64").toString("utf8");

describe("Pulumi YAML: examples/yaml brings up the mesh through the component package", function () {
    this.timeout(30 * 60 * 1000);
    let envVars: Record<string, string>;
    let work: string;
    let backend: string;
    const c: Partial<Record<ClusterName, Clients>> = {};
    const snapshots: Partial<Record<ClusterName, Record<string, unknown>>> = {};
    let outputs: { rootCertPem: string; clusterNames: string[]; remoteSecretNames: Record<string, string> };

    before(async function () {
        const env = { ...requireToolchain(), ...toolchainEnv(["yaml"]) };
        localUp(env);
        for (const name of CLUSTERS) {
            c[name] = await clients({ context: CONTEXTS[name] });
            snapshots[name] = await clusterSnapshot(c[name]!);
        }
        // The example, with its package path made absolute (it is run from a temp dir) and the cache in use.
        work = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mc-yaml-"));
        backend = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mc-backend-"));
        const project = YAML.parse(fs.readFileSync(path.join(REPO, "examples", "yaml", "Pulumi.yaml"), "utf8")) as {
            packages: Record<string, string>;
        };
        project.packages["istio-multicluster"] = path.join(REPO, "plugin");
        fs.writeFileSync(path.join(work, "Pulumi.yaml"), YAML.stringify(project));
        envVars = pulumiEnv(env, backend);
        pulumiCli(envVars, ["stack", "init", "e2e-yaml"], work);
        pulumiCli(envVars, ["config", "set", "kubeconfig", KUBECONFIG], work);
        pulumiCli(envVars, ["config", "set", "chartPath", path.join(CACHE, "istio-charts")], work);
    });

    after(async () => {
        if (!work) return;
        try {
            pulumiCli(envVars, ["destroy", "--yes", "--skip-preview"], work);
            pulumiCli(envVars, ["stack", "rm", "--yes", "e2e-yaml"], work);
            for (const name of CLUSTERS) assert.deepEqual(await clusterSnapshot(c[name]!), snapshots[name], `${name} is as before`);
        } finally {
            fs.rmSync(work, { recursive: true, force: true });
            fs.rmSync(backend, { recursive: true, force: true });
        }
    });

    it("pulumi up succeeds and exports the mesh's outputs", () => {
        pulumiCli(envVars, ["up", "--yes", "--skip-preview"], work);
        outputs = JSON.parse(pulumiCli(envVars, ["stack", "output", "--json", "--show-secrets"], work)) as typeof outputs;
        assert.deepEqual(outputs.clusterNames, CLUSTERS);
        const pairs = CLUSTERS.flatMap((r) => CLUSTERS.filter((t) => t !== r).map((t) => `${r}->${t}`)).sort();
        assert.deepEqual(Object.keys(outputs.remoteSecretNames).sort(), pairs, "every ordered pair is linked");
        assert.match(outputs.rootCertPem, /^-----BEGIN CERTIFICATE-----/);
    });

    for (const name of CLUSTERS) {
        it(`${name}: network-labelled istio-system, the shared root in cacerts, node topology, istiod and the east-west gateway`, async () => {
            const k = c[name]!;
            const ns = await k.core.readNamespace({ name: ISTIO_NAMESPACE });
            assert.equal(ns.metadata?.labels?.[Labels.network], NETWORKS[name]);
            const cacerts = await k.core.readNamespacedSecret({ name: CACERTS_SECRET, namespace: ISTIO_NAMESPACE });
            assert.equal(b64(cacerts.data!["root-cert.pem"]).trim(), outputs.rootCertPem.trim(), "one root for the whole mesh");
            const nodes = await k.core.listNode();
            assert.ok(nodes.items.length > 0);
            for (const n of nodes.items) {
                assert.ok(n.metadata?.labels?.[Labels.region], `${n.metadata?.name} has a region label`);
                assert.ok(n.metadata?.labels?.[Labels.zone], `${n.metadata?.name} has a zone label`);
            }
            const istiod = await k.apps.readNamespacedDeployment({ name: "istiod", namespace: ISTIO_NAMESPACE });
            assert.ok((istiod.status?.availableReplicas ?? 0) >= 1, "istiod is available");
            const gw = await k.core.readNamespacedService({ name: EASTWEST_GATEWAY_NAME, namespace: ISTIO_NAMESPACE });
            assert.ok(
                gw.spec?.ports?.some((p) => p.port === 15443),
                "the east-west gateway serves 15443",
            );
        });

        it(`${name}: a remote secret for each other cluster, as istioctl names them`, async () => {
            const secrets = await c[name]!.core.listNamespacedSecret({ namespace: ISTIO_NAMESPACE });
            const remote = secrets.items.map((s) => s.metadata!.name!).filter((n) => n.startsWith(REMOTE_SECRET_PREFIX));
            const others = CLUSTERS.filter((t) => t !== name);
            assert.deepEqual(remote.sort(), others.map((t) => `${REMOTE_SECRET_PREFIX}${t}`).sort());
            for (const t of others) assert.equal(outputs.remoteSecretNames[`${name}->${t}`], `${REMOTE_SECRET_PREFIX}${t}`);
        });
    }
});
