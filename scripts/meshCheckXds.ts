/**
 * `npm run mesh:check -- -s local --xds`: the mesh check where no pod can run (kwok fake nodes, the local demo).
 *
 * Instead of curling helloworld2 from the sleep clients, it asks each client cluster's istiod — the host istiods
 * of `npm run local:istiod`, configured only from what `pulumi up` created — what it serves a sidecar at the
 * client's locality, and prints, per client, where its requests to helloworld2.sample:5000 would go: each
 * locality's priority and weight, and which of them are reached through a remote network's east-west gateway.
 * Before that it checks that every istiod has synced every remote cluster through its remote secret.
 *
 * Fails (1) when an istiod has not synced a remote cluster, or a client is served no endpoint, or CC1's client
 * reaches no remote network; (2) when no host istiod runs for a client's cluster.
 */
import { clusterSync, runningIstiods, HostIstiod } from "./local/istiod";
import { XdsEndpoint, xdsViewAsync, outbound } from "./local/xds";
import { networkOf } from "./local/meshXds";
import type { Probe } from "./mesh-check";

/** The service seed 000's loops call. */
const HELLO = "helloworld2.sample.svc.cluster.local";
const HELLO_PORT = 5000;
/** Port of a remote network's east-west gateway (AUTO_PASSTHROUGH). */
const EAST_WEST_PORT = 15443;

/** One locality group of the endpoints istiod serves a client. */
export interface ServedLocality {
    /** `region/zone[/subzone]`, or `(remote network)` for gateway endpoints without a locality. */
    locality: string;
    /** Envoy priority: 0 is used first; higher ones only when lower ones fail. */
    priority: number;
    /** Locality load-balancing weight (0 when istiod sets none). */
    weight: number;
    /** Endpoints in the group. */
    endpoints: number;
    /** True when the group is reached through a remote network's east-west gateway. */
    viaGateway: boolean;
}

/** Groups endpoints by locality and priority, sorted by priority then locality. */
export function servedLocalities(endpoints: XdsEndpoint[]): ServedLocality[] {
    const groups = new Map<string, ServedLocality>();
    for (const e of endpoints) {
        const viaGateway = e.port === EAST_WEST_PORT;
        const locality = e.locality || "(remote network)";
        const key = `${e.priority}|${locality}|${viaGateway}`;
        const g = groups.get(key) ?? { locality, priority: e.priority, weight: e.localityWeight, endpoints: 0, viaGateway };
        g.endpoints += 1;
        groups.set(key, g);
    }
    return [...groups.values()].sort((a, b) => a.priority - b.priority || a.locality.localeCompare(b.locality));
}

/** What is wrong with what a client is served, or undefined when it matches the probe's scenario. */
export function servedProblem(probe: Probe, served: ServedLocality[]): string | undefined {
    if (!served.length) return `istiod serves no endpoint of ${HELLO}:${HELLO_PORT} to this client`;
    if (probe.scenario === "CC1" && !served.some((s) => s.viaGateway)) {
        return "no remote network is reachable (no endpoint through an east-west gateway on 15443)";
    }
    return undefined;
}

/** The table of one client's served localities. */
export function renderServed(probe: Probe, served: ServedLocality[]): string[] {
    const lines = [`${probe.scenario}  ${probe.cluster}/${probe.client} at ${probe.locality} (seed expects: ${probe.expect})`];
    for (const s of served) {
        const via = s.viaGateway ? "  through its network's east-west gateway" : "";
        lines.push(
            `    priority ${s.priority}  ${s.locality.padEnd(20)} weight ${String(s.weight).padStart(3)}  ${s.endpoints} endpoint(s)${via}`,
        );
    }
    return lines;
}

/** Runs the xDS check for `probes`; returns the exit code. */
export async function runXdsCheck(stack: string, meshClusters: string[], probes: Probe[]): Promise<number> {
    // One istiod per cluster: the revision-less one, else (canary revisions) the newest release's.
    const rank = (h: HostIstiod) => (h.revision === "default" ? "~" : h.version);
    const sorted = [...runningIstiods()].sort((a, b) => rank(a).localeCompare(rank(b), undefined, { numeric: true }));
    const istiods = new Map<string, HostIstiod>(sorted.map((h) => [h.clusterId, h]));
    const missing = meshClusters.filter((c) => !istiods.has(c));
    if (missing.length) {
        console.error(`mesh-check --xds: no host istiod for ${missing.join(", ")}: start them with npm run local:istiod -- start`);
        return 2;
    }
    let failed = 0;
    console.log(`Stack ${stack}: each istiod's remote clusters (from its remote secrets)`);
    for (const name of meshClusters) {
        const sync = await clusterSync(istiods.get(name)!);
        const remotes = meshClusters.filter((c) => c !== name);
        const notSynced = remotes.filter((r) => sync[r] !== "synced");
        console.log(`  ${name}: ${remotes.map((r) => `${r} ${sync[r] ?? "absent"}`).join(", ")}`);
        if (notSynced.length) failed++;
    }
    console.log(`\nWhere each client's requests to ${HELLO}:${HELLO_PORT} go, as istiod serves its sidecar`);
    for (const p of probes) {
        const h = istiods.get(p.cluster)!;
        const view = await xdsViewAsync(h, { cluster: p.cluster, network: await networkOf(h), locality: p.locality });
        const served = servedLocalities(view.endpoints[outbound(HELLO, HELLO_PORT)] ?? []);
        for (const l of renderServed(p, served)) console.log(l);
        const problem = servedProblem(p, served);
        if (problem) {
            console.log(`    PROBLEM: ${problem}`);
            failed++;
        }
    }
    console.log(failed ? `\nmesh-check --xds: ${failed} problem(s)` : "\nmesh-check --xds: every istiod synced, every client served");
    return failed ? 1 : 0;
}
