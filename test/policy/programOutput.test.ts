/**
 * The policy pack over the program's own output: program/main.ts runs under mocks that return what the providers
 * would (real keys and certificates, Secrets and Services as the API server returns them, the objects Istio's
 * charts render), the engine's view of the stack is captured (test/helpers/engineRun.ts), and every policy of
 * the pack runs over it as `pulumi preview --policy-pack policy` would (./packRunner.ts). The dev and rancher
 * stacks pass; a copy broken in one place fails exactly where it is broken.
 */
import { strict as assert } from "assert";
import { X509Certificate } from "crypto";
import { RANCHER_SECRET_KEYS, rancherStackConfig, stackFileConfig, TEST_KUBECONFIG } from "../helpers/configs";
import { EngineResource, wireSecret } from "../helpers/engineCapture";
import { EngineRun, runAsEngine } from "../helpers/engineRun";
import { Finding, PackConfig, policyResources, runPack } from "./packRunner";
import { meshInventory } from "../../policy/stackPolicies";
import { resetSecretTracking } from "./helpers";

/** The policy config the rancher stack is previewed with: its Istio images come from the MTR mirror (docs/policy.md). */
const RANCHER_POLICY_CONFIG: PackConfig = {
    "images-from-allowed-hubs": { allowedHubs: ["mtr.devops.telekom.de/istio", "docker.io/istio", "docker.io/curlimages"] },
};

const rpc = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string; specialSecretSig: string };

/** A deep copy of a stack, so a test can break it without touching the others. */
const copyOf = (rs: EngineResource[]): EngineResource[] => structuredClone(rs);

/** The value inside a wire secret (or the value itself). */
function unwrap(v: unknown): any {
    const o = v as Record<string, unknown> | undefined;
    return o && o[rpc.specialSigKey] === rpc.specialSecretSig ? o.value : v;
}

/** Rewrites one key of a Secret's `data` (decoded text in, text out), in its inputs and its outputs, keeping it secret. */
function editSecretData(r: EngineResource, key: string, edit: (text: string) => string | undefined): void {
    for (const side of [r.inputs, r.outputs]) {
        const data = { ...unwrap(side.data) };
        const text = edit(Buffer.from(data[key], "base64").toString("utf8"));
        if (text === undefined) delete data[key];
        else data[key] = Buffer.from(text).toString("base64");
        side.data = wireSecret(data);
    }
}

/** The one resource on cluster `provider` of `type` named `name` (metadata.name). */
function find(rs: EngineResource[], type: string, name: string, provider: string): EngineResource {
    const found = rs.filter((r) => r.type === type && unwrap(r.inputs.metadata)?.name === name && r.provider?.endsWith(`::${provider}`));
    assert.equal(found.length, 1, `${type} ${name} on ${provider}: ${found.length} found`);
    return found[0];
}

const summary = (fs: Finding[]) => fs.map((f) => `${f.enforcementLevel} ${f.policy}: ${f.message}`);

describe("the policy pack over the program's own output (mocks as the engine)", () => {
    const savedKubeconfig = process.env.KUBECONFIG;
    let dev: EngineRun;
    let rancher: EngineRun;

    before(async function () {
        // Generating the stacks' RSA-4096 CA keys for real takes a while on a busy machine.
        this.timeout(180_000);
        process.env.KUBECONFIG = TEST_KUBECONFIG;
        dev = await runAsEngine(stackFileConfig("dev"), "dev");
        rancher = await runAsEngine(rancherStackConfig(), "rancher", RANCHER_SECRET_KEYS);
    });
    after(() => (savedKubeconfig === undefined ? delete process.env.KUBECONFIG : (process.env.KUBECONFIG = savedKubeconfig)));

    it("dev (seed 000): the checks see a whole three-network mesh with real CA material", () => {
        try {
            const inventory = meshInventory(policyResources(dev.resources).stack);
            assert.deepEqual(
                // Registration order is the engine's (concurrent), so compare by cluster name.
                inventory
                    .map((c) => [c.clusterName, c.meshID, c.network, c.namespaceNetwork, c.exposes15443, c.hasAutoPassthroughGateway])
                    .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
                [
                    ["cluster1", "mesh1", "network1", "network1", true, true],
                    ["cluster2", "mesh1", "network2", "network2", true, true],
                    ["cluster3", "mesh1", "network3", "network3", true, true],
                ],
            );
            for (const c of inventory) {
                assert.equal(c.remoteSecretTargets.length, 2, c.label);
                assert.equal(new X509Certificate(c.rootCertPem!).subject, "O=Istio\nCN=Root CA");
            }
        } finally {
            resetSecretTracking();
        }
        // The east-west addresses are the ones the load-balancer controller gave the charts' Services.
        const addresses = dev.resources
            .filter((r) => r.type === "kubernetes:core/v1:Service" && r.name.endsWith(":istio-system/istio-eastwestgateway"))
            .map((r) => (r.outputs.status as any).loadBalancer.ingress[0].ip);
        assert.equal(addresses.length, 3);
        const exported = dev.resources.find((r) => r.type === "pulumi:pulumi:Stack")!.outputs.eastWestGatewayAddresses as Record<
            string,
            string
        >;
        assert.deepEqual(Object.values(exported).sort(), addresses.sort());
    });

    it("dev (seed 000): no violation at all", async () => {
        assert.deepEqual(summary(await runPack(dev.resources)), []);
    });

    it("rancher (seed 003, with its allowed hubs): no violation at all", async () => {
        assert.deepEqual(summary(await runPack(rancher.resources, RANCHER_POLICY_CONFIG)), []);
    });

    it("rancher without its allowed hubs: only the MTR images and chart hubs are refused", async () => {
        const found = summary(await runPack(rancher.resources));
        assert.equal(found.length, 4, found.join("\n"));
        for (const f of found) assert.match(f, /^mandatory images-from-allowed-hubs: .*mtr\.devops\.telekom\.de\/istio/);
    });

    it("a remote secret whose kubeconfig points at a loopback API server: exactly remote-secret-shape", async () => {
        const broken = copyOf(dev.resources);
        const secret = find(broken, "kubernetes:core/v1:Secret", "istio-remote-secret-cluster2", "mesh-cluster1-k8s");
        editSecretData(secret, "cluster2", (kc) => kc.replace(/server: \S+/, "server: https://127.0.0.1:6443"));
        assert.deepEqual(summary(await runPack(broken)), [
            "mandatory remote-secret-shape: kubeconfig for cluster2: server https://127.0.0.1:6443 is a loopback address, which the reading istiod cannot reach (istio/istio#58047)",
        ]);
    });

    it("a traffic-shifting VirtualService whose weights add up to 110: exactly virtualservice-route-weights", async () => {
        const broken = copyOf(rancher.resources);
        const vs = find(broken, "kubernetes:networking.istio.io/v1:VirtualService", "helloworld", "mesh-mcsps-test-k8s-02-k8s");
        const route = (vs.inputs.spec as any).http[0].route;
        route[0].weight += 10;
        const found = summary(await runPack(broken, RANCHER_POLICY_CONFIG));
        assert.equal(found.length, 1, found.join("\n"));
        assert.match(found[0], /^mandatory virtualservice-route-weights: .*110/);
    });

    it("a reader cluster without one of its remote secrets: exactly remote-secret-full-mesh (a stack policy)", async () => {
        const missing = find(dev.resources, "kubernetes:core/v1:Secret", "istio-remote-secret-cluster3", "mesh-cluster1-k8s");
        const found = summary(await runPack(dev.resources.filter((r) => r !== missing)));
        assert.equal(found.length, 1, found.join("\n"));
        assert.match(found[0], /^mandatory remote-secret-full-mesh: .*cluster1.*cluster3/);
    });

    it("a cacerts without its root certificate: exactly cacerts-complete-and-secret", async () => {
        const broken = copyOf(dev.resources);
        editSecretData(find(broken, "kubernetes:core/v1:Secret", "cacerts", "mesh-cluster3-k8s"), "root-cert.pem", () => undefined);
        assert.deepEqual(summary(await runPack(broken)), [
            "mandatory cacerts-complete-and-secret: cacerts lacks root-cert.pem (needs ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem, or tls.crt, tls.key, ca.crt); istiod would fall back to a self-signed CA and cross-cluster mTLS fails (istio/istio#32501)",
        ]);
    });
});
