/**
 * The seeds' defaults for every scenario setting (namespace, images, CC2–CC4 locality rules, DNSP service
 * entries, sample zone names) and the builders that turn settings into the objects' specs. No Pulumi calls.
 */
import { OutlierDetection } from "../locality/locality";
import { SampleZone, ServiceEntryModel } from "./scenarioModel";
import { NodeTopology } from "../config/types";

/** Namespace of the sample workloads (both seeds call it `sample`; hosts such as `helloworld2.sample` depend on it). */
export const SAMPLE_NAMESPACE = "sample";
/** Default helloworld image prefix; `-v1:1.0` / `-v2:1.0` are appended (istio/samples/helloworld). */
export const HELLOWORLD_IMAGE = "docker.io/istio/examples-helloworld";
/** Default image of the sleep (curl) clients (istio samples/curl). */
export const SLEEP_IMAGE = "docker.io/curlimages/curl:8.16.0";

/** shifting's route weights (seed 003: 10% v1, 90% v2). */
export const SHIFTING_WEIGHTS = { v1: 10, v2: 90 } as const;
/** tls-frontend's route weights (seed 003: 90% v1, 10% v2). */
export const TLS_FRONTEND_WEIGHTS = { v1: 90, v2: 10 } as const;
/** tls-frontend's ACME directory: Let's Encrypt production. */
export const ACME_SERVER = "https://acme-v02.api.letsencrypt.org/directory";
/** tls-frontend's ClusterIssuer name. */
export const ACME_ISSUER_NAME = "letsencrypt-wild";

/** The helloworld Service both seed-003 routes go to (istio samples/helloworld): name and port. */
export const HELLOWORLD_SERVICE = { name: "helloworld", port: 5000 } as const;
/** Object names of shifting (seed 003, samples/helloworld/helloworld-gateway.yaml). */
export const SHIFTING_OBJECTS = { destinationRule: "helloworld", gateway: "helloworld-gateway", virtualService: "helloworld" } as const;
/** Object names of tls-frontend (seed 003). */
export const TLS_FRONTEND_OBJECTS = { gateway: "helloworld-ssl-gateway", virtualService: "helloworld-ssl" } as const;

/** The TLS Secret name for `host` when none is set: the host with its dots as dashes (`a.example.com` → `a-example-com`). */
export function credentialNameFor(host: string): string {
    return host.replace(/\./g, "-");
}

/**
 * The one check of a v1/v2 route split: both whole numbers 0-100 that add up to 100 (what the shifting and
 * tls-frontend VirtualServices need). Returns the problem, or undefined.
 */
export function routeWeightsProblem(w: { v1: number; v2: number }): string | undefined {
    for (const v of ["v1", "v2"] as const) {
        if (!Number.isInteger(w[v]) || w[v] < 0 || w[v] > 100) return `${v} ${w[v]} must be a whole number from 0 to 100`;
    }
    if (w.v1 + w.v2 !== 100) return `v1 ${w.v1} + v2 ${w.v2} = ${w.v1 + w.v2}: route weights must add up to 100`;
    return undefined;
}

/** outlierDetection of locality failover (`cc2`): eject after 5 errors, checked every second. */
export const LOCALITY_FAILOVER_OUTLIER: OutlierDetection = { consecutive5xxErrors: 5, interval: "1s", baseEjectionTime: "30s" };
/** outlierDetection of weighted distribution (`cc3`). */
export const WEIGHTED_DISTRIBUTION_OUTLIER: OutlierDetection = { consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s" };
/** outlierDetection of region failover (`cc4`): eject after the first error, for a minute. */
export const REGION_FAILOVER_OUTLIER: OutlierDetection = { consecutive5xxErrors: 1, interval: "1s", baseEjectionTime: "1m" };
/** The default `localityLbSetting.distribute` rules of weighted distribution (`cc3`): three from region2's zones. */
export const DEFAULT_DISTRIBUTE_RULES: { from: string; to: Record<string, number> }[] = [
    { from: "region2/zone1/*", to: { "region1/*": 50, "region3/*": 50 } },
    { from: "region2/zone2/*", to: { "region2/zone3/*": 40, "region2/zone1/*": 40, "region3/*": 20 } },
    { from: "region2/zone3/*", to: { "region4/zone5/*": 100 } },
];
/** The default `localityLbSetting.failover` rule of region failover (`cc4`): region4 fails over to region3. */
export const DEFAULT_FAILOVER_RULES: { from: string; to: string }[] = [{ from: "region4", to: "region3" }];

/** Locality failover's DestinationRule traffic policy: outlierDetection only (turns on locality-prioritised routing). */
export function localityFailoverPolicy(outlierDetection: OutlierDetection): Record<string, unknown> {
    return { outlierDetection };
}

/** Weighted distribution's DestinationRule traffic policy. */
export function weightedDistributionPolicy(
    distribute: { from: string; to: Record<string, number> }[],
    outlierDetection: OutlierDetection,
): Record<string, unknown> {
    return { loadBalancer: { localityLbSetting: { enabled: true, distribute } }, outlierDetection };
}

/** Region failover's DestinationRule traffic policy. */
export function regionFailoverPolicy(
    failover: { from: string; to: string }[],
    outlierDetection: OutlierDetection,
    maxRequestsPerConnection: number,
): Record<string, unknown> {
    return {
        connectionPool: { http: { maxRequestsPerConnection } },
        loadBalancer: { simple: "ROUND_ROBIN", localityLbSetting: { enabled: true, failover } },
        outlierDetection,
    };
}

/** DNSP1's ServiceEntry `istio-io`: external hosts over TLS 443, resolved by DNS. */
export function externalTlsEntry(hosts: string[] = ["istio.io"]): ServiceEntryModel {
    return {
        name: "istio-io",
        spec: { hosts, location: "MESH_EXTERNAL", ports: [{ number: 443, name: "https", protocol: "TLS" }], resolution: "DNS" },
    };
}

/** DNSP2's ServiceEntries: one TCP host each, all on the same port. */
export function tcpEntries(dbs: { name: string; host: string }[], port = 3306): ServiceEntryModel[] {
    return dbs.map((d) => ({
        name: d.name,
        spec: { hosts: [d.host], ports: [{ number: port, name: "tcp", protocol: "TCP" }], resolution: "DNS" },
    }));
}

/**
 * Zones of a cluster's nodes, in node order, with their short ids and helloworld2 versions. A zone named
 * `zone<n>` (or `zone-<n>`) is `z<n>`, as in the seed, unless an earlier zone took that id (the same zone name
 * in another region); every other zone gets the lowest `z<k>` no zone claims, so ids are unique in a cluster.
 */
export function sampleZones(clusterIndex: number, nodes: NodeTopology[]): SampleZone[] {
    const zones = new Map<string, { region: string; zone: string }>();
    for (const n of nodes) if (!zones.has(`${n.region}/${n.zone}`)) zones.set(`${n.region}/${n.zone}`, { region: n.region, zone: n.zone });
    const list = [...zones.values()];
    const shorts: (string | undefined)[] = list.map(() => undefined);
    const taken = new Set<string>();
    list.forEach((z, i) => {
        const m = /^zone-?([0-9]+)$/.exec(z.zone);
        const short = m ? `z${Number(m[1])}` : undefined;
        if (short && !taken.has(short)) {
            shorts[i] = short;
            taken.add(short);
        }
    });
    let next = 1;
    return list.map((z, i) => {
        let short = shorts[i];
        if (!short) {
            while (taken.has(`z${next}`)) next++;
            short = `z${next}`;
            taken.add(short);
        }
        return { region: z.region, zone: z.zone, short, version: `c${clusterIndex + 1}${short}` };
    });
}
