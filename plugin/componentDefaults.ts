/**
 * Defaults that differ when a component is constructed for a program in another language (through this package)
 * rather than in a Node.js program.
 *
 * The root CA's identity guard (SharedRootCAArgs.identityGuard) is a Node.js dynamic resource: the engine serves
 * it with `pulumi-resource-pulumi-nodejs`, which loads `@pulumi/pulumi` from the *program's* directory. A Pulumi
 * YAML, Python, Go, .NET or Java program has none there, so the guard would fail the `up`; here it defaults to off.
 */
import { Inputs, Output } from "@pulumi/pulumi";
import { isPlainObject } from "../components/model/config/objects";

/**
 * `inputs` of the component `type` with `identityGuard: false` where the caller left it unset: at the top level of
 * SharedRootCA, and in `ca` of IstioMesh. An explicit value (true or false) is kept; inputs of other types are
 * returned as they are.
 */
export function withIdentityGuardDefault(type: string, inputs: Inputs): Inputs {
    const component = type.split(":")[2];
    if (component === "SharedRootCA") {
        return inputs.identityGuard === undefined ? { ...inputs, identityGuard: false } : inputs;
    }
    if (component === "IstioMesh") {
        const ca: unknown = inputs.ca ?? {};
        // An Output (a wholly unknown or secret `ca`) is left alone: IstioMesh takes `ca` as plain values.
        if (Output.isInstance(ca) || !isPlainObject(ca) || ca.identityGuard !== undefined) return inputs;
        return { ...inputs, ca: { ...ca, identityGuard: false } };
    }
    return inputs;
}
