/**
 * Resolves a stack's `scenarios` + `scenarioSettings` against its clusters into a {@link ScenariosModel}:
 * every setting filled in from the seeds (scenarioDefaults.ts), every reference checked, every conflict
 * found (scenarioConflicts.ts). Never throws; the caller decides what to do with the issues.
 */
import { ConfigIssue } from "../config/errors";
import { ISTIO_NAMESPACE, resolveServiceHost } from "../istio/names";
import {
    ACME_ISSUER_NAME,
    ACME_SERVER,
    credentialNameFor,
    externalTlsEntry,
    HELLOWORLD_IMAGE,
    HELLOWORLD_SERVICE,
    routeWeightsProblem,
    SAMPLE_NAMESPACE,
    SHIFTING_OBJECTS,
    SHIFTING_WEIGHTS,
    sampleZones,
    SLEEP_IMAGE,
    tcpEntries,
    TLS_FRONTEND_OBJECTS,
    TLS_FRONTEND_WEIGHTS,
} from "./scenarioDefaults";
import { findWriteConflicts, scenarioWrites } from "./scenarioConflicts";
import { ScenarioCluster, ScenariosModel, TlsFrontendModel } from "./scenarioModel";
import { resolveLocalityRules } from "./scenarioLocalityRules";
import { SCENARIO_IDS, SCENARIO_REQUIRES, ScenarioId } from "./scenarioSchema";
import type { ScenarioSettingsInput } from "./scenarioSettings";
import { scenarioListSchema, scenarioSettingsSchema } from "./scenarioSettingsSchema";
import { zodIssueToConfigIssue } from "../config/zodIssues";

/** The parsed `scenarioSettings` (the schema sets no defaults, so it is what was written). */
export type Settings = ScenarioSettingsInput;

/** What every per-scenario resolver shares: the clusters, the issue lists and the cluster-reference checks. */
export interface Resolver {
    clusters: ScenarioCluster[];
    names: string[];
    issues: ConfigIssue[];
    warnings: ConfigIssue[];
    /** `c` back, with an issue at `path` unless it names a cluster. */
    known(path: string, c: string): string;
    /** {@link Resolver.known} for each entry of a list. */
    knownList(path: string, cs: string[]): string[];
    /** The configured cluster, or the cluster at `position` (seed: cluster1 / cluster2). */
    pick(id: string, configured: string | undefined, position: number): string;
}

function resolver(clusters: ScenarioCluster[], issues: ConfigIssue[], warnings: ConfigIssue[]): Resolver {
    const names = clusters.map((c) => c.name);
    const known = (path: string, c: string): string => {
        if (!names.includes(c)) issues.push({ path, message: `unknown cluster ${JSON.stringify(c)}: use one of ${names.join(", ")}` });
        return c;
    };
    return {
        clusters,
        names,
        issues,
        warnings,
        known,
        knownList: (path, cs) => cs.map((c, i) => known(`${path}[${i}]`, c)),
        pick: (id, configured, position) => {
            if (configured !== undefined) return known(`scenarioSettings.${id}.cluster`, configured);
            if (clusters.length <= position) {
                issues.push({
                    path: `scenarioSettings.${id}.cluster`,
                    message: `${id} defaults to cluster #${position + 1} (the seed's cluster${position + 1}), but this stack has ${clusters.length}: set the cluster`,
                });
                return names[0] ?? "";
            }
            return names[position];
        },
    };
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

    const parsed = parseSelection(rawIds, rawSettings, issues, warnings);
    if (!parsed) return { model: empty, issues };
    const { settings, selectedSet } = parsed;
    const selected = SCENARIO_IDS.filter((id) => selectedSet.has(id));
    for (const id of selected) {
        const req = SCENARIO_REQUIRES[id];
        if (req && !selectedSet.has(req.needs)) {
            issues.push({ path: "scenarios", message: `${id} needs ${req.needs} (${req.why}): add ${req.needs} to scenarios` });
        }
    }

    const r = resolver(clusters, issues, warnings);
    const model: ScenariosModel = { ...empty, selected };
    if (selectedSet.has("samples")) model.samples = resolveSamples(r, settings.samples ?? {});
    if (selectedSet.has("cc1")) model.cc1 = { cluster: r.pick("cc1", settings.cc1?.cluster, 0) };
    resolveLocalityRules(r, settings, selectedSet, model);
    if (selectedSet.has("dnsp1")) {
        const s = settings.dnsp1 ?? {};
        model.dnsp1 = { cluster: r.pick("dnsp1", s.cluster, 0), entries: [externalTlsEntry(s.hosts)] };
    }
    if (selectedSet.has("dnsp2")) {
        const s = settings.dnsp2 ?? {};
        if (!s.databases)
            r.issues.push({
                path: "scenarioSettings.dnsp2.databases",
                message:
                    "dnsp2 needs the external TCP services it adds ServiceEntries for: set them in the stack file, e.g. databases: [{ name: mysql-db-1, host: db1.example.com }, { name: mysql-db-2, host: db2.example.com }]",
            });
        model.dnsp2 = { cluster: r.pick("dnsp2", s.cluster, 0), entries: tcpEntries(s.databases ?? [], s.port) };
    }
    if (selectedSet.has("helloworld")) model.helloworld = resolveHelloworld(r, settings.helloworld ?? {});
    const helloworldClusters = Object.keys(model.helloworld?.versions ?? {}).filter((c) => r.names.includes(c));
    if (selectedSet.has("shifting")) {
        const s = settings.shifting ?? {};
        const weights = s.weights ?? { ...SHIFTING_WEIGHTS };
        checkWeights("shifting", weights, issues);
        model.shifting = {
            clusters: s.clusters ? r.knownList("scenarioSettings.shifting.clusters", s.clusters) : helloworldClusters,
            namespace: SAMPLE_NAMESPACE,
            ...SHIFTING_OBJECTS,
            route: { host: HELLOWORLD_SERVICE.name, port: HELLOWORLD_SERVICE.port, weights },
            weights,
        };
    }
    if (selectedSet.has("tls-frontend")) model.tlsFrontend = resolveTlsFrontend(r, settings["tls-frontend"] ?? {}, model.shifting);
    if (selectedSet.has("networkpolicy")) {
        const s = settings.networkpolicy ?? {};
        model.networkpolicy = { clusters: s.clusters ? r.knownList("scenarioSettings.networkpolicy.clusters", s.clusters) : r.names };
    }
    if (selectedSet.has("rancher")) model.rancher = resolveRancher(r, settings.rancher);

    placeSharedObjects(r, model, helloworldClusters);
    issues.push(...findWriteConflicts(scenarioWrites(model)));
    return { model, issues };
}

/** Parses both keys; unknown or repeated ids are issues, settings of unselected ids warnings. Undefined if either does not parse. */
function parseSelection(
    rawIds: unknown,
    rawSettings: unknown,
    issues: ConfigIssue[],
    warnings: ConfigIssue[],
): { settings: Settings; selectedSet: Set<ScenarioId> } | undefined {
    const ids = scenarioListSchema.safeParse(rawIds ?? []);
    const settingsParsed = scenarioSettingsSchema.safeParse(rawSettings ?? {}, { reportInput: true });
    if (!ids.success) issues.push(...ids.error.issues.map((i) => zodIssueToConfigIssue(i, { prefix: "scenarios" })));
    if (!settingsParsed.success) {
        const unknownKeysHint = (path: ReadonlyArray<PropertyKey>) =>
            path.length === 0 ? `scenario ids are ${SCENARIO_IDS.join(", ")}` : undefined;
        issues.push(...settingsParsed.error.issues.map((i) => zodIssueToConfigIssue(i, { prefix: "scenarioSettings", unknownKeysHint })));
    }
    if (issues.length) return undefined;

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
    return { settings, selectedSet };
}

function resolveSamples(r: Resolver, s: NonNullable<Settings["samples"]>): ScenariosModel["samples"] {
    const chosen = s.clusters ? r.knownList("scenarioSettings.samples.clusters", s.clusters) : r.names;
    return {
        helloworldImage: s.helloworldImage ?? `${HELLOWORLD_IMAGE}-v1:1.0`,
        sleepImage: s.sleepImage ?? SLEEP_IMAGE,
        clusters: chosen
            .filter((c) => r.names.includes(c))
            .map((c) => {
                const index = r.names.indexOf(c);
                const zones = sampleZones(index, r.clusters[index].nodes);
                if (!zones.length) {
                    r.issues.push({
                        path: `clusters[${index}].nodes`,
                        message: `samples places one helloworld2 and one sleep client per zone, but cluster ${c} lists no nodes: add its nodes with region and zone`,
                    });
                }
                return { cluster: c, index, zones };
            }),
    };
}

function resolveHelloworld(r: Resolver, s: NonNullable<Settings["helloworld"]>): ScenariosModel["helloworld"] {
    let versions: Record<string, ("v1" | "v2")[]>;
    if (s.versions) {
        versions = s.versions;
        Object.keys(versions).forEach((c) => r.known(`scenarioSettings.helloworld.versions.${c}`, c));
    } else if (r.clusters.length >= 2) {
        versions = { [r.names[0]]: ["v1"], [r.names[1]]: ["v2"] };
    } else {
        versions = r.names.length ? { [r.names[0]]: ["v1", "v2"] } : {};
    }
    return { versions, image: s.image ?? HELLOWORLD_IMAGE };
}

function resolveTlsFrontend(
    r: Resolver,
    s: NonNullable<Settings["tls-frontend"]>,
    shifting: ScenariosModel["shifting"],
): ScenariosModel["tlsFrontend"] {
    const weights = s.weights ?? { ...TLS_FRONTEND_WEIGHTS };
    checkWeights("tls-frontend", weights, r.issues);
    const chosen = s.clusters ? r.knownList(`scenarioSettings["tls-frontend"].clusters`, s.clusters) : r.names.slice(0, 1);
    for (const c of chosen) {
        if (shifting && !shifting.clusters.includes(c)) {
            r.issues.push({
                path: `scenarioSettings["tls-frontend"].clusters`,
                message: `cluster ${c} has no shifting DestinationRule (subsets v1/v2): add it to scenarioSettings.shifting.clusters`,
            });
        }
    }
    if (chosen.length > 1 && s.ingressAddress) {
        r.warnings.push({
            path: `scenarioSettings["tls-frontend"].ingressAddress`,
            message: "one ingressAddress is used as the external-dns target on every tls-frontend cluster",
        });
    }
    const required = (key: "host" | "email" | "webhook", what: string, example: string) => {
        if (s[key] === undefined)
            r.issues.push({
                path: `scenarioSettings["tls-frontend"].${key}`,
                message: `tls-frontend needs ${what}: set it in the stack file, e.g. ${example}`,
            });
    };
    required("host", "the public host name the certificate is issued for", "host: hello.example.com");
    required("email", "the ACME account e-mail", "email: ops@example.com");
    const at = (k: string) => `scenarioSettings["tls-frontend"].${k}`;
    if (!s.webhook && !s.rfc2136) {
        r.issues.push({
            path: at("webhook"),
            message:
                "tls-frontend needs a dns01 solver: webhook: { groupName: acme.example.com, solverName: mydns } (your DNS provider's cert-manager webhook), or rfc2136: { nameserver: ns1.example.com:53, tsigKeyName: acme, tsigSecretConfigKey: tsigSecret }",
        });
    } else if (s.webhook && s.rfc2136) {
        r.issues.push({ path: at("rfc2136"), message: "set either webhook or rfc2136 as the dns01 solver, not both" });
    }
    const host = s.host ?? "";
    const zone = s.dnsZone?.replace(/\.$/, "");
    if (zone && host && !(host === zone || host.endsWith(`.${zone}`))) {
        r.issues.push({
            path: at("host"),
            message: `${host} is outside dnsZone ${zone}: use a host ending in .${zone}, or the zone the host is in`,
        });
    }
    const mode = s.dnsRecords ?? "dnsEndpoint";
    const dnsCluster = s.dnsEndpointCluster ?? chosen[0] ?? "";
    if (s.dnsEndpointCluster !== undefined && !chosen.includes(s.dnsEndpointCluster)) {
        r.issues.push({
            path: at("dnsEndpointCluster"),
            message: `${s.dnsEndpointCluster} is not a tls-frontend cluster (${chosen.join(", ")}): name one of them`,
        });
    }
    if (mode === "gatewayAnnotation" && chosen.length > 1) {
        r.issues.push({
            path: at("dnsRecords"),
            message: `gatewayAnnotation publishes one address per cluster under the same name, and external-dns in each cluster overwrites the other's (kubernetes-sigs/external-dns#1441): use dnsEndpoint for ${chosen.length} clusters`,
        });
    }
    const solver: TlsFrontendModel["solver"] = s.rfc2136
        ? {
              kind: "rfc2136",
              nameserver: /:[0-9]+$/.test(s.rfc2136.nameserver) ? s.rfc2136.nameserver : `${s.rfc2136.nameserver}:53`,
              tsigKeyName: s.rfc2136.tsigKeyName,
              tsigAlgorithm: s.rfc2136.tsigAlgorithm ?? "HMACSHA256",
              tsigSecretConfigKey: s.rfc2136.tsigSecretConfigKey,
              secretNamespace: s.rfc2136.secretNamespace ?? "cert-manager",
              secretName: `${s.issuerName ?? ACME_ISSUER_NAME}-tsig`,
              secretKey: "tsig-secret-key",
          }
        : { kind: "webhook", groupName: s.webhook?.groupName ?? "", solverName: s.webhook?.solverName ?? "" };
    return {
        clusters: chosen,
        host,
        credentialName: s.credentialName ?? credentialNameFor(host),
        ingressAddress: s.ingressAddress,
        weights,
        email: s.email ?? "",
        acmeServer: s.acmeServer ?? ACME_SERVER,
        issuerName: s.issuerName ?? ACME_ISSUER_NAME,
        solver,
        ...(s.acmeCaBundle ? { acmeCaBundle: s.acmeCaBundle } : {}),
        ...(zone ? { dnsZone: zone } : {}),
        dns: { mode, cluster: dnsCluster, name: `${host.split(".")[0]}-dns`, namespace: ISTIO_NAMESPACE, ttl: s.recordTtl ?? 60 },
        namespace: ISTIO_NAMESPACE,
        certificate: host.split(".")[0],
        ...TLS_FRONTEND_OBJECTS,
        route: { host: resolveServiceHost(HELLOWORLD_SERVICE.name, SAMPLE_NAMESPACE), port: HELLOWORLD_SERVICE.port, weights },
    };
}

function resolveRancher(r: Resolver, s: Settings["rancher"]): ScenariosModel["rancher"] {
    if (!s) {
        r.issues.push({
            path: "scenarioSettings.rancher.clusterIds",
            message: "rancher needs the Rancher cluster id of every cluster, e.g. { east: c-f7r9g }",
        });
        return undefined;
    }
    Object.keys(s.clusterIds).forEach((c) => r.known(`scenarioSettings.rancher.clusterIds.${c}`, c));
    for (const c of r.names) {
        if (!s.clusterIds[c]) {
            r.issues.push({ path: `scenarioSettings.rancher.clusterIds`, message: `no Rancher cluster id for cluster ${c}` });
        }
    }
    return {
        clusterIds: s.clusterIds,
        management: s.management,
        projectName: s.projectName ?? "istio",
        limitRange: s.limitRange ?? true,
    };
}

/** The clusters that need the `sample` namespace and an ingress gateway; CC2–CC4 rules where no samples run are a warning. */
function placeSharedObjects(r: Resolver, model: ScenariosModel, helloworldClusters: string[]): void {
    const nsClusters = new Set<string>();
    for (const c of model.samples?.clusters ?? []) nsClusters.add(c.cluster);
    for (const c of helloworldClusters) nsClusters.add(c);
    for (const x of [model.cc2, model.cc3, model.cc4, model.dnsp1, model.dnsp2]) if (x) nsClusters.add(x.cluster);
    for (const c of model.shifting?.clusters ?? []) nsClusters.add(c);
    for (const c of model.networkpolicy?.clusters ?? []) nsClusters.add(c);
    model.sampleNamespaceClusters = r.names.filter((c) => nsClusters.has(c));
    const gw = new Set([...(model.shifting?.clusters ?? []), ...(model.tlsFrontend?.clusters ?? [])]);
    model.ingressGatewayClusters = r.names.filter((c) => gw.has(c));

    // Rules need their workloads in the cluster they apply to (sample namespace is there via nsClusters).
    for (const id of ["cc2", "cc3", "cc4"] as const) {
        const rule = model[id];
        if (rule && model.samples && !model.samples.clusters.some((c) => c.cluster === rule.cluster) && r.names.includes(rule.cluster)) {
            r.warnings.push({
                path: `scenarioSettings.${id}.cluster`,
                message: `${id} is applied on ${rule.cluster}, which runs no samples: there is no sleep client there to observe it`,
            });
        }
    }
}

function checkWeights(id: string, w: { v1: number; v2: number }, issues: ConfigIssue[]): void {
    const problem = routeWeightsProblem(w);
    if (problem) issues.push({ path: `scenarioSettings${id.includes("-") ? `["${id}"]` : `.${id}`}.weights`, message: problem });
}
