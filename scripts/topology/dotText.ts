/**
 * Graphviz DOT text: quoted IDs and attribute lists. Every name, label and colour goes through {@link quote},
 * so config values (a host, a context such as `arn:aws:eks:...`, a quote or a backslash) cannot break the graph.
 */

/**
 * `s` as a DOT quoted string: `"` and `\` escaped, line breaks as Graphviz's centred `\n`. A backslash is
 * doubled, so Graphviz escapes such as `\N` (node name) or `\l` in a value stay literal text.
 */
export function quote(s: string): string {
    return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

/** Label lines Graphviz left-justifies (each ends in `\l`). */
export interface LeftLines {
    /** The lines, top to bottom. */
    leftLines: string[];
}

/** An attribute value: a string, a number, left-justified lines, or undefined (left out). */
export type AttrValue = string | number | LeftLines | undefined;

/** A {@link LeftLines} value as a DOT quoted string: each line escaped as {@link quote} does, then `\l`. */
export function quoteLeftLines(v: LeftLines): string {
    return `"${v.leftLines.map((l) => `${quote(l).slice(1, -1)}\\l`).join("")}"`;
}

/** ` [k="v", ...]` for the defined entries, in the order given; empty when none is defined. */
export function attrList(a: Record<string, AttrValue>): string {
    const parts = Object.entries(a)
        .filter((e): e is [string, string | number | LeftLines] => e[1] !== undefined)
        .map(([k, v]) => `${k}=${typeof v === "object" ? quoteLeftLines(v) : quote(String(v))}`);
    return parts.length ? ` [${parts.join(", ")}]` : "";
}

/** `id [attrs];` */
export function nodeStatement(id: string, a: Record<string, AttrValue>): string {
    return `${quote(id)}${attrList(a)};`;
}

/** `from -> to [attrs];` */
export function edgeStatement(from: string, to: string, a: Record<string, AttrValue>): string {
    return `${quote(from)} -> ${quote(to)}${attrList(a)};`;
}

/** `s` as text in a Graphviz HTML-like label: `&`, `<`, `>` and `"` as entities. */
export function htmlText(s: string): string {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
