/**
 * Conflict detection between scenarios: the objects a resolved model writes, and the pairs that would write
 * the same object (or the DestinationRule of the same host) on one cluster.
 */
import { ConfigIssue } from "../config/errors";
import { resolveServiceHost } from "../istio/names";
import { SAMPLE_NAMESPACE } from "./scenarioDefaults";
import { ScenariosModel } from "./scenarioModel";
import { ScenarioId } from "./scenarioSchema";

/** An object a scenario writes; two scenarios writing the same one (or the same host's DestinationRule) conflict. */
export interface ScenarioWrite {
    /** Scenario id. */
    scenario: ScenarioId;
    /** Cluster. */
    cluster: string;
    /** Kind, e.g. `DestinationRule`. */
    kind: string;
    /** Namespace. */
    namespace: string;
    /** Object name. */
    name: string;
    /** For DestinationRules: the fully qualified host. */
    host?: string;
}

/**
 * `helloworld2` → `helloworld2.sample.svc.cluster.local`; a name with a dot is returned as written. The same
 * rule as {@link resolveServiceHost} (istiod's), which it calls; kept under this name for existing callers.
 */
export function qualifyHost(host: string, namespace: string): string {
    return resolveServiceHost(host, namespace);
}

/** The writes (for conflict detection) of a resolved model. */
export function scenarioWrites(m: ScenariosModel): ScenarioWrite[] {
    const w: ScenarioWrite[] = [];
    const ns = SAMPLE_NAMESPACE;
    for (const c of m.samples?.clusters ?? []) {
        for (const z of c.zones) {
            w.push({ scenario: "samples", cluster: c.cluster, kind: "Deployment", namespace: ns, name: `helloworld2-${z.version}` });
            w.push({ scenario: "samples", cluster: c.cluster, kind: "Deployment", namespace: ns, name: `sleep${z.short}` });
        }
    }
    for (const id of ["cc2", "cc3", "cc4"] as const) {
        const r = m[id];
        if (!r) continue;
        w.push({ scenario: id, cluster: r.cluster, kind: "VirtualService", namespace: r.namespace, name: r.virtualService.name });
        w.push({
            scenario: id,
            cluster: r.cluster,
            kind: "DestinationRule",
            namespace: r.namespace,
            name: r.name,
            host: qualifyHost(r.host, r.namespace),
        });
    }
    for (const id of ["dnsp1", "dnsp2"] as const) {
        const d = m[id];
        for (const e of d?.entries ?? []) w.push({ scenario: id, cluster: d!.cluster, kind: "ServiceEntry", namespace: ns, name: e.name });
    }
    const sh = m.shifting;
    for (const c of sh?.clusters ?? []) {
        w.push({
            scenario: "shifting",
            cluster: c,
            kind: "DestinationRule",
            namespace: sh!.namespace,
            name: sh!.destinationRule,
            host: qualifyHost(sh!.route.host, sh!.namespace),
        });
        w.push({ scenario: "shifting", cluster: c, kind: "VirtualService", namespace: sh!.namespace, name: sh!.virtualService });
        w.push({ scenario: "shifting", cluster: c, kind: "Gateway", namespace: sh!.namespace, name: sh!.gateway });
    }
    const t = m.tlsFrontend;
    for (const c of t?.clusters ?? []) {
        w.push({ scenario: "tls-frontend", cluster: c, kind: "Gateway", namespace: t!.namespace, name: t!.gateway });
        w.push({ scenario: "tls-frontend", cluster: c, kind: "VirtualService", namespace: t!.namespace, name: t!.virtualService });
    }
    return w;
}

/** Finds scenarios that write the same object, or the DestinationRule of the same host, on the same cluster. */
export function findWriteConflicts(writes: ScenarioWrite[]): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const reported = new Set<string>();
    const check = (key: (x: ScenarioWrite) => string | undefined, what: (x: ScenarioWrite, y: ScenarioWrite) => string) => {
        const byKey = new Map<string, ScenarioWrite>();
        for (const x of writes) {
            const k = key(x);
            if (k === undefined) continue;
            const prev = byKey.get(k);
            if (!prev) {
                byKey.set(k, x);
                continue;
            }
            if (prev.scenario === x.scenario) {
                if (prev.kind !== x.kind || prev.name !== x.name) continue;
                const dup = `${x.scenario}|${x.cluster}|${x.kind}|${x.namespace}|${x.name}`;
                if (reported.has(dup)) continue;
                reported.add(dup);
                issues.push({
                    path: `scenarioSettings.${x.scenario}`,
                    message: `${x.scenario} would create ${what(prev, x)} twice on cluster ${x.cluster}: give the objects distinct names`,
                });
                continue;
            }
            const pair = [prev.scenario, x.scenario].sort().join("+") + `@${x.cluster}`;
            if (reported.has(pair)) continue;
            reported.add(pair);
            issues.push({
                path: "scenarios",
                message:
                    `${prev.scenario} and ${x.scenario} conflict: both write ${what(prev, x)} on cluster ${x.cluster}; ` +
                    `select only one of them, or move one to another cluster with scenarioSettings.${x.scenario}.cluster(s)`,
            });
        }
    };
    check(
        (x) => (x.kind === "DestinationRule" && x.host ? `${x.cluster}|${x.host}` : undefined),
        (a, b) => `the DestinationRule for host ${a.host} (${a.name}, ${b.name})`,
    );
    check(
        (x) => `${x.cluster}|${x.kind}|${x.namespace}|${x.name}`,
        (a) => `${a.kind} ${a.namespace}/${a.name}`,
    );
    return issues;
}
