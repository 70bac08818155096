/**
 * DOT text to SVG with Graphviz compiled to WebAssembly (@viz-js/viz): no Graphviz install, the same layout on
 * every machine for the same @viz-js/viz version.
 */
import { instance } from "@viz-js/viz";

/** A rendered picture. */
export interface RenderedSvg {
    /** The SVG document. */
    svg: string;
    /** Graphviz's warnings (e.g. an `lhead` naming no box); empty for a picture drawn as intended. */
    warnings: string[];
}

/** The SVG of `dot` laid out by Graphviz `dot`; throws with Graphviz's messages when the text does not parse. */
export async function renderSvg(dot: string): Promise<RenderedSvg> {
    const viz = await instance();
    const result = viz.render(dot, { format: "svg", engine: "dot" });
    const messages = (level: string) => result.errors.filter((e) => e.level === level).map((e) => e.message.trim());
    if (result.status !== "success" || messages("error").length) {
        throw new Error(`Graphviz could not lay out the picture: ${result.errors.map((e) => e.message.trim()).join("; ")}`);
    }
    return { svg: result.output, warnings: messages("warning") };
}
