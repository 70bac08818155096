/**
 * The root CA identity guard: its provider's check refuses a change that would replace the root (naming
 * ca.allowRootReplacement) unless allowed, its diff reports nothing for an unchanged identity, it never replaces
 * itself, it serialises without heavy captures, and SharedRootCA wires the root key and certificate behind it.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { SharedRootCA } from "../../components";
import { RootCAIdentityGuard } from "../../components/rootCAIdentityGuard";
import { RootCAIdentity, RootCAIdentityGuardInputs, rootCAIdentityProvider } from "../../components/rootCAIdentityProvider";
import { withIdentityGuardDefault } from "../../plugin/componentDefaults";
import { promiseOf, RecordingMocks, setMocks, settle } from "../helpers/mocks";

const RSA: RootCAIdentity = { algorithm: "RSA", rsaBits: 4096, organization: "Istio", commonName: "Root CA", validityPeriodHours: 87600 };
const inputs = (identity: RootCAIdentity, allowReplacement = false): RootCAIdentityGuardInputs => ({ identity, allowReplacement });

describe("root CA identity guard: provider", () => {
    const { check, diff, create, update } = rootCAIdentityProvider;

    it("accepts the first identity (nothing in state) and an unchanged one", async () => {
        assert.deepEqual(await check({}, inputs(RSA)), { inputs: inputs(RSA) });
        assert.deepEqual(await check(inputs(RSA), inputs({ ...RSA })), { inputs: inputs(RSA) });
    });

    const changes: [string, RootCAIdentity, RegExp][] = [
        [
            "key algorithm",
            { ...RSA, algorithm: "ECDSA", rsaBits: undefined, ecdsaCurve: "P256" },
            /algorithm: RSA -> ECDSA; rsaBits: 4096 -> unset; ecdsaCurve: unset -> P256/,
        ],
        ["RSA bits", { ...RSA, rsaBits: 2048 }, /rsaBits: 4096 -> 2048/],
        ["subject", { ...RSA, commonName: "Other Root" }, /commonName: Root CA -> Other Root/],
        ["validity", { ...RSA, validityPeriodHours: 1000 }, /validityPeriodHours: 87600 -> 1000/],
    ];
    for (const [what, changed, says] of changes) {
        it(`refuses a ${what} change, naming ca.allowRootReplacement and the arg`, async () => {
            const r = await check(inputs(RSA), inputs(changed));
            assert.equal(r.failures?.length, 1);
            const reason = r.failures![0].reason;
            assert.equal(r.failures![0].property, "identity");
            assert.match(reason, says);
            assert.match(reason, /would replace the mesh's root CA/);
            assert.match(reason, /pulumi config set --path --type bool 'istio-multicluster:ca\.allowRootReplacement' true/);
            assert.match(reason, /SharedRootCAArgs\.allowRootReplacement/);
        });
        it(`allows a ${what} change with allowReplacement, as an in-place update of the guard`, async () => {
            assert.deepEqual(await check(inputs(RSA), inputs(changed, true)), { inputs: inputs(changed, true) });
            assert.deepEqual(await diff("root-ca-identity", { identity: RSA }, inputs(changed, true)), {
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            });
            assert.deepEqual(await update("root-ca-identity", { identity: RSA }, inputs(changed, true)), { outs: { identity: changed } });
        });
    }

    it("reports no diff for an unchanged identity, whatever allowReplacement says (no perpetual diff)", async () => {
        for (const allow of [false, true]) {
            assert.equal((await diff("root-ca-identity", { identity: RSA }, inputs({ ...RSA }, allow))).changes, false);
        }
    });

    it("records the identity on create", async () => {
        assert.deepEqual(await create(inputs(RSA, true)), { id: "root-ca-identity", outs: { identity: RSA } });
    });

    it("serialises small, capturing no module (what the stack stores as __provider)", async () => {
        const sf = await pulumi.runtime.serializeFunction(() => rootCAIdentityProvider);
        assert.doesNotMatch(sf.text, /require\(/);
        assert.ok(sf.text.length < 20000, `serialised provider is ${sf.text.length} chars`);
        assert.match(sf.text, /would replace the mesh's root CA/);
    });
});

describe("root CA identity guard: SharedRootCA wiring (mocks)", () => {
    const mocks = new RecordingMocks();
    const GUARD = "pulumi-nodejs:dynamic/istio-multicluster:RootCAIdentityGuard";
    before(async () => {
        await setMocks(mocks, "rootguard");
    });
    beforeEach(() => mocks.reset());

    it("registers one guard with the root's identity, before the root key and certificate", async () => {
        new SharedRootCA("g", { clusterNames: ["a"], keyAlgorithm: "ECDSA", ecdsaCurve: "P384", rootValidityHours: 50000 });
        await settle(mocks);
        const guards = mocks.ofType(GUARD);
        assert.equal(guards.length, 1);
        assert.equal(guards[0].name, "g-root-identity");
        assert.deepEqual(guards[0].inputs.identity, {
            algorithm: "ECDSA",
            ecdsaCurve: "P384",
            organization: "Istio",
            commonName: "Root CA",
            validityPeriodHours: 50000,
        });
        assert.equal(guards[0].inputs.allowReplacement, false);
        assert.equal(typeof guards[0].inputs.__provider, "string");
        const order = mocks.resources.map((r) => `${r.type}::${r.name}`);
        const at = (t: string) => order.indexOf(t);
        assert.ok(at(`${GUARD}::g-root-identity`) < at("tls:index/privateKey:PrivateKey::g-root"), order.join(", "));
        assert.ok(at(`${GUARD}::g-root-identity`) < at("tls:index/selfSignedCert:SelfSignedCert::g-root"), order.join(", "));
    });

    it("exposes the identity the engine recorded as its output (not reset by a class field)", async () => {
        const guard = new RootCAIdentityGuard("out", { identity: RSA });
        assert.ok(pulumi.Output.isInstance(guard.identity), "identity is an Output");
        assert.deepEqual(await promiseOf(guard.identity), RSA);
    });

    it("passes allowRootReplacement on, and registers no guard for an existing root", async () => {
        new SharedRootCA("ok", { clusterNames: ["a"], allowRootReplacement: true });
        new SharedRootCA("byo", { clusterNames: ["a"], existingRoot: { certPem: "C", keyPem: "K" } });
        await settle(mocks);
        assert.deepEqual(
            mocks.ofType(GUARD).map((g) => [g.name, g.inputs.allowReplacement]),
            [["ok-root-identity", true]],
        );
    });
});

describe("root CA identity guard: component package default (other languages)", () => {
    it("is off for SharedRootCA and IstioMesh.ca unless set, and an explicit value is kept", () => {
        assert.equal(withIdentityGuardDefault("istio-multicluster:index:SharedRootCA", { clusterNames: ["a"] }).identityGuard, false);
        assert.equal(withIdentityGuardDefault("istio-multicluster:index:SharedRootCA", { identityGuard: true }).identityGuard, true);
        assert.deepEqual(withIdentityGuardDefault("istio-multicluster:index:IstioMesh", { meshID: "m" }).ca, { identityGuard: false });
        assert.deepEqual(withIdentityGuardDefault("istio-multicluster:index:IstioMesh", { ca: { protectRoot: false } }).ca, {
            protectRoot: false,
            identityGuard: false,
        });
        assert.deepEqual(withIdentityGuardDefault("istio-multicluster:index:IstioMesh", { ca: { identityGuard: true } }).ca, {
            identityGuard: true,
        });
        const unknownCa = { ca: pulumi.output({ protectRoot: false }) };
        assert.equal(withIdentityGuardDefault("istio-multicluster:index:IstioMesh", unknownCa), unknownCa, "an Output ca is not spread");
        const other = { clusterName: "c1" };
        assert.equal(withIdentityGuardDefault("istio-multicluster:index:MeshCluster", other), other);
    });
});
