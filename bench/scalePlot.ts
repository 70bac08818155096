/**
 * `ts-node bench/scalePlot.ts RESULTS.json OUT.svg`: the plot of `npm run bench:scale --json RESULTS.json`: wall time
 * against the number of clusters, for Pulumi's fresh up, no-op preview and adding one cluster, and for seed 000's
 * serial procedure. A plain SVG line chart, so the docs can show it without a plotting library.
 */
import * as fs from "fs";

interface Results {
    measured: string;
    results: { n: number; steps: { step: string; ok: boolean; ms: number }[]; serialMs?: number }[];
}

const SERIES: { label: string; colour: string; pick: (r: Results["results"][number]) => number | undefined }[] = [
    { label: "Pulumi: fresh up", colour: "#1f6feb", pick: (r) => r.steps.find((s) => s.step === "fresh up" && s.ok)?.ms },
    { label: "serial procedure (istioctl, kubectl)", colour: "#d1242f", pick: (r) => r.serialMs },
    { label: "Pulumi: add one cluster", colour: "#8250df", pick: (r) => r.steps.find((s) => s.step.startsWith("add ") && s.ok)?.ms },
    { label: "Pulumi: no-op preview", colour: "#1a7f37", pick: (r) => r.steps.find((s) => s.step === "no-op preview" && s.ok)?.ms },
];

/** The chart as SVG text. */
export function scalePlot(data: Results): string {
    const W = 720, H = 420, L = 60, R = 250, T = 30, B = 50;
    const ns = data.results.map((r) => r.n);
    const points = SERIES.map((s) => ({ ...s, pts: data.results.flatMap((r) => (s.pick(r) === undefined ? [] : [[r.n, s.pick(r)! / 1000] as const])) }));
    const maxY = Math.max(10, ...points.flatMap((p) => p.pts.map(([, y]) => y)));
    const step = [10, 20, 30, 60, 120, 300].find((t) => maxY / t <= 8) ?? 600;
    const top = Math.ceil(maxY / step) * step;
    const [minN, maxN] = [Math.min(...ns), Math.max(...ns)];
    const x = (n: number) => L + ((n - minN) / Math.max(1, maxN - minN)) * (W - L - R);
    const y = (v: number) => H - B - (v / top) * (H - T - B);
    const out: string[] = [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
        `<rect width="${W}" height="${H}" fill="white"/>`,
        `<text x="${L}" y="18" font-size="14">Wall time against clusters (measured ${data.measured.slice(0, 10)}, 2 cores)</text>`,
    ];
    for (let v = 0; v <= top; v += step) {
        out.push(`<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`, `<text x="${L - 8}" y="${y(v) + 4}" text-anchor="end">${v}</text>`);
    }
    for (const n of ns) out.push(`<text x="${x(n)}" y="${H - B + 18}" text-anchor="middle">${n}</text>`);
    out.push(`<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">clusters (N)</text>`);
    out.push(`<text x="16" y="${(T + H - B) / 2}" transform="rotate(-90 16 ${(T + H - B) / 2})" text-anchor="middle">seconds</text>`);
    points.forEach((p, i) => {
        if (p.pts.length) {
            out.push(`<polyline fill="none" stroke="${p.colour}" stroke-width="2" points="${p.pts.map(([n, v]) => `${x(n)},${y(v)}`).join(" ")}"/>`);
            for (const [n, v] of p.pts) out.push(`<circle cx="${x(n)}" cy="${y(v)}" r="3" fill="${p.colour}"/>`);
        }
        const ly = T + 20 + i * 22;
        out.push(`<line x1="${W - R + 20}" x2="${W - R + 44}" y1="${ly}" y2="${ly}" stroke="${p.colour}" stroke-width="2"/>`, `<text x="${W - R + 50}" y="${ly + 4}">${p.label}</text>`);
    });
    out.push("</svg>");
    return `${out.join("\n")}\n`;
}

if (require.main === module) {
    const [input, output] = process.argv.slice(2);
    if (!input || !output) throw new Error("usage: ts-node bench/scalePlot.ts RESULTS.json OUT.svg");
    fs.writeFileSync(output, scalePlot(JSON.parse(fs.readFileSync(input, "utf8")) as Results));
    console.log(`wrote ${output}`);
}
