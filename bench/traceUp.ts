/**
 * `npm run bench:trace`: where the time of a real `pulumi up` goes. Runs `pulumi up --otel-traces` of the bench
 * stack (Pulumi.local.yaml without scenarios, as bench:e2e) on the local clusters, destroys it again, and
 * summarises the trace: wall time, the longest provider operations with their resources, operations per
 * resource type, checkpoint writes and the state size. docs/bench-e2e.md, "Where the up's time goes".
 *
 * Flags: --keep-trace (leave the OTLP file in the temp dir and print its path).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { localStack, localUp, REPO, toolchainEnv, withoutScenarios } from "../test/e2e/harness";

const STACK = "trace";

interface Span {
    service: string;
    name: string;
    startMs: number;
    endMs: number;
    urn: string;
}

/** Reads an OTLP JSON trace file (one export request per line). */
function readSpans(file: string): Span[] {
    const out: Span[] = [];
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
        if (!line.trim()) continue;
        const doc = JSON.parse(line) as OtlpDocument;
        for (const rs of doc.resourceSpans ?? []) {
            const service = rs.resource?.attributes?.find((a) => a.key === "service.name")?.value?.stringValue ?? "";
            for (const ss of rs.scopeSpans ?? []) {
                for (const s of ss.spans ?? []) {
                    const urn = JSON.stringify(s.attributes ?? []).match(/urn:pulumi:[^"\\]*/)?.[0] ?? "";
                    out.push({
                        service,
                        name: s.name,
                        startMs: Number(BigInt(s.startTimeUnixNano) / 1000000n),
                        endMs: Number(BigInt(s.endTimeUnixNano) / 1000000n),
                        urn,
                    });
                }
            }
        }
    }
    return out;
}

interface OtlpDocument {
    resourceSpans?: {
        resource?: { attributes?: { key: string; value?: { stringValue?: string } }[] };
        scopeSpans?: { spans?: { name: string; startTimeUnixNano: string; endTimeUnixNano: string; attributes?: unknown[] }[] }[];
    }[];
}

const typeOf = (urn: string) => (urn.split("::")[2] ?? "").split("$").pop() ?? "";
const nameOf = (urn: string) => urn.split("::").pop() ?? "";
const s1 = (ms: number) => (ms / 1000).toFixed(1);

function summarise(spans: Span[], stateBytes: number | undefined): string {
    const t0 = Math.min(...spans.map((s) => s.startMs));
    const total = spans.find((s) => s.name === "pulumi")?.endMs;
    // Provider-side spans carry the request, hence the URN.
    const ops = spans.filter((s) => s.service === "pulumi-resource-provider" && /\/(Create|Check|Construct)$/.test(s.name));
    const lines: string[] = [];
    lines.push(`wall time of the up: ${total ? s1(total - t0) : "?"} s; state after the up: ${stateBytes ?? "?"} bytes`);
    lines.push(`checkpoint writes: ${spans.filter((s) => s.name === "gocloud.dev/blob.NewWriter").length}`);
    lines.push("", "longest provider operations:", "| op | from (s) | to (s) | resource |", "|---|---:|---:|---|");
    for (const s of [...ops].sort((a, b) => b.endMs - b.startMs - (a.endMs - a.startMs)).slice(0, 12)) {
        lines.push(`| ${s.name.split("/").pop()} | ${s1(s.startMs - t0)} | ${s1(s.endMs - t0)} | ${typeOf(s.urn)} ${nameOf(s.urn)} |`);
    }
    const agg = new Map<string, { n: number; ms: number; max: number }>();
    for (const s of ops) {
        const k = `${s.name.split("/").pop()} ${typeOf(s.urn)}`;
        const a = agg.get(k) ?? { n: 0, ms: 0, max: 0 };
        a.n++;
        a.ms += s.endMs - s.startMs;
        a.max = Math.max(a.max, s.endMs - s.startMs);
        agg.set(k, a);
    }
    lines.push("", "per operation and type:", "| op and type | count | sum (s) | max (s) |", "|---|---:|---:|---:|");
    for (const [k, a] of [...agg].sort((x, y) => y[1].ms - x[1].ms).slice(0, 15))
        lines.push(`| ${k} | ${a.n} | ${s1(a.ms)} | ${s1(a.max)} |`);
    return lines.join("\n");
}

async function main() {
    const env = toolchainEnv(["pulumi", "kube", "istio"]);
    localUp(env, 3);
    const { backend, envVars } = await localStack(env, STACK, withoutScenarios);
    const trace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "istio-mc-trace-")), "trace.json");
    const pulumi = (args: string[]) => {
        const r = spawnSync("pulumi", [...args, "--stack", STACK, "--non-interactive"], {
            cwd: REPO,
            env: envVars,
            encoding: "utf8",
            maxBuffer: 256 << 20,
        });
        if (r.status !== 0) throw new Error(`pulumi ${args[0]} exited ${r.status}:\n${r.stdout.slice(-4000)}${r.stderr.slice(-4000)}`);
    };
    try {
        pulumi(["up", "--yes", "--skip-preview", "--otel-traces", `file://${trace}`]);
        const state = path.join(backend, ".pulumi", "stacks", "istio-multicluster", `${STACK}.json`);
        const stateBytes = fs.existsSync(state) ? fs.statSync(state).size : undefined;
        console.log(summarise(readSpans(trace), stateBytes));
    } finally {
        spawnSync("pulumi", ["destroy", "--yes", "--skip-preview", "--stack", STACK, "--non-interactive"], { cwd: REPO, env: envVars });
        spawnSync("pulumi", ["stack", "rm", STACK, "--yes", "--force", "--preserve-config", "--non-interactive"], {
            cwd: REPO,
            env: envVars,
        });
        fs.rmSync(path.join(REPO, `Pulumi.${STACK}.yaml`), { force: true });
        fs.rmSync(backend, { recursive: true, force: true });
        if (process.argv.includes("--keep-trace")) console.log(`trace: ${trace}`);
        else fs.rmSync(path.dirname(trace), { recursive: true, force: true });
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
