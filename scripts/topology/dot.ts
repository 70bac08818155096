/**
 * The mesh picture as Graphviz DOT, from the validated mesh model alone (pure: no files, no clusters): networks
 * as coloured boxes holding their clusters; in each cluster its API server, istiod, east-west gateway, ingress
 * gateway and helloworld versions where scenarios put them, a note of the scenario rules applied there, and its
 * nodes grouped by region and zone; edges for the remote-secret links, east-west traffic, the shared root CA and
 * the scenarios' traffic rules; a legend of the edges drawn. Graphviz does the layout.
 */
import { EASTWEST_GATEWAY_NAME, MeshModel, READER_SERVICE_ACCOUNT } from "../../components/model";
import type { ClusterModel } from "../../components/model";
import { attrList, edgeStatement, htmlText, nodeStatement, quote } from "./dotText";
import { NodeId, SubgraphId } from "./ids";
import { ZoneGroup, zoneGroups } from "./localities";
import { scenarioNotes } from "./scenarioNotes";
import { EDGE_STYLES, EdgeKind, FONT, networkColours } from "./style";
import { RegionBoxes, trafficParts } from "./traffic";

/** What the picture says about where the model came from. */
export interface MeshDotOptions {
    /** Stack name, for the title. */
    stack: string;
}

const ROOT_CA = NodeId.rootCa;

function apiServerLabel(c: ClusterModel): string {
    const where =
        c.apiServerUrlSource === "config"
            ? c.apiServerUrl!
            : c.apiServerUrlSource === "kubeconfig"
              ? `address: kubeconfig context ${c.context ?? "(current-context)"}`
              : "address: in the supplied kubeconfig";
    const auth =
        c.remoteCredential.kind === "readerToken"
            ? `peers use the ${READER_SERVICE_ACCOUNT} token`
            : `peers use the kubeconfig in secret\n${c.remoteCredential.secretConfigKey}`;
    return `kube-apiserver\n${where}\n${auth}`;
}

function zoneLabel(model: MeshModel, z: ZoneGroup): string {
    const sample = model.scenarios?.samples?.clusters
        .find((c) => c.cluster === z.cluster)
        ?.zones.find((s) => s.region === z.region && s.zone === z.zone);
    const lines = [`zone ${z.zone}`, `nodes ${z.nodes.join(", ")}`];
    if (sample) lines.push(`helloworld2-${sample.version}, sleep${sample.short}`);
    return lines.join("\n");
}

/** The cluster box `i`: its components, note and zones (by region); fills `regionBoxes`. */
function clusterBox(model: MeshModel, i: number, zones: ZoneGroup[], notes: string[] | undefined, regionBoxes: RegionBoxes): string[] {
    const c = model.clusters[i]!;
    const s = model.scenarios;
    const out = [
        `subgraph ${SubgraphId.cluster(i)} {`,
        `graph${attrList({ label: `cluster ${c.name}${c.context ? `\ncontext ${c.context}` : ""}`, style: "rounded,filled", fillcolor: "#ffffff" })};`,
        nodeStatement(NodeId.apiServer(c.name), { label: apiServerLabel(c), shape: "box" }),
        nodeStatement(NodeId.istiod(c.name), { label: `istiod\nclusterName ${c.name}\nnetwork ${c.network}`, shape: "box" }),
    ];
    if (c.eastWestGateway.enabled) {
        out.push(
            nodeStatement(NodeId.eastWest(c.name), {
                label: `${EASTWEST_GATEWAY_NAME}\n${c.eastWestGateway.serviceType}, 15443\nAUTO_PASSTHROUGH`,
                shape: "hexagon",
            }),
        );
    }
    if (s?.ingressGatewayClusters.includes(c.name)) {
        out.push(nodeStatement(NodeId.ingress(c.name), { label: "istio-ingressgateway", shape: "hexagon" }));
    }
    for (const v of s?.helloworld?.versions[c.name] ?? []) {
        out.push(nodeStatement(NodeId.helloworld(c.name, v), { label: `helloworld ${v}`, shape: "component" }));
    }
    if (notes?.length) {
        out.push(nodeStatement(NodeId.note(c.name), { label: { leftLines: notes }, shape: "note", fillcolor: "#fffde7" }));
    }
    // Rows, top to bottom (invisible edges): istiod | gateways; API server | apps; the note; one row of zones per region.
    const rows = [[NodeId.istiod(c.name)], [NodeId.apiServer(c.name)]];
    if (notes?.length) rows.push([NodeId.note(c.name)]);
    const regions = [...new Set(zones.map((z) => z.region))];
    regions.forEach((r, k) => {
        const box = SubgraphId.region(i, k);
        regionBoxes.set(`${c.name}/${r}`, box);
        out.push(`subgraph ${box} {`, `graph${attrList({ label: `region ${r}`, style: "dashed,rounded", fillcolor: "#ffffff" })};`);
        const inRegion = zones.filter((x) => x.region === r);
        for (const z of inRegion) {
            out.push(
                nodeStatement(NodeId.zone(z.cluster, z.region, z.zone), { label: zoneLabel(model, z), shape: "box", fillcolor: "#f5f5f5" }),
            );
        }
        out.push("}");
        rows.push(inRegion.map((z) => NodeId.zone(c.name, r, z.zone)));
    });
    rows.slice(1).forEach((row, j) => {
        for (const id of row) out.push(edgeStatement(rows[j]![0]!, id, { style: "invis" }));
    });
    const side = [
        ...(c.eastWestGateway.enabled ? [NodeId.eastWest(c.name)] : []),
        ...(s?.ingressGatewayClusters.includes(c.name) ? [NodeId.ingress(c.name)] : []),
    ];
    side.forEach((id) => out.push(edgeStatement(NodeId.istiod(c.name), id, { style: "invis", minlen: 0 })));
    for (const v of s?.helloworld?.versions[c.name] ?? []) {
        out.push(edgeStatement(side[0] ?? NodeId.istiod(c.name), NodeId.helloworld(c.name, v), { style: "invis" }));
    }
    out.push("}");
    return out;
}

/** The legend: one row per kind of edge drawn, a sample line in its colour and what it means. */
function legend(kinds: EdgeKind[]): string[] {
    if (!kinds.length) return [];
    const sample = (k: EdgeKind) =>
        EDGE_STYLES[k].style === "dashed" ? "- - - -&gt;" : EDGE_STYLES[k].style === "dotted" ? ". . . . &gt;" : "------&gt;";
    const rows = kinds.map(
        (k) =>
            `<tr><td align="left"><font color="${htmlText(EDGE_STYLES[k].colour)}">${EDGE_STYLES[k].style === "bold" ? `<b>${sample(k)}</b>` : sample(k)}</font></td>` +
            `<td align="left">${htmlText(EDGE_STYLES[k].meaning)}</td></tr>`,
    );
    return [
        `${quote(NodeId.legend)} [shape=plaintext, style=solid, label=<<table border="1" color="#9e9e9e" cellborder="0" cellspacing="2" cellpadding="2"><tr><td colspan="2"><b>legend</b></td></tr>${rows.join("")}</table>>];`,
    ];
}

/** The DOT text of the mesh picture of `model`. Deterministic: the same model gives the same bytes. */
export function meshDot(model: MeshModel, opts: MeshDotOptions): string {
    const zones = zoneGroups(model.clusters);
    const notes = scenarioNotes(model);
    const networks = [...new Set(model.clusters.map((c) => c.network))];
    const regionBoxes: RegionBoxes = new Map();
    const title = [
        `Istio mesh ${model.meshID} (stack ${opts.stack}): multi-primary, ${networks.length} network${networks.length === 1 ? "" : "s"}, Istio ${model.istio.version}`,
        ...(model.scenarios?.selected.length ? [`scenarios: ${model.scenarios.selected.join(", ")}`] : []),
        ...notes.mesh,
    ].join("\n");

    const lines = [
        "digraph mesh {",
        `graph${attrList({ label: title, labelloc: "t", fontname: FONT, fontsize: 16, rankdir: "TB", compound: "true", newrank: "true", nodesep: 0.3, ranksep: 0.5, bgcolor: "#ffffff", pad: 0.3 })};`,
        `node${attrList({ fontname: FONT, fontsize: 11, style: "rounded,filled", fillcolor: "#ffffff", color: "#616161", margin: "0.12,0.06" })};`,
        `edge${attrList({ fontname: FONT, fontsize: 10, arrowsize: 0.7 })};`,
        nodeStatement(ROOT_CA, {
            label: `shared root CA\n${model.ca.existingRoot ? "existing root (secret config)" : `${model.ca.keyAlgorithm}, generated`}`,
            shape: "box",
            fillcolor: "#efebe9",
        }),
    ];
    networks.forEach((net, n) => {
        const colours = networkColours(n);
        lines.push(
            `subgraph ${SubgraphId.network(n)} {`,
            `graph${attrList({ label: `network ${net}`, style: "rounded,filled", fillcolor: colours.fill, color: colours.line, fontcolor: colours.line, fontsize: 14 })};`,
        );
        model.clusters.forEach((c, i) => {
            if (c.network !== net) return;
            lines.push(
                ...clusterBox(
                    model,
                    i,
                    zones.filter((z) => z.cluster === c.name),
                    notes.perCluster.get(c.name),
                    regionBoxes,
                ),
            );
        });
        lines.push("}");
    });

    const kinds: EdgeKind[] = [];
    const edge = (kind: EdgeKind, from: string, to: string, extra: Record<string, string | undefined> = {}) => {
        if (!kinds.includes(kind)) kinds.push(kind);
        const s = EDGE_STYLES[kind];
        lines.push(edgeStatement(from, to, { color: s.colour, fontcolor: s.colour, style: s.style, ...extra }));
    };
    for (const c of model.clusters) {
        edge("rootCa", ROOT_CA, NodeId.istiod(c.name), { label: "cacerts" });
    }
    for (const l of model.links) {
        edge("remoteSecret", NodeId.istiod(l.reader), NodeId.apiServer(l.target), { constraint: "false", tailport: "s", headport: "n" });
    }
    const gateways = model.clusters.filter((c) => c.eastWestGateway.enabled);
    gateways.forEach((a, i) => {
        for (const b of gateways.slice(i + 1)) {
            if (a.network !== b.network)
                edge("eastWest", NodeId.eastWest(a.name), NodeId.eastWest(b.name), { dir: "both", constraint: "false" });
        }
    });
    const traffic = trafficParts(model, zones, regionBoxes);
    lines.push(...traffic.nodes, ...traffic.edges);
    for (const k of traffic.kinds) if (!kinds.includes(k)) kinds.push(k);
    lines.push(...legend(kinds), "}");
    return `${lines.join("\n")}\n`;
}
