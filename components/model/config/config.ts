/**
 * Stack config → validated {@link MeshModel}. Pure: no Pulumi calls, no file access (the caller injects
 * what it learned from kubeconfig files), so it is unit-testable and reusable by the policy pack.
 */
import { checkCaValidity } from "../ca/caValidity";
import { resolveRootRotation } from "../ca/rootRotationConfig";
import { meshConfigSchema } from "./configSchema";
import { checkEnvironment, ParseEnvironment } from "./environment";
import { ConfigIssue, MeshConfigError } from "./errors";
import { ClusterModel, IstioModel, LinkModel, MeshModel } from "./types";
import { checkTopology } from "../access/topology";
import { chartRepoProblem } from "../istio/chartRepo";
import { DEFAULT_ISTIO_VERSION, MIN_ISTIO_MINOR, OFFICIAL_CHART_REPO, parseIstioVersion } from "../istio/versions";
import { resolveScenarios } from "../scenarios/scenarios";
import { checkValueOwnership } from "../istio/valueOwnership";
import { tokenEpochProblem } from "../remoteSecrets/tokenSlots";
import { remoteSecretLayoutProblem, remoteSecretNameFor } from "../remoteSecrets/layout";
import { zodIssueToConfigIssue } from "./zodIssues";
import { resolveRevisions } from "../revisions/revisionResolution";

export type { ParseEnvironment, MissingChart } from "./environment";
export type * from "./configInput";
export { DEFAULT_ISTIO_VERSION, OFFICIAL_CHART_REPO } from "../istio/versions";

/**
 * Validates raw stack config and returns the mesh model. Collects every problem and throws one
 * {@link MeshConfigError} listing them all (each naming its config path and the fix).
 */
export function parseMeshConfig(raw: unknown, env: ParseEnvironment = {}): MeshModel {
    const parsed = meshConfigSchema.safeParse(raw ?? {}, { reportInput: true });
    if (!parsed.success) {
        throw new MeshConfigError(parsed.error.issues.map((i) => zodIssueToConfigIssue(i)));
    }
    const cfg = parsed.data;
    const issues: ConfigIssue[] = [];

    const semver = parseIstioVersion(cfg.istio.version);
    if (!semver) {
        issues.push({
            path: "istio.version",
            message: `${JSON.stringify(cfg.istio.version)} is not an Istio release: use MAJOR.MINOR.PATCH such as ${DEFAULT_ISTIO_VERSION}`,
        });
    } else if (semver.major !== 1 || semver.minor < MIN_ISTIO_MINOR) {
        issues.push({
            path: "istio.version",
            message: `Istio ${cfg.istio.version} is not supported: use 1.${MIN_ISTIO_MINOR}.0 or newer (e.g. ${DEFAULT_ISTIO_VERSION})`,
        });
    }
    if (cfg.istio.chartRepo && cfg.istio.chartPath) {
        issues.push({ path: "istio.chartPath", message: "set either istio.chartRepo or istio.chartPath, not both" });
    }
    const repoProblem =
        cfg.istio.chartRepo && chartRepoProblem(cfg.istio.chartRepo, cfg.istio.allowInsecureChartRepo, "istio.allowInsecureChartRepo");
    if (repoProblem) issues.push({ path: "istio.chartRepo", message: repoProblem });
    const epochIssue = tokenEpochProblem(cfg.tokenRotationEpoch, cfg.keepPreviousToken);
    if (epochIssue) issues.push(epochIssue);
    const layoutIssue = remoteSecretLayoutProblem(cfg.remoteSecretLayout, cfg.adoptExistingRemoteSecrets);
    if (layoutIssue) issues.push(layoutIssue);
    issues.push(
        ...checkCaValidity({ ...cfg.ca, existingRoot: !!cfg.ca.existingRootCertSecret }, (f) => `ca.${f}`),
        ...checkValueOwnership(cfg.istio.values),
    );
    const facts = checkEnvironment(cfg, env);
    issues.push(...facts.issues);
    if (!!cfg.ca.existingRootCertSecret !== !!cfg.ca.existingRootKeySecret) {
        issues.push({
            path: cfg.ca.existingRootCertSecret ? "ca.existingRootKeySecret" : "ca.existingRootCertSecret",
            message: "an existing root needs both existingRootCertSecret and existingRootKeySecret",
        });
    }

    const rootRotation = resolveRootRotation(
        cfg.ca,
        cfg.clusters.map((c) => c.name),
    );
    issues.push(...rootRotation.issues);

    const chart: IstioModel["chart"] = cfg.istio.chartPath
        ? { kind: "path", path: cfg.istio.chartPath }
        : { kind: "repo", repo: cfg.istio.chartRepo ?? OFFICIAL_CHART_REPO };
    const revisions = resolveRevisions({ istio: { ...cfg.istio, chart }, clusters: cfg.clusters });
    issues.push(...revisions.issues);

    const clusters: ClusterModel[] = cfg.clusters.map((c, i) => {
        const at = `clusters[${i}]`;
        if (!c.context && !c.kubeconfig) {
            issues.push({
                path: `${at}.context`,
                message: `cluster ${JSON.stringify(c.name)} is unreachable: set context (a kubeconfig context such as c1-admin) and/or kubeconfig (a file path)`,
            });
        }
        const nodeSeen = new Set<string>();
        c.nodes.forEach((n, j) => {
            if (nodeSeen.has(n.name)) {
                issues.push({ path: `${at}.nodes[${j}].name`, message: `duplicate node ${JSON.stringify(n.name)} in cluster ${c.name}` });
            }
            nodeSeen.add(n.name);
        });
        const fromKubeconfig = facts.discovered.get(i);
        const apiServerUrl = c.apiServerUrl ?? fromKubeconfig;
        const apiServerUrlSource: ClusterModel["apiServerUrlSource"] = c.apiServerUrl
            ? "config"
            : fromKubeconfig
              ? "kubeconfig"
              : "unknown";
        return {
            name: c.name,
            network: c.network,
            context: c.context,
            kubeconfig: c.kubeconfig,
            apiServerUrl,
            apiServerUrlSource,
            tlsServerName: c.tlsServerName,
            nodes: c.nodes,
            eastWestGateway: {
                enabled: c.eastWestGateway.enabled,
                serviceType: c.eastWestGateway.serviceType,
                serviceAnnotations: c.eastWestGateway.serviceAnnotations,
            },
            remoteCredential: c.remoteKubeconfigSecret
                ? { kind: "kubeconfig", secretConfigKey: c.remoteKubeconfigSecret }
                : { kind: "readerToken" },
            ...(c.namespaceMetadata ? { namespaceMetadata: c.namespaceMetadata } : {}),
            ...(revisions.clusters.has(c.name) ? { revisions: revisions.clusters.get(c.name) } : {}),
        };
    });

    const links: LinkModel[] = [];
    for (const reader of clusters) {
        for (const target of clusters) {
            if (reader.name === target.name) continue;
            links.push({
                reader: reader.name,
                target: target.name,
                remoteSecretName: remoteSecretNameFor(cfg.remoteSecretLayout, target.name),
            });
        }
    }

    // Unique names, and every link target reachable from the other clusters.
    issues.push(
        ...checkTopology(
            clusters.map((c, i) => ({
                ...c,
                usesReaderToken: c.remoteCredential.kind === "readerToken",
                apiServerUrlExplained: facts.explained.has(i),
            })),
            cfg.allowLoopbackApiServer,
        ),
    );

    const scenarios = resolveScenarios(cfg.scenarios, cfg.scenarioSettings, clusters);
    issues.push(...scenarios.issues);

    if (issues.length) throw new MeshConfigError(issues);

    return {
        meshID: cfg.meshID,
        clusters,
        istio: {
            version: cfg.istio.version,
            semver: semver!,
            hub: cfg.istio.hub,
            tag: cfg.istio.tag,
            chart,
            dnsCapture: cfg.istio.dnsCapture,
            dnsAutoAllocate: cfg.istio.dnsAutoAllocate,
            keepCrdsOnDestroy: cfg.istio.keepCrdsOnDestroy,
            baseInstall: cfg.istio.baseInstall,
            values: cfg.istio.values,
            ...(revisions.mesh ? { revisions: revisions.mesh } : {}),
        },
        ca: {
            keyAlgorithm: cfg.ca.keyAlgorithm,
            rsaBits: cfg.ca.rsaBits,
            ecdsaCurve: cfg.ca.ecdsaCurve,
            rootValidityHours: cfg.ca.rootValidityHours,
            intermediateValidityHours: cfg.ca.intermediateValidityHours,
            earlyRenewalHours: cfg.ca.earlyRenewalHours,
            rotationEpoch: cfg.ca.rotationEpoch,
            protectRoot: cfg.ca.protectRoot,
            allowRootReplacement: cfg.ca.allowRootReplacement,
            existingRoot:
                cfg.ca.existingRootCertSecret && cfg.ca.existingRootKeySecret
                    ? { certConfigKey: cfg.ca.existingRootCertSecret, keyConfigKey: cfg.ca.existingRootKeySecret }
                    : undefined,
            multiRoot: cfg.ca.multiRoot,
            rootGeneration: cfg.ca.rootGeneration,
            ...(rootRotation.rotation ? { rootRotation: rootRotation.rotation } : {}),
        },
        links,
        allowLoopbackApiServer: cfg.allowLoopbackApiServer,
        adoptExistingRemoteSecrets: cfg.adoptExistingRemoteSecrets,
        remoteSecretLayout: cfg.remoteSecretLayout,
        tokenRotationEpoch: cfg.tokenRotationEpoch,
        keepPreviousToken: cfg.keepPreviousToken,
        scenarios: scenarios.model,
    };
}
