/**
 * The dynamic provider behind {@link RootCAIdentityGuard}: it remembers the generated root CA's identity (what
 * makes the `tls` root key or certificate replace) and refuses, in `check` (so `pulumi preview` already fails),
 * a new identity unless replacement is allowed.
 *
 * This module is serialised into the stack (Pulumi dynamic providers are stored as the closure of their
 * functions): it imports nothing, and its functions reference only each other and plain values.
 */

/** Everything about the generated root whose change makes `tls.PrivateKey` or `tls.SelfSignedCert` replace. */
export interface RootCAIdentity {
    /** `RSA` or `ECDSA` (SharedRootCAArgs.keyAlgorithm / ca.keyAlgorithm). */
    algorithm: string;
    /** RSA key size (only with RSA). */
    rsaBits?: number;
    /** ECDSA curve (only with ECDSA). */
    ecdsaCurve?: string;
    /** Subject organization (O=). */
    organization: string;
    /** Subject common name (CN=). */
    commonName: string;
    /** Validity of the root certificate, in hours. */
    validityPeriodHours: number;
}

/** Inputs of the guard. */
export interface RootCAIdentityGuardInputs {
    /** The root's identity as the program would create it now. */
    identity: RootCAIdentity;
    /** True when this `up` may replace the root (SharedRootCAArgs.allowRootReplacement / ca.allowRootReplacement). */
    allowReplacement: boolean;
    /**
     * Why this root must already exist: set when creating it now would make a new root where the mesh trusts an
     * earlier one of the same generation (a root rotation rolled back after the old root left the stack).
     */
    refuseCreation?: string;
}

/** Which identity fields differ between `before` and `after`, as `field: old -> new`. */
export function identityChanges(before: RootCAIdentity | undefined, after: RootCAIdentity): string[] {
    if (!before) return [];
    const fields: (keyof RootCAIdentity)[] = ["algorithm", "rsaBits", "ecdsaCurve", "organization", "commonName", "validityPeriodHours"];
    const show = (v: unknown) => (v === undefined || v === null ? "unset" : String(v));
    return fields.filter((f) => show(before[f]) !== show(after[f])).map((f) => `${f}: ${show(before[f])} -> ${show(after[f])}`);
}

/** The refusal: what changed, why it matters, and both ways out. */
export function replacementRefusal(changes: string[]): string {
    return (
        `this change would replace the mesh's root CA (${changes.join("; ")}). Every intermediate would be re-issued ` +
        `and, until every istiod has reloaded, workloads in different clusters would not trust each other. ` +
        `Revert the change, or, to replace the root on purpose, set ca.allowRootReplacement to true for this ` +
        `\`pulumi up\` (\`pulumi config set --path --type bool 'istio-multicluster:ca.allowRootReplacement' true\`; library users: ` +
        `SharedRootCAArgs.allowRootReplacement, or IstioMeshArgs.ca.allowRootReplacement) and set it back afterwards.`
    );
}

/** What `check` returns (the shape of pulumi.dynamic.CheckResult). */
export interface GuardCheckResult {
    /** The inputs, unchanged. */
    inputs: RootCAIdentityGuardInputs;
    /** Present when the identity changed without `allowReplacement`. */
    failures?: { property: string; reason: string }[];
}

/** The dynamic provider (plain object; its methods are what the stack stores). */
export const rootCAIdentityProvider = {
    /** Refuses a changed identity unless replacement is allowed; `olds` is empty on the first create. */
    check(olds: Partial<RootCAIdentityGuardInputs>, news: RootCAIdentityGuardInputs): Promise<GuardCheckResult> {
        if (!olds?.identity && news.refuseCreation) {
            return Promise.resolve({ inputs: news, failures: [{ property: "identity", reason: news.refuseCreation }] });
        }
        const changes = identityChanges(olds?.identity, news.identity);
        if (!changes.length || news.allowReplacement) return Promise.resolve({ inputs: news });
        return Promise.resolve({ inputs: news, failures: [{ property: "identity", reason: replacementRefusal(changes) }] });
    },
    /** Changes only when the identity does (never on `allowReplacement` alone), and never a replacement of the guard. */
    diff(_id: string, olds: { identity?: RootCAIdentity }, news: RootCAIdentityGuardInputs) {
        return Promise.resolve({
            changes: identityChanges(olds?.identity, news.identity).length > 0,
            replaces: [],
            deleteBeforeReplace: false,
        });
    },
    /** Records the identity. */
    create(inputs: RootCAIdentityGuardInputs) {
        return Promise.resolve({ id: "root-ca-identity", outs: { identity: inputs.identity } });
    },
    /** Records the new identity (reached only when replacement was allowed). */
    update(_id: string, _olds: unknown, news: RootCAIdentityGuardInputs) {
        return Promise.resolve({ outs: { identity: news.identity } });
    },
} satisfies import("@pulumi/pulumi").dynamic.ResourceProvider;
