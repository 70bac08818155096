/**
 * The selected scenarios' traffic rules as edges of the picture: cc3's distribute weights and cc4's region
 * failover between localities (zone boxes, or region boxes for `region/*`), and the shifting / tls-frontend
 * routes from the ingress gateway to the helloworld versions with their weights. A locality no node is labelled
 * with, or a version no cluster runs, becomes a node of its own outside the clusters.
 */
import type { LocalityRuleModel, MeshModel } from "../../components/model";
import { edgeStatement, nodeStatement } from "./dotText";
import { NodeId } from "./ids";
import { matchLocality, ZoneGroup } from "./localities";
import { EDGE_STYLES, EdgeKind } from "./style";

/** What the traffic rules add to the graph. */
export interface TrafficParts {
    /** Node statements outside every cluster box. */
    nodes: string[];
    /** Edge statements. */
    edges: string[];
    /** The kinds of edges drawn, in first-use order (for the legend). */
    kinds: EdgeKind[];
}

/** One end of a rule edge: a node, and the region box it stands for (Graphviz `ltail`/`lhead`), if any. */
interface End {
    node: string;
    box?: string;
}

/** The region box ID of each `cluster/region`, as dot.ts names them. */
export type RegionBoxes = Map<string, string>;

/** Builds the traffic edges of `model` over `zones`, whose region boxes are `regionBoxes`. */
export function trafficParts(model: MeshModel, zones: ZoneGroup[], regionBoxes: RegionBoxes): TrafficParts {
    const parts: TrafficParts = { nodes: [], edges: [], kinds: [] };
    const outside = new Set<string>();
    const addOutside = (id: string, label: string, shape: string) => {
        if (outside.has(id)) return;
        outside.add(id);
        parts.nodes.push(nodeStatement(id, { label, shape, style: "dashed", color: "#9e9e9e" }));
    };
    const edge = (kind: EdgeKind, from: End, to: End, label: string) => {
        if (!parts.kinds.includes(kind)) parts.kinds.push(kind);
        const s = EDGE_STYLES[kind];
        const sameBox = from.box !== undefined && from.box === to.box;
        parts.edges.push(
            edgeStatement(from.node, to.node, {
                label,
                color: s.colour,
                fontcolor: s.colour,
                style: s.style,
                ltail: sameBox ? undefined : from.box,
                lhead: sameBox ? undefined : to.box,
                constraint: "false",
            }),
        );
    };
    const ends = (locality: string, among: ZoneGroup[]): End[] => {
        const m = matchLocality(locality, among);
        if (!m.zones.length) {
            const id = NodeId.noSuchLocality(locality);
            addOutside(id, `${locality}\n(no node labelled with it)`, "box");
            return [{ node: id }];
        }
        if (!m.wholeRegions) return m.zones.map((z) => ({ node: NodeId.zone(z.cluster, z.region, z.zone) }));
        const seen = new Set<string>();
        const out: End[] = [];
        for (const z of m.zones) {
            const key = `${z.cluster}/${z.region}`;
            if (seen.has(key)) continue;
            seen.add(key);
            out.push({ node: NodeId.zone(z.cluster, z.region, z.zone), box: regionBoxes.get(key) });
        }
        return out;
    };
    const clientZones = (rule: LocalityRuleModel) => zones.filter((z) => z.cluster === rule.cluster);

    const s = model.scenarios;
    if (s?.cc3) {
        for (const d of s.cc3.distribute ?? []) {
            for (const from of ends(d.from, clientZones(s.cc3))) {
                for (const [to, weight] of Object.entries(d.to)) {
                    for (const end of ends(to, zones)) edge("distribute", from, end, `cc3 ${weight}%`);
                }
            }
        }
    }
    if (s?.cc4) {
        for (const f of s.cc4.failover ?? []) {
            for (const from of ends(f.from, zones)) for (const to of ends(f.to, zones)) edge("failover", from, to, "cc4 failover");
        }
    }

    const versionEnds = (version: "v1" | "v2"): End[] => {
        const running = Object.entries(s?.helloworld?.versions ?? {})
            .filter(([, vs]) => vs.includes(version))
            .map(([c]) => ({ node: NodeId.helloworld(c, version) }));
        if (running.length) return running;
        const id = NodeId.missingHelloworld(version);
        addOutside(id, `helloworld ${version}\n(no cluster runs it)`, "box");
        return [{ node: id }];
    };
    const routes = (kind: EdgeKind, cluster: string, prefix: string, weights: { v1: number; v2: number }) => {
        for (const v of ["v1", "v2"] as const) {
            if (weights[v] === 0) continue;
            for (const to of versionEnds(v)) edge(kind, { node: NodeId.ingress(cluster) }, to, `${prefix} ${v} ${weights[v]}%`);
        }
    };
    for (const c of s?.shifting?.clusters ?? []) routes("shifting", c, "shifting", s!.shifting!.weights);
    if (s?.tlsFrontend) {
        const t = s.tlsFrontend;
        const host = NodeId.publicHost(t.host);
        addOutside(host, `https://${t.host}\n(external-dns -> ${t.ingressAddress ?? "ingress gateway address"})`, "box");
        for (const c of t.clusters) {
            edge("tlsFrontend", { node: host }, { node: NodeId.ingress(c) }, "HTTPS 443");
            routes("tlsFrontend", c, "tls-frontend", t.weights);
        }
    }
    return parts;
}
