/**
 * The istio-multicluster policy pack: `pulumi preview --policy-pack policy` (see docs/policy.md).
 * Constructing the PolicyPack starts serving, so tests import the factories, never this file.
 */
import { PolicyPack } from "@pulumi/policy";
import { packPolicies } from "./pack";
import { installSecretTracking } from "./props";

// Keep secret markers on props so the secret-ness checks can see them (falls back to additionalSecretOutputs).
installSecretTracking();

new PolicyPack("istio-multicluster", {
    policies: packPolicies(),
});
