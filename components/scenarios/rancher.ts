/**
 * Rancher — what a Rancher-managed cluster needs before Istio: the LimitRange `istio-limitrange` in each
 * cluster's istio-system and, when the Rancher management cluster is configured, the Rancher Project `istio`
 * (management.cattle.io/v3) of each downstream cluster, created in the namespace named after the Rancher cluster
 * id. The istio-system annotations/labels themselves come from `clusters[].namespaceMetadata`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { expandHome } from "../clusterAccess";
import { MeshCluster } from "../meshCluster";
import { ISTIO_NAMESPACE } from "../model";
import { onCluster, requireCluster } from "./resources";
import { refusal } from "../refusal";

/** Seed 003's quota: 12 CPUs and 12000Mi per project and per namespace. */
export const RANCHER_QUOTA = { limit: { limitsCpu: "12000m", limitsMemory: "12000Mi" } };

/** Seed 003's Project spec for Rancher cluster `clusterId`. */
export function rancherProjectSpec(clusterId: string, displayName = "istio"): Record<string, unknown> {
    return {
        clusterName: clusterId,
        containerDefaultResourceLimit: { limitsCpu: "200m", limitsMemory: "128Mi", requestsCpu: "100m", requestsMemory: "64Mi" },
        description: "Istio Manage Project",
        displayName,
        enableProjectMonitoring: false,
        namespaceDefaultResourceQuota: RANCHER_QUOTA,
        resourceQuota: RANCHER_QUOTA,
    };
}

/** Seed 003's LimitRange spec (container defaults 100m/100Mi, requests 10m/10Mi). */
export function istioLimitRangeSpec(): k8s.types.input.core.v1.LimitRangeSpec {
    return {
        limits: [{ default: { cpu: "100m", memory: "100Mi" }, defaultRequest: { cpu: "10m", memory: "10Mi" }, type: "Container" }],
    };
}

/** Arguments of {@link Rancher}. */
export interface RancherArgs {
    /** The downstream clusters with their Rancher cluster ids (e.g. `c-f7r9g`). */
    clusters: { cluster: MeshCluster; clusterId: string }[];
    /** Rancher management (local) cluster; the Projects are only created when it is set. @default none */
    management?: { context: string; kubeconfig?: string };
    /**
     * Project name.
     * @default "istio"
     */
    projectName?: string;
    /**
     * Create the LimitRange `istio-limitrange` in istio-system.
     * @default true
     */
    limitRange?: boolean;
}

/** Rancher project and quota objects for the mesh's clusters. */
export class Rancher extends pulumi.ComponentResource {
    /** Projects by mesh cluster name (empty without `management`). */
    public readonly projects: Record<string, k8s.apiextensions.CustomResource> = {};
    /** LimitRanges by mesh cluster name. */
    public readonly limitRanges: Record<string, k8s.core.v1.LimitRange> = {};

    /**
     * @param name The _unique_ name of this component.
     * @param args Clusters, their Rancher ids and the management cluster.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: RancherArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:Rancher", name, {}, opts);
        (args.clusters ?? []).forEach((c, i) => {
            requireCluster("Rancher", this, c.cluster, `clusters[${i}].cluster`);
            if (!/^[a-z0-9-]+$/.test(c.clusterId ?? "")) {
                throw refusal(`Rancher: args.clusters[${i}].clusterId ${JSON.stringify(c.clusterId)} is not a Rancher cluster id`, this);
            }
        });
        const projectName = args.projectName ?? "istio";
        const management = args.management
            ? new k8s.Provider(
                  `${name}-management`,
                  { context: args.management.context, kubeconfig: args.management.kubeconfig && expandHome(args.management.kubeconfig) },
                  { parent: this },
              )
            : undefined;
        for (const { cluster, clusterId } of args.clusters ?? []) {
            const cn = cluster.clusterName;
            if (args.limitRange ?? true) {
                this.limitRanges[cn] = new k8s.core.v1.LimitRange(
                    `${name}-${cn}-limitrange`,
                    {
                        metadata: {
                            name: "istio-limitrange",
                            namespace: ISTIO_NAMESPACE,
                            labels: { "resourcequota.management.cattle.io/default-resource-quota": "true" },
                        },
                        spec: istioLimitRangeSpec(),
                    },
                    onCluster(this, cluster, [cluster.namespace]),
                );
            }
            if (management) {
                this.projects[cn] = new k8s.apiextensions.CustomResource(
                    `${name}-${cn}-project`,
                    {
                        apiVersion: "management.cattle.io/v3",
                        kind: "Project",
                        metadata: { name: projectName, namespace: clusterId },
                        spec: rancherProjectSpec(clusterId, projectName),
                    },
                    { parent: this, provider: management },
                );
            }
        }
        this.registerOutputs({});
    }
}
