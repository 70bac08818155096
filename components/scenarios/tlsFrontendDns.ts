/**
 * TlsFrontendDns — one DNS name answered by every tls-frontend cluster: an external-dns `DNSEndpoint` (CRD source)
 * on one cluster, whose A record lists every participating cluster's ingress address, taken from the ingress
 * gateways' outputs. The seed sets the record by hand, because external-dns in each cluster would own the same name
 * and overwrite the other's (kubernetes-sigs/external-dns#1441); one program that knows every address can write it
 * once. Needs external-dns with `--source=crd` (and its DNSEndpoint CRD) on that cluster.
 * @see https://kubernetes-sigs.github.io/external-dns/latest/docs/sources/crd/
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MeshCluster } from "../meshCluster";
import { TlsFrontendModel } from "../model";
import { onCluster, requireCluster } from "./resources";

/** Arguments of {@link TlsFrontendDns}. */
export interface TlsFrontendDnsArgs {
    /** The cluster whose external-dns publishes the record (`frontend.dns.cluster`). */
    cluster: MeshCluster;
    /** The resolved frontend: host, record name and TTL. */
    frontend: TlsFrontendModel;
    /** Every participating cluster's ingress address (e.g. `IngressGateway.address`); unknown ones are left out. */
    addresses: pulumi.Input<string | undefined>[];
    /** Resources to wait for. @default [] */
    dependsOn?: pulumi.Resource[];
}

/** The record's targets: the known addresses, each once, sorted (so the order of clusters causes no diff). */
export function recordTargets(addresses: (string | undefined)[]): string[] {
    return [...new Set(addresses.filter((a): a is string => !!a))].sort();
}

/** The DNSEndpoint's spec: one A record for the host with `targets`. */
export function dnsEndpointSpec(host: string, targets: string[], ttl: number) {
    return { endpoints: [{ dnsName: host, recordType: "A", recordTTL: ttl, targets }] };
}

/** The host's A record with every cluster's ingress address, as one DNSEndpoint. */
export class TlsFrontendDns extends pulumi.ComponentResource {
    /** The DNSEndpoint. */
    public readonly endpoint: k8s.apiextensions.CustomResource;
    /** The addresses the record lists. */
    public readonly targets: pulumi.Output<string[]>;

    /**
     * @param name The _unique_ name of this component.
     * @param args The cluster, the frontend and the addresses.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: TlsFrontendDnsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:TlsFrontendDns", name, {}, opts);
        const cluster = requireCluster("TlsFrontendDns", this, args.cluster);
        const f = args.frontend;
        this.targets = pulumi.all(args.addresses).apply(recordTargets);
        this.endpoint = new k8s.apiextensions.CustomResource(
            `${name}-endpoint`,
            {
                apiVersion: "externaldns.k8s.io/v1alpha1",
                kind: "DNSEndpoint",
                metadata: { name: f.dns.name, namespace: f.dns.namespace },
                spec: this.targets.apply((t) => dnsEndpointSpec(f.host, t, f.dns.ttl)),
            },
            onCluster(this, cluster, [cluster.namespace, ...(args.dependsOn ?? [])]),
        );
        this.registerOutputs({ targets: this.targets });
    }
}
