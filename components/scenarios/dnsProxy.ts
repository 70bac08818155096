/**
 * DnsProxy — ServiceEntries for hosts outside the mesh, which the sidecar DNS proxy answers with auto-allocated
 * addresses: external TLS 443 hosts resolved by DNS (ServiceEntry `istio-io`, scenario `dnsp1`) and TCP hosts on
 * one port, one ServiceEntry each (scenario `dnsp2`).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MeshCluster } from "../meshCluster";
import { SAMPLE_NAMESPACE, ServiceEntryModel } from "../model";
import { refusal } from "../refusal";

import { istioResource, requireCluster } from "./resources";

/** Arguments of {@link DnsProxy}. */
export interface DnsProxyArgs {
    /** Cluster to create the ServiceEntries in (seed: cluster1). */
    cluster: MeshCluster;
    /** The ServiceEntries (see `externalTlsEntry`, `tcpEntries` in the model). */
    entries: ServiceEntryModel[];
    /**
     * Namespace.
     * @default "sample"
     */
    namespace?: string;
    /** Resources to wait for (the `sample` namespace). @default [] */
    dependsOn?: pulumi.Resource[];
}

/** ServiceEntries that exercise the sidecar DNS proxy (DNSP1 / DNSP2). */
export class DnsProxy extends pulumi.ComponentResource {
    /** ServiceEntries by name. */
    public readonly serviceEntries: Record<string, k8s.apiextensions.CustomResource> = {};

    /**
     * @param name The _unique_ name of this component.
     * @param args Cluster and entries.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: DnsProxyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:DnsProxy", name, {}, opts);
        const cluster = requireCluster("DnsProxy", this, args.cluster);
        if (!args.entries?.length) throw refusal("DnsProxy: args.entries must list at least one ServiceEntry", this);
        const at = { parent: this, cluster, deps: args.dependsOn };
        const namespace = args.namespace ?? SAMPLE_NAMESPACE;
        for (const e of args.entries) {
            this.serviceEntries[e.name] = istioResource(`${name}-${e.name}`, at, "ServiceEntry", { name: e.name, namespace }, e.spec);
        }
        this.registerOutputs({});
    }
}
