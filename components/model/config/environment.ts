/**
 * What the impure caller (program/stackConfig.ts) learned from files and secret config, injected into
 * {@link parseMeshConfig} so that parsing stays pure; and the checks that turn those facts into config
 * issues, each on the key that needs fixing, before anything registers.
 */
import { checkRootMaterial } from "../ca/caMaterial";
import { checkClusterAccess, checkSharedContexts, ClusterAccessConfig } from "../access/clusterAccessChecks";
import { ConfigIssue } from "./errors";
import { isInlineKubeconfig, KubeconfigLookup, lookupKubeconfig } from "../access/kubeconfigLookup";
import { checkSuppliedKubeconfig, SecretConfigValue, setSecretCommand } from "../remoteSecrets/secretConfigChecks";

/** The config namespace (= project name) used in `pulumi config set` commands. */
export const DEFAULT_CONFIG_NAMESPACE = "istio-multicluster";

/** A local chart directory that is missing: which chart, and the directories tried. */
export interface MissingChart {
    /** `base`, `istiod` or `gateway`. */
    chart: string;
    /** Directories looked in for Chart.yaml. */
    tried: string[];
}

/** Facts from outside the config, injected so that parsing stays pure. Every member is optional. */
export interface ParseEnvironment {
    /**
     * What the cluster's kubeconfig says about its context: the rich {@link KubeconfigLookup}, or (older
     * callers) just the server URL. Undefined: not known.
     */
    kubeconfigServer?: (cluster: { name: string; context?: string; kubeconfig?: string }) => string | KubeconfigLookup | undefined;
    /** The value of a secret config key of the namespace (decrypted), and whether it is stored encrypted. */
    secretValue?: (key: string) => SecretConfigValue | undefined;
    /** True if a key of the namespace (e.g. `clusters`) is stored encrypted. Default: no key is. */
    isSecretKey?: (key: string) => boolean;
    /** The charts missing under `istio.chartPath` (empty when all three are there). */
    localChartsMissing?: (chartPath: string) => MissingChart[];
    /** The current time (CA expiry checks). */
    now?: () => Date;
    /** Config namespace for messages. @default "istio-multicluster" */
    namespace?: string;
}

/** The parts of the parsed config the environment checks look at. */
export interface EnvironmentCheckInput {
    /** Clusters as written (after schema defaults). */
    clusters: (ClusterAccessConfig & { apiServerUrl?: string; remoteKubeconfigSecret?: string })[];
    /** `istio.chartPath` and `istio.version`. */
    istio: { chartPath?: string; version: string };
    /** CA settings. */
    ca: {
        intermediateValidityHours: number;
        existingRootCertSecret?: string;
        existingRootKeySecret?: string;
        rootRotation?: { nextRootCertSecret?: string; nextRootKeySecret?: string };
    };
    /** `allowLoopbackApiServer`. */
    allowLoopbackApiServer: boolean;
}

/** Result of {@link checkEnvironment}. */
export interface EnvironmentCheck {
    /** Issues found. */
    issues: ConfigIssue[];
    /** Per cluster index: the API server URL read from its kubeconfig (clusters without apiServerUrl or a supplied kubeconfig). */
    discovered: Map<number, string>;
    /** Cluster indexes whose unknown API server URL an issue already explains. */
    explained: Set<number>;
}

function normalise(r: string | KubeconfigLookup | undefined, context?: string): KubeconfigLookup | undefined {
    if (typeof r !== "string") return r;
    return {
        status: "found",
        source: { kind: "file", path: "(kubeconfig)", explicit: false },
        context: context ?? "current-context",
        server: r,
        credentials: [],
    };
}

/** Runs every check that needs facts from outside the config. */
export function checkEnvironment(cfg: EnvironmentCheckInput, env: ParseEnvironment): EnvironmentCheck {
    const ns = env.namespace ?? DEFAULT_CONFIG_NAMESPACE;
    const issues: ConfigIssue[] = [];
    const discovered = new Map<number, string>();
    const explained = new Set<number>();
    const linked = cfg.clusters.length >= 2;

    cfg.clusters.forEach((c, i) => {
        const at = `clusters[${i}]`;
        if (!c.context && !c.kubeconfig) return; // reported by the parser
        const inline = c.kubeconfig !== undefined && isInlineKubeconfig(c.kubeconfig);
        const lookup = inline
            ? lookupKubeconfig(c.kubeconfig, { kind: "inline" }, c.context)
            : normalise(env.kubeconfigServer?.({ name: c.name, context: c.context, kubeconfig: c.kubeconfig }), c.context);
        const discoveryNeeded = linked && !c.apiServerUrl && !c.remoteKubeconfigSecret;
        const r = checkClusterAccess({
            at,
            cluster: c,
            lookup,
            discoveryNeeded,
            clustersKeyIsSecret: env.isSecretKey?.("clusters") ?? false,
            namespace: ns,
        });
        issues.push(...r.issues);
        if (r.explained) explained.add(i);
        if (!c.apiServerUrl && !c.remoteKubeconfigSecret && r.server) discovered.set(i, r.server);
        if (c.remoteKubeconfigSecret && env.secretValue) {
            issues.push(
                ...checkSuppliedKubeconfig({
                    path: `${at}.remoteKubeconfigSecret`,
                    key: c.remoteKubeconfigSecret,
                    value: env.secretValue(c.remoteKubeconfigSecret),
                    allowLoopbackApiServer: cfg.allowLoopbackApiServer,
                    namespace: ns,
                }),
            );
        }
    });
    issues.push(...checkSharedContexts(cfg.clusters));

    if (cfg.istio.chartPath && env.localChartsMissing) {
        for (const m of env.localChartsMissing(cfg.istio.chartPath)) {
            issues.push({
                path: "istio.chartPath",
                message: `no ${m.chart} chart under ${cfg.istio.chartPath} (looked for Chart.yaml in ${m.tried.join(", ")}): point chartPath at a directory of Istio ${cfg.istio.version} charts (base/, istiod/ or istio-control/istio-discovery/, gateway/)`,
            });
        }
    }

    const next = cfg.ca.rootRotation;
    issues.push(
        ...checkExistingRoot(
            { path: "ca.existingRootCertSecret", key: cfg.ca.existingRootCertSecret },
            { path: "ca.existingRootKeySecret", key: cfg.ca.existingRootKeySecret },
            cfg.ca.intermediateValidityHours,
            env,
            ns,
        ),
        ...checkExistingRoot(
            { path: "ca.rootRotation.nextRootCertSecret", key: next?.nextRootCertSecret },
            { path: "ca.rootRotation.nextRootKeySecret", key: next?.nextRootKeySecret },
            cfg.ca.intermediateValidityHours,
            env,
            ns,
        ),
    );
    return { issues, discovered, explained };
}

/** Where a root's half is configured: the config path, and the secret config key it names. */
interface RootKeyRef {
    path: string;
    key?: string;
}

function checkExistingRoot(
    certRef: RootKeyRef,
    keyRef: RootKeyRef,
    intermediateValidityHours: number,
    env: ParseEnvironment,
    ns: string,
): ConfigIssue[] {
    if (!certRef.key || !keyRef.key || !env.secretValue) return [];
    const issues: ConfigIssue[] = [];
    const cert = env.secretValue(certRef.key);
    const key = env.secretValue(keyRef.key);
    const missing = (path: string, k: string, file: string) =>
        issues.push({ path, message: `names config key ${k}, which is not set: \`${setSecretCommand(ns, k, file)}\`` });
    if (!cert) missing(certRef.path, certRef.key, "root-cert.pem");
    if (!key) missing(keyRef.path, keyRef.key, "root-key.pem");
    else if (!key.secret) {
        issues.push({
            path: keyRef.path,
            message: `config key ${keyRef.key} holds the root's private key in plain stack config: store it encrypted with \`${setSecretCommand(ns, keyRef.key, "root-key.pem")}\``,
        });
    }
    if (!cert || !key) return issues;
    for (const p of checkRootMaterial(cert.value, key.value, { intermediateValidityHours, now: env.now?.() ?? new Date() })) {
        const ref = p.field === "cert" ? certRef : keyRef;
        issues.push({ path: ref.path, message: `the value of config key ${ref.key} ${p.message}` });
    }
    return issues;
}
