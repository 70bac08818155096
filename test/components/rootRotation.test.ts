/**
 * SharedRootCA and IstioMesh through a root rotation, under mocks (the fake tls outputs name the resource that made
 * them, e.g. `cert:r-root-g2`): which roots and intermediates exist in each phase, what each cluster's `cacerts`
 * holds, what is protected, the old root's refusal to be created anew mid-rotation, the multi-root istiod values,
 * the `cacerts` annotations, and the args refusals.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { IstioMesh, SharedRootCA, SharedRootCAArgs } from "../../components";
import { RootPhase } from "../../components/model";
import { testCluster } from "../helpers/meshCluster";
import { RecordingMocks, promiseOf, setMocks, settle } from "../helpers/mocks";

const mocks = new RecordingMocks();
const names = ["a", "b"];
const certOf = (name: string) => Buffer.from(`cert:${name}`).toString("base64");
/** The resource names a PEM bundle came from, in order. */
const from = (pem: string) =>
    [...pem.matchAll(/-----BEGIN CERTIFICATE-----\n(.+)\n/g)].map((m) =>
        Buffer.from(m[1]!, "base64")
            .toString()
            .replace(/^cert:/, ""),
    );
const protectedNames = (ca: SharedRootCA) =>
    [...((ca as unknown as { __childResources?: Set<pulumi.Resource> }).__childResources ?? [])]
        .filter((r) => (r as unknown as { __protect?: boolean }).__protect)
        .map((r) => (r as unknown as { __name: string }).__name)
        .sort();

async function caAt(name: string, phase: RootPhase, clusterPhases: Record<string, RootPhase> = {}, extra: Partial<SharedRootCAArgs> = {}) {
    const ca = new SharedRootCA(name, { clusterNames: names, rootRotation: { phase, clusterPhases }, ...extra });
    await settle(mocks);
    const bundles: Record<string, { trust: string[]; signer: string[]; chain: string[] }> = {};
    for (const c of names) {
        const b = ca.caCerts[c]!;
        bundles[c] = {
            trust: from(await promiseOf(b["root-cert.pem"])),
            signer: from(await promiseOf(b["ca-cert.pem"])),
            chain: from(await promiseOf(b["cert-chain.pem"])),
        };
    }
    const tlsNames = (type: string) =>
        mocks
            .ofType(type)
            .map((r) => r.name)
            .sort();
    return {
        ca,
        bundles,
        certs: tlsNames("tls:index/locallySignedCert:LocallySignedCert"),
        roots: tlsNames("tls:index/selfSignedCert:SelfSignedCert"),
    };
}

describe("root rotation: SharedRootCA", () => {
    before(async () => {
        await setMocks(mocks, "rootrotation");
    });
    beforeEach(() => mocks.reset());

    it("without rotation: one root and today's names (a stack that never rotates registers what it did)", async () => {
        const ca = new SharedRootCA("r", { clusterNames: names });
        await settle(mocks);
        assert.deepEqual(
            mocks.resources
                .filter((r) => r.custom)
                .map((r) => r.name)
                .sort(),
            ["r-a", "r-a", "r-a", "r-b", "r-b", "r-b", "r-root", "r-root", "r-root-identity"],
        );
        assert.equal(
            await promiseOf(ca.caCerts.a!["root-cert.pem"]),
            `-----BEGIN CERTIFICATE-----\n${certOf("r-root")}\n-----END CERTIFICATE-----\n`,
        );
    });

    it("trustBoth: B (CN=Root CA G2) joins every bundle after A's unchanged text; A still signs; only A is protected", async () => {
        const { ca, bundles, roots } = await caAt("t", "trustBoth");
        assert.deepEqual(roots, ["t-root", "t-root-g2"]);
        assert.equal(
            mocks.ofType("tls:index/selfSignedCert:SelfSignedCert").find((r) => r.name === "t-root-g2")!.inputs.subject.commonName,
            "Root CA G2",
        );
        for (const c of names)
            assert.deepEqual(bundles[c], { trust: ["t-root", "t-root-g2"], signer: [`t-${c}`], chain: [`t-${c}`, "t-root"] });
        assert.deepEqual(protectedNames(ca), ["t-root", "t-root"]);
        assert.equal(await promiseOf(ca.rootCertPem).then((p) => from(p)[0]), "t-root");
        assert.deepEqual(from(await promiseOf(ca.trustBundlePem)), ["t-root", "t-root-g2"]);
    });

    it("one cluster at a time: a at trustBoth, b at oldOnly", async () => {
        const { bundles, ca } = await caAt("o", "oldOnly", { a: "trustBoth" });
        assert.deepEqual(bundles.a!.trust, ["o-root", "o-root-g2"]);
        assert.deepEqual(bundles.b!.trust, ["o-root"]);
        assert.deepEqual(ca.rootStates, { a: { generation: 1, phase: "trustBoth" }, b: { generation: 1, phase: "oldOnly" } });
    });

    it("signWithNew: intermediates -g2 signed by B replace A's; A unprotected (nothing chains to it), B protected", async () => {
        const { ca, bundles, certs } = await caAt("s", "signWithNew");
        assert.deepEqual(certs, ["s-a-g2", "s-b-g2"]);
        assert.equal(
            mocks
                .ofType("tls:index/locallySignedCert:LocallySignedCert")
                .find((r) => r.name === "s-a-g2")!
                .inputs.caCertPem.includes(certOf("s-root-g2")),
            true,
        );
        for (const c of names)
            assert.deepEqual(bundles[c], { trust: ["s-root", "s-root-g2"], signer: [`s-${c}-g2`], chain: [`s-${c}-g2`, "s-root-g2"] });
        assert.deepEqual(protectedNames(ca), ["s-root-g2", "s-root-g2"]);
        assert.match(
            mocks.named("s-root-identity").inputs.refuseCreation,
            /root generation 1 is not in the stack[\s\S]*cannot be rolled back past newOnly/,
            "A may not be created anew from here on",
        );
        assert.equal(mocks.named("s-root-g2-identity").inputs.refuseCreation, undefined);
    });

    it("newOnly: A's root, key and guard leave the stack; B alone; the same resources as generation 2 without rotation", async () => {
        const { bundles, roots, certs } = await caAt("n", "newOnly");
        assert.deepEqual(roots, ["n-root-g2"]);
        assert.equal(mocks.resources.filter((r) => r.name === "n-root-identity").length, 0);
        for (const c of names)
            assert.deepEqual(bundles[c], { trust: ["n-root-g2"], signer: [`n-${c}-g2`], chain: [`n-${c}-g2`, "n-root-g2"] });
        const rotating = mocks.resources.map((r) => `${r.type} ${r.name} ${JSON.stringify(r.inputs)}`).sort();
        mocks.reset();
        new SharedRootCA("n", { clusterNames: names, rootGeneration: 2 });
        await settle(mocks);
        assert.deepEqual(mocks.resources.map((r) => `${r.type} ${r.name} ${JSON.stringify(r.inputs)}`).sort(), rotating);
        assert.deepEqual(certs, ["n-a-g2", "n-b-g2"]);
    });

    it("a next root from config signs as B; generated A stays", async () => {
        const next = { certPem: "-----BEGIN CERTIFICATE-----\nTkVYVA==\n-----END CERTIFICATE-----\n", keyPem: "k" };
        const ca = new SharedRootCA("e", { clusterNames: names, rootRotation: { phase: "signWithNew", nextRoot: next } });
        await settle(mocks);
        assert.deepEqual(from(await promiseOf(ca.caCerts.a!["root-cert.pem"])), ["e-root", "NEXT"]);
        assert.equal(mocks.ofType("tls:index/selfSignedCert:SelfSignedCert").length, 1, "only A is generated");
    });

    it("refuses bad args, each named: phases two apart, an unknown cluster, a bad phase, allowRootReplacement, generation 0", () => {
        assert.throws(
            () =>
                new SharedRootCA("bad", {
                    clusterNames: names,
                    rootGeneration: 0,
                    allowRootReplacement: true,
                    rootRotation: { phase: "nope" as RootPhase, clusterPhases: { z: "trustBoth" } },
                }),
            (e: Error) =>
                /args\.rootGeneration/.test(e.message) &&
                /args\.rootRotation\.phase/.test(e.message) &&
                /args\.rootRotation\.clusterPhases\.z/.test(e.message) &&
                /args\.allowRootReplacement/.test(e.message),
        );
        assert.throws(
            () => new SharedRootCA("far", { clusterNames: names, rootRotation: { phase: "oldOnly", clusterPhases: { a: "signWithNew" } } }),
            /args\.rootRotation\.clusterPhases\.a.*would sign with the new root while b do not trust it yet/,
        );
    });
});

describe("root rotation: IstioMesh", () => {
    before(async () => {
        await setMocks(mocks, "rootrotationmesh");
    });
    beforeEach(() => mocks.reset());
    const clusters = names.map((n, i) => ({
        name: n,
        network: `net${i}`,
        access: { kubeconfig: "/nonexistent", context: n },
        apiServerUrl: `https://192.0.2.${i + 1}:6443`,
    }));
    const istio = { version: "1.30.3" };

    it("multiRoot sets istiod's ISTIO_MULTIROOT_MESH and the proxies' PROXY_CONFIG_XDS_AGENT; the phase goes on cacerts", async () => {
        new IstioMesh("m", { meshID: "mesh1", clusters, istio, ca: { multiRoot: true, rootRotation: { phase: "trustBoth" } } });
        await settle(mocks);
        const secret = mocks.named("m-a-cacerts");
        assert.deepEqual(secret.inputs.metadata.annotations, {
            "istio-multicluster.dev/root-generation": "1",
            "istio-multicluster.dev/root-phase": "trustBoth",
        });
        const chart = mocks.named("m-a-istiod");
        assert.equal(chart.inputs.values.pilot.env.ISTIO_MULTIROOT_MESH, "true");
        assert.equal(chart.inputs.values.meshConfig.defaultConfig.proxyMetadata.PROXY_CONFIG_XDS_AGENT, "true");
    });

    it("newOnly is recorded as the next generation, so that ending the rotation (rootGeneration + 1) changes no annotation", async () => {
        new IstioMesh("n", { meshID: "mesh1", clusters, istio, ca: { multiRoot: true, rootRotation: { phase: "newOnly" } } });
        await settle(mocks);
        const rotating = mocks.named("n-a-cacerts").inputs.metadata.annotations;
        mocks.reset();
        new IstioMesh("n", { meshID: "mesh1", clusters, istio, ca: { multiRoot: true, rootGeneration: 2 } });
        await settle(mocks);
        assert.deepEqual(mocks.named("n-a-cacerts").inputs.metadata.annotations, rotating);
        assert.deepEqual(rotating, { "istio-multicluster.dev/root-generation": "2", "istio-multicluster.dev/root-phase": "oldOnly" });
    });

    it("without multiRoot or rotation nothing of it is rendered (no annotations, no env)", async () => {
        new IstioMesh("p", { meshID: "mesh1", clusters, istio });
        await settle(mocks);
        assert.equal(mocks.named("p-a-cacerts").inputs.metadata.annotations, undefined);
        assert.equal(mocks.named("p-a-istiod").inputs.values.pilot?.env?.ISTIO_MULTIROOT_MESH, undefined);
    });

    it("MeshCluster refuses a phase without multiRoot, an unknown phase and a bad generation, each named", () => {
        assert.throws(
            () => testCluster("bad", { rootCA: { phase: "trustBoth" } }),
            /args\.rootCA\.multiRoot must be true in phase trustBoth/,
        );
        assert.throws(
            () => testCluster("worse", { rootCA: { multiRoot: true, phase: "later" as RootPhase, generation: 0 } }),
            (e: Error) => /args\.rootCA\.phase/.test(e.message) && /args\.rootCA\.generation/.test(e.message),
        );
    });

    it("refuses a rotation without multiRoot, and per-cluster phases naming no cluster, before anything registers", () => {
        assert.throws(
            () =>
                new IstioMesh("q", {
                    meshID: "mesh1",
                    clusters,
                    istio,
                    ca: { rootRotation: { phase: "trustBoth", clusterPhases: { zz: "trustBoth" } } },
                }),
            (e: Error) => /args\.ca\.multiRoot/.test(e.message) && /args\.ca\.rootRotation\.clusterPhases\.zz/.test(e.message),
        );
        assert.equal(mocks.resources.filter((r) => r.custom).length, 0);
    });
});
