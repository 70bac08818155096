/**
 * IstioMesh's checks of its clusters' API server endpoints (`clusters[i].apiServerUrl` / `tlsServerName`), which
 * may be other resources' outputs (an EKS or GKE cluster created in the same program). Values known when the
 * component is constructed are checked then, as stack config is; a value that is an output is checked once it
 * resolves, inside an apply that every remote secret pointing at the mesh's clusters depends on, so `pulumi up`
 * fails with the same messages before a remote secret is written with it. A preview that does not know the value
 * yet cannot check it and shows the remote secrets as computed.
 */
import * as pulumi from "@pulumi/pulumi";
import { checkTopology, ConfigIssue, isTlsServerName, MeshConfigError } from "./model";

/** What the checks need of one cluster of the mesh. */
export interface MeshEndpointArgs {
    /** Cluster name. */
    name: string;
    /** Network name. */
    network: string;
    /** API server URL as reachable from the other clusters' istiod. */
    apiServerUrl?: pulumi.Input<string>;
    /** `tls-server-name` for that API server. */
    tlsServerName?: pulumi.Input<string>;
    /** True when links to this cluster use a reader token (so the URL is required). */
    usesReaderToken: boolean;
}

/** The endpoint of one cluster to hand to its RemoteSecretLinks: as given, or gated on the deferred check. */
export interface CheckedEndpoint {
    /** API server URL. */
    apiServerUrl?: pulumi.Input<string>;
    /** `tls-server-name`. */
    tlsServerName?: pulumi.Input<string>;
}

/** Result of {@link checkMeshEndpoints}. */
export interface MeshEndpointCheck {
    /** Problems with the values known now; the caller refuses the args when there are any. */
    issues: ConfigIssue[];
    /** Per cluster, in order: the values to use (outputs that fail with the issues found once they resolve). */
    endpoints: CheckedEndpoint[];
}

const isKnown = (v: pulumi.Input<string> | undefined): v is string | undefined => v === undefined || typeof v === "string";

/** Every issue with the endpoints whose values are given; `deferred[i]` marks a URL still unknown. */
function endpointIssues(
    clusters: MeshEndpointArgs[],
    urls: (string | undefined)[],
    tlsNames: (string | undefined)[],
    deferred: boolean[],
    allowLoopbackApiServer: boolean,
): ConfigIssue[] {
    const issues = checkTopology(
        clusters.map((c, i) => ({
            name: c.name,
            network: c.network,
            apiServerUrl: urls[i],
            apiServerUrlSource: "config" as const,
            usesReaderToken: c.usesReaderToken,
            apiServerUrlDeferred: deferred[i],
        })),
        allowLoopbackApiServer,
    );
    tlsNames.forEach((t, i) => {
        if (t !== undefined && !isTlsServerName(t)) {
            issues.push({
                path: `clusters[${i}].tlsServerName`,
                message: `${JSON.stringify(t)} is not a DNS name or IP address: use the host name on the API server's certificate (e.g. kubernetes.default.svc)`,
            });
        }
    });
    return issues;
}

/**
 * Checks the clusters' endpoints: the known values now (in `issues`), the outputs once they resolve (the returned
 * endpoints then fail with a {@link MeshConfigError} message headed `header`, naming `clusters[i].<field>`).
 */
export function checkMeshEndpoints(clusters: MeshEndpointArgs[], allowLoopbackApiServer: boolean, header: string): MeshEndpointCheck {
    const deferred = clusters.map((c) => !isKnown(c.apiServerUrl));
    const now = (v: pulumi.Input<string> | undefined) => (isKnown(v) ? v : undefined);
    const issues = endpointIssues(
        clusters,
        clusters.map((c) => now(c.apiServerUrl)),
        clusters.map((c) => now(c.tlsServerName)),
        deferred,
        allowLoopbackApiServer,
    );
    const given = clusters.map((c) => ({ apiServerUrl: c.apiServerUrl, tlsServerName: c.tlsServerName }));
    if (issues.length || clusters.every((c) => isKnown(c.apiServerUrl) && isKnown(c.tlsServerName))) return { issues, endpoints: given };

    const resolved = pulumi.all(clusters.map((c) => pulumi.all([c.apiServerUrl, c.tlsServerName]))).apply((values) => {
        const later = endpointIssues(
            clusters,
            values.map(([u]) => u),
            values.map(([, t]) => t),
            clusters.map(() => false),
            allowLoopbackApiServer,
        );
        if (later.length) throw new Error(new MeshConfigError(later, `${header} (checked once their outputs were known)`).message);
        return values;
    });
    const endpoints = clusters.map((c, i) => ({
        apiServerUrl: c.apiServerUrl === undefined ? undefined : resolved.apply((v) => v[i][0]!),
        tlsServerName: c.tlsServerName === undefined ? undefined : resolved.apply((v) => v[i][1]!),
    }));
    return { issues, endpoints };
}
