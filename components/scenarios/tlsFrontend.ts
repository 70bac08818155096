/**
 * TlsFrontend — seed 003 "SSL Frontend with Let's Encrypt Certification": cert-manager ClusterIssuer
 * `letsencrypt-wild` (ACME dns01 via the Designate webhook), Certificate `helloistio` in istio-system, Gateway
 * `helloworld-ssl-gateway` (HTTPS 443, SIMPLE, external-dns target = the ingress address) and VirtualService
 * `helloworld-ssl` (90% v1, 10% v2). Needs cert-manager (and its webhook solver) installed in the cluster.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MeshCluster } from "../meshCluster";
import { ISTIO_NAMESPACE, resolveServiceHost, SAMPLE_NAMESPACE } from "../model";
import { ingressGatewaySpec, istioResource, onCluster, requireCluster, weightedHelloSpec } from "./resources";

/** Arguments of {@link TlsFrontend}. */
export interface TlsFrontendArgs {
    /** The cluster. */
    cluster: MeshCluster;
    /**
     * Public host name.
     * @default "helloistio.mcsps.telekomcloud.com"
     */
    host?: string;
    /**
     * TLS Secret the Certificate writes and the Gateway uses.
     * @default "helloistio-mcsps-telekomcloud-com"
     */
    credentialName?: string;
    /** external-dns target (ingress gateway address): a fixed address, or e.g. `IngressGateway.address`. @default none (no annotation) */
    ingressAddress?: pulumi.Input<string | undefined>;
    /**
     * Route weights of the helloworld subsets (must add up to 100).
     * @default { v1: 90, v2: 10 }
     */
    weights?: { v1: number; v2: number };
    /**
     * ACME account e-mail.
     * @default "cloud-operations@telekom.de"
     */
    email?: string;
    /**
     * ACME directory.
     * @default "https://acme-v02.api.letsencrypt.org/directory"
     */
    acmeServer?: string;
    /**
     * ClusterIssuer name.
     * @default "letsencrypt-wild"
     */
    issuerName?: string;
    /**
     * dns01 webhook solver.
     * @default { groupName: "acme.syseleven.de", solverName: "designatedns" }
     */
    webhook?: { groupName: string; solverName: string };
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
     * @param args Cluster, host, certificate and routing settings.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: TlsFrontendArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:TlsFrontend", name, {}, opts);
        const cluster = requireCluster("TlsFrontend", this, args.cluster);
        const host = args.host ?? "helloistio.mcsps.telekomcloud.com";
        const credentialName = args.credentialName ?? "helloistio-mcsps-telekomcloud-com";
        const issuerName = args.issuerName ?? "letsencrypt-wild";
        const weights = args.weights ?? { v1: 90, v2: 10 };
        if (weights.v1 + weights.v2 !== 100) {
            throw new pulumi.ResourceError(`TlsFrontend: args.weights v1 ${weights.v1} + v2 ${weights.v2} must add up to 100`, this);
        }
        const deps = args.dependsOn ?? [];
        this.issuer = new k8s.apiextensions.CustomResource(
            `${name}-issuer`,
            {
                apiVersion: "cert-manager.io/v1",
                kind: "ClusterIssuer",
                metadata: { name: issuerName },
                spec: acmeIssuerSpec({
                    email: args.email ?? "cloud-operations@telekom.de",
                    server: args.acmeServer ?? "https://acme-v02.api.letsencrypt.org/directory",
                    name: issuerName,
                    webhook: args.webhook ?? { groupName: "acme.syseleven.de", solverName: "designatedns" },
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
                metadata: { name: host.split(".")[0], namespace: ISTIO_NAMESPACE },
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
        this.gateway = istioResource(
            `${name}-gateway`,
            this,
            cluster,
            "Gateway",
            { name: "helloworld-ssl-gateway", namespace: ISTIO_NAMESPACE, annotations },
            ingressGatewaySpec({
                port: { number: 443, name: "https", protocol: "HTTPS" },
                tls: { mode: "SIMPLE", credentialName },
                hosts: [host],
            }),
            [...deps, this.certificate],
        );
        this.virtualService = istioResource(
            `${name}-vs`,
            this,
            cluster,
            "VirtualService",
            { name: "helloworld-ssl", namespace: ISTIO_NAMESPACE },
            weightedHelloSpec("helloworld-ssl-gateway", resolveServiceHost("helloworld", SAMPLE_NAMESPACE), 5000, weights),
            [...deps, this.gateway],
        );
        this.registerOutputs({});
    }
}
