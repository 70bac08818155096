/**
 * SharedRootCA — the mesh's common trust: one root CA and one intermediate CA per cluster signed by it, shaped
 * like Istio's tools/certs Makefile.selfsigned.mk output (`root-ca`, `<cluster>-cacerts`), so each cluster's
 * istiod signs workload certificates the other clusters' workloads trust.
 */
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { ArgsIssues } from "./argsErrors";
import { sharedRootCAArgsIssues } from "./argsChecks";
import { EcdsaCurve, ISTIO_NAMESPACE, KeyAlgorithm } from "./model";
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
}

/**
 * A root CA shared by every cluster and one intermediate CA per cluster signed by it, so workloads in
 * different clusters trust each other without federation. Outputs per cluster the four `cacerts` entries.
 */
export class SharedRootCA extends pulumi.ComponentResource {
    /** Root certificate, PEM (plain: it is public). */
    public readonly rootCertPem: pulumi.Output<string>;
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
        const child = { parent: this };

        let rootCertPem: pulumi.Output<string>;
        let rootKeyPem: pulumi.Output<string>;
        if (args.existingRoot) {
            rootCertPem = pulumi.output(args.existingRoot.certPem);
            rootKeyPem = pulumi.secret(args.existingRoot.keyPem);
        } else {
            const subject = { organization: "Istio", commonName: "Root CA" };
            const validityPeriodHours = args.rootValidityHours ?? 87600;
            // Beside the CA (its parent), not inside it: the CA's children are the certificates and keys.
            const guard =
                args.identityGuard === false
                    ? undefined
                    : new RootCAIdentityGuard(
                          `${name}-root-identity`,
                          {
                              identity: { ...keyArgs, ...subject, validityPeriodHours },
                              allowReplacement: args.allowRootReplacement ?? false,
                          },
                          { parent: opts?.parent },
                      );
            const guarded = {
                parent: this,
                protect: (args.protectRoot ?? true) && !args.allowRootReplacement,
                dependsOn: guard ? [guard] : [],
            };
            const rootKey = new tls.PrivateKey(`${name}-root`, keyArgs, guarded);
            const rootCert = new tls.SelfSignedCert(
                `${name}-root`,
                {
                    privateKeyPem: rootKey.privateKeyPem,
                    subject,
                    isCaCertificate: true,
                    setSubjectKeyId: true,
                    allowedUses: CA_KEY_USAGES,
                    validityPeriodHours,
                },
                guarded,
            );
            rootCertPem = rootCert.certPem;
            rootKeyPem = rootKey.privateKeyPem;
        }
        this.rootCertPem = rootCertPem;

        const epoch = args.rotationEpoch ?? "1";
        this.caCertsByCluster = {};
        for (const cluster of args.clusterNames) {
            const rotate = { parent: this, replacementTrigger: epoch };
            const key = new tls.PrivateKey(`${name}-${cluster}`, keyArgs, rotate);
            const csr = new tls.CertRequest(
                `${name}-${cluster}`,
                {
                    privateKeyPem: key.privateKeyPem,
                    subject: { organization: "Istio", commonName: "Intermediate CA", locality: cluster },
                    dnsNames: [args.intermediateSanDns ?? `istiod.${ISTIO_NAMESPACE}.svc`],
                },
                child,
            );
            const cert = new tls.LocallySignedCert(
                `${name}-${cluster}`,
                {
                    certRequestPem: csr.certRequestPem,
                    caCertPem: rootCertPem,
                    caPrivateKeyPem: rootKeyPem,
                    isCaCertificate: true,
                    maxPathLength: 0,
                    setSubjectKeyId: true,
                    allowedUses: CA_KEY_USAGES,
                    validityPeriodHours: args.intermediateValidityHours ?? 8760,
                    earlyRenewalHours: args.earlyRenewalHours ?? 720,
                },
                rotate,
            );
            this.caCertsByCluster[cluster] = {
                "ca-cert.pem": cert.certPem,
                "ca-key.pem": pulumi.secret(key.privateKeyPem),
                "root-cert.pem": rootCertPem,
                "cert-chain.pem": pulumi.interpolate`${cert.certPem}${rootCertPem}`,
            };
        }

        this.registerOutputs({ rootCertPem: this.rootCertPem, caCertsByCluster: this.caCertsByCluster });
    }
}
