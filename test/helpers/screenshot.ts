/**
 * Screenshots of an SVG in headless Chromium (the Debian package, found by scripts/toolchain/chromium.sh) and
 * what they show: the share of pixels that differ from the white page, and how many pixels have a given colour.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PNG } from "pngjs";

const CHROMIUM_SH = path.join(__dirname, "..", "..", "scripts", "toolchain", "chromium.sh");

/**
 * The Chromium binary, installed by chromium.sh (Debian's package, through apt-get) when the machine has none;
 * throws with the script's reason when that fails (never a skip).
 */
export function chromiumPath(): string {
    const r = spawnSync("bash", [CHROMIUM_SH], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    if (r.status !== 0) throw new Error(`${CHROMIUM_SH} failed (exit ${r.status}): no Chromium, and it could not be installed (above)`);
    return r.stdout.trim();
}

/** The SVG's size in CSS pixels (Graphviz writes points: 1pt = 4/3 px). */
export function svgPixelSize(svg: string): { width: number; height: number } {
    const m = /<svg[^>]*\swidth="([0-9.]+)pt"[^>]*\sheight="([0-9.]+)pt"/.exec(svg);
    if (!m) throw new Error("the SVG has no width/height in pt");
    return { width: Math.ceil((Number(m[1]) * 4) / 3), height: Math.ceil((Number(m[2]) * 4) / 3) };
}

/** A screenshot of `svg` on a white page as large as the picture (plus a margin), decoded. */
export function screenshotSvg(chromium: string, svg: string): PNG {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "topology-shot-"));
    try {
        const { width, height } = svgPixelSize(svg);
        const html = path.join(dir, "picture.html");
        const png = path.join(dir, "picture.png");
        const body = svg.slice(svg.indexOf("<svg"));
        fs.writeFileSync(html, `<!doctype html><html><body style="margin:10px;background:#ffffff">${body}</body></html>`);
        execFileSync(
            chromium,
            [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                `--user-data-dir=${path.join(dir, "profile")}`,
                `--window-size=${width + 20},${height + 20}`,
                `--screenshot=${png}`,
                `file://${html}`,
            ],
            { stdio: ["ignore", "ignore", "pipe"], timeout: 120000 },
        );
        return PNG.sync.read(fs.readFileSync(png));
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** The share (0..1) of pixels that are not the white background. */
export function inkShare(png: PNG): number {
    let ink = 0;
    for (let i = 0; i < png.data.length; i += 4) {
        if (png.data[i]! < 245 || png.data[i + 1]! < 245 || png.data[i + 2]! < 245) ink++;
    }
    return ink / (png.width * png.height);
}

/** How many pixels have colour `hex` (`#rrggbb`), within `tolerance` per channel. */
export function pixelsOfColour(png: PNG, hex: string, tolerance = 2): number {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    let n = 0;
    for (let i = 0; i < png.data.length; i += 4) {
        if (
            Math.abs(png.data[i]! - r!) <= tolerance &&
            Math.abs(png.data[i + 1]! - g!) <= tolerance &&
            Math.abs(png.data[i + 2]! - b!) <= tolerance
        )
            n++;
    }
    return n;
}
