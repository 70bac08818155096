/**
 * Helloworld — Istio's samples/helloworld: the Service `helloworld` in each cluster and the
 * `helloworld-<version>` Deployments each cluster runs (by default v1 on cluster 1, v2 on cluster 2).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MeshCluster } from "../meshCluster";
import { HELLOWORLD_IMAGE, SAMPLE_NAMESPACE } from "../model";
import { deploymentSpec, helloworldContainer, helloworldServiceSpec, onCluster, requireCluster } from "./resources";

/** Arguments of {@link Helloworld}. */
export interface HelloworldArgs {
    /** The cluster. */
    cluster: MeshCluster;
    /** Versions to run there (each a Deployment `helloworld-<v>`); the Service is created either way. */
    versions: ("v1" | "v2")[];
    /**
     * Image prefix; `-<version>:1.0` is appended.
     * @default "docker.io/istio/examples-helloworld"
     */
    image?: string;
    /** Resources to wait for (the `sample` namespace). @default [] */
    dependsOn?: pulumi.Resource[];
}

/** helloworld Service and versions on one cluster (seed 003). */
export class Helloworld extends pulumi.ComponentResource {
    /** The Service. */
    public readonly service: k8s.core.v1.Service;
    /** Deployments by version. */
    public readonly deployments: Record<string, k8s.apps.v1.Deployment> = {};

    /**
     * @param name The _unique_ name of this component.
     * @param args Cluster and versions.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: HelloworldArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:Helloworld", name, {}, opts);
        const cluster = requireCluster("Helloworld", this, args.cluster);
        const child = onCluster(this, cluster, [cluster.istiod, ...(args.dependsOn ?? [])]);
        this.service = new k8s.core.v1.Service(
            `${name}-service`,
            {
                metadata: { name: "helloworld", namespace: SAMPLE_NAMESPACE, labels: { app: "helloworld", service: "helloworld" } },
                spec: helloworldServiceSpec("helloworld"),
            },
            child,
        );
        for (const v of args.versions ?? []) {
            const labels = { app: "helloworld", version: v };
            this.deployments[v] = new k8s.apps.v1.Deployment(
                `${name}-${v}`,
                {
                    metadata: { name: `helloworld-${v}`, namespace: SAMPLE_NAMESPACE, labels },
                    spec: deploymentSpec({
                        labels,
                        container: helloworldContainer("helloworld", `${args.image ?? HELLOWORLD_IMAGE}-${v}:1.0`),
                    }),
                },
                child,
            );
        }
        this.registerOutputs({});
    }
}
