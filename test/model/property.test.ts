/**
 * Property-based (fast-check): random valid configs always produce a model and register the mesh; random
 * configs with one hostile or careless change are always refused with a MeshConfigError naming a config
 * path, registering nothing; nothing ever crashes with another error. Fixed seed, so failures reproduce.
 */
import { strict as assert } from "assert";
import fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { MeshConfigError, parseMeshConfig } from "../../components/model";
import { RecordingMocks, runProgram } from "../helpers/mocks";

const SEED = 20261202;

/** A valid config of 1..4 clusters, with the legitimate variations stack config allows. */
const validConfig = fc
    .record({
        n: fc.integer({ min: 1, max: 4 }),
        meshID: fc.oneof(fc.constantFrom("mesh1", "prod", "m-2"), fc.integer({ min: 0, max: 99999 })),
        numericNetworks: fc.boolean(),
        loopback: fc.boolean(),
        tlsServerName: fc.option(fc.constantFrom("kubernetes.default.svc", "API.example.com", "10.0.0.1"), { nil: undefined }),
        serviceType: fc.constantFrom("LoadBalancer", "NodePort", "ClusterIP"),
        tag: fc.option(fc.oneof(fc.constant("1.30.3-distroless"), fc.integer({ min: 1, max: 999 })), { nil: undefined }),
        zone: fc.oneof(fc.constantFrom("zone1", "z-a"), fc.integer({ min: 0, max: 9 })),
        extraValues: fc.boolean(),
        ca: fc.option(
            fc.record({ intermediateValidityHours: fc.integer({ min: 2, max: 9000 }), early: fc.integer({ min: 0, max: 100 }) }),
            { nil: undefined },
        ),
    })
    .map((r) => {
        const c: any = {
            meshID: r.meshID,
            allowLoopbackApiServer: r.loopback,
            clusters: Array.from({ length: r.n }, (_, i) => ({
                name: `cluster${i + 1}`,
                context: `c${i + 1}-admin`,
                network: r.numericNetworks ? 100 + i : `network${i + 1}`,
                apiServerUrl: r.loopback ? `https://127.0.${i + 1}.1:6443` : `https://192.0.2.${i + 1}:6443`,
                ...(r.tlsServerName ? { tlsServerName: r.tlsServerName } : {}),
                eastWestGateway: { serviceType: r.serviceType },
                nodes: [{ name: `c${i + 1}n1`, region: `region${i + 1}`, zone: r.zone }],
            })),
            istio: {
                ...(r.tag !== undefined ? { tag: r.tag } : {}),
                ...(r.extraValues ? { values: { istiod: { pilot: { replicaCount: 2 } }, gateway: { labels: { team: "a" } } } } : {}),
            },
        };
        if (r.ca) {
            c.ca = {
                intermediateValidityHours: r.ca.intermediateValidityHours,
                earlyRenewalHours: Math.min(r.ca.early, r.ca.intermediateValidityHours - 1),
            };
        }
        return c;
    });

const HOSTILE_URLS = [
    "https://0.0.0.0:6443",
    "https://[::]:6443",
    "https://[::ffff:127.0.0.1]:6443",
    "https://169.254.1.1:6443",
    "https://[fe80::2]:6443",
    "https://169.254.169.254",
    "https://[fd00:ec2::254]",
    "https://metadata.google.internal",
    "https://u:p@192.0.2.77:6443",
    "https://192.0.2.77:6443?a=b",
    "https://192.0.2.77:6443#f",
    "http://192.0.2.77:6443",
    "ftp://192.0.2.77",
    "not a url",
];

/** One hostile or careless change, applied to cluster `i` (modulo the cluster count). */
const corruption = fc.oneof(
    fc.record({ kind: fc.constant("url" as const), url: fc.constantFrom(...HOSTILE_URLS) }),
    fc.constantFrom(
        { kind: "dupContext" as const },
        { kind: "dupName" as const },
        { kind: "dupUrl" as const },
        { kind: "badTls" as const },
        { kind: "ownedValue" as const },
        { kind: "badMeshID" as const },
        { kind: "caRule" as const },
        { kind: "unknownField" as const },
        { kind: "noNetwork" as const },
        { kind: "inlinePlainToken" as const },
        { kind: "inlineMissingContext" as const },
        { kind: "objectForString" as const },
        { kind: "loopbackWithoutFlag" as const },
    ),
);

function corrupt(c: any, k: { kind: string; url?: string }, i: number): void {
    const n = c.clusters.length;
    const at = c.clusters[i % n];
    const other = c.clusters[(i + 1) % n];
    switch (k.kind) {
        case "url":
            at.apiServerUrl = k.url;
            c.allowLoopbackApiServer = false; // a mapped loopback address is fine with the opt-in
            for (const o of c.clusters) if (o !== at && /127\.0\./.test(o.apiServerUrl)) o.apiServerUrl = o.apiServerUrl.replace("127.0.", "192.0.");
            if (n === 1) c.clusters.push({ ...structuredClone(at), name: "extra", context: "extra-admin", apiServerUrl: "https://192.0.2.99" });
            break;
        case "dupContext":
            if (n === 1) c.clusters.push({ ...structuredClone(at), name: "extra", apiServerUrl: "https://192.0.2.99" });
            else other.context = at.context;
            break;
        case "dupName":
            c.clusters.push({ ...structuredClone(at), context: "extra-admin", apiServerUrl: "https://192.0.2.99" });
            break;
        case "dupUrl":
            c.clusters.push({ ...structuredClone(at), name: "extra", context: "extra-admin" });
            break;
        case "badTls":
            at.tlsServerName = "bad name\t";
            break;
        case "ownedValue":
            c.istio.values = { istiod: { global: { network: "x" } } };
            break;
        case "badMeshID":
            c.meshID = "Mesh_1";
            break;
        case "caRule":
            c.ca = { rootValidityHours: 10, intermediateValidityHours: 20 };
            break;
        case "unknownField":
            at.apiServer = "https://192.0.2.1";
            break;
        case "noNetwork":
            delete at.network;
            break;
        case "inlinePlainToken":
            at.kubeconfig = `apiVersion: v1\ncurrent-context: x\nclusters: [{name: x, cluster: {server: "https://192.0.2.60"}}]\ncontexts: [{name: x, context: {cluster: x, user: x}}]\nusers: [{name: x, user: {token: secret-abc}}]\n`;
            delete at.context;
            break;
        case "inlineMissingContext":
            at.kubeconfig = `apiVersion: v1\ncontexts: []\n`;
            break;
        case "objectForString":
            at.name = { a: 1 };
            break;
        case "loopbackWithoutFlag":
            c.allowLoopbackApiServer = false;
            at.apiServerUrl = "https://127.0.0.1:6443";
            if (n === 1) c.clusters.push({ ...structuredClone(at), name: "extra", context: "extra-admin", apiServerUrl: "https://192.0.2.99" });
            break;
    }
}

const invalidConfig = fc.tuple(validConfig, corruption, fc.nat(3)).map(([valid, k, i]) => {
    const c = structuredClone(valid);
    corrupt(c, k, i);
    return { config: c, kind: k.kind };
});

function refusedWithPath(config: unknown): boolean {
    try {
        parseMeshConfig(config);
    } catch (e) {
        if (!(e instanceof MeshConfigError)) throw e;
        assert.ok(e.issues.length > 0);
        assert.ok(e.issues.some((i) => /^[A-Za-z]/.test(i.path)), `no config path in ${e.message}`);
        assert.ok(!e.message.includes("secret-abc"), "echoes a token");
        return true;
    }
    return false;
}

describe("property: random configs (fast-check)", function () {
    this.timeout(60_000);
    const mocks = new RecordingMocks();
    // The default kubeconfig ($KUBECONFIG) has a context for each generated cluster: test/helpers/defaultKubeconfig.ts.

    it("every valid config produces a model (300 configs)", () => {
        fc.assert(
            fc.property(validConfig, (c) => {
                const m = parseMeshConfig(c);
                assert.equal(m.clusters.length, c.clusters.length);
                assert.equal(m.meshID, String(c.meshID));
                assert.equal(m.links.length, c.clusters.length * (c.clusters.length - 1));
            }),
            { seed: SEED, numRuns: 300 },
        );
    });

    it("every config with one hostile change is refused with a config path (300 configs)", () => {
        fc.assert(
            fc.property(invalidConfig, ({ config }) => assert.ok(refusedWithPath(config), `accepted: ${JSON.stringify(config)}`)),
            { seed: SEED, numRuns: 300 },
        );
    });

    it("through the program: valid configs register the mesh, invalid ones register nothing (24 configs)", async () => {
        await fc.assert(
            fc.asyncProperty(fc.oneof(validConfig.map((config) => ({ config, valid: true })), invalidConfig.map(({ config }) => ({ config, valid: false }))), async ({ config, valid }) => {
                if (valid) {
                    await runProgram(mocks, config);
                    assert.equal(mocks.ofType("kubernetes:core/v1:Namespace").filter((n) => n.inputs.metadata.name === "istio-system").length, config.clusters.length);
                } else {
                    await assert.rejects(runProgram(mocks, config), (e: unknown) => pulumi.RunError.isInstance(e as Error) && /clusters|meshID|istio|ca\./.test((e as Error).message));
                    assert.equal(mocks.resources.length, 0);
                }
            }),
            { seed: SEED, numRuns: 24 },
        );
    });
});
