/**
 * Runs the whole policy pack (policy/pack.ts) over a stack as the engine recorded it (test/helpers/engineCapture.ts),
 * the way `pulumi preview --policy-pack policy` hands it to the pack: resource policies get each resource's
 * inputs, stack policies get every resource's outputs with its parent, provider and dependencies, all
 * deserialized from the engine's wire format by @pulumi/policy with secret tracking on (as policy/index.ts sets it).
 */
import {
    EnforcementLevel,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { packPolicies } from "../../policy/pack";
import { EngineResource } from "../helpers/engineCapture";
import { engineProps, resetSecretTracking } from "./helpers";

/** One violation a policy reported. */
export interface Finding {
    policy: string;
    enforcementLevel: EnforcementLevel;
    message: string;
    urn?: string;
}

/** Policy config as `--policy-pack-config` takes it: per policy name, its properties and/or enforcementLevel. */
export type PackConfig = Record<string, Record<string, unknown> & { enforcementLevel?: EnforcementLevel }>;

type Provider = NonNullable<PolicyResource["provider"]>;

const rpc = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string; specialResourceSig: string };

/**
 * Wire props as the engine marshals them for an analyzer (the policy pack): it does not keep resource references,
 * so a reference arrives as the resource's ID, or its URN when it has none (a component).
 */
function forAnalyzer(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(forAnalyzer);
    if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (o[rpc.specialSigKey] === rpc.specialResourceSig) return (o.id as string | undefined) || o.urn;
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, forAnalyzer(x)]));
    }
    return v;
}

/** Props as a policy gets them. */
const analyzerProps = (wire: Record<string, unknown>) => engineProps(forAnalyzer(wire) as Record<string, unknown>);

const isType = (type: string) => (cls: unknown) => (cls as { __pulumiType?: string }).__pulumiType === type;

/** The resource options a policy sees (no aliases or custom timeouts in this program). */
function resourceOptions(r: EngineResource) {
    return {
        protect: r.protect,
        ignoreChanges: r.ignoreChanges,
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: r.additionalSecretOutputs,
    };
}

/** PolicyResources for the stack, linked by URN; top-level resources are children of the Stack, as in the engine. */
export function policyResources(resources: EngineResource[]): {
    stack: PolicyResource[];
    providerOf: (r: EngineResource) => Provider | undefined;
} {
    const stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
    const byUrn = new Map<string, PolicyResource>();
    const provider = (urn: string | undefined): Provider | undefined => {
        const p = urn ? resources.find((r) => r.urn === urn) : undefined;
        return p ? { type: p.type, urn: p.urn, name: p.name, props: analyzerProps(p.inputs) } : undefined;
    };
    for (const r of resources) {
        const props = analyzerProps(r.outputs);
        byUrn.set(r.urn, {
            type: r.type,
            name: r.name,
            urn: r.urn,
            props,
            opts: resourceOptions(r),
            provider: provider(r.provider),
            dependencies: [],
            propertyDependencies: {},
            isType: isType(r.type),
            asType: (cls: unknown) => (isType(r.type)(cls) ? props : undefined),
        } as unknown as PolicyResource);
    }
    for (const r of resources) {
        const p = byUrn.get(r.urn)! as { -readonly [K in keyof PolicyResource]: PolicyResource[K] };
        const parent = r.parent ?? (r.type === "pulumi:pulumi:Stack" ? undefined : stackUrn);
        p.parent = parent ? byUrn.get(parent) : undefined;
        p.dependencies = r.dependencies.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => !!d);
        p.propertyDependencies = Object.fromEntries(
            Object.entries(r.propertyDependencies).map(([k, us]) => [
                k,
                us.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => !!d),
            ]),
        );
    }
    return { stack: [...byUrn.values()], providerOf: (r) => provider(r.provider) };
}

/** Runs every policy of the pack over `resources` (the Stack resource included) and returns what they report. */
export async function runPack(
    resources: EngineResource[],
    config: PackConfig = {},
    stackTags: Record<string, string> = {},
): Promise<Finding[]> {
    const findings: Finding[] = [];
    try {
        const { stack, providerOf } = policyResources(resources);
        for (const policy of packPolicies()) {
            const { enforcementLevel: configured, ...policyConfig } = config[policy.name] ?? {};
            const level = configured ?? policy.enforcementLevel ?? "advisory";
            if (level === "disabled") continue;
            const report = (message: string, urn?: string) => findings.push({ policy: policy.name, enforcementLevel: level, message, urn });
            const getConfig = <T extends object>() => policyConfig as T;
            const validations = (policy as ResourceValidationPolicy).validateResource;
            if (validations) {
                for (const r of resources) {
                    if (r.type === "pulumi:pulumi:Stack") continue;
                    const props = analyzerProps(r.inputs);
                    const args = {
                        type: r.type,
                        props,
                        urn: r.urn,
                        name: r.name,
                        opts: resourceOptions(r),
                        provider: providerOf(r),
                        isType: isType(r.type),
                        asType: (cls: unknown) => (isType(r.type)(cls) ? props : undefined),
                        getConfig,
                    } as unknown as ResourceValidationArgs;
                    for (const v of Array.isArray(validations) ? validations : [validations]) {
                        await v(args, (message, urn) => report(message, urn ?? r.urn));
                    }
                }
            }
            const validateStack = (policy as StackValidationPolicy).validateStack;
            if (validateStack) {
                const args = {
                    resources: stack,
                    stackTags: new Map(Object.entries(stackTags)),
                    getConfig,
                } as unknown as StackValidationArgs;
                await validateStack(args, report);
            }
        }
    } finally {
        resetSecretTracking();
    }
    return findings;
}
