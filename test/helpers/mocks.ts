/**
 * A recording Pulumi mock: every registered resource (type, name, inputs, provider) and, through a
 * transformation on the top-level component, every child's parent and dependsOn, so tests can assert
 * shapes, counts, placement and dependency edges without an engine.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { SKIP_CLUSTER_READS_ENV } from "../../components/existingRemoteSecret";
import { isPlainObject } from "../../components/model/config/objects";

/** One registered resource as the mock saw it. */
export interface Recorded {
    type: string;
    name: string;
    /**
     * Inputs as the program passed them, secrets unwrapped: plain data of whatever shape the resource type takes.
     * Left untyped on purpose: tests read the inputs of every resource type and assert on what they find.
     */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above; test code reads these untyped (eslint.config.mjs)
    inputs: any;
    /** Provider reference (`<urn>::<id>`), for custom resources that have one. */
    provider?: string;
    custom: boolean;
    /** Input property paths that arrived as Pulumi secrets (e.g. `data`). */
    secretPaths: string[];
}

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Strips the secret wrappers the mock monitor passes inputs in, noting where they were. */
function unwrapSecrets(v: unknown, path: string, found: string[]): unknown {
    if (Array.isArray(v)) return v.map((x, i) => unwrapSecrets(x, `${path}[${i}]`, found));
    if (isPlainObject(v)) {
        if (v[SIG_KEY] === SECRET_SIG) {
            found.push(path);
            return unwrapSecrets(v.value, path, found);
        }
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x, path ? `${path}.${k}` : k, found)]));
    }
    return v;
}

const pem = (kind: string, body: string) => `-----BEGIN ${kind}-----\n${Buffer.from(body).toString("base64")}\n-----END ${kind}-----\n`;
const b64 = (s: string) => Buffer.from(s).toString("base64");

/** Deterministic outputs for the resource types this project creates. */
function fakeState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (type) {
        case "tls:index/privateKey:PrivateKey":
            return { ...inputs, privateKeyPem: pem("RSA PRIVATE KEY", `key:${name}`), publicKeyPem: pem("PUBLIC KEY", `pub:${name}`) };
        case "tls:index/selfSignedCert:SelfSignedCert":
        case "tls:index/locallySignedCert:LocallySignedCert":
            return { ...inputs, certPem: pem("CERTIFICATE", `cert:${name}`) };
        case "tls:index/certRequest:CertRequest":
            return { ...inputs, certRequestPem: pem("CERTIFICATE REQUEST", `csr:${name}`) };
        case "random:index/randomId:RandomId":
            // Keyed by name and keepers, as a replacement (keepers changed) draws new random bytes.
            return {
                ...inputs,
                hex: createHash("sha256")
                    .update(`${name}:${JSON.stringify(inputs.keepers ?? {})}`)
                    .digest("hex")
                    .slice(0, 6),
                b64Std: b64(name),
            };
        case "kubernetes:core/v1:Secret":
            if (inputs.type === "kubernetes.io/service-account-token") {
                return { ...inputs, data: { token: b64(`token-of-${name}`), "ca.crt": b64(`ca-of-${name}`) } };
            }
            return { ...inputs };
        case "kubernetes:helm.sh/v4:Chart":
            return { ...inputs, resources: [] };
        default:
            return { ...inputs };
    }
}

/** The mocks plus what they recorded. */
export class RecordingMocks implements pulumi.runtime.Mocks {
    public resources: Recorded[] = [];
    /** Keep inputs of each resource (tests); benchmarks turn this off and keep only type and name. */
    public keepInputs = true;
    /** Lets a test blank a token Secret's data to exercise the empty-token path. */
    public tokenOverride?: (name: string) => Record<string, string> | undefined;

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        const secretPaths: string[] = [];
        // The monitor sends an object; its values may be secrets.
        const inputs = unwrapSecrets(args.inputs, "", secretPaths) as Record<string, unknown>;
        this.resources.push({
            type: args.type,
            name: args.name,
            inputs: this.keepInputs ? inputs : undefined,
            provider: args.provider,
            custom: args.custom ?? true,
            secretPaths,
        });
        const state = fakeState(args.type, args.name, inputs);
        if (args.type === "kubernetes:core/v1:Secret" && this.tokenOverride && inputs.type === "kubernetes.io/service-account-token") {
            state.data = this.tokenOverride(args.name);
        }
        return { id: `${args.name}-id`, state };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        return args.inputs as Record<string, unknown>;
    }

    reset(): void {
        this.resources = [];
        this.tokenOverride = undefined;
    }

    ofType(type: string): Recorded[] {
        return this.resources.filter((r) => r.type === type);
    }

    named(name: string): Recorded {
        const r = this.resources.find((x) => x.name === name);
        if (!r) throw new Error(`no resource named ${name}; have: ${this.resources.map((x) => x.name).join(", ")}`);
        return r;
    }

    /** Logical name of the provider resource a recorded resource uses. */
    providerName(r: Recorded): string | undefined {
        return r.provider?.split("::")[3];
    }
}

/**
 * `pulumi.runtime.setMocks`, with the `transforms` resource option accepted, and cluster reads turned off. setMocks records the engine as not
 * supporting transforms, so any resource with `transforms` would fail to register; the mock monitor ignores the
 * callbacks anyway (the real engine runs them: test/e2e).
 */
export async function setMocks(mocks: pulumi.runtime.Mocks, stack: string, preview = false): Promise<void> {
    // Programs under mocks read no cluster for existing remote secrets (their kubeconfigs point nowhere); the tests of
    // that check turn it back on around themselves.
    process.env[SKIP_CLUSTER_READS_ENV] ??= "1";
    await pulumi.runtime.setMocks(mocks, "istio-multicluster", stack, preview);
    (require("@pulumi/pulumi/runtime/state") as { getStore(): { supportsTransforms: boolean } }).getStore().supportsTransforms = true;
}

/** Edges `child -> dependsOn` (by logical name) captured by {@link dependencyRecorder}. */
export type Edges = Map<string, Promise<string[]>>;

/** A transformation that records each resource's explicit dependsOn (as logical names). */
export function dependencyRecorder(edges: Edges): pulumi.ResourceTransformation {
    return (args) => {
        const deps = (args.opts.dependsOn ?? []) as pulumi.Resource | pulumi.Resource[];
        const list = Array.isArray(deps) ? deps : [deps];
        edges.set(args.name, Promise.all(list.map((d) => promiseOf(d.urn).then((urn) => urn.split("::").pop()!))));
        return undefined;
    };
}

/** Resolves an Output in a test (mocks resolve everything). */
export function promiseOf<T>(o: pulumi.Input<T>): Promise<T> {
    return new Promise((resolve) => pulumi.output(o).apply((v) => resolve(v as T)));
}

/** Full config key of `k` (keys without namespace get `istio-multicluster:`). */
const fullKey = (k: string) => (k.includes(":") ? k : `istio-multicluster:${k}`);

/**
 * Sets the stack config the program reads (keys without namespace get `istio-multicluster:`); `secretKeys`
 * are marked as stored encrypted, as `pulumi config set --secret` would.
 */
export function setStackConfig(values: Record<string, unknown>, secretKeys: string[] = []): void {
    const all: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
        all[fullKey(k)] = typeof v === "string" ? v : JSON.stringify(v);
    }
    pulumi.runtime.setAllConfig(all, secretKeys.map(fullKey));
}

// The SDK's own drain: what `pulumi up` waits for before the program counts as finished (internal export).
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs: () => Promise<void> };

/**
 * Waits until the program is done registering: first every outstanding RPC to the (mock) monitor, registrations
 * made inside `apply` callbacks included, as the engine waits for them; then until no new resource has appeared
 * for `quietMs`. The drain makes this independent of machine load (a time window alone is not).
 */
export async function settle(mocks: RecordingMocks, quietMs = 60): Promise<void> {
    await waitForRPCs();
    let last = -1;
    let stableSince = Date.now();
    for (;;) {
        await new Promise((r) => setTimeout(r, 10));
        if (mocks.resources.length !== last) {
            last = mocks.resources.length;
            stableSince = Date.now();
        } else if (Date.now() - stableSince >= quietMs) {
            return;
        }
    }
}

/** How {@link runProgram} sets up the engine side. */
export interface RunHooks {
    /** The mocks the monitor calls, if not `mocks` itself (e.g. one that wraps it). @default the recorder */
    monitorMocks?: pulumi.runtime.Mocks;
    /** Called once the mocks are set, before the program runs (e.g. to wrap the mock monitor). */
    afterSetMocks?: () => void;
}

/**
 * Runs the program (program/main.ts) under `mocks` with the given stack config, recording every resource's
 * explicit dependsOn, and waits until registration settles.
 */
export async function runProgram(
    mocks: RecordingMocks,
    config: Record<string, unknown>,
    stack = "test",
    secretKeys: string[] = [],
    hooks: RunHooks = {},
) {
    mocks.reset();
    await setMocks(hooks.monitorMocks ?? mocks, stack);
    hooks.afterSetMocks?.();
    setStackConfig(config, secretKeys);
    const edges: Edges = new Map();
    const { main } = await import("../../program/main");
    const out = main({ transformations: [dependencyRecorder(edges)] });
    await settle(mocks);
    return { ...out, edges };
}
