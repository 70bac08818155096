/**
 * `npm run mesh:xds -- --cluster cluster1 --locality region1/zone1 --service helloworld2.sample [--port 5000]`
 * `npm run mesh:xds -- --cluster cluster1 --gateway [--service helloworld.sample]`
 * `npm run mesh:xds -- --cluster cluster1 --dns`
 *
 * Asks the host istiod of a mesh cluster (`npm run local:istiod`) what it serves one proxy, and prints it for
 * people: per outbound cluster of the service, its load-balancing policy and every endpoint with its locality,
 * priority and weight (an east-west gateway address stands for a remote network's endpoints); for the ingress
 * gateway (`--gateway`), the weighted routes; with `--dns`, the DNS name table. `--json` prints the raw view.
 */
import { runningIstiods, HostIstiod } from "./istiod";
import { outbound, ProxyIdentity, xdsView, XdsView } from "./xds";

/** The value after `--name`, or undefined. */
function option(argv: string[], name: string): string | undefined {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
}

/** The running host istiod whose CLUSTER_ID is `clusterId`. */
export function istiodFor(clusterId: string): HostIstiod {
    const running = runningIstiods();
    const h = running.find((r) => r.clusterId === clusterId);
    if (!h) {
        const ids = running.map((r) => r.clusterId).join(", ") || "none";
        throw new Error(`no host istiod for cluster ${clusterId} (running: ${ids}); start them with: npm run local:istiod`);
    }
    return h;
}

/** The network a cluster's proxies are on: the `topology.istio.io/network` label of its istio-system namespace. */
export async function networkOf(h: HostIstiod): Promise<string> {
    const k = await import("@kubernetes/client-node");
    const kc = new k.KubeConfig();
    kc.loadFromFile(`${h.dir}/../admin.kubeconfig`);
    const ns = await kc.makeApiClient(k.CoreV1Api).readNamespace({ name: "istio-system" });
    const network = ns.metadata?.labels?.["topology.istio.io/network"];
    if (!network) throw new Error(`${h.local}: namespace istio-system has no topology.istio.io/network label: run pulumi up first`);
    return network;
}

/** A cluster's running pods with `labels` (for a gateway: its real pod IP, so istiod applies the pod's labels). */
export async function podsWith(h: HostIstiod, selector: string): Promise<{ name: string; namespace: string; ip: string }[]> {
    const k = await import("@kubernetes/client-node");
    const kc = new k.KubeConfig();
    kc.loadFromFile(`${h.dir}/../admin.kubeconfig`);
    const list = await kc.makeApiClient(k.CoreV1Api).listPodForAllNamespaces({ labelSelector: selector });
    return list.items
        .filter((p) => p.status?.podIP)
        .map((p) => ({ name: p.metadata!.name!, namespace: p.metadata!.namespace!, ip: p.status!.podIP! }));
}

/** `helloworld2.sample` → `helloworld2.sample.svc.cluster.local`; a name with more dots is kept. */
export function serviceFqdn(service: string): string {
    return service.split(".").length === 2 ? `${service}.svc.cluster.local` : service;
}

/** The endpoints of `view`'s outbound clusters of `host`, as text. */
export function describeEndpoints(view: XdsView, host: string, port?: number): string[] {
    const lines: string[] = [];
    const names = Object.keys(view.endpoints)
        .filter((n) => n.endsWith(`|${host}`) && n.startsWith("outbound|") && (port === undefined || n === outbound(host, port)))
        .sort();
    if (!names.length) return [`  no outbound cluster for ${host}${port ? `:${port}` : ""} (is the service in the mesh?)`];
    for (const name of names) {
        const c = view.clusters.find((x) => x.name === name);
        lines.push(`${name}  lb ${c?.lbPolicy ?? "?"}, outlier detection ${c?.outlierDetection ? "on" : "off"}`);
        const eps = [...view.endpoints[name]].sort((a, b) => a.priority - b.priority || a.locality.localeCompare(b.locality));
        for (const e of eps) {
            const via = e.port === 15443 ? ", through its network's east-west gateway" : "";
            lines.push(
                `  priority ${e.priority}  ${e.locality.padEnd(22)} locality weight ${String(e.localityWeight).padStart(3)}  ` +
                    `${e.address}:${e.port} (${e.cluster ?? "?"}${via})`,
            );
        }
    }
    return lines;
}

/** The weighted routes of a gateway's view, as text. */
export function describeRoutes(view: XdsView, host?: string): string[] {
    const lines: string[] = [];
    for (const [config, hosts] of Object.entries(view.routes)) {
        for (const vh of hosts) {
            for (const r of vh.routes) {
                const targets = r.clusters.filter((c) => !host || c.name.endsWith(`|${host}`));
                if (!targets.length) continue;
                lines.push(`${config}  ${vh.domains.join(",")}  ${r.prefix ?? r.name ?? ""}`);
                for (const t of targets) lines.push(`  ${String(t.weight).padStart(3)}  ${t.name}`);
            }
        }
    }
    return lines.length ? lines : ["  no routes"];
}

async function main(argv: string[]): Promise<void> {
    const clusterId = option(argv, "cluster") ?? "cluster1";
    const h = istiodFor(clusterId);
    const network = await networkOf(h);
    const gateway = argv.includes("--gateway");
    const proxy: ProxyIdentity = { cluster: clusterId, network, locality: option(argv, "locality"), dns: argv.includes("--dns") };
    if (gateway) {
        const pods = await podsWith(h, "istio=ingressgateway");
        if (!pods.length) throw new Error(`${clusterId}: no ingress gateway pod (label istio=ingressgateway): select a scenario that deploys one`);
        Object.assign(proxy, { type: "router", labels: { istio: "ingressgateway" }, ip: pods[0].ip, namespace: pods[0].namespace, workload: pods[0].name });
    }
    const view = xdsView(h, proxy);
    if (argv.includes("--json")) {
        console.log(JSON.stringify(view, null, 2));
        return;
    }
    const service = option(argv, "service");
    const port = option(argv, "port");
    console.log(`istiod of ${clusterId} (${h.xds}); proxy: ${view.node}`);
    if (gateway) for (const l of describeRoutes(view, service ? serviceFqdn(service) : undefined)) console.log(l);
    if (service) for (const l of describeEndpoints(view, serviceFqdn(service), port ? Number(port) : undefined)) console.log(l);
    if (proxy.dns) {
        for (const [name, ips] of Object.entries(view.nameTable ?? {}).sort()) console.log(`dns  ${name.padEnd(48)} ${ips.join(", ")}`);
    }
    if (!service && !gateway && !proxy.dns) console.log(`${view.clusters.length} clusters; pass --service, --gateway or --dns for details`);
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((e: Error) => {
        console.error(e.message);
        process.exit(1);
    });
}
