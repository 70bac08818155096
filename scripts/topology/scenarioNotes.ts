/**
 * The selected scenarios' rules as text for the picture's note boxes: per cluster, what is applied there (CC2's
 * locality failover priorities, CC3/CC4's DestinationRules, DNS proxying entries, NetworkPolicies, Rancher), and
 * the mesh-wide lines (DNS proxying itself). The rules with a direction are drawn as edges too (traffic.ts).
 */
import type { LocalityRuleModel, MeshModel, OutlierDetection, ServiceEntryModel } from "../../components/model";

/** Note lines per cluster name, and mesh-wide lines. */
export interface ScenarioNotes {
    /** Lines of each cluster's note, in scenario order; clusters without any are absent. */
    perCluster: Map<string, string[]>;
    /** Lines about the whole mesh. */
    mesh: string[];
}

/** `outlierDetection 5 x 5xx, per 1s, eject 30s`. */
export function outlierText(od: OutlierDetection): string {
    const o = od as Record<string, unknown>;
    const parts = [
        o.consecutive5xxErrors !== undefined ? `${String(o.consecutive5xxErrors)} x 5xx` : undefined,
        o.interval !== undefined ? `per ${String(o.interval)}` : undefined,
        o.baseEjectionTime !== undefined ? `eject ${String(o.baseEjectionTime)}` : undefined,
    ].filter((p): p is string => !!p);
    return parts.length ? `outlierDetection ${parts.join(", ")}` : "outlierDetection";
}

function ruleHead(id: string, r: LocalityRuleModel): string {
    return `${id}: DestinationRule ${r.namespace}/${r.name} (host ${r.host})`;
}

function entryText(e: ServiceEntryModel): string {
    const spec = e.spec as { hosts?: string[]; ports?: { number: number; protocol: string }[] };
    const ports = (spec.ports ?? []).map((p) => `${p.protocol} ${p.number}`).join(", ");
    return `ServiceEntry ${e.name}${ports ? ` (${ports})` : ""}: ${(spec.hosts ?? []).join(", ")}`;
}

/** The note lines of the selected scenarios of `model`. */
export function scenarioNotes(model: MeshModel): ScenarioNotes {
    const perCluster = new Map<string, string[]>();
    const add = (cluster: string, ...lines: string[]) => perCluster.set(cluster, [...(perCluster.get(cluster) ?? []), ...lines]);
    const s = model.scenarios;
    const mesh: string[] = [];
    if (model.istio.dnsCapture) {
        mesh.push(`DNS proxying on (ISTIO_META_DNS_CAPTURE${model.istio.dnsAutoAllocate ? ", addresses auto-allocated" : ""})`);
    }
    if (!s) return { perCluster, mesh };
    if (s.cc1) add(s.cc1.cluster, "cc1: clients here call helloworld2 in every cluster");
    if (s.cc2) {
        add(
            s.cc2.cluster,
            ruleHead("cc2", s.cc2),
            "  locality failover priority: same zone -> same region -> other regions",
            `  ${outlierText(s.cc2.outlierDetection)}`,
        );
    }
    if (s.cc3) {
        add(s.cc3.cluster, ruleHead("cc3", s.cc3), "  weighted distribution (purple edges)", `  ${outlierText(s.cc3.outlierDetection)}`);
    }
    if (s.cc4) {
        const failover = (s.cc4.failover ?? []).map((f) => `${f.from} -> ${f.to}`).join(", ");
        add(s.cc4.cluster, ruleHead("cc4", s.cc4), `  region failover ${failover} (red edges)`, `  ${outlierText(s.cc4.outlierDetection)}`);
    }
    for (const [id, d] of [
        ["dnsp1", s.dnsp1],
        ["dnsp2", s.dnsp2],
    ] as const) {
        if (d) add(d.cluster, ...d.entries.map((e) => `${id}: ${entryText(e)}`));
    }
    if (s.tlsFrontend) {
        for (const c of s.tlsFrontend.clusters) {
            add(
                c,
                `tls-frontend: https://${s.tlsFrontend.host} (Certificate ${s.tlsFrontend.certificate}, ClusterIssuer ${s.tlsFrontend.issuerName})`,
            );
        }
    }
    for (const c of s.networkpolicy?.clusters ?? []) add(c, "networkpolicy: np-istio, np-istio-ports, np-helloworld");
    if (s.rancher) {
        for (const [c, id] of Object.entries(s.rancher.clusterIds)) {
            add(c, `rancher: cluster ${id}, project ${s.rancher.projectName}${s.rancher.limitRange ? ", LimitRange" : ""}`);
        }
    }
    return { perCluster, mesh };
}
