/**
 * `npm run mesh:check -- [--stack dev | -s dev] [--count 50] [--scenario cc1,cc3]` — seed 000's verification loops against a
 * running stack: from the sleep clients of the `samples` scenario it calls `helloworld2.sample:5000/hello` N times
 * (`kubectl exec deploy/sleepz<n> -c sleep`) and tabulates which helloworld2 versions answered, per client, for
 * CC1–CC4 (whichever are selected; CC1 when none is). Reads the stack's config with `pulumi config --json`, or
 * from Pulumi.<stack>.yaml when the CLI or stack is not available.
 * With `--xds` (kwok fake nodes, the local demo) it asks the host istiods what they serve each client's sidecar
 * instead (scripts/meshCheckXds.ts).
 *
 * Exit codes: 0 every client got answers; 1 some client got errors or no answer; 2 the check cannot run (no sleep
 * clients configured, or a cluster whose nodes are all kwok fake nodes, where no pod can run).
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { NodeTopology, resolveScenarios, ScenariosModel } from "../components/model";

const NS = "istio-multicluster";

/** A cluster as mesh-check needs it. */
export interface CheckCluster {
    /** Istio cluster name. */
    name: string;
    /** kubeconfig context. */
    context?: string;
    /** kubeconfig file. */
    kubeconfig?: string;
    /** Labelled nodes. */
    nodes: NodeTopology[];
}

/** One client → helloworld2 loop. */
export interface Probe {
    /** Scenario it belongs to (CC1…CC4). */
    scenario: string;
    /** Cluster of the client. */
    cluster: string;
    /** Sleep Deployment, e.g. `sleepz2`. */
    client: string;
    /** Locality of the client, `region/zone`. */
    locality: string;
    /** What the seed expects to see. */
    expect: string;
}

/** What one probe got back. */
export interface ProbeResult {
    /** Answers per helloworld2 version. */
    versions: Record<string, number>;
    /** Lines that were not a helloworld answer (curl errors), and exec failures. */
    errors: string[];
}

/** Stack config (namespace stripped) from `pulumi config --json` output. */
export function configFromPulumiJson(json: string): Record<string, unknown> {
    const raw = JSON.parse(json) as Record<string, { value?: string; objectValue?: unknown; secret?: boolean }>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) {
        if (!k.startsWith(`${NS}:`) || v.secret) continue;
        let val: unknown = v.objectValue ?? v.value;
        if (typeof val === "string") {
            try {
                val = JSON.parse(val);
            } catch {
                /* plain string */
            }
        }
        out[k.slice(NS.length + 1)] = val;
    }
    return out;
}

/** Stack config (namespace stripped) from a Pulumi.<stack>.yaml text. */
export function configFromStackYaml(text: string): Record<string, unknown> {
    const doc = ((YAML.parse(text) as { config?: unknown } | null)?.config ?? {}) as Record<string, unknown>;
    return Object.fromEntries(
        Object.entries(doc)
            .filter(([k]) => k.startsWith(`${NS}:`))
            .map(([k, v]) => [k.slice(NS.length + 1), v]),
    );
}

/** Clusters of a raw config. */
export function clustersOf(cfg: Record<string, unknown>): CheckCluster[] {
    // Entries as the stack config holds them (the program validated them when it ran).
    const list = Array.isArray(cfg.clusters) ? (cfg.clusters as Record<string, unknown>[]) : [];
    return list.map((c) => ({
        name: String(c.name),
        context: c.context as string | undefined,
        kubeconfig: c.kubeconfig as string | undefined,
        nodes: Array.isArray(c.nodes) ? (c.nodes as NodeTopology[]) : [],
    }));
}

/** Resolves the scenarios of a raw config (same defaults as the program); throws on invalid config. */
export function scenariosOf(cfg: Record<string, unknown>, clusters: CheckCluster[]): ScenariosModel {
    const r = resolveScenarios(cfg.scenarios ?? [], cfg.scenarioSettings ?? {}, clusters);
    if (r.issues.length) throw new Error(`invalid scenarios config:\n${r.issues.map((i) => `  - ${i.path}: ${i.message}`).join("\n")}`);
    return r.model;
}

/** The loops of seed 000's CC1–CC4 sections for the selected scenarios (`only` restricts them). */
export function planProbes(m: ScenariosModel, only?: string[]): Probe[] {
    if (!m.samples) return [];
    const zonesOf = (cluster: string) => m.samples!.clusters.find((c) => c.cluster === cluster)?.zones ?? [];
    const client = (scenario: string, cluster: string, z: { region: string; zone: string; short: string }, expect: string): Probe => ({
        scenario,
        cluster,
        client: `sleep${z.short}`,
        locality: `${z.region}/${z.zone}`,
        expect,
    });
    const probes: Probe[] = [];
    const want = (id: string) => (only ? only.includes(id) : m.selected.includes(id as never));
    const cc1Wanted = want("cc1") || (!only && !["cc1", "cc2", "cc3", "cc4"].some((id) => m.selected.includes(id as never)));
    if (cc1Wanted) {
        const cluster = m.cc1?.cluster ?? m.samples.clusters[0]?.cluster;
        const zones = zonesOf(cluster);
        const z = zones.find((x) => x.short === "z2") ?? zones[0];
        if (z) probes.push(client("CC1", cluster, z, "answers from every cluster"));
    }
    if (want("cc2") && m.cc2) {
        for (const z of zonesOf(m.cc2.cluster)) probes.push(client("CC2", m.cc2.cluster, z, `only its own zone (version ${z.version})`));
    }
    if (want("cc3") && m.cc3) {
        for (const rule of m.cc3.distribute ?? []) {
            const [region, zone] = rule.from.split("/");
            const z = zonesOf(m.cc3.cluster).find((x) => x.region === region && (zone === undefined || zone === "*" || x.zone === zone));
            if (z) {
                const to = Object.entries(rule.to)
                    .map(([l, w]) => `${l} ${w}%`)
                    .join(", ");
                probes.push(client("CC3", m.cc3.cluster, z, to));
            }
        }
    }
    if (want("cc4") && m.cc4) {
        for (const f of m.cc4.failover ?? []) {
            for (const z of zonesOf(m.cc4.cluster).filter((x) => x.region === f.from)) {
                probes.push(client("CC4", m.cc4.cluster, z, `own zone; after draining ${f.from}: ${f.to}`));
            }
        }
    }
    return probes;
}

/** Counts helloworld answers (`Hello version: c1z2, instance: ...`) per version; other non-empty lines are errors. */
export function parseHelloReplies(output: string): ProbeResult {
    const versions: Record<string, number> = {};
    const errors: string[] = [];
    for (const line of output.split(/\r?\n/)) {
        const t = line.trim();
        if (!t) continue;
        const m = /^Hello version: ([^,\s]+), instance: (\S+)$/.exec(t);
        if (m) versions[m[1]] = (versions[m[1]] ?? 0) + 1;
        else errors.push(t);
    }
    return { versions, errors };
}

/** True when the node list (`kubectl get nodes -o json`) is non-empty and every node is a kwok fake node. */
export function allNodesFake(nodeListJson: string): boolean {
    const nodeList = JSON.parse(nodeListJson) as { items?: { metadata?: { annotations?: Record<string, string> } }[] } | null;
    const items = nodeList?.items ?? [];
    return items.length > 0 && items.every((n) => n.metadata?.annotations?.["kwok.x-k8s.io/node"] === "fake");
}

/** Renders one scenario's results as a table: a row per client, a column per version, plus errors and total. */
export function renderTable(title: string, rows: { probe: Probe; result: ProbeResult }[]): string {
    const versions = [...new Set(rows.flatMap((r) => Object.keys(r.result.versions)))].sort();
    const header = ["client", "locality", ...versions, "errors", "expected"];
    const body = rows.map((r) => [
        `${r.probe.cluster}/${r.probe.client}`,
        r.probe.locality,
        ...versions.map((v) => String(r.result.versions[v] ?? "")),
        String(r.result.errors.length),
        r.probe.expect,
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
    const line = (cells: string[]) =>
        cells
            .map((c, i) => c.padEnd(widths[i]))
            .join(" | ")
            .trimEnd();
    return [title, line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...body.map(line)].join("\n");
}

/** Whether every probe got at least one answer and no errors. */
export function allAnswered(results: { result: ProbeResult }[]): boolean {
    return results.every((r) => Object.keys(r.result.versions).length > 0 && r.result.errors.length === 0);
}

// ---------------------------------------------------------------------------------------------------------
// Impure part
// ---------------------------------------------------------------------------------------------------------

function kubectlArgs(c: CheckCluster): string[] {
    return [
        ...(c.kubeconfig ? ["--kubeconfig", c.kubeconfig.replace(/^~(?=$|\/)/, process.env.HOME ?? "~")] : []),
        ...(c.context ? ["--context", c.context] : []),
    ];
}

function loadConfig(stack: string): Record<string, unknown> {
    const r = spawnSync("pulumi", ["config", "--json", "-s", stack], { encoding: "utf8" });
    if (r.status === 0 && r.stdout.trim()) return configFromPulumiJson(r.stdout);
    const file = path.join(__dirname, "..", `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) throw new Error(`cannot read the config of stack ${stack}: pulumi config failed and ${file} does not exist`);
    return configFromStackYaml(fs.readFileSync(file, "utf8"));
}

/** Short forms of the options, as the Pulumi CLI spells them (`-s dev` = `--stack dev`). */
const SHORT_OPTIONS: Record<string, string> = { stack: "s" };

/**
 * The value of option `--name` (or its short form, `-s` for `--stack`) in `argv`: `--name value`, `--name=value`,
 * `-s value` or `-s=value`; the last occurrence wins, as in the Pulumi CLI. Undefined when absent.
 */
export function optionValue(name: string, argv: string[]): string | undefined {
    const spellings = [`--${name}`, ...(SHORT_OPTIONS[name] ? [`-${SHORT_OPTIONS[name]}`] : [])];
    let value: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const eq = a.indexOf("=");
        const flag = eq > 0 ? a.slice(0, eq) : a;
        if (!spellings.includes(flag)) continue;
        if (eq > 0) value = a.slice(eq + 1);
        else {
            value = argv[i + 1];
            if (value === undefined || value.startsWith("-")) throw new Error(`${flag} needs a value (e.g. ${flag} dev)`);
            i++;
        }
    }
    return value;
}



function run(argv: string[]): number | Promise<number> {
    const stack = optionValue("stack", argv) ?? process.env.PULUMI_STACK ?? "dev";
    const count = Number(optionValue("count", argv) ?? 50);
    if (!Number.isInteger(count) || count < 1) throw new Error("--count must be a positive whole number");
    const only = optionValue("scenario", argv)
        ?.split(",")
        .map((s) => s.trim().toLowerCase());
    const cfg = loadConfig(stack);
    const clusters = clustersOf(cfg);
    const model = scenariosOf(cfg, clusters);
    const probes = planProbes(model, only);
    if (!probes.length) {
        console.error(
            `mesh-check: nothing to check in stack ${stack}: ` +
                (model.samples
                    ? "no CC scenario selected (pass --scenario cc1)"
                    : "the samples scenario (sleep clients, helloworld2) is not selected"),
        );
        return 2;
    }

    if (argv.includes("--xds")) {
        return import("./meshCheckXds").then((x) => x.runXdsCheck(stack, clusters.map((c) => c.name), probes));
    }
    const byName = new Map(clusters.map((c) => [c.name, c]));
    const unusable: string[] = [];
    for (const name of new Set(probes.map((p) => p.cluster))) {
        const c = byName.get(name)!;
        try {
            const nodes = execFileSync("kubectl", [...kubectlArgs(c), "get", "nodes", "-o", "json"], {
                encoding: "utf8",
                stdio: ["ignore", "pipe", "pipe"],
            });
            if (allNodesFake(nodes))
                unusable.push(
                    `${name}: every node is a kwok fake node (kwok.x-k8s.io/node=fake); no pod runs there, so no request can be sent (ask the host istiods instead: --xds)`,
                );
        } catch (e) {
            unusable.push(`${name}: cannot list nodes (${(e as Error).message.split("\n")[0]})`);
        }
    }
    if (unusable.length) {
        console.error(`mesh-check: cannot check stack ${stack}:\n${unusable.map((u) => `  - ${u}`).join("\n")}`);
        return 2;
    }

    const results: { probe: Probe; result: ProbeResult }[] = [];
    for (const p of probes) {
        const c = byName.get(p.cluster)!;
        const loop = `for i in $(seq 1 ${count}); do curl -sS --max-time 5 helloworld2.sample:5000/hello; echo; done`;
        const r = spawnSync(
            "kubectl",
            [...kubectlArgs(c), "-n", "sample", "exec", `deploy/${p.client}`, "-c", "sleep", "--", "sh", "-c", loop],
            {
                encoding: "utf8",
                timeout: (count * 6 + 30) * 1000,
            },
        );
        const result = parseHelloReplies(r.stdout ?? "");
        if (r.status !== 0) result.errors.push(`kubectl exec failed (${r.status ?? r.signal}): ${(r.stderr ?? "").trim().split("\n")[0]}`);
        results.push({ probe: p, result });
        process.stderr.write(".");
    }
    process.stderr.write("\n");
    for (const scenario of [...new Set(probes.map((p) => p.scenario))]) {
        const rows = results.filter((r) => r.probe.scenario === scenario);
        console.log(renderTable(`${scenario} — ${count} requests per client to helloworld2.sample:5000/hello`, rows) + "\n");
        for (const r of rows) for (const e of r.result.errors.slice(0, 3)) console.log(`  ${r.probe.cluster}/${r.probe.client}: ${e}`);
    }
    if (!allAnswered(results)) {
        console.error("mesh-check: some clients got errors or no answer (see above)");
        return 1;
    }
    return 0;
}

if (require.main === module) {
    Promise.resolve()
        .then(() => run(process.argv.slice(2)))
        .then((code) => (process.exitCode = code))
        .catch((e: Error) => {
            console.error(`mesh-check: ${e.message}`);
            process.exitCode = 2;
        });
}
