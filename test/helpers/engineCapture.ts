/**
 * What the Pulumi engine would hold after `pulumi up` of a program run under mocks: every registered resource
 * with the options the SDK sent (parent, provider, dependencies, protect, additionalSecretOutputs) and its inputs
 * and outputs in the engine's wire format (secrets as secret values). It wraps the mock monitor's
 * registerResource / registerResourceOutputs, and on top of the mocks does what the engine does:
 * - outputs named in `additionalSecretOutputs`, or whose input was a secret, are secrets (the engine's
 *   annotateSecrets);
 * - a `kubernetes:helm.sh/v4:Chart` registers the objects its chart renders as its children
 *   (test/helpers/chartRender.ts), in the same provider, and its outputs are `resources` (references to them);
 * - component outputs are what the component registered with registerOutputs.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RegisterResourceOutputsRequest, RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { renderChart } from "./chartRender";
import { kubernetesState, LoadBalancerPool } from "./kubernetesState";

/** A gRPC-style callback as the SDK passes it to the monitor. */
type Callback<Response> = (err: unknown, resp?: Response) => void;

/** What this wraps of the SDK's MockMonitor (runtime/mocks.js; its typings hide newUrn and type requests as any). */
interface MockMonitor {
    resources: Map<string, { urn: string; id: string | null; state: Record<string, unknown> }>;
    newUrn(parent: string, type: string, name: string): string;
    registerResource(req: RegisterResourceRequest, callback: Callback<RegisterResourceResponse>): Promise<void> | void;
    registerResourceOutputs(req: RegisterResourceOutputsRequest, callback: Callback<unknown>): void;
}

// Under setMocks the runtime's monitor is the SDK's MockMonitor.
const settings = require("@pulumi/pulumi/runtime/settings") as { getMonitor(): MockMonitor };
const rpc = require("@pulumi/pulumi/runtime/rpc") as {
    specialSigKey: string;
    specialSecretSig: string;
    specialResourceSig: string;
    serializeProperties(label: string, props: Record<string, unknown>): Promise<Record<string, unknown>>;
};

/** One resource as the engine records it. */
export interface EngineResource {
    urn: string;
    type: string;
    name: string;
    /** False for components (helm.v4.Chart included). */
    custom: boolean;
    /** URN of the parent resource, if any. */
    parent?: string;
    /** URN of the provider resource a custom resource uses (or a component was given). */
    provider?: string;
    /** URNs this resource depends on (explicit dependsOn and those of its inputs). */
    dependencies: string[];
    /** Per input property, the URNs it depends on. */
    propertyDependencies: Record<string, string[]>;
    /** As the SDK sent it (undefined when it left the field unset). */
    protect: boolean | undefined;
    ignoreChanges: string[];
    additionalSecretOutputs: string[];
    /** Inputs, wire format. */
    inputs: Record<string, unknown>;
    /** Outputs, wire format. */
    outputs: Record<string, unknown>;
}

/** True if a wire value is, or contains, a secret. */
function holdsSecret(v: unknown): boolean {
    if (Array.isArray(v)) return v.some(holdsSecret);
    if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        return o[rpc.specialSigKey] === rpc.specialSecretSig || Object.values(o).some(holdsSecret);
    }
    return false;
}

const isSecretValue = (v: unknown) =>
    !!v && typeof v === "object" && (v as Record<string, unknown>)[rpc.specialSigKey] === rpc.specialSecretSig;

/** Wraps `v` as the engine marks a secret on the wire. */
export function wireSecret(v: unknown): Record<string, unknown> {
    return isSecretValue(v) ? (v as Record<string, unknown>) : { [rpc.specialSigKey]: rpc.specialSecretSig, value: v };
}

/** Top-level outputs made secret as the engine does: listed in additionalSecretOutputs, or secret as inputs. */
function annotateSecrets(outputs: Record<string, unknown>, inputs: Record<string, unknown>, extra: string[]): Record<string, unknown> {
    return Object.fromEntries(
        Object.entries(outputs).map(([k, v]) => [k, extra.includes(k) || holdsSecret(inputs[k]) ? wireSecret(v) : v]),
    );
}

const providerUrn = (ref: string | undefined) => (ref ? ref.slice(0, ref.lastIndexOf("::")) : undefined);

/** Records what the engine would, from the moment {@link EngineCapture.install} is called after setMocks. */
export class EngineCapture {
    /** Resources by URN, in registration order. */
    public readonly resources = new Map<string, EngineResource>();

    /** @param pool Where rendered LoadBalancer Services get their addresses (share the mocks' pool). */
    constructor(private readonly pool: LoadBalancerPool) {}

    /** Wraps the current mock monitor (call right after setMocks, before the program runs). */
    install(): void {
        const monitor = settings.getMonitor();
        const register = monitor.registerResource.bind(monitor);
        const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
        monitor.registerResource = (req, callback) => {
            const urn = monitor.newUrn(req.getParent(), req.getType(), req.getName());
            const inputs: Record<string, unknown> = req.getObject()?.toJavaScript() ?? {};
            const extraSecret = req.getAdditionalsecretoutputsList();
            const propertyDependencies: Record<string, string[]> = {};
            req.getPropertydependenciesMap().forEach((deps, key) => (propertyDependencies[key] = deps.getUrnsList()));
            const provider = providerUrn(req.getProvider() || req.getProvidersMap().get("kubernetes"));
            const rendered =
                req.getType() === "kubernetes:helm.sh/v4:Chart" ? this.renderChildren(monitor, urn, provider, inputs) : undefined;
            void register(req, (err, resp) => {
                if (err || !resp) return callback(err, resp);
                const stored = monitor.resources.get(urn)!;
                const state = rendered ? { resources: rendered } : annotateSecrets(stored.state, inputs, extraSecret);
                stored.state = state;
                // The response's protobuf Struct class (google-protobuf, as the SDK loads it).
                const StructClass = req.getObject()!.constructor as typeof Struct;
                resp.setObject(StructClass.fromJavaScript(state as Parameters<typeof Struct.fromJavaScript>[0]));
                this.resources.set(urn, {
                    urn,
                    type: req.getType(),
                    name: req.getName(),
                    custom: req.getCustom(),
                    parent: req.getParent() || undefined,
                    provider,
                    dependencies: req.getDependenciesList(),
                    propertyDependencies,
                    protect: req.getProtect(),
                    ignoreChanges: req.getIgnorechangesList(),
                    additionalSecretOutputs: extraSecret,
                    inputs,
                    outputs: state,
                });
                callback(err, resp);
            });
        };
        monitor.registerResourceOutputs = (req, callback) => {
            const r = this.resources.get(req.getUrn());
            if (r) r.outputs = req.getOutputs()?.toJavaScript() ?? {};
            registerOutputs(req, callback);
        };
    }

    /** Registers what a chart renders as the chart's children; returns the references its `resources` output holds. */
    private renderChildren(monitor: MockMonitor, chartUrn: string, provider: string | undefined, wire: Record<string, unknown>) {
        const inputs = unwire(wire) as Record<string, unknown>;
        return renderChart(chartUrn.split("::").pop()!, inputs).map((o) => {
            const urn = monitor.newUrn(chartUrn, o.type, o.name);
            const id = `${o.object.metadata.namespace}/${o.object.metadata.name}`;
            const state = kubernetesState(o.type, o.name, o.object, this.pool);
            monitor.resources.set(urn, { urn, id, state });
            this.resources.set(urn, {
                urn,
                type: o.type,
                name: o.name,
                custom: true,
                parent: chartUrn,
                provider,
                dependencies: [],
                propertyDependencies: {},
                protect: false,
                ignoreChanges: [],
                additionalSecretOutputs: [],
                inputs: o.object,
                outputs: state,
            });
            return { [rpc.specialSigKey]: rpc.specialResourceSig, urn, id, packageVersion: "" };
        });
    }

    /** The stack resource (`pulumi:pulumi:Stack`) with the program's exports as its outputs, wire format. */
    async stackResource(exports: Record<string, unknown>): Promise<EngineResource> {
        const outputs = await rpc.serializeProperties("stack outputs", exports);
        return {
            urn: `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::pulumi:pulumi:Stack::${pulumi.getProject()}-${pulumi.getStack()}`,
            type: "pulumi:pulumi:Stack",
            name: `${pulumi.getProject()}-${pulumi.getStack()}`,
            custom: false,
            dependencies: [],
            propertyDependencies: {},
            protect: false,
            ignoreChanges: [],
            additionalSecretOutputs: [],
            inputs: {},
            outputs,
        };
    }
}

/** A wire value with secrets unwrapped (plain data, for computing what a chart renders). */
function unwire(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(unwire);
    if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (o[rpc.specialSigKey] === rpc.specialSecretSig) return unwire(o.value);
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwire(x)]));
    }
    return v;
}
