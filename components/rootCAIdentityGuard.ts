/**
 * RootCAIdentityGuard — turns a change that would replace the generated root CA into an explicit error naming
 * `ca.allowRootReplacement`, during `pulumi preview` already, instead of Pulumi's generic "marked for protection"
 * (or, with protection off, a silent replacement of the key every workload certificate chains to).
 */
import * as pulumi from "@pulumi/pulumi";
import { RootCAIdentity, rootCAIdentityProvider } from "./rootCAIdentityProvider";

/** Arguments of {@link RootCAIdentityGuard}. */
export interface RootCAIdentityGuardArgs {
    /** The root's identity as the program would create it now. */
    identity: RootCAIdentity;
    /**
     * Let the identity change (and the root be replaced) in this `up`.
     * @default false
     */
    allowReplacement?: boolean;
    /**
     * Fail in `check` (so in `pulumi preview`) with this reason if the guard, and so the root, would be created now.
     * @default unset: creation is fine
     */
    refuseCreation?: string;
}

/**
 * A dynamic resource holding the root's {@link RootCAIdentity}. Its `check` compares the identity with the one in
 * state and fails when it changed and replacement is not allowed; the root key and certificate depend on it, so
 * the engine never reaches their replacement. Identity unchanged: no diff. Changed and allowed: an in-place update.
 */
export class RootCAIdentityGuard extends pulumi.dynamic.Resource {
    /**
     * The identity recorded in state. Declared only (`declare`): with ES2022 class fields an initialised field
     * would overwrite, after `super()`, the output the engine set on the resource.
     */
    declare public readonly identity: pulumi.Output<RootCAIdentity>;

    /**
     * @param name The _unique_ name of this resource.
     * @param args The identity and whether it may change.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: RootCAIdentityGuardArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            rootCAIdentityProvider,
            name,
            {
                identity: args.identity,
                allowReplacement: args.allowReplacement ?? false,
                ...(args.refuseCreation ? { refuseCreation: args.refuseCreation } : {}),
            },
            opts,
            "istio-multicluster",
            "RootCAIdentityGuard",
        );
    }
}
