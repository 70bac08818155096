/**
 * Every policy of the pack at its default enforcement level: what index.ts serves, and what tests run over
 * the program's own output.
 */
import { Policies } from "@pulumi/policy";
import { resourcePolicies } from "./resourcePolicies";
import { stackPolicies } from "./stackPolicies";
import { meshTeardownGuard } from "./teardownGuard";

/** The pack's policies. */
export function packPolicies(): Policies {
    return [...resourcePolicies(), ...stackPolicies(), meshTeardownGuard()];
}
