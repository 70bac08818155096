/**
 * The picture's colours and fonts: one colour pair per network (in order of first appearance, repeating after
 * the last), and one colour per kind of edge, shared by the edges and the legend.
 */

/** The font: one Graphviz has metrics for (so labels fit their boxes), and browsers draw with Helvetica or its metric twin (Liberation Sans, Arial). */
export const FONT = "Helvetica";

/** Fill (box) and border/text colour of each network, in order. */
export const NETWORK_COLOURS: readonly { fill: string; line: string }[] = [
    { fill: "#e8f1fb", line: "#1f5f99" },
    { fill: "#fdf0e3", line: "#b35900" },
    { fill: "#e8f5e9", line: "#2e7d32" },
    { fill: "#f3e8f8", line: "#7b3f99" },
    { fill: "#fbe9ec", line: "#b0243a" },
    { fill: "#e6f6f6", line: "#00796b" },
];

/** The colours of network number `n` (0-based). */
export function networkColours(n: number): { fill: string; line: string } {
    return NETWORK_COLOURS[n % NETWORK_COLOURS.length]!;
}

/** How each kind of edge is drawn. */
export interface EdgeStyle {
    /** Line and label colour. */
    colour: string;
    /** Graphviz style (`solid`, `dashed`, `dotted`, `bold`). */
    style: string;
    /** What it means, for the legend. */
    meaning: string;
}

/** The kinds of edges of the picture. */
export const EDGE_STYLES = {
    remoteSecret: {
        colour: "#555555",
        style: "solid",
        meaning: "remote secret istio-remote-secret-<target>: the reader's istiod watches the target's API server",
    },
    eastWest: { colour: "#c2185b", style: "bold", meaning: "east-west: cross-network mTLS through the gateways (15443)" },
    rootCa: { colour: "#8d6e63", style: "dotted", meaning: "shared root CA signs each cluster's cacerts intermediate" },
    distribute: { colour: "#6a3d9a", style: "solid", meaning: "cc3 weighted distribution: client locality -> endpoint locality, weight" },
    failover: { colour: "#d32f2f", style: "dashed", meaning: "cc4 region failover: from -> to when no endpoint is healthy" },
    shifting: { colour: "#1565c0", style: "solid", meaning: "shifting: /hello on :80 through the ingress gateway, weight per version" },
    tlsFrontend: { colour: "#2e7d32", style: "solid", meaning: "tls-frontend: HTTPS host -> ingress gateway -> version, weight" },
} as const satisfies Record<string, EdgeStyle>;

/** A kind of edge. */
export type EdgeKind = keyof typeof EDGE_STYLES;
