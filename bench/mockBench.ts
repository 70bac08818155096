/**
 * `npm run bench`: evaluates the program under mocks at 3, 10, 12 and 50 clusters (50 is beyond the supported
 * ceiling of 12, components/model/config/limits.ts: its row shows the refusal, 0 resources), and beside each a bare
 * program registering the same number of trivial resources (the SDK floor). Prints resources, seconds,
 * peak RSS and the ratio to the floor. Each run is a fresh process; the median of `--runs` (default 3) is shown.
 * Then, for each size in `BENCH_BEYOND` (default 50,100; empty to skip), one run of the same mesh built through
 * IstioMesh, which has no ceiling, and its floor: what a higher ceiling would cost (several GB, minutes).
 */
import { execFileSync } from "child_process";
import * as path from "path";

interface Run {
    mode: string;
    n: number;
    resources: number;
    seconds: number;
    peakRssBytes: number;
    /** Config paths of the refusal, when the config layer refused the mesh (beyond the ceiling). */
    refused?: string;
}

const sizes = (process.env.BENCH_SIZES ?? "3,10,12,50").split(",").map(Number);
const beyond = (process.env.BENCH_BEYOND ?? "50,100").split(",").filter(Boolean).map(Number);
const runs = Number(process.argv.find((a) => a.startsWith("--runs="))?.split("=")[1] ?? 3);

function once(mode: string, n: number): Run {
    const out = execFileSync(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", path.join(__dirname, "mockWorker.ts"), mode, String(n)],
        {
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
        },
    );
    return JSON.parse(out.trim().split("\n").pop()!) as Run;
}

function median(rs: Run[]): Run {
    const sorted = [...rs].sort((a, b) => a.seconds - b.seconds);
    return { ...sorted[Math.floor(sorted.length / 2)], peakRssBytes: Math.max(...rs.map((r) => r.peakRssBytes)) };
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const rows: string[] = [];
rows.push("| clusters | resources | program s | floor s | ratio | program peak RSS | floor peak RSS |");
rows.push("|---:|---:|---:|---:|---:|---:|---:|");
for (const n of sizes) {
    const mesh = median(Array.from({ length: runs }, () => once("mesh", n)));
    if (mesh.refused) {
        rows.push(`| ${n} | 0 (refused on ${mesh.refused}) | ${mesh.seconds.toFixed(2)} | – | – | ${mb(mesh.peakRssBytes)} | – |`);
        console.error(rows[rows.length - 1]);
        continue;
    }
    const floor = median(Array.from({ length: runs }, () => once("floor", mesh.resources)));
    rows.push(
        `| ${n} | ${mesh.resources} | ${mesh.seconds.toFixed(2)} | ${floor.seconds.toFixed(2)} | ${(mesh.seconds / floor.seconds).toFixed(2)} | ${mb(mesh.peakRssBytes)} | ${mb(floor.peakRssBytes)} |`,
    );
    console.error(rows[rows.length - 1]);
}
for (const n of beyond) {
    const mesh = once("beyond", n);
    const floor = once("floor", mesh.resources);
    rows.push(
        `| ${n} (beyond the ceiling, via IstioMesh, 1 run) | ${mesh.resources} | ${mesh.seconds.toFixed(2)} | ${floor.seconds.toFixed(2)} | ${(mesh.seconds / floor.seconds).toFixed(2)} | ${mb(mesh.peakRssBytes)} | ${mb(floor.peakRssBytes)} |`,
    );
    console.error(rows[rows.length - 1]);
}
console.log(rows.join("\n"));
