/** The text a Graphviz SVG shows: the content of its `<text>` elements, XML entities decoded. */
export function svgTexts(svg: string): string[] {
    const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) =>
        m[1]!.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (all, e: string) =>
            e.startsWith("#x") || e.startsWith("#X")
                ? String.fromCodePoint(parseInt(e.slice(2), 16))
                : e.startsWith("#")
                  ? String.fromCodePoint(Number(e.slice(1)))
                  : (entities[e] ?? all),
        ),
    );
}
