/**
 * Samples — locality test workloads: in every cluster the helloworld2 Service, one helloworld2 Deployment per
 * zone (version `c<k>z<n>`, pinned to its zone by a nodeSelector) and one sleep (curl) client per zone
 * (`sleepz<n>`, a Deployment: `kubectl exec deploy/sleepz2 -c sleep -- ...`), so an answer tells which zone served it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MeshCluster } from "../meshCluster";
import { SAMPLE_NAMESPACE, SampleZone } from "../model";
import { deploymentSpec, helloworldContainer, helloworldServiceSpec, onCluster, zoneSelector } from "./resources";
import { refusal } from "../refusal";

/** Label on the sleep clients naming their zone (`z2`), used by `npm run mesh:check`. */
export const SLEEP_ZONE_LABEL = "sample.istio-multicluster/zone";

/** One cluster of {@link SamplesArgs}. */
export interface SamplesClusterArgs {
    /** The cluster. */
    cluster: MeshCluster;
    /** Its zones (see `sampleZones()` in the model): one helloworld2 and one sleep client each. */
    zones: SampleZone[];
    /** The `sample` namespace resource in that cluster, waited for. */
    namespace?: pulumi.Resource;
}

/** Arguments of {@link Samples}. */
export interface SamplesArgs {
    /** Clusters and their zones. */
    clusters: SamplesClusterArgs[];
    /** helloworld image, version from SERVICE_VERSION (the model's `samples.helloworldImage`). */
    helloworldImage: string;
    /** sleep client image, needs `curl` and `/bin/sleep` (the model's `samples.sleepImage`). */
    sleepImage: string;
}

/** helloworld2 and the sleep clients across the mesh. */
export class Samples extends pulumi.ComponentResource {
    /** Deployments by `<cluster>/<name>`. */
    public readonly deployments: Record<string, k8s.apps.v1.Deployment> = {};

    /**
     * @param name The _unique_ name of this component.
     * @param args Clusters, zones and images.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: SamplesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:Samples", name, {}, opts);
        const { helloworldImage: hwImage, sleepImage } = args;
        (args.clusters ?? []).forEach((c, i) => {
            if (!MeshCluster.isInstance(c.cluster)) throw refusal(`Samples: args.clusters[${i}].cluster must be a MeshCluster`, this);
            if (!c.zones?.length) throw refusal(`Samples: args.clusters[${i}].zones is empty`, this);
        });
        for (const c of args.clusters ?? []) {
            const cn = c.cluster.clusterName;
            // Pods are pinned to zones: the node labels must be in place before the Deployments roll out.
            const deps = [c.cluster.istiod, ...c.cluster.nodePatches, ...(c.namespace ? [c.namespace] : [])];
            const opts = onCluster(this, c.cluster, deps);
            const meta = (n: string, labels: Record<string, string>) => ({ name: n, namespace: SAMPLE_NAMESPACE, labels });
            new k8s.core.v1.Service(
                `${name}-${cn}-helloworld2`,
                {
                    metadata: meta("helloworld2", { app: "helloworld2", service: "helloworld2" }),
                    spec: helloworldServiceSpec("helloworld2"),
                },
                opts,
            );
            new k8s.core.v1.ServiceAccount(`${name}-${cn}-sleep-sa`, { metadata: meta("sleep", { app: "sleep" }) }, opts);
            for (const z of c.zones) {
                const hw = `helloworld2-${z.version}`;
                const hwLabels = { app: "helloworld2", version: z.version };
                this.deployments[`${cn}/${hw}`] = new k8s.apps.v1.Deployment(
                    `${name}-${cn}-${hw}`,
                    {
                        metadata: meta(hw, hwLabels),
                        spec: deploymentSpec({
                            labels: hwLabels,
                            nodeSelector: zoneSelector(z.region, z.zone),
                            container: helloworldContainer("helloworld", hwImage, z.version),
                        }),
                    },
                    opts,
                );
                const sleep = `sleep${z.short}`;
                const sleepLabels = { app: "sleep", [SLEEP_ZONE_LABEL]: z.short };
                this.deployments[`${cn}/${sleep}`] = new k8s.apps.v1.Deployment(
                    `${name}-${cn}-${sleep}`,
                    {
                        metadata: meta(sleep, sleepLabels),
                        spec: deploymentSpec({
                            labels: sleepLabels,
                            serviceAccountName: "sleep",
                            nodeSelector: zoneSelector(z.region, z.zone),
                            container: {
                                name: "sleep",
                                image: sleepImage,
                                imagePullPolicy: "IfNotPresent",
                                command: ["/bin/sleep", "infinity"],
                            },
                        }),
                    },
                    opts,
                );
            }
        }
        this.registerOutputs({});
    }
}
