/**
 * TlsFrontend — HTTPS for helloworld through the ingress gateway: a cert-manager ClusterIssuer (ACME dns01 via a
 * provider's webhook or RFC 2136 with a TSIG key), a Certificate named after the host's first label in istio-system, the Gateway
 * `helloworld-ssl-gateway` (HTTPS 443, SIMPLE, external-dns target = the ingress address) and the VirtualService
 * `helloworld-ssl` (v1/v2 by the given weights). Needs cert-manager (and its webhook solver) in the cluster.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MeshCluster } from "../meshCluster";
import { AcmeSolverModel, TlsFrontendModel } from "../model";
import { refusal } from "../refusal";
import { onCluster, requireCluster, requireWeights, weightedIngressRoute } from "./resources";

/** Arguments of {@link TlsFrontend}. */
export interface TlsFrontendArgs {
    /** The cluster. */
    cluster: MeshCluster;
    /**
     * The resolved frontend (`resolveScenarios(...).model.tlsFrontend`): host, certificate, issuer, object names
     * and route. Its `ingressAddress` is not read; pass `ingressAddress` below.
     * @see https://cert-manager.io/docs/configuration/acme/dns01/webhook/
     */
    frontend: TlsFrontendModel;
    /** external-dns target (ingress gateway address): a fixed address, or e.g. `IngressGateway.address`. @default none (no annotation) */
    ingressAddress?: pulumi.Input<string | undefined>;
    /** Resources to wait for (the ingress gateway). @default [] */
    dependsOn?: pulumi.Resource[];
    /**
     * The TSIG key's secret (base64) for the rfc2136 solver; stored in a Secret in the solver's `secretNamespace`.
     * Pass a Pulumi secret (e.g. `config.requireSecret(...)`); it is treated as one either way.
     * @default none (required with the rfc2136 solver)
     */
    tsigSecret?: pulumi.Input<string>;
}

/** The dns01 solver block of a ClusterIssuer for the model's solver. */
export function dns01Solver(solver: AcmeSolverModel): Record<string, unknown> {
    if (solver.kind === "webhook") return { webhook: { groupName: solver.groupName, solverName: solver.solverName } };
    return {
        rfc2136: {
            nameserver: solver.nameserver,
            tsigKeyName: solver.tsigKeyName,
            tsigAlgorithm: solver.tsigAlgorithm,
            tsigSecretSecretRef: { name: solver.secretName, key: solver.secretKey },
        },
    };
}

/** ACME ClusterIssuer spec with one dns01 solver (and the ACME server's TLS root, for a private ACME server). */
export function acmeIssuerSpec(p: { email: string; server: string; name: string; solver: AcmeSolverModel; caBundle?: string }) {
    return {
        acme: {
            email: p.email,
            preferredChain: "",
            privateKeySecretRef: { name: p.name },
            server: p.server,
            ...(p.caBundle ? { caBundle: Buffer.from(p.caBundle).toString("base64") } : {}),
            solvers: [{ dns01: dns01Solver(p.solver) }],
        },
    };
}

/** HTTPS frontend for helloworld on one cluster. */
export class TlsFrontend extends pulumi.ComponentResource {
    /** The ClusterIssuer. */
    public readonly issuer: k8s.apiextensions.CustomResource;
    /** The TSIG key Secret of the rfc2136 solver (in cert-manager's namespace); undefined with a webhook solver. */
    public readonly tsigSecret?: k8s.core.v1.Secret;
    /** The Certificate. */
    public readonly certificate: k8s.apiextensions.CustomResource;
    /** Gateway `helloworld-ssl-gateway`. */
    public readonly gateway: k8s.apiextensions.CustomResource;
    /** VirtualService `helloworld-ssl`. */
    public readonly virtualService: k8s.apiextensions.CustomResource;

    /**
     * @param name The _unique_ name of this component.
     * @param args Cluster, the resolved frontend and the external-dns target.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: TlsFrontendArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:TlsFrontend", name, {}, opts);
        const cluster = requireCluster("TlsFrontend", this, args.cluster);
        const f = args.frontend;
        const { host, credentialName, issuerName } = f;
        const weights = requireWeights("TlsFrontend", this, f.route.weights);
        if (f.solver.kind === "rfc2136") {
            if (args.tsigSecret === undefined) {
                throw refusal(
                    `TlsFrontend: the rfc2136 solver needs args.tsigSecret (the TSIG key's secret; stack config ${f.solver.tsigSecretConfigKey})`,
                    this,
                );
            }
            // cert-manager reads the TSIG key from its cluster resource namespace; the value stays a Pulumi secret.
            this.tsigSecret = new k8s.core.v1.Secret(
                `${name}-tsig`,
                {
                    metadata: { name: f.solver.secretName, namespace: f.solver.secretNamespace },
                    type: "Opaque",
                    stringData: { [f.solver.secretKey]: pulumi.secret(args.tsigSecret) },
                },
                onCluster(this, cluster),
            );
        }
        this.issuer = new k8s.apiextensions.CustomResource(
            `${name}-issuer`,
            {
                apiVersion: "cert-manager.io/v1",
                kind: "ClusterIssuer",
                metadata: { name: issuerName },
                spec: acmeIssuerSpec({
                    email: f.email,
                    server: f.acmeServer,
                    name: issuerName,
                    solver: f.solver,
                    caBundle: f.acmeCaBundle,
                }),
            },
            onCluster(this, cluster, this.tsigSecret ? [this.tsigSecret] : []),
        );
        // cert-manager writes the Secret next to the ingress gateway, in istio-system (istio.io cert-manager integration).
        this.certificate = new k8s.apiextensions.CustomResource(
            `${name}-certificate`,
            {
                apiVersion: "cert-manager.io/v1",
                kind: "Certificate",
                metadata: { name: f.certificate, namespace: f.namespace },
                spec: {
                    issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: issuerName },
                    secretName: credentialName,
                    commonName: host,
                    dnsNames: [host],
                },
            },
            onCluster(this, cluster, [cluster.namespace, this.issuer]),
        );
        // The seed's record: external-dns's istio-gateway source reads the target from the Gateway (one cluster only).
        const annotations = pulumi
            .output(args.ingressAddress)
            .apply((a): Record<string, string> =>
                a && f.dns.mode === "gatewayAnnotation" ? { "external-dns.alpha.kubernetes.io/target": a } : {},
            );
        const route = weightedIngressRoute(
            name,
            { parent: this, cluster, deps: args.dependsOn },
            {
                gateway: { name: f.gateway, namespace: f.namespace, annotations },
                server: { port: { number: 443, name: "https", protocol: "HTTPS" }, tls: { mode: "SIMPLE", credentialName }, hosts: [host] },
                virtualService: { name: f.virtualService, namespace: f.namespace },
                route: f.route,
                weights,
            },
            [this.certificate],
        );
        this.gateway = route.gateway;
        this.virtualService = route.virtualService;
        this.registerOutputs({});
    }
}
