/**
 * Scenarios — wires the scenarios a stack selects (see `components/model/scenarios/scenarios.ts`) onto the mesh's clusters:
 * the shared `sample` namespaces and ingress gateways first, then one component per scenario (per cluster where
 * a scenario applies to several). Deselecting an id removes its components, and so its resources, on the next up.
 */
import * as pulumi from "@pulumi/pulumi";
import { MeshCluster } from "../meshCluster";
import { formatIssue, ScenariosModel } from "../model";
import { DnsProxy } from "./dnsProxy";
import { Helloworld } from "./helloworld";
import { IngressGateway } from "./ingressGateway";
import { LocalityPolicy } from "./localityPolicy";
import { NetworkPolicies } from "./networkPolicies";
import { Rancher } from "./rancher";
import { SampleNamespace } from "./sampleNamespace";
import { Samples } from "./samples";
import { TlsFrontend } from "./tlsFrontend";
import { TlsFrontendDns } from "./tlsFrontendDns";
import { TrafficShifting } from "./trafficShifting";
import { refusal } from "../refusal";

export * from "./resources";
export * from "./sampleNamespace";
export * from "./samples";
export * from "./localityPolicy";
export * from "./dnsProxy";
export * from "./helloworld";
export * from "./ingressGateway";
export * from "./trafficShifting";
export * from "./tlsFrontend";
export * from "./tlsFrontendDns";
export * from "./networkPolicies";
export * from "./rancher";

/** Arguments of {@link Scenarios}. */
export interface ScenariosArgs {
    /** The mesh's clusters by name (`IstioMesh.clusters`). */
    clusters: Record<string, MeshCluster>;
    /** The resolved selection (`parseMeshConfig(...).scenarios`, or `resolveScenarios(...)` for your own program). */
    model: ScenariosModel;
    /**
     * Canary mode: the revision or tag the `sample` namespaces select (`istio.io/rev`), as `istio.namespaceRevision`.
     * @default unset: `istio-injection=enabled` (the `default` tag)
     * @see docs/upgrades.md
     */
    namespaceRevision?: string;
    /**
     * tls-frontend's TSIG key secret, with the rfc2136 solver (stack config: the key `rfc2136.tsigSecretConfigKey` names).
     * @default none
     */
    tsigSecret?: pulumi.Input<string>;
}

/** The selected seed scenarios on a mesh. */
export class Scenarios extends pulumi.ComponentResource {
    /** `sample` namespaces by cluster. */
    public readonly sampleNamespaces: Record<string, SampleNamespace> = {};
    /** Ingress gateways by cluster (shifting, tls-frontend). */
    public readonly ingressGateways: Record<string, IngressGateway> = {};
    /** Scenario components by `<id>` or `<id>/<cluster>`. */
    public readonly components: Record<string, pulumi.ComponentResource> = {};

    /**
     * @param name The _unique_ name of this component.
     * @param args The mesh's clusters and the resolved selection.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: ScenariosArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:Scenarios", name, {}, opts);
        const m = args.model;
        const cluster = (c: string): MeshCluster => {
            const mc = args.clusters?.[c];
            if (!mc) throw refusal(`Scenarios: the model refers to cluster ${JSON.stringify(c)}, which is not in args.clusters`, this);
            return mc;
        };
        const child = { parent: this };
        for (const w of m.warnings) void pulumi.log.warn(formatIssue(w), this);

        for (const c of m.sampleNamespaceClusters)
            this.sampleNamespaces[c] = new SampleNamespace(
                `${name}-${c}-sample`,
                { cluster: cluster(c), revision: args.namespaceRevision },
                child,
            );
        for (const c of m.ingressGatewayClusters)
            this.ingressGateways[c] = new IngressGateway(`${name}-${c}-ingress`, { cluster: cluster(c) }, child);
        const ns = (c: string) => (this.sampleNamespaces[c] ? [this.sampleNamespaces[c]] : []);

        if (m.samples) {
            this.components.samples = new Samples(
                `${name}-samples`,
                {
                    clusters: m.samples.clusters.map((c) => ({
                        cluster: cluster(c.cluster),
                        zones: c.zones,
                        namespace: this.sampleNamespaces[c.cluster],
                    })),
                    helloworldImage: m.samples.helloworldImage,
                    sleepImage: m.samples.sleepImage,
                },
                child,
            );
        }
        for (const id of ["cc2", "cc3", "cc4"] as const) {
            const rule = m[id];
            if (rule)
                this.components[id] = new LocalityPolicy(
                    `${name}-${id}`,
                    { cluster: cluster(rule.cluster), rule, dependsOn: ns(rule.cluster) },
                    child,
                );
        }
        for (const id of ["dnsp1", "dnsp2"] as const) {
            const d = m[id];
            if (d)
                this.components[id] = new DnsProxy(
                    `${name}-${id}`,
                    { cluster: cluster(d.cluster), entries: d.entries, dependsOn: ns(d.cluster) },
                    child,
                );
        }
        for (const [c, versions] of Object.entries(m.helloworld?.versions ?? {})) {
            this.components[`helloworld/${c}`] = new Helloworld(
                `${name}-${c}-helloworld`,
                { cluster: cluster(c), versions, image: m.helloworld!.image, dependsOn: ns(c) },
                child,
            );
        }
        for (const c of m.shifting?.clusters ?? []) {
            this.components[`shifting/${c}`] = new TrafficShifting(
                `${name}-${c}-shifting`,
                { cluster: cluster(c), shifting: m.shifting!, dependsOn: [...ns(c), this.ingressGateways[c]] },
                child,
            );
        }
        for (const c of m.tlsFrontend?.clusters ?? []) {
            const t = m.tlsFrontend!;
            this.components[`tls-frontend/${c}`] = new TlsFrontend(
                `${name}-${c}-tls-frontend`,
                {
                    cluster: cluster(c),
                    frontend: t,
                    ingressAddress: t.ingressAddress ?? this.ingressGateways[c].address,
                    dependsOn: [this.ingressGateways[c]],
                    tsigSecret: args.tsigSecret,
                },
                child,
            );
        }
        if (m.tlsFrontend?.dns.mode === "dnsEndpoint") {
            const t = m.tlsFrontend;
            this.components["tls-frontend/dns"] = new TlsFrontendDns(
                `${name}-tls-frontend-dns`,
                {
                    cluster: cluster(t.dns.cluster),
                    frontend: t,
                    addresses: t.clusters.map((c) => t.ingressAddress ?? this.ingressGateways[c].address),
                    dependsOn: t.clusters.map((c) => this.ingressGateways[c]),
                },
                child,
            );
        }
        for (const c of m.networkpolicy?.clusters ?? []) {
            this.components[`networkpolicy/${c}`] = new NetworkPolicies(
                `${name}-${c}-networkpolicy`,
                { cluster: cluster(c), dependsOn: ns(c), revisionLabelled: !!args.namespaceRevision },
                child,
            );
        }
        if (m.rancher) {
            const r = m.rancher;
            this.components.rancher = new Rancher(
                `${name}-rancher`,
                {
                    clusters: Object.keys(args.clusters)
                        .filter((c) => r.clusterIds[c])
                        .map((c) => ({ cluster: cluster(c), clusterId: r.clusterIds[c] })),
                    management: r.management,
                    projectName: r.projectName,
                    limitRange: r.limitRange,
                },
                child,
            );
        }
        this.registerOutputs({
            ingressAddresses: Object.fromEntries(Object.entries(this.ingressGateways).map(([c, g]) => [c, g.address])),
        });
    }
}
