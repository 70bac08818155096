/**
 * TlsFrontend — HTTPS for helloworld through the ingress gateway: a cert-manager ClusterIssuer (ACME dns01 via a
 * webhook solver), a Certificate named after the host's first label in istio-system, the Gateway
 * `helloworld-ssl-gateway` (HTTPS 443, SIMPLE, external-dns target = the ingress address) and the VirtualService
 * `helloworld-ssl` (v1/v2 by the given weights). Needs cert-manager (and its webhook solver) in the cluster.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MeshCluster } from "../meshCluster";
import { TlsFrontendModel } from "../model";
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
}

/** ACME ClusterIssuer spec with one dns01 webhook solver. */
export function acmeIssuerSpec(p: { email: string; server: string; name: string; webhook: { groupName: string; solverName: string } }) {
    return {
        acme: {
            email: p.email,
            preferredChain: "",
            privateKeySecretRef: { name: p.name },
            server: p.server,
            solvers: [{ dns01: { webhook: { groupName: p.webhook.groupName, solverName: p.webhook.solverName } } }],
        },
    };
}

/** HTTPS frontend for helloworld on one cluster. */
export class TlsFrontend extends pulumi.ComponentResource {
    /** The ClusterIssuer. */
    public readonly issuer: k8s.apiextensions.CustomResource;
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
                    webhook: f.webhook,
                }),
            },
            onCluster(this, cluster),
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
        const annotations = pulumi
            .output(args.ingressAddress)
            .apply((a): Record<string, string> => (a ? { "external-dns.alpha.kubernetes.io/target": a } : {}));
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
