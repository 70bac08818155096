/**
 * The seed scenarios (seed 000's sample workloads, CC1–CC4, DNSP1–2; seed 003's helloworld, traffic shifting,
 * TLS frontend, NetworkPolicies and Rancher extras) as selectable parts of a stack: the zod schema of
 * `scenarios` / `scenarioSettings`, and the pure resolution of a selection into a {@link ScenariosModel}.
 * No Pulumi calls here; the components in `components/scenarios/` consume the model.
 */
import { z } from "zod";
import { ConfigIssue, formatPath } from "./errors";
import { isDns1123Subdomain, Labels } from "./names";
import { LocalityLbSetting, OutlierDetection, validateLocalityLbSetting } from "./locality";
import { NodeTopology } from "./types";

/** Every scenario id a stack can select, in the order the seeds introduce them. */
export const SCENARIO_IDS = [
    "samples",
    "cc1",
    "cc2",
    "cc3",
    "cc4",
    "dnsp1",
    "dnsp2",
    "helloworld",
    "shifting",
    "tls-frontend",
    "networkpolicy",
    "rancher",
] as const;

/** A scenario id. */
export type ScenarioId = (typeof SCENARIO_IDS)[number];

/** Scenarios that cannot work without another one, and why. */
export const SCENARIO_REQUIRES: Partial<Record<ScenarioId, { needs: ScenarioId; why: string }>> = {
    cc1: { needs: "samples", why: "it calls helloworld2 from the sleep clients" },
    cc2: { needs: "samples", why: "its VirtualService and DestinationRule route helloworld2" },
    cc3: { needs: "samples", why: "its VirtualService and DestinationRule route helloworld2" },
    cc4: { needs: "samples", why: "its VirtualService and DestinationRule route helloworld2" },
    shifting: { needs: "helloworld", why: "it shifts traffic between helloworld v1 and v2" },
    "tls-frontend": { needs: "shifting", why: "its VirtualService routes to the v1/v2 subsets of shifting's DestinationRule" },
};

/** Namespace of the sample workloads (both seeds call it `sample`; hosts such as `helloworld2.sample` depend on it). */
export const SAMPLE_NAMESPACE = "sample";
/** Default helloworld image prefix; `-v1:1.0` / `-v2:1.0` are appended (istio/samples/helloworld). */
export const HELLOWORLD_IMAGE = "docker.io/istio/examples-helloworld";
/** Default image of the sleep (curl) clients (istio samples/curl). */
export const SLEEP_IMAGE = "docker.io/curlimages/curl:8.16.0";

// ---------------------------------------------------------------------------------------------------------
// Seed defaults
// ---------------------------------------------------------------------------------------------------------

/** Seed 000 CC2 outlierDetection. */
export const CC2_OUTLIER: OutlierDetection = { consecutive5xxErrors: 5, interval: "1s", baseEjectionTime: "30s" };
/** Seed 000 CC3 outlierDetection. */
export const CC3_OUTLIER: OutlierDetection = { consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s" };
/** Seed 000 CC4 outlierDetection. */
export const CC4_OUTLIER: OutlierDetection = { consecutive5xxErrors: 1, interval: "1s", baseEjectionTime: "1m" };
/** Seed 000 CC3's three `distribute` rules. */
export const CC3_DISTRIBUTE: { from: string; to: Record<string, number> }[] = [
    { from: "region2/zone1/*", to: { "region1/*": 50, "region3/*": 50 } },
    { from: "region2/zone2/*", to: { "region2/zone3/*": 40, "region2/zone1/*": 40, "region3/*": 20 } },
    { from: "region2/zone3/*", to: { "region4/zone5/*": 100 } },
];
/** Seed 000 CC4's failover rule. */
export const CC4_FAILOVER: { from: string; to: string }[] = [{ from: "region4", to: "region3" }];

// ---------------------------------------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------------------------------------

const clusterRef = z.string({ error: "must be a cluster name (one of clusters[].name)" }).min(1, { error: "must not be empty" });
const clusterList = z.array(clusterRef, { error: "must be a list of cluster names" }).min(1, { error: "list at least one cluster" });
const duration = z
    .string({ error: "must be a duration string such as 10s" })
    .regex(/^([0-9]+(\.[0-9]+)?(h|m|s|ms))+$/, { error: "must be a duration such as 1s, 30s, 1m or 500ms" });
const hostName = z.string().refine((s) => isDns1123Subdomain(s) || /^\*\.[a-z0-9.-]+$/.test(s), {
    error: (iss) => `${JSON.stringify(iss.input)} is not a DNS host name`,
});
const objectName = z.string().refine(isDns1123Subdomain, {
    error: (iss) => `${JSON.stringify(iss.input)} is not a valid Kubernetes object name (DNS-1123 subdomain)`,
});
const image = z.string().regex(/^[^\s]+$/, { error: "must be an image reference" });

const outlierSchema = z.strictObject({
    consecutive5xxErrors: z.number().int({ error: "must be a whole number" }).nonnegative({ error: "must be >= 0" }).optional(),
    consecutiveGatewayErrors: z.number().int({ error: "must be a whole number" }).nonnegative({ error: "must be >= 0" }).optional(),
    interval: duration.optional(),
    baseEjectionTime: duration.optional(),
    maxEjectionPercent: z.number().int().min(0).max(100, { error: "must be 0-100" }).optional(),
});

const weightsSchema = z.strictObject({
    v1: z.number({ error: "must be a number" }).int({ error: "must be a whole number" }).min(0).max(100, { error: "must be 0-100" }),
    v2: z.number({ error: "must be a number" }).int({ error: "must be a whole number" }).min(0).max(100, { error: "must be 0-100" }),
});

/** `scenarioSettings` — per-scenario overrides; every field defaults from the seeds. */
export const scenarioSettingsSchema = z.strictObject({
    samples: z
        .strictObject({
            clusters: clusterList.optional(),
            helloworldImage: image.optional(),
            sleepImage: image.optional(),
        })
        .optional(),
    cc1: z.strictObject({ cluster: clusterRef.optional() }).optional(),
    cc2: z
        .strictObject({
            cluster: clusterRef.optional(),
            outlierDetection: outlierSchema.optional(),
        })
        .optional(),
    cc3: z
        .strictObject({
            cluster: clusterRef.optional(),
            distribute: z
                .array(
                    z.strictObject({
                        from: z.string({ error: "must be a locality such as region2/zone1/*" }),
                        to: z.record(z.string(), z.number({ error: "weights must be numbers" })),
                    }),
                    { error: "must be a list of {from, to} rules" },
                )
                .optional(),
            outlierDetection: outlierSchema.optional(),
        })
        .optional(),
    cc4: z
        .strictObject({
            cluster: clusterRef.optional(),
            failover: z
                .array(z.strictObject({ from: z.string({ error: "must be a region" }), to: z.string({ error: "must be a region" }) }), {
                    error: "must be a list of {from, to} regions",
                })
                .optional(),
            outlierDetection: outlierSchema.optional(),
            maxRequestsPerConnection: z.number().int().positive({ error: "must be > 0" }).optional(),
        })
        .optional(),
    dnsp1: z.strictObject({ cluster: clusterRef.optional(), hosts: z.array(hostName).min(1).optional() }).optional(),
    dnsp2: z
        .strictObject({
            cluster: clusterRef.optional(),
            databases: z
                .array(z.strictObject({ name: objectName, host: hostName }))
                .min(1)
                .optional(),
            port: z.number().int().min(1).max(65535, { error: "must be a port number 1-65535" }).optional(),
        })
        .optional(),
    helloworld: z
        .strictObject({
            versions: z
                .record(z.string(), z.array(z.enum(["v1", "v2"], { error: "must be v1 or v2" })).min(1, { error: "list v1 and/or v2" }))
                .optional(),
            image: image.optional(),
        })
        .optional(),
    shifting: z.strictObject({ clusters: clusterList.optional(), weights: weightsSchema.optional() }).optional(),
    "tls-frontend": z
        .strictObject({
            clusters: clusterList.optional(),
            host: hostName.optional(),
            credentialName: objectName.optional(),
            ingressAddress: z.string().min(1).optional(),
            weights: weightsSchema.optional(),
            email: z
                .string()
                .regex(/^[^@\s]+@[^@\s]+$/, { error: "must be an e-mail address" })
                .optional(),
            acmeServer: z
                .string()
                .regex(/^https:\/\/[^\s]+$/, { error: "must be an https:// URL" })
                .optional(),
            issuerName: objectName.optional(),
            webhook: z.strictObject({ groupName: z.string().min(1), solverName: z.string().min(1) }).optional(),
        })
        .optional(),
    networkpolicy: z.strictObject({ clusters: clusterList.optional() }).optional(),
    rancher: z
        .strictObject({
            clusterIds: z.record(z.string(), z.string().regex(/^[a-z0-9-]+$/, { error: "must be a Rancher cluster id such as c-f7r9g" })),
            management: z
                .strictObject({
                    context: z.string().min(1, { error: "must not be empty" }),
                    kubeconfig: z.string().min(1).optional(),
                })
                .optional(),
            projectName: objectName.optional(),
            limitRange: z.boolean().optional(),
        })
        .optional(),
});

/** `scenarios` — the selected scenario ids. */
export const scenarioListSchema = z.array(z.string({ error: "scenario ids are strings" }), { error: "must be a list of scenario ids" });

/** Raw `scenarioSettings` as written in stack config. */
export type ScenarioSettingsInput = z.input<typeof scenarioSettingsSchema>;

// ---------------------------------------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------------------------------------

/** One zone of a cluster that gets a helloworld2 Deployment and a sleep client (seed 000). */
export interface SampleZone {
    /** `topology.kubernetes.io/region` of the zone's nodes. */
    region: string;
    /** `topology.kubernetes.io/zone`. */
    zone: string;
    /** Short zone id, `z<n>` (`zone3` → `z3`; other names: `z<position>`). The sleep client is `sleep<short>`. */
    short: string;
    /** helloworld2 version label and SERVICE_VERSION, `c<k><short>` (cluster position k), e.g. `c1z2`. */
    version: string;
}

/** CC2's DestinationRule traffic policy: outlierDetection only (turns on locality-prioritised routing). */
export function localityFailoverPolicy(outlierDetection: OutlierDetection): Record<string, unknown> {
    return { outlierDetection };
}

/** CC3's DestinationRule traffic policy. */
export function weightedDistributionPolicy(
    distribute: { from: string; to: Record<string, number> }[],
    outlierDetection: OutlierDetection,
): Record<string, unknown> {
    return { loadBalancer: { localityLbSetting: { enabled: true, distribute } }, outlierDetection };
}

/** CC4's DestinationRule traffic policy. */
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

/** A DestinationRule + VirtualService pair for helloworld2 (CC2–CC4). */
export interface LocalityRuleModel {
    /** Cluster it is applied to. */
    cluster: string;
    /** DestinationRule name. */
    name: string;
    /** DestinationRule host, as the seed writes it. */
    host: string;
    /** `spec.trafficPolicy` of the DestinationRule (built by the `*Policy` functions above). */
    trafficPolicy: Record<string, unknown>;
    /** Outlier detection. */
    outlierDetection: OutlierDetection;
    /** CC3: distribute rules. */
    distribute?: { from: string; to: Record<string, number> }[];
    /** CC4: failover rules. */
    failover?: { from: string; to: string }[];
    /** CC4: connectionPool.http.maxRequestsPerConnection. */
    maxRequestsPerConnection?: number;
}

/** A ServiceEntry (DNSP1/2). */
export interface ServiceEntryModel {
    /** Object name. */
    name: string;
    /** `spec`. */
    spec: Record<string, unknown>;
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

/** The resolved selection: every setting filled in from the seeds, validated against the clusters. */
export interface ScenariosModel {
    /** Selected ids, in {@link SCENARIO_IDS} order. */
    selected: ScenarioId[];
    /** samples: per cluster, its zones. */
    samples?: { clusters: { cluster: string; index: number; zones: SampleZone[] }[]; helloworldImage: string; sleepImage: string };
    /** cc1: the cluster whose clients mesh-check uses. */
    cc1?: { cluster: string };
    /** cc2: locality-prioritised failover. */
    cc2?: LocalityRuleModel;
    /** cc3: weighted distribution. */
    cc3?: LocalityRuleModel;
    /** cc4: region failover. */
    cc4?: LocalityRuleModel;
    /** dnsp1: external TLS service. */
    dnsp1?: { cluster: string; entries: ServiceEntryModel[] };
    /** dnsp2: two TCP services on the same port. */
    dnsp2?: { cluster: string; entries: ServiceEntryModel[] };
    /** helloworld (seed 003): versions per cluster; the Service goes to each of these clusters. */
    helloworld?: { versions: Record<string, ("v1" | "v2")[]>; image: string };
    /** shifting: clusters and v1/v2 weights through the ingress gateway. */
    shifting?: { clusters: string[]; weights: { v1: number; v2: number } };
    /** tls-frontend (seed 003). */
    tlsFrontend?: {
        clusters: string[];
        host: string;
        credentialName: string;
        ingressAddress?: string;
        weights: { v1: number; v2: number };
        email: string;
        acmeServer: string;
        issuerName: string;
        webhook: { groupName: string; solverName: string };
    };
    /** networkpolicy: clusters to get np-istio, np-istio-ports and np-helloworld. */
    networkpolicy?: { clusters: string[] };
    /** rancher: LimitRange per cluster, optional Project through the management cluster. */
    rancher?: {
        clusterIds: Record<string, string>;
        management?: { context: string; kubeconfig?: string };
        projectName: string;
        limitRange: boolean;
    };
    /** Clusters that need the `sample` namespace (union over the selected scenarios). */
    sampleNamespaceClusters: string[];
    /** Clusters that need the `istio-ingressgateway` (shifting, tls-frontend). */
    ingressGatewayClusters: string[];
    /** Accepted, but worth telling the user (the components log them with pulumi.log.warn). */
    warnings: ConfigIssue[];
}

/** A cluster as the scenarios see it: name and node topology. */
export interface ScenarioCluster {
    /** Cluster name. */
    name: string;
    /** Labelled nodes. */
    nodes: NodeTopology[];
}

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

/** `helloworld2` → `helloworld2.sample.svc.cluster.local`; FQDNs are returned as they are. */
export function qualifyHost(host: string, namespace: string): string {
    const parts = host.split(".");
    if (parts.length === 1) return `${host}.${namespace}.svc.cluster.local`;
    if (parts.length === 2) return `${host}.svc.cluster.local`;
    if (parts.length === 3 && parts[2] === "svc") return `${host}.cluster.local`;
    return host;
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
        w.push({ scenario: id, cluster: r.cluster, kind: "VirtualService", namespace: ns, name: "helloworld2" });
        w.push({ scenario: id, cluster: r.cluster, kind: "DestinationRule", namespace: ns, name: r.name, host: qualifyHost(r.host, ns) });
    }
    for (const id of ["dnsp1", "dnsp2"] as const) {
        const d = m[id];
        for (const e of d?.entries ?? []) w.push({ scenario: id, cluster: d!.cluster, kind: "ServiceEntry", namespace: ns, name: e.name });
    }
    for (const c of m.shifting?.clusters ?? []) {
        w.push({
            scenario: "shifting",
            cluster: c,
            kind: "DestinationRule",
            namespace: ns,
            name: "helloworld",
            host: qualifyHost("helloworld", ns),
        });
        w.push({ scenario: "shifting", cluster: c, kind: "VirtualService", namespace: ns, name: "helloworld" });
        w.push({ scenario: "shifting", cluster: c, kind: "Gateway", namespace: ns, name: "helloworld-gateway" });
    }
    for (const c of m.tlsFrontend?.clusters ?? []) {
        w.push({ scenario: "tls-frontend", cluster: c, kind: "Gateway", namespace: "istio-system", name: "helloworld-ssl-gateway" });
        w.push({ scenario: "tls-frontend", cluster: c, kind: "VirtualService", namespace: "istio-system", name: "helloworld-ssl" });
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

/**
 * Resolves `scenarios` + `scenarioSettings` against the clusters: unknown ids, unknown clusters, missing
 * prerequisites, locality settings (Istio's own validation), weights, and conflicting writes are issues
 * (paths relative to the stack config namespace). Never throws; the caller decides.
 */
export function resolveScenarios(
    rawIds: unknown,
    rawSettings: unknown,
    clusters: ScenarioCluster[],
): { model: ScenariosModel; issues: ConfigIssue[] } {
    const issues: ConfigIssue[] = [];
    const warnings: ConfigIssue[] = [];
    const empty: ScenariosModel = { selected: [], sampleNamespaceClusters: [], ingressGatewayClusters: [], warnings };

    const ids = scenarioListSchema.safeParse(rawIds ?? []);
    const settingsParsed = scenarioSettingsSchema.safeParse(rawSettings ?? {}, { reportInput: true });
    if (!ids.success) issues.push(...ids.error.issues.map((i) => ({ path: formatPath(i.path, "scenarios"), message: i.message })));
    if (!settingsParsed.success) {
        issues.push(
            ...settingsParsed.error.issues.map((i) => ({
                path: formatPath(i.path, "scenarioSettings"),
                message:
                    i.code === "unrecognized_keys"
                        ? `unknown field(s) ${i.keys.map((k) => JSON.stringify(k)).join(", ")}` +
                          (i.path.length === 0 ? `: scenario ids are ${SCENARIO_IDS.join(", ")}` : "")
                        : i.code === "invalid_type" && i.input === undefined
                          ? `is required (expected ${i.expected})`
                          : i.message,
            })),
        );
    }
    if (issues.length) return { model: empty, issues };

    const settings = settingsParsed.data!;
    const selectedSet = new Set<ScenarioId>();
    (ids.data ?? []).forEach((id, i) => {
        if (!(SCENARIO_IDS as readonly string[]).includes(id)) {
            issues.push({
                path: `scenarios[${i}]`,
                message: `unknown scenario ${JSON.stringify(id)}: use one of ${SCENARIO_IDS.join(", ")}`,
            });
        } else if (selectedSet.has(id as ScenarioId)) {
            issues.push({ path: `scenarios[${i}]`, message: `${id} is listed twice` });
        } else selectedSet.add(id as ScenarioId);
    });
    for (const id of Object.keys(settings) as (keyof typeof settings)[]) {
        if (settings[id] !== undefined && !selectedSet.has(id as ScenarioId)) {
            warnings.push({
                path: `scenarioSettings.${id}`,
                message: `settings for ${id}, which is not selected in scenarios, are ignored`,
            });
        }
    }
    const selected = SCENARIO_IDS.filter((id) => selectedSet.has(id));
    for (const id of selected) {
        const req = SCENARIO_REQUIRES[id];
        if (req && !selectedSet.has(req.needs)) {
            issues.push({ path: "scenarios", message: `${id} needs ${req.needs} (${req.why}): add ${req.needs} to scenarios` });
        }
    }

    const names = clusters.map((c) => c.name);
    const known = (path: string, c: string): string => {
        if (!names.includes(c)) issues.push({ path, message: `unknown cluster ${JSON.stringify(c)}: use one of ${names.join(", ")}` });
        return c;
    };
    const knownList = (path: string, cs: string[]) => cs.map((c, i) => known(`${path}[${i}]`, c));
    /** The cluster at `position` (seed: cluster1 / cluster2), unless configured. */
    const pick = (id: string, configured: string | undefined, position: number): string => {
        if (configured !== undefined) return known(`scenarioSettings.${id}.cluster`, configured);
        if (clusters.length <= position) {
            issues.push({
                path: `scenarioSettings.${id}.cluster`,
                message: `${id} defaults to cluster #${position + 1} (the seed's cluster${position + 1}), but this stack has ${clusters.length}: set the cluster`,
            });
            return names[0] ?? "";
        }
        return names[position];
    };
    const model: ScenariosModel = { ...empty, selected };

    if (selectedSet.has("samples")) {
        const s = settings.samples ?? {};
        const chosen = s.clusters ? knownList("scenarioSettings.samples.clusters", s.clusters) : names;
        model.samples = {
            helloworldImage: s.helloworldImage ?? `${HELLOWORLD_IMAGE}-v1:1.0`,
            sleepImage: s.sleepImage ?? SLEEP_IMAGE,
            clusters: chosen
                .filter((c) => names.includes(c))
                .map((c) => {
                    const index = names.indexOf(c);
                    const zones = sampleZones(index, clusters[index].nodes);
                    if (!zones.length) {
                        issues.push({
                            path: `clusters[${index}].nodes`,
                            message: `samples places one helloworld2 and one sleep client per zone, but cluster ${c} lists no nodes: add its nodes with region and zone`,
                        });
                    }
                    return { cluster: c, index, zones };
                }),
        };
    }
    if (selectedSet.has("cc1")) model.cc1 = { cluster: pick("cc1", settings.cc1?.cluster, 0) };
    if (selectedSet.has("cc2")) {
        const s = settings.cc2 ?? {};
        model.cc2 = {
            cluster: pick("cc2", s.cluster, 0),
            name: "helloworld2-loc1",
            host: "helloworld2",
            trafficPolicy: localityFailoverPolicy(s.outlierDetection ?? CC2_OUTLIER),
            outlierDetection: s.outlierDetection ?? CC2_OUTLIER,
        };
    }
    if (selectedSet.has("cc3")) {
        const s = settings.cc3 ?? {};
        const distribute = s.distribute ?? CC3_DISTRIBUTE;
        const lb: LocalityLbSetting = { enabled: true, distribute };
        const od = s.outlierDetection ?? CC3_OUTLIER;
        checkLocality("cc3", lb, od, issues, warnings);
        model.cc3 = {
            cluster: pick("cc3", s.cluster, 1),
            name: "helloworld2-loc2",
            host: "helloworld2.sample.svc.cluster.local",
            trafficPolicy: weightedDistributionPolicy(distribute, od),
            outlierDetection: od,
            distribute,
        };
    }
    if (selectedSet.has("cc4")) {
        const s = settings.cc4 ?? {};
        const failover = s.failover ?? CC4_FAILOVER;
        const lb: LocalityLbSetting = { enabled: true, failover };
        const od = s.outlierDetection ?? CC4_OUTLIER;
        const maxRequestsPerConnection = s.maxRequestsPerConnection ?? 1;
        checkLocality("cc4", lb, od, issues, warnings);
        model.cc4 = {
            cluster: pick("cc4", s.cluster, 1),
            name: "helloworld2-loc-failover",
            host: "helloworld2.sample.svc.cluster.local",
            trafficPolicy: regionFailoverPolicy(failover, od, maxRequestsPerConnection),
            outlierDetection: od,
            failover,
            maxRequestsPerConnection,
        };
    }
    for (const [id, rule] of [
        ["cc3", model.cc3],
        ["cc4", model.cc4],
    ] as const) {
        if (rule) warnUnknownRegions(id, rule, clusters, warnings);
    }
    if (selectedSet.has("dnsp1")) {
        const s = settings.dnsp1 ?? {};
        model.dnsp1 = {
            cluster: pick("dnsp1", s.cluster, 0),
            entries: [externalTlsEntry(s.hosts)],
        };
    }
    if (selectedSet.has("dnsp2")) {
        const s = settings.dnsp2 ?? {};
        const dbs =
            s.databases ?? [1, 2].map((i) => ({ name: `mysql-db-${i}`, host: `database-${i}.wecve5t321.eu-central-1.rds.amazonaws.com` }));
        model.dnsp2 = {
            cluster: pick("dnsp2", s.cluster, 0),
            entries: tcpEntries(dbs, s.port),
        };
    }
    if (selectedSet.has("helloworld")) {
        const s = settings.helloworld ?? {};
        let versions: Record<string, ("v1" | "v2")[]>;
        if (s.versions) {
            versions = s.versions;
            Object.keys(versions).forEach((c) => known(`scenarioSettings.helloworld.versions.${c}`, c));
        } else if (clusters.length >= 2) {
            versions = { [names[0]]: ["v1"], [names[1]]: ["v2"] };
        } else {
            versions = names.length ? { [names[0]]: ["v1", "v2"] } : {};
        }
        model.helloworld = { versions, image: s.image ?? HELLOWORLD_IMAGE };
    }
    const helloworldClusters = Object.keys(model.helloworld?.versions ?? {}).filter((c) => names.includes(c));
    if (selectedSet.has("shifting")) {
        const s = settings.shifting ?? {};
        const weights = s.weights ?? { v1: 10, v2: 90 };
        checkWeights("shifting", weights, issues);
        model.shifting = {
            clusters: s.clusters ? knownList("scenarioSettings.shifting.clusters", s.clusters) : helloworldClusters,
            weights,
        };
    }
    if (selectedSet.has("tls-frontend")) {
        const s = settings["tls-frontend"] ?? {};
        const weights = s.weights ?? { v1: 90, v2: 10 };
        checkWeights("tls-frontend", weights, issues);
        const chosen = s.clusters ? knownList(`scenarioSettings["tls-frontend"].clusters`, s.clusters) : names.slice(0, 1);
        for (const c of chosen) {
            if (model.shifting && !model.shifting.clusters.includes(c)) {
                issues.push({
                    path: `scenarioSettings["tls-frontend"].clusters`,
                    message: `cluster ${c} has no shifting DestinationRule (subsets v1/v2): add it to scenarioSettings.shifting.clusters`,
                });
            }
        }
        if (chosen.length > 1 && s.ingressAddress) {
            warnings.push({
                path: `scenarioSettings["tls-frontend"].ingressAddress`,
                message: "one ingressAddress is used as the external-dns target on every tls-frontend cluster",
            });
        }
        model.tlsFrontend = {
            clusters: chosen,
            host: s.host ?? "helloistio.mcsps.telekomcloud.com",
            credentialName: s.credentialName ?? "helloistio-mcsps-telekomcloud-com",
            ingressAddress: s.ingressAddress,
            weights,
            email: s.email ?? "cloud-operations@telekom.de",
            acmeServer: s.acmeServer ?? "https://acme-v02.api.letsencrypt.org/directory",
            issuerName: s.issuerName ?? "letsencrypt-wild",
            webhook: s.webhook ?? { groupName: "acme.syseleven.de", solverName: "designatedns" },
        };
    }
    if (selectedSet.has("networkpolicy")) {
        const s = settings.networkpolicy ?? {};
        model.networkpolicy = { clusters: s.clusters ? knownList("scenarioSettings.networkpolicy.clusters", s.clusters) : names };
    }
    if (selectedSet.has("rancher")) {
        const s = settings.rancher;
        if (!s) {
            issues.push({
                path: "scenarioSettings.rancher.clusterIds",
                message: "rancher needs the Rancher cluster id of every cluster, e.g. { mcsps-test-k8s-01: c-f7r9g }",
            });
        } else {
            Object.keys(s.clusterIds).forEach((c) => known(`scenarioSettings.rancher.clusterIds.${c}`, c));
            for (const c of names) {
                if (!s.clusterIds[c]) {
                    issues.push({ path: `scenarioSettings.rancher.clusterIds`, message: `no Rancher cluster id for cluster ${c}` });
                }
            }
            model.rancher = {
                clusterIds: s.clusterIds,
                management: s.management,
                projectName: s.projectName ?? "istio",
                limitRange: s.limitRange ?? true,
            };
        }
    }

    const nsClusters = new Set<string>();
    for (const c of model.samples?.clusters ?? []) nsClusters.add(c.cluster);
    for (const c of helloworldClusters) nsClusters.add(c);
    for (const r of [model.cc2, model.cc3, model.cc4, model.dnsp1, model.dnsp2]) if (r) nsClusters.add(r.cluster);
    for (const c of model.shifting?.clusters ?? []) nsClusters.add(c);
    for (const c of model.networkpolicy?.clusters ?? []) nsClusters.add(c);
    model.sampleNamespaceClusters = names.filter((c) => nsClusters.has(c));
    const gw = new Set([...(model.shifting?.clusters ?? []), ...(model.tlsFrontend?.clusters ?? [])]);
    model.ingressGatewayClusters = names.filter((c) => gw.has(c));

    // Rules need their workloads in the cluster they apply to (sample namespace is there via nsClusters).
    for (const id of ["cc2", "cc3", "cc4"] as const) {
        const r = model[id];
        if (r && model.samples && !model.samples.clusters.some((c) => c.cluster === r.cluster) && names.includes(r.cluster)) {
            warnings.push({
                path: `scenarioSettings.${id}.cluster`,
                message: `${id} is applied on ${r.cluster}, which runs no samples: there is no sleep client there to observe it`,
            });
        }
    }

    issues.push(...findWriteConflicts(scenarioWrites(model)));
    return { model, issues };
}

function checkLocality(id: string, lb: LocalityLbSetting, od: OutlierDetection, issues: ConfigIssue[], warnings: ConfigIssue[]): void {
    const r = validateLocalityLbSetting(lb, od);
    const at = `scenarioSettings.${id}`;
    for (const e of r.errors) issues.push({ path: at, message: `Istio would reject this DestinationRule: ${e}` });
    for (const w of r.warnings) warnings.push({ path: at, message: w });
}

function checkWeights(id: string, w: { v1: number; v2: number }, issues: ConfigIssue[]): void {
    if (w.v1 + w.v2 !== 100) {
        issues.push({
            path: `scenarioSettings${id.includes("-") ? `["${id}"]` : `.${id}`}.weights`,
            message: `v1 ${w.v1} + v2 ${w.v2} = ${w.v1 + w.v2}: route weights must add up to 100`,
        });
    }
}

function warnUnknownRegions(id: string, rule: LocalityRuleModel, clusters: ScenarioCluster[], warnings: ConfigIssue[]): void {
    const regions = new Set(clusters.flatMap((c) => c.nodes.map((n) => n.region)));
    if (!regions.size) return;
    const lb = (rule.trafficPolicy.loadBalancer as { localityLbSetting: LocalityLbSetting }).localityLbSetting;
    const localities = [
        ...(lb.distribute ?? []).flatMap((d) => [d.from ?? "", ...Object.keys(d.to ?? {})]),
        ...(lb.failover ?? []).flatMap((f) => [f.from ?? "", f.to ?? ""]),
    ];
    for (const l of localities) {
        const region = l.split("/")[0];
        if (region && region !== "*" && !regions.has(region)) {
            warnings.push({
                path: `scenarioSettings.${id}`,
                message: `locality ${l}: no node of any cluster is labelled ${Labels.region}=${region}`,
            });
        }
    }
}
