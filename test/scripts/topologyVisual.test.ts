/**
 * The dev stack's mesh picture as a browser shows it: rendered in headless Chromium (the Debian package, found by
 * scripts/toolchain/chromium.sh, which installs it when missing; if that fails, so does this test: it never
 * skips), the screenshot has a picture on it (a real share of non-white pixels, each network's box colour
 * visible), and every cluster's label is in the SVG text.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { stackSvg } from "../../scripts/topology/cli";
import { stackFileModel } from "../../scripts/topology/stackModel";
import { networkColours } from "../../scripts/topology/style";
import { chromiumPath, inkShare, pixelsOfColour, screenshotSvg } from "../helpers/screenshot";
import { svgTexts } from "../helpers/svgText";

describe("topology picture in headless Chromium", function () {
    this.timeout(300000);
    let chromium: string;
    before(() => (chromium = chromiumPath()));

    it("the dev stack's picture is drawn: ink on the page, each network's colour, every cluster label in the text", async () => {
        const model = stackFileModel("dev");
        const { svg } = await stackSvg("dev");
        const png = screenshotSvg(chromium, svg);
        assert.ok(png.width > 1000 && png.height > 500, `screenshot ${png.width}x${png.height}`);
        const share = inkShare(png);
        assert.ok(share > 0.05, `only ${(share * 100).toFixed(1)}% of the screenshot is not white`);
        const networks = [...new Set(model.clusters.map((c) => c.network))];
        networks.forEach((net, n) => {
            const fill = pixelsOfColour(png, networkColours(n).fill);
            assert.ok(fill > png.width * png.height * 0.005, `network ${net}'s box colour ${networkColours(n).fill} covers ${fill} pixels`);
        });
        const texts = svgTexts(svg);
        for (const c of model.clusters) assert.ok(texts.includes(`cluster ${c.name}`), `label "cluster ${c.name}" in the SVG text`);
    });

    it("an empty picture is told apart (the ink check can fail)", () => {
        const blank =
            '<svg width="600pt" height="400pt" xmlns="http://www.w3.org/2000/svg"><rect width="100%" height="100%" fill="#ffffff"/></svg>';
        assert.ok(inkShare(screenshotSvg(chromium, blank)) < 0.01);
    });

    it("without Chromium, chromium.sh --find fails with the install command", () => {
        const script = path.join(__dirname, "..", "..", "scripts", "toolchain", "chromium.sh");
        const r = spawnSync("/bin/bash", [script, "--find"], {
            encoding: "utf8",
            env: { PATH: path.join(__dirname, "no-such-dir"), CHROMIUM_FALLBACK: "/nonexistent/chromium" },
        });
        assert.equal(r.status, 1);
        assert.match(
            r.stderr,
            /no Chromium found .* install it with: bash scripts\/toolchain\/chromium\.sh \(runs: apt-get install -y --no-install-recommends chromium fonts-liberation2\)/,
        );
    });
});
