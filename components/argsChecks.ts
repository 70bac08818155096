/**
 * The pure argument checks of SharedRootCA and MeshCluster, shared with IstioMesh (which runs them on its own
 * args before it registers any child). Not part of the public API.
 */
import type { ArgsIssue } from "./argsErrors";
import { toChartSourceModel } from "./chartSource";
import type { MeshClusterArgs } from "./meshCluster";
import {
    checkCaValidity,
    ChartSourceModel,
    EcdsaCurve,
    isDns1123Label,
    isDns1123Subdomain,
    isLabelValue,
    isRootPhase,
    KeyAlgorithm,
    parseIstioVersion,
    resolveRevisions,
    ROOT_PHASES,
    rootPhaseIssues,
} from "./model";
import type { SharedRootCAArgs } from "./sharedRootCA";

/** Every bad field of SharedRootCA args (paths inside args). */
export function sharedRootCAArgsIssues(args: SharedRootCAArgs): ArgsIssue[] {
    const issues: ArgsIssue[] = [];
    const add = (propertyPath: string, reason: string) => issues.push({ propertyPath, reason });
    if (!args.clusterNames?.length) add("clusterNames", "must list at least one cluster");
    const seen = new Set<string>();
    for (const c of args.clusterNames ?? []) {
        if (!isDns1123Label(c)) add("clusterNames", `contains ${JSON.stringify(c)}, which is not a DNS-1123 label`);
        else if (seen.has(c)) add("clusterNames", `contains ${JSON.stringify(c)} twice`);
        seen.add(c);
    }
    if (args.keyAlgorithm !== undefined && !Object.values<string>(KeyAlgorithm).includes(args.keyAlgorithm)) {
        add("keyAlgorithm", `must be ${Object.values(KeyAlgorithm).join(" or ")}`);
    }
    if (args.rsaBits !== undefined && ![2048, 3072, 4096].includes(args.rsaBits)) add("rsaBits", "must be 2048, 3072 or 4096");
    if (args.ecdsaCurve !== undefined && !Object.values<string>(EcdsaCurve).includes(args.ecdsaCurve)) {
        add("ecdsaCurve", `must be one of ${Object.values(EcdsaCurve).join(", ")}`);
    }
    // The same rules the config layer applies to ca.* (model/ca/caValidity.ts).
    const validity = checkCaValidity(
        {
            rootValidityHours: args.rootValidityHours ?? 87600,
            intermediateValidityHours: args.intermediateValidityHours ?? 8760,
            earlyRenewalHours: args.earlyRenewalHours ?? 720,
            existingRoot: !!args.existingRoot,
        },
        (f) => `args.${f}`,
    );
    for (const i of validity) add(i.path.replace(/^args\./, ""), i.message);
    issues.push(...rootRotationArgsIssues(args));
    return issues;
}

/** `rootGeneration` and `rootRotation` of SharedRootCA args: the same rules as `ca.rootGeneration`/`ca.rootRotation`. */
export function rootRotationArgsIssues(args: SharedRootCAArgs): ArgsIssue[] {
    const issues: ArgsIssue[] = [];
    const add = (propertyPath: string, reason: string) => issues.push({ propertyPath, reason });
    const g = args.rootGeneration;
    if (g !== undefined && !(Number.isInteger(g) && g >= 1)) add("rootGeneration", "must be a whole number >= 1");
    const r = args.rootRotation;
    if (!r) return issues;
    if (!isRootPhase(r.phase)) add("rootRotation.phase", `must be one of ${ROOT_PHASES.join(", ")}`);
    const names = args.clusterNames ?? [];
    for (const [c, p] of Object.entries(r.clusterPhases ?? {})) {
        if (!names.includes(c)) add(`rootRotation.clusterPhases.${c}`, `names no cluster of clusterNames (${names.join(", ")})`);
        if (!isRootPhase(p)) add(`rootRotation.clusterPhases.${c}`, `must be one of ${ROOT_PHASES.join(", ")}`);
    }
    if (args.allowRootReplacement)
        add("allowRootReplacement", "replaces the root in one step and cannot be combined with rootRotation: set it to false");
    if (issues.length) return issues;
    const phases = names.map((c) => ({ cluster: c, phase: r.clusterPhases?.[c] ?? r.phase }));
    for (const i of rootPhaseIssues(phases, (c) =>
        r.clusterPhases && c in r.clusterPhases ? `rootRotation.clusterPhases.${c}` : "rootRotation.phase",
    )) {
        add(i.path, i.message);
    }
    return issues;
}

/**
 * Every bad field of MeshCluster args except `caCerts` (IstioMesh issues those itself), and the validated
 * chart source when it is valid.
 */
export function meshClusterArgsIssues(args: Omit<MeshClusterArgs, "caCerts">): {
    issues: ArgsIssue[];
    chartSource?: ChartSourceModel;
    revisionTags?: Record<string, string>;
} {
    const issues: ArgsIssue[] = [];
    const add = (propertyPath: string, reason: string) => issues.push({ propertyPath, reason });
    if (!isDns1123Label(args.clusterName ?? "")) add("clusterName", `${JSON.stringify(args.clusterName)} is not a DNS-1123 label`);
    if (!isDns1123Label(args.network ?? "")) add("network", `${JSON.stringify(args.network)} is not a DNS-1123 label`);
    if (!args.meshID) add("meshID", "is required");
    const root = args.rootCA;
    if (root?.phase !== undefined && !isRootPhase(root.phase)) add("rootCA.phase", `must be one of ${ROOT_PHASES.join(", ")}`);
    if (root?.generation !== undefined && !(Number.isInteger(root.generation) && root.generation >= 1)) {
        add("rootCA.generation", "must be a whole number >= 1");
    }
    if (root?.phase !== undefined && root.phase !== "oldOnly" && !root.multiRoot) {
        add("rootCA.multiRoot", `must be true in phase ${root.phase}: istiod refuses a changed root-cert.pem without ISTIO_MULTIROOT_MESH`);
    }
    (args.nodes ?? []).forEach((n, i) => {
        if (!isDns1123Subdomain(n.name ?? "")) add(`nodes[${i}].name`, `${JSON.stringify(n.name)} is not a valid node name`);
        for (const f of ["region", "zone"] as const) {
            if (!isLabelValue(n[f] ?? "")) add(`nodes[${i}].${f}`, `${JSON.stringify(n[f])} is not a valid label value`);
        }
        if (n.subzone !== undefined && !isLabelValue(n.subzone)) add(`nodes[${i}].subzone`, "is not a valid label value");
    });
    if (!parseIstioVersion(args.istio?.version ?? "")) {
        add("istio.version", `${JSON.stringify(args.istio?.version)} is not an Istio release (MAJOR.MINOR.PATCH)`);
    }
    let revisionTags: Record<string, string> | undefined;
    if (args.istio?.revisions || args.istio?.revisionTags) {
        // The mesh-level rules (model/revisions), on a one-cluster mesh: the same keys under args.istio.
        const resolved = resolveRevisions({
            istio: {
                version: args.istio.version,
                tag: args.istio.tag,
                chart: { kind: "repo", repo: "" },
                revisions: args.istio.revisions?.map((r) => ({ version: r.version, name: r.name, chartPath: "(args)" })),
                revisionTags: args.istio.revisionTags,
            },
            clusters: [{ name: args.clusterName, eastWestGateway: { enabled: false } }],
        });
        for (const i of resolved.issues) add(i.path, i.message);
        revisionTags = resolved.clusters.get(args.clusterName)?.tags;
    }
    try {
        return { issues, chartSource: toChartSourceModel(args.istio?.chart, "args.istio.chart"), revisionTags };
    } catch (e) {
        const m = /^args\.(\S+) ([\s\S]*)$/.exec((e as Error).message);
        add(m ? m[1] : "istio.chart", m ? m[2] : (e as Error).message);
        return { issues };
    }
}
