/**
 * Policy factories. Every policy of the pack is a function of its enforcement level, so a user's pack can take the
 * same check at another level (`remoteSecretShape("advisory")`); these build that function from the definition.
 */
import { EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/** A resource policy at `level`, `defaultLevel` unless told. */
export function resourcePolicy(
    definition: Omit<ResourceValidationPolicy, "enforcementLevel">,
    defaultLevel: EnforcementLevel = "mandatory",
): (level?: EnforcementLevel) => ResourceValidationPolicy {
    return (level = defaultLevel) => ({ ...definition, enforcementLevel: level });
}

/** A stack policy at `level`, `defaultLevel` unless told. */
export function stackPolicy(
    definition: Omit<StackValidationPolicy, "enforcementLevel">,
    defaultLevel: EnforcementLevel = "mandatory",
): (level?: EnforcementLevel) => StackValidationPolicy {
    return (level = defaultLevel) => ({ ...definition, enforcementLevel: level });
}
