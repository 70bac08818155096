/**
 * SharedRootCA — the mesh's common trust: one root CA and one intermediate CA per cluster signed by it, shaped
 * like Istio's tools/certs Makefile.selfsigned.mk output (`root-ca`, `<cluster>-cacerts`), so each cluster's
 * istiod signs workload certificates the other clusters' workloads trust.
 */
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { ArgsIssues } from "./argsErrors";
import { sharedRootCAArgsIssues } from "./argsChecks";
import {
    clusterRootPlan,
    EcdsaCurve,
    generationSuffix,
    ISTIO_NAMESPACE,
    KeyAlgorithm,
    RootPhase,
    rootCommonName,
    rootSigns,
    rootsInStack,
    RootState,
} from "./model";
import { RootCAIdentityGuard } from "./rootCAIdentityGuard";

/** Key usages of both root and intermediates (Makefile: digitalSignature, nonRepudiation, keyEncipherment, keyCertSign). */
const CA_KEY_USAGES = ["digital_signature", "content_commitment", "key_encipherment", "cert_signing"];

/**
 * The four entries of a `cacerts` Secret, as istiod reads them from /etc/cacerts. A type alias (not an
 * interface), so that it is also a `Record<string, Input<string>>`: the shape MeshCluster's `caCerts` takes in
 * every Pulumi language (keys such as `ca-cert.pem` are no identifier in Go or Python).
 */
export type CaCertsBundle = {
    /** Intermediate (signing) certificate, PEM. */
    "ca-cert.pem": pulumi.Output<string>;
    /** Intermediate private key, PEM. Secret. */
    "ca-key.pem": pulumi.Output<string>;
    /** Shared root certificate, PEM. */
    "root-cert.pem": pulumi.Output<string>;
    /** Intermediate followed by root, PEM. */
    "cert-chain.pem": pulumi.Output<string>;
};

/** An existing root CA to sign the intermediates with, instead of generating one. */
export interface ExistingRootCA {
    /** Root certificate, PEM. */
    certPem: pulumi.Input<string>;
    /** Root private key, PEM. Pass a secret (e.g. `config.requireSecret(...)`); it is treated as one either way. */
    keyPem: pulumi.Input<string>;
}

/** Arguments of {@link SharedRootCA}. */
export interface SharedRootCAArgs {
    /** Clusters to issue an intermediate CA for; each name becomes the intermediate's `L=` and its output key. */
    clusterNames: string[];
    /**
     * Key algorithm for the root and the intermediates.
     * @default "RSA"
     */
    keyAlgorithm?: KeyAlgorithm;
    /**
     * RSA key size in bits (Istio's Makefiles use 4096).
     * @default 4096
     */
    rsaBits?: number;
    /**
     * ECDSA curve when `keyAlgorithm` is `"ECDSA"`.
     * @default "P256"
     */
    ecdsaCurve?: EcdsaCurve;
    /**
     * Validity of a generated root, in hours.
     * @default 87600 (10 years, as ROOTCA_DAYS=3650)
     */
    rootValidityHours?: number;
    /**
     * Validity of each intermediate, in hours. Must be shorter than the root's.
     * @default 8760 (1 year)
     */
    intermediateValidityHours?: number;
    /**
     * An intermediate is re-issued on the first `pulumi up` within this many hours of its expiry.
     * @default 720 (30 days)
     */
    earlyRenewalHours?: number;
    /**
     * Changing this value re-issues every intermediate (new key and certificate) on the next `pulumi up`;
     * istiod reloads plugged-in certs from the mounted Secret. The root is unaffected.
     * @default "1"
     */
    rotationEpoch?: pulumi.Input<string>;
    /**
     * Mark the generated root's key and certificate `protect`: a `pulumi destroy` or a removal from the program
     * then fails with Pulumi's "marked for protection" error instead of discarding the key every workload
     * certificate chains to. The root lives only in Pulumi state (it is a `tls` resource), so `retainOnDelete`
     * would keep nothing; `protect` is what guards it. A change that would replace the root is refused earlier,
     * whatever this says, by the root's identity guard (see `allowRootReplacement`). No effect with `existingRoot`.
     * @default true
     * @see https://www.pulumi.com/docs/iac/concepts/options/protect/
     */
    protectRoot?: boolean;
    /**
     * Allow an `up` to replace the generated root (and lift `protectRoot`). Without it, a change of `keyAlgorithm`,
     * `rsaBits`, `ecdsaCurve`, `rootValidityHours` or the root's subject fails already in `pulumi preview` with an
     * error naming this arg (stack config: `ca.allowRootReplacement`), raised by a `RootCAIdentityGuard` resource
     * that remembers the root's identity. With it, every intermediate is re-issued and, until all istiods reload,
     * workloads in different clusters do not trust each other.
     * @default false
     * @see docs/root-ca.md
     */
    allowRootReplacement?: boolean;
    /**
     * Create the `RootCAIdentityGuard` that enforces `allowRootReplacement`. It is a Node.js dynamic resource: the
     * engine serves it with the `pulumi-resource-pulumi-nodejs` plugin (shipped with the Pulumi CLI), which loads
     * `@pulumi/pulumi` from the program's directory. TypeScript and JavaScript programs have it; programs in other
     * languages (through the component package) do not, so there it is off unless set, and a root-replacing
     * change is stopped by `protectRoot` alone (Pulumi's "marked for protection" error).
     * @default true in Node.js programs; false through the component package (docs/other-languages.md)
     * @see docs/root-ca.md
     */
    identityGuard?: boolean;
    /** Sign the intermediates with this existing root instead of generating one. */
    existingRoot?: ExistingRootCA;
    /**
     * DNS SAN of the intermediates (Makefile INTERMEDIATE_SAN_DNS).
     * @default "istiod.istio-system.svc"
     */
    intermediateSanDns?: string;
    /**
     * Generation of the current root (A): 1 for the mesh's first root. After a rotation reached `newOnly` on every
     * cluster, raise it by one and drop `rootRotation`: the same resources, a no-op `up`. Roots and intermediates of
     * generation 1 keep their names (`<name>-root`, `<name>-<cluster>`); later ones end in `-g<N>`, and a generated
     * root of generation N > 1 is `CN=Root CA GN`.
     * @default 1
     * @see docs/root-ca.md
     */
    rootGeneration?: number;
    /**
     * A rotation from the current root A to the next root B, one phase per `pulumi up` (IstioMesh and MeshCluster
     * need `multiRoot` for it). Rolling back is setting the previous phase.
     * @default none
     * @see docs/root-ca.md
     */
    rootRotation?: SharedRootRotationArgs;
}

/** A root rotation in progress: every cluster's phase, and where the next root comes from. */
export interface SharedRootRotationArgs {
    /** The phase of every cluster not named in `clusterPhases` (see {@link RootPhase}). */
    phase: RootPhase;
    /**
     * Per-cluster phase, to move clusters one at a time; every cluster stays within one phase of the others.
     * @default {}
     */
    clusterPhases?: Record<string, RootPhase>;
    /**
     * Sign with this existing root as B instead of generating one. After the rotation, pass it as `existingRoot`.
     * @default a generated root (same key settings as A)
     */
    nextRoot?: ExistingRootCA;
}

/**
 * A root CA shared by every cluster and one intermediate CA per cluster signed by it, so workloads in
 * different clusters trust each other without federation. Outputs per cluster the four `cacerts` entries.
 * During a root rotation it holds both roots and gives each cluster the bundle and signer its phase calls for.
 */
export class SharedRootCA extends pulumi.ComponentResource {
    /**
     * The root certificate every cluster trusts, PEM (plain: it is public): the current root, or once every
     * cluster of a rotation is at `newOnly`, the next.
     */
    public readonly rootCertPem: pulumi.Output<string>;
    /** Every root the stack holds (one, or two during a rotation), PEM, the older first. */
    public readonly trustBundlePem: pulumi.Output<string>;
    /** Each cluster's root generation and rotation phase (plain values, for MeshCluster's `rootCA`). */
    public readonly rootStates: Record<string, RootState>;
    /**
     * Per-cluster `cacerts` entries (`ca-cert.pem`, `ca-key.pem`, `root-cert.pem`, `cert-chain.pem`); `ca-key.pem`
     * is a secret. The same object as {@link caCerts}, typed as maps for the other Pulumi languages.
     */
    public readonly caCertsByCluster: Record<string, Record<string, pulumi.Output<string>>>;
    /** Per-cluster `cacerts` entries; `ca-key.pem` is a secret. */
    public get caCerts(): Record<string, CaCertsBundle> {
        return this.caCertsByCluster as Record<string, CaCertsBundle>;
    }

    /**
     * @param name The _unique_ name of this component.
     * @param args Clusters and key/validity settings.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: SharedRootCAArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:SharedRootCA", name, {}, opts);
        const issues = new ArgsIssues("SharedRootCA");
        for (const i of sharedRootCAArgsIssues(args)) issues.add(i.propertyPath, i.reason);
        issues.throwIfAny(this);

        const keyArgs = {
            algorithm: args.keyAlgorithm ?? "RSA",
            rsaBits: (args.keyAlgorithm ?? "RSA") === "RSA" ? (args.rsaBits ?? 4096) : undefined,
            ecdsaCurve: args.keyAlgorithm === "ECDSA" ? (args.ecdsaCurve ?? "P256") : undefined,
        };
        const generation = args.rootGeneration ?? 1;
        const rotation = args.rootRotation;
        this.rootStates = Object.fromEntries(
            args.clusterNames.map((c) => [
                c,
                { generation, phase: rotation ? (rotation.clusterPhases?.[c] ?? rotation.phase) : "oldOnly" },
            ]),
        );
        const phases = Object.values(this.rootStates).map((s) => s.phase);

        const roots: Record<number, { certPem: pulumi.Output<string>; keyPem: pulumi.Output<string> }> = {};
        for (const gen of rootsInStack(generation, phases)) {
            const existing = gen === generation ? args.existingRoot : rotation?.nextRoot;
            roots[gen] = existing
                ? { certPem: pulumi.output(existing.certPem), keyPem: pulumi.secret(existing.keyPem) }
                : generatedRoot(name, gen, keyArgs, {
                      parent: this,
                      guardParent: opts?.parent,
                      validityPeriodHours: args.rootValidityHours ?? 87600,
                      identityGuard: args.identityGuard !== false,
                      allowRootReplacement: args.allowRootReplacement ?? false,
                      protect: (args.protectRoot ?? true) && !args.allowRootReplacement && rootSigns(gen, generation, phases),
                      // The old root is never created anew mid-rotation: it would be another key than the one trusted.
                      refuseCreation:
                          gen === generation && phases.some((p) => p === "signWithNew" || p === "newOnly")
                              ? oldRootGoneRefusal(generation)
                              : undefined,
                  });
        }
        const gens = Object.keys(roots).map(Number);
        this.rootCertPem = roots[gens[0]!]!.certPem;
        this.trustBundlePem = pulumi.all(gens.map((g) => roots[g]!.certPem)).apply((pems) => pems.join(""));

        const epoch = args.rotationEpoch ?? "1";
        this.caCertsByCluster = {};
        for (const cluster of args.clusterNames) {
            const plan = clusterRootPlan(this.rootStates[cluster]!);
            const signer = roots[plan.signWith]!;
            const n = `${name}-${cluster}${generationSuffix(plan.signWith)}`;
            const rotate = { parent: this, replacementTrigger: epoch };
            const key = new tls.PrivateKey(n, keyArgs, rotate);
            const csr = new tls.CertRequest(
                n,
                {
                    privateKeyPem: key.privateKeyPem,
                    subject: { organization: "Istio", commonName: "Intermediate CA", locality: cluster },
                    dnsNames: [args.intermediateSanDns ?? `istiod.${ISTIO_NAMESPACE}.svc`],
                },
                { parent: this },
            );
            const cert = new tls.LocallySignedCert(
                n,
                {
                    certRequestPem: csr.certRequestPem,
                    caCertPem: signer.certPem,
                    caPrivateKeyPem: signer.keyPem,
                    isCaCertificate: true,
                    maxPathLength: 0,
                    setSubjectKeyId: true,
                    allowedUses: CA_KEY_USAGES,
                    validityPeriodHours: args.intermediateValidityHours ?? 8760,
                    earlyRenewalHours: args.earlyRenewalHours ?? 720,
                },
                rotate,
            );
            // The old root's PEM text first and unchanged: Istio 1.29 accepts a new bundle only if one contains the other.
            const bundle = pulumi.all(plan.trust.map((g) => roots[g]!.certPem)).apply((pems: string[]) => pems.join(""));
            this.caCertsByCluster[cluster] = {
                "ca-cert.pem": cert.certPem,
                "ca-key.pem": pulumi.secret(key.privateKeyPem),
                "root-cert.pem": bundle,
                "cert-chain.pem": pulumi.interpolate`${cert.certPem}${signer.certPem}`,
            };
        }

        this.registerOutputs({
            rootCertPem: this.rootCertPem,
            trustBundlePem: this.trustBundlePem,
            caCertsByCluster: this.caCertsByCluster,
        });
    }
}

/** Settings of one generated root. */
interface GeneratedRootOptions {
    parent: pulumi.Resource;
    guardParent?: pulumi.Resource;
    validityPeriodHours: number;
    identityGuard: boolean;
    allowRootReplacement: boolean;
    protect: boolean;
    refuseCreation?: string;
}

/** A generated root of generation `gen`: its identity guard (beside the CA), key and self-signed certificate. */
function generatedRoot(
    name: string,
    gen: number,
    keyArgs: { algorithm: string; rsaBits?: number; ecdsaCurve?: string },
    o: GeneratedRootOptions,
): { certPem: pulumi.Output<string>; keyPem: pulumi.Output<string> } {
    const n = `${name}-root${generationSuffix(gen)}`;
    const subject = { organization: "Istio", commonName: rootCommonName(gen) };
    // Beside the CA (its parent), not inside it: the CA's children are the certificates and keys.
    const guard = o.identityGuard
        ? new RootCAIdentityGuard(
              `${n}-identity`,
              {
                  identity: { ...keyArgs, ...subject, validityPeriodHours: o.validityPeriodHours },
                  allowReplacement: o.allowRootReplacement,
                  refuseCreation: o.refuseCreation,
              },
              { parent: o.guardParent },
          )
        : undefined;
    const guarded = { parent: o.parent, protect: o.protect, dependsOn: guard ? [guard] : [] };
    const rootKey = new tls.PrivateKey(n, keyArgs, guarded);
    const rootCert = new tls.SelfSignedCert(
        n,
        {
            privateKeyPem: rootKey.privateKeyPem,
            subject,
            isCaCertificate: true,
            setSubjectKeyId: true,
            allowedUses: CA_KEY_USAGES,
            validityPeriodHours: o.validityPeriodHours,
        },
        guarded,
    );
    return { certPem: rootCert.certPem, keyPem: rootKey.privateKeyPem };
}

/** Why the old root may not be created mid-rotation. */
export function oldRootGoneRefusal(generation: number): string {
    return (
        `root generation ${generation} is not in the stack, yet clusters would still trust it: it left the stack when every ` +
        `cluster reached newOnly, and creating it now would make a new key that no workload certificate chains to. ` +
        `A rotation cannot be rolled back past newOnly with a generated root: go forward (set ca.rootGeneration to ${generation + 1} ` +
        `and remove ca.rootRotation), or restore the old root as an existing root (docs/root-ca.md)`
    );
}
