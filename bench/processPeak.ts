/**
 * Runs a command and samples its process tree's memory from /proc while it runs: the peak resident set size of
 * each program in the tree (the Pulumi CLI, each provider plugin, the Node.js program) and of the whole tree.
 * Linux only; a sample every `intervalMs`, so a spike shorter than that can be missed.
 */
import { spawn } from "child_process";
import * as fs from "fs";

/** What {@link runSampled} measured. */
export interface SampledRun {
    /** Exit status of the command (null when killed by a signal). */
    status: number | null;
    /** Wall time, ms. */
    ms: number;
    /** stdout and stderr together. */
    out: string;
    /** Peak RSS per program name (`comm`, e.g. `pulumi`, `pulumi-resource-`, `node`), MiB. */
    peakByName: Record<string, number>;
    /** Peak of the sum over the whole tree at one sample, MiB. */
    peakTreeMiB: number;
    /** Bytes the command's own process wrote (`wchar` of /proc/<pid>/io at its last sample), MiB: the checkpoints. */
    writtenMiB: number;
}

/** pid → [ppid, comm, rss KiB] for every process readable in /proc. */
function processTable(): Map<number, { ppid: number; comm: string; rssKiB: number }> {
    const table = new Map<number, { ppid: number; comm: string; rssKiB: number }>();
    for (const d of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(d)) continue;
        try {
            const status = fs.readFileSync(`/proc/${d}/status`, "utf8");
            const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? "?";
            const ppid = Number(/^PPid:\s+(\d+)$/m.exec(status)?.[1] ?? 0);
            const rssKiB = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0);
            table.set(Number(d), { ppid, comm: name, rssKiB });
        } catch {
            // the process ended between readdir and read
        }
    }
    return table;
}

/** The pids of `root` and all its descendants in `table`. */
function treeOf(root: number, table: Map<number, { ppid: number }>): number[] {
    const children = new Map<number, number[]>();
    for (const [pid, p] of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
    const out: number[] = [];
    const stack = [root];
    while (stack.length) {
        const pid = stack.pop()!;
        if (!table.has(pid)) continue;
        out.push(pid);
        stack.push(...(children.get(pid) ?? []));
    }
    return out;
}

/** Runs `cmd args` with `env` in `cwd`, sampling its process tree every `intervalMs`. */
export function runSampled(cmd: string, args: string[], opts: { env: NodeJS.ProcessEnv; cwd: string; intervalMs?: number }): Promise<SampledRun> {
    const t0 = performance.now();
    const peakByName: Record<string, number> = {};
    let peakTreeKiB = 0;
    let written = 0;
    const chunks: string[] = [];
    const child = spawn(cmd, args, { env: opts.env, cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (b: Buffer) => chunks.push(b.toString()));
    child.stderr.on("data", (b: Buffer) => chunks.push(b.toString()));
    const sample = () => {
        if (child.pid === undefined) return;
        const table = processTable();
        let total = 0;
        for (const pid of treeOf(child.pid, table)) {
            const p = table.get(pid)!;
            total += p.rssKiB;
            peakByName[p.comm] = Math.max(peakByName[p.comm] ?? 0, p.rssKiB);
        }
        peakTreeKiB = Math.max(peakTreeKiB, total);
        try {
            written = Math.max(written, Number(/^wchar:\s+(\d+)$/m.exec(fs.readFileSync(`/proc/${child.pid}/io`, "utf8"))?.[1] ?? 0));
        } catch {
            // the process has ended
        }
    };
    const timer = setInterval(sample, opts.intervalMs ?? 250);
    return new Promise((resolve) => {
        child.on("close", (status) => {
            clearInterval(timer);
            resolve({
                status,
                ms: performance.now() - t0,
                out: chunks.join(""),
                peakByName: Object.fromEntries(Object.entries(peakByName).map(([k, v]) => [k, Math.round(v / 1024)])),
                peakTreeMiB: Math.round(peakTreeKiB / 1024),
                writtenMiB: Math.round(written / 1048576),
            });
        });
    });
}
