/**
 * The proving ground for end-to-end tests: the offline toolchain (scripts/toolchain.sh), three local
 * control planes (scripts/local/up.sh), a Pulumi file backend in a temp dir, and API clients per cluster.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import * as YAML from "yaml";
import { SKIP_CLUSTER_READS_ENV } from "../../components/existingRemoteSecret";

export const REPO = path.resolve(__dirname, "..", "..");
export const CACHE = process.env.ISTIO_MC_CACHE ?? path.join(os.homedir(), ".cache", "istio-multicluster");
export const KUBECONFIG = path.join(CACHE, "local", "kubeconfig");
export const CONTEXTS = { cluster1: "c1-admin", cluster2: "c2-admin", cluster3: "c3-admin" } as const;
export type ClusterName = keyof typeof CONTEXTS;
export const CLUSTERS = Object.keys(CONTEXTS) as ClusterName[];

/** Builds (what is missing of) the toolchain groups and returns the environment its env.sh sets up. */
export function toolchainEnv(groups: ("pulumi" | "kube" | "istio" | "yaml" | "sdk")[] = ["pulumi", "kube", "istio"]): NodeJS.ProcessEnv {
    for (const g of groups) run("bash", [path.join(REPO, "scripts", "toolchain.sh"), "--only", g], { stdio: "inherit" });
    const out = execFileSync("bash", ["-c", `. "${CACHE}/env.sh" && env -0`], { encoding: "utf8" });
    const env: NodeJS.ProcessEnv = {};
    for (const kv of out.split("\0")) {
        const i = kv.indexOf("=");
        if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
    }
    // Charts are read in place: Pulumi.local.yaml points at $CACHE/istio-charts, which the toolchain's istio group links.
    return env;
}

/** Names of the Pulumi plugins the engine cannot find (ambient on PATH or installed in PULUMI_HOME). */
export function missingPulumiPlugins(
    env: NodeJS.ProcessEnv,
    wanted = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-kubernetes", "pulumi-resource-tls", "pulumi-resource-random"],
): string[] {
    const home = env.PULUMI_HOME ?? path.join(os.homedir(), ".pulumi");
    return wanted.filter((bin) => {
        const onPath = spawnSync("bash", ["-c", `command -v ${bin}`], { env }).status === 0;
        const kind = bin.replace(/^pulumi-(resource|language)-.*/, "$1");
        const installed =
            bin.startsWith("pulumi-resource-") &&
            fs.existsSync(path.join(home, "plugins")) &&
            fs.readdirSync(path.join(home, "plugins")).some((d) => d.startsWith(`${kind}-${bin.slice("pulumi-resource-".length)}-v`));
        return !onPath && !installed;
    });
}

/**
 * The whole toolchain, or an error that says what is missing and how to get it. Never a skip: a machine that
 * cannot build the toolchain opts out of the e2e suites as a whole (CI_E2E=0 in .ci/run; README).
 */
export function requireToolchain(): NodeJS.ProcessEnv {
    const env = toolchainEnv(["pulumi", "kube", "istio"]);
    const missing = missingPulumiPlugins(env);
    for (const tool of ["istioctl", "pilot-discovery", "meshxds", "helm", "kubectl", "openssl"]) {
        if (spawnSync("bash", ["-c", `command -v ${tool}`], { env }).status !== 0) missing.push(tool);
    }
    if (missing.length) {
        throw new Error(
            `missing: ${missing.join(", ")}. Run \`npm run toolchain\` (docs/toolchain.md), put them on PATH, or install ` +
                "the plugins with `pulumi plugin install resource <name> <version>`; CI_E2E=0 opts out of the e2e suites.",
        );
    }
    return env;
}

/**
 * Starts (or keeps) the local clusters c1..cN: seed 000's three by default. A proving ground with more clusters
 * is shrunk to `clusters` (scripts/local/up.sh --clusters).
 */
export function localUp(env: NodeJS.ProcessEnv, clusters = 3): void {
    run("bash", [path.join(REPO, "scripts", "local", "up.sh"), "--clusters", String(clusters)], { env, stdio: "inherit" });
}

/** Stops or starts one cluster's API server (fault injection). */
export function apiserver(action: "stop" | "start", cluster: "c1" | "c2" | "c3", env: NodeJS.ProcessEnv): void {
    component(action, cluster, "kube-apiserver", env);
}

/** Stops or starts one component of a local cluster (scripts/local/component.sh). */
export function component(
    action: "stop" | "start",
    cluster: "c1" | "c2" | "c3",
    name: "kube-apiserver" | "kube-controller-manager",
    env: NodeJS.ProcessEnv,
): void {
    run("bash", [path.join(REPO, "scripts", "local", "component.sh"), action, cluster, name], { env, stdio: "inherit" });
}

/**
 * Pulumi.local.yaml as the proving ground on this machine needs it: its `~/.cache/istio-multicluster` paths
 * (charts link, kubeconfig) point at the cache in use, which ISTIO_MC_CACHE may move.
 */
export function localStackFileText(): string {
    const text = fs.readFileSync(path.join(REPO, "Pulumi.local.yaml"), "utf8");
    return text.split("~/.cache/istio-multicluster").join(CACHE);
}

/**
 * An edit for {@link localStack}: the mesh without the local stack's traffic scenarios, i.e. what seed 000's serial
 * procedure builds (the benchmarks' stack).
 */
export function withoutScenarios(config: Record<string, unknown>): void {
    config["istio-multicluster:scenarios"] = [];
}

/** The stack the engine suite runs: its config is a copy of Pulumi.local.yaml (Pulumi.e2e.yaml, gitignored). */
export const E2E_STACK = "e2e";

/** Environment of the Pulumi CLI for a throw-away file backend. */
export function pulumiEnv(env: NodeJS.ProcessEnv, backend: string): Record<string, string> {
    return {
        ...(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>),
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        KUBECONFIG,
        // The program's cluster reads (existing remote secrets, the base install's form) are what the e2e suites
        // check: on, even when this process has loaded the mocks, which turn them off for unit tests (and the
        // Automation API hands this process's environment to the CLI).
        [SKIP_CLUSTER_READS_ENV]: "0",
    };
}

/**
 * A Pulumi workspace on a stack whose config is a copy of Pulumi.local.yaml (changed by `edit` if given), with a
 * throw-away file backend. Config changes made by a test go to the copy; the committed Pulumi.local.yaml is
 * never written.
 */
export async function localStack(
    env: NodeJS.ProcessEnv,
    stackName = E2E_STACK,
    edit?: (config: Record<string, unknown>) => void,
): Promise<{ stack: Stack; backend: string; envVars: Record<string, string> }> {
    const backend = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mc-backend-"));
    const envVars = pulumiEnv(env, backend);
    let text = localStackFileText();
    if (edit) {
        const doc = YAML.parse(text);
        edit(doc.config);
        text = YAML.stringify(doc);
    }
    fs.writeFileSync(path.join(REPO, `Pulumi.${stackName}.yaml`), text);
    // The Automation API looks the CLI up on this process's PATH.
    process.env.PATH = env.PATH;
    const stack = await LocalWorkspace.createOrSelectStack({ stackName, workDir: REPO }, { envVars });
    return { stack, backend, envVars };
}

/**
 * A suite's teardown of its {@link localStack}: destroys the stack (when it was made), then removes it, its stack file
 * and its backend whatever the destroy did.
 */
export async function disposeLocalStack(
    stack: Stack | undefined,
    stackName: string,
    backend: string | undefined,
    onOutput: (s: string) => void,
): Promise<void> {
    if (stack) {
        try {
            await stack.destroy({ onOutput });
        } finally {
            await stack.workspace.removeStack(stackName, { force: true }).catch(() => undefined);
            fs.rmSync(path.join(REPO, `Pulumi.${stackName}.yaml`), { force: true });
        }
    }
    if (backend) fs.rmSync(backend, { recursive: true, force: true });
}

/** Edits the config of a {@link localStack}'s stack file in place; structured values stay structured. */
export function editStackConfig(stackName: string, edit: (config: Record<string, any>) => void): void {
    const file = path.join(REPO, `Pulumi.${stackName}.yaml`);
    const doc = YAML.parse(fs.readFileSync(file, "utf8"));
    edit(doc.config);
    fs.writeFileSync(file, YAML.stringify(doc));
}

/** Runs the Pulumi CLI (not the Automation API) in `cwd`: exit status, stdout, and stdout+stderr. */
export function pulumiRun(
    envVars: Record<string, string>,
    args: string[],
    cwd = REPO,
): { status: number | null; stdout: string; out: string } {
    const r = spawnSync("pulumi", [...args, "--non-interactive"], { cwd, env: envVars, encoding: "utf8", maxBuffer: 256 << 20 });
    return { status: r.status, stdout: r.stdout, out: `${r.stdout}${r.stderr}` };
}

/** Runs the Pulumi CLI in `cwd` and returns its stdout; throws with its output on failure. */
export function pulumiCli(envVars: Record<string, string>, args: string[], cwd = REPO): string {
    const r = pulumiRun(envVars, args, cwd);
    if (r.status !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.status}:\n${r.out}`);
    return r.stdout;
}

/** Typed API clients for one cluster, from a context of the local kubeconfig or from a kubeconfig text. */
export async function clients(source: { context: string } | { kubeconfig: string }) {
    const k = await import("@kubernetes/client-node");
    const kc = new k.KubeConfig();
    if ("context" in source) {
        kc.loadFromFile(KUBECONFIG);
        kc.setCurrentContext(source.context);
    } else {
        kc.loadFromString(source.kubeconfig);
    }
    return {
        kc,
        core: kc.makeApiClient(k.CoreV1Api),
        apps: kc.makeApiClient(k.AppsV1Api),
        discovery: kc.makeApiClient(k.DiscoveryV1Api),
        custom: kc.makeApiClient(k.CustomObjectsApi),
        admission: kc.makeApiClient(k.AdmissionregistrationV1Api),
    };
}
export type Clients = Awaited<ReturnType<typeof clients>>;

/** HTTP status of a failed client-node call (undefined if it did not fail with one). */
export function statusOf(e: unknown): number | undefined {
    const err = e as { code?: number; statusCode?: number; response?: { statusCode?: number } };
    return err?.code ?? err?.statusCode ?? err?.response?.statusCode;
}

/** A snapshot of what a stack could have touched in a cluster, to compare before/after. */
export async function clusterSnapshot(c: Clients): Promise<Record<string, unknown>> {
    const nodes = await c.core.listNode();
    const namespaces = await c.core.listNamespace();
    const crds = await c.kc.makeApiClient((await import("@kubernetes/client-node")).ApiextensionsV1Api).listCustomResourceDefinition();
    const webhooks = await c.admission.listMutatingWebhookConfiguration();
    const vwebhooks = await c.admission.listValidatingWebhookConfiguration();
    const clusterRoles = await c.kc.makeApiClient((await import("@kubernetes/client-node")).RbacAuthorizationV1Api).listClusterRole();
    return {
        nodeLabels: Object.fromEntries(nodes.items.map((n) => [n.metadata!.name, n.metadata!.labels])),
        namespaces: namespaces.items.map((n) => n.metadata!.name).sort(),
        crds: crds.items.map((x) => x.metadata!.name).sort(),
        mutatingWebhooks: webhooks.items.map((x) => x.metadata!.name).sort(),
        validatingWebhooks: vwebhooks.items.map((x) => x.metadata!.name).sort(),
        clusterRoles: clusterRoles.items
            .map((x) => x.metadata!.name)
            .filter((n) => !n!.startsWith("system:"))
            .sort(),
    };
}

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; stdio?: "inherit" | "pipe" }): void {
    const r = spawnSync(cmd, args, { env: opts.env ?? process.env, stdio: opts.stdio ?? "pipe", encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}${r.stderr ? `: ${r.stderr}` : ""}`);
}

/** Asserts that a remote-secret credential can list what istiod reads and is refused (403) writes. */
export async function assertReaderOnly(remote: Clients): Promise<void> {
    const { strict: assert } = await import("assert");
    await remote.core.listServiceForAllNamespaces();
    await remote.discovery.listEndpointSliceForAllNamespaces();
    await remote.core.listPodForAllNamespaces();
    await remote.core.listNamespace();
    const forbidden = (e: unknown) => statusOf(e) === 403;
    const pod = { metadata: { name: "probe" }, spec: { containers: [{ name: "c", image: "x" }] } };
    await assert.rejects(remote.core.createNamespacedPod({ namespace: "default", body: pod, dryRun: "All" }), forbidden);
    await assert.rejects(
        remote.core.createNamespacedSecret({ namespace: "default", body: { metadata: { name: "probe" } }, dryRun: "All" }),
        forbidden,
    );
    await assert.rejects(remote.core.deleteNamespacedService({ namespace: "default", name: "kubernetes", dryRun: "All" }), forbidden);
}

/** `check()`'s result once it stops throwing, retried every `everyMs` for up to `ms` (then its last error). */
export async function eventually<T>(ms: number, check: () => Promise<T> | T, everyMs = 1000): Promise<T> {
    const start = Date.now();
    for (;;) {
        try {
            return await check();
        } catch (e) {
            if (Date.now() - start > ms) throw e;
            await new Promise((r) => setTimeout(r, everyMs));
        }
    }
}

/**
 * Resolves when the cluster's token controller fills a new service-account token Secret (a probe in `default`,
 * removed afterwards); throws when it has not within `ms`.
 */
export async function tokenControllerServes(c: Clients, ms = 10_000): Promise<void> {
    const name = `token-probe-${Date.now()}`;
    await c.core.createNamespacedSecret({
        namespace: "default",
        body: {
            metadata: { name, annotations: { "kubernetes.io/service-account.name": "default" } },
            type: "kubernetes.io/service-account-token",
        },
    });
    try {
        await eventually(
            ms,
            async () => {
                const s = await c.core.readNamespacedSecret({ namespace: "default", name });
                if (!s.data?.token) throw new Error("the token controller has not filled the probe token Secret yet");
            },
            500,
        );
    } finally {
        await c.core.deleteNamespacedSecret({ namespace: "default", name }).catch(() => undefined);
    }
}
