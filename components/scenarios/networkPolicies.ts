/**
 * NetworkPolicies — the Kubernetes NetworkPolicies Istio needs where namespaces are isolated by default (Rancher
 * project network isolation): np-istio and np-istio-ports in istio-system, np-helloworld in sample.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MeshCluster } from "../meshCluster";
import { ISTIO_NAMESPACE, REVISION_LABEL, SAMPLE_NAMESPACE } from "../model";
import { onCluster, portRules, requireCluster } from "./resources";

/** Arguments of {@link NetworkPolicies}. */
export interface NetworkPoliciesArgs {
    /** The cluster. */
    cluster: MeshCluster;
    /** Resources np-helloworld waits for (the `sample` namespace). @default [] */
    dependsOn?: pulumi.Resource[];
    /**
     * Namespaces select their revision with `istio.io/rev` (canary mode, `istio.namespaceRevision`): np-istio also
     * admits those.
     * @default false
     */
    revisionLabelled?: boolean;
}

const INJECTED = { namespaceSelector: { matchLabels: { "istio-injection": "enabled" } } };

/** Namespaces injected by a named revision or tag. */
const REVISIONED = { namespaceSelector: { matchExpressions: [{ key: REVISION_LABEL, operator: "Exists" }] } };

/** np-istio: all traffic from and to namespaces with sidecar injection (seed 003's; also `istio.io/rev` ones if asked). */
export function npIstioSpec(revisionLabelled = false): k8s.types.input.networking.v1.NetworkPolicySpec {
    const peers = revisionLabelled ? [INJECTED, REVISIONED] : [INJECTED];
    return { egress: [{ to: peers }], ingress: [{ from: peers }], podSelector: {}, policyTypes: ["Egress", "Ingress"] };
}

/** np-istio-ports: Istio's service ports, the Kubernetes API, HTTP and DNS. */
export function npIstioPortsSpec(): k8s.types.input.networking.v1.NetworkPolicySpec {
    const istio: [number, "TCP"][] = [15010, 15012, 15014, 15017, 15443].map((p) => [p, "TCP"]);
    return {
        egress: portRules([...istio, [6443, "TCP"], [80, "TCP"], [53, "TCP"], [53, "UDP"]]),
        ingress: portRules([[80, "TCP"], ...istio]),
        podSelector: {},
        policyTypes: ["Egress", "Ingress"],
    };
}

/** np-helloworld: the app port, istiod's XDS port and DNS for `app: helloworld`. */
export function npHelloworldSpec(): k8s.types.input.networking.v1.NetworkPolicySpec {
    return {
        egress: portRules([
            [5000, "TCP"],
            [15012, "TCP"],
            [53, "UDP"],
        ]),
        ingress: portRules([
            [5000, "TCP"],
            [15012, "TCP"],
        ]),
        podSelector: { matchLabels: { app: "helloworld" } },
        policyTypes: ["Egress", "Ingress"],
    };
}

/** Seed 003's three NetworkPolicies on one cluster. */
export class NetworkPolicies extends pulumi.ComponentResource {
    /** Policies by name. */
    public readonly policies: Record<string, k8s.networking.v1.NetworkPolicy> = {};

    /**
     * @param name The _unique_ name of this component.
     * @param args The cluster.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: NetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:NetworkPolicies", name, {}, opts);
        const cluster = requireCluster("NetworkPolicies", this, args.cluster);
        const make = (n: string, namespace: string, spec: k8s.types.input.networking.v1.NetworkPolicySpec, deps: pulumi.Resource[]) =>
            (this.policies[n] = new k8s.networking.v1.NetworkPolicy(
                `${name}-${n}`,
                { metadata: { name: n, namespace }, spec },
                onCluster(this, cluster, deps),
            ));
        make("np-istio", ISTIO_NAMESPACE, npIstioSpec(args.revisionLabelled), [cluster.namespace]);
        make("np-istio-ports", ISTIO_NAMESPACE, npIstioPortsSpec(), [cluster.namespace]);
        make("np-helloworld", SAMPLE_NAMESPACE, npHelloworldSpec(), args.dependsOn ?? []);
        this.registerOutputs({});
    }
}
