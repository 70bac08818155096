/**
 * The Istio charts, rendered with exactly the values the program passes to helm.v4.Chart, and checked by a real
 * API server. The Pulumi kubernetes provider cannot be built here (docs/toolchain.md "Traps"), so `pulumi up`
 * never renders the charts; this suite does it with `helm template` (helm from scripts/toolchain.sh).
 *
 * The `local` stack's model is built the way program/ builds it (Pulumi.local.yaml → parseMeshConfig →
 * meshArgsFromModel), then cluster3's values come from the model's own functions with the arguments
 * MeshCluster/EastWestGateway give them. Every rendered document must parse with duplicate keys rejected
 * (server-side apply rejects them), and c3's API server must accept every object (`--dry-run=server`; only the
 * base chart's CRDs and the istio-system namespace are created for real, and removed again).
 */
import { strict as assert } from "assert";
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { kubeconfigServer } from "../../components/clusterAccess";
import { toChartSourceModel } from "../../components/chartSource";
import { crossNetworkGatewaySpec } from "../../components/eastWestGateway";
import { resolveIstioChart } from "../../components/istioCharts";
import { meshArgsFromModel } from "../../components/mesh";
import { istiodChartValues } from "../../components/meshCluster";
import {
    baseValues,
    eastWestGatewayValues,
    EASTWEST_GATEWAY_NAME,
    ISTIO_NAMESPACE,
    Labels,
    parseIstioVersion,
    parseMeshConfig,
} from "../../components/model";
import { clients, Clients, clusterSnapshot, KUBECONFIG, localStackFileText, localUp, requireToolchain } from "./harness";

const CLUSTER = "cluster3";
const CONTEXT = "c3-admin";
const FIELD_MANAGER = "istio-mc-charts-e2e";

type Obj = {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string> };
    [k: string]: any;
};
type Rendered = { release: string; text: string; objects: Obj[] };

/** The `local` stack's IstioMesh args, read the way program/stackConfig.ts and program/main.ts read them. */
function localMeshArgs() {
    const config = YAML.parse(localStackFileText()).config as Record<string, unknown>;
    const ns = "istio-multicluster:";
    const raw = Object.fromEntries(
        Object.entries(config)
            .filter(([k]) => k.startsWith(ns))
            .map(([k, v]) => [k.slice(ns.length), v]),
    );
    const model = parseMeshConfig(raw, { kubeconfigServer: (c) => kubeconfigServer({ kubeconfig: c.kubeconfig, context: c.context }) });
    const args = meshArgsFromModel(model);
    return args;
}

/** Containers (init containers included) of a workload or pod template. */
function containersOf(o: Obj): any[] {
    const spec = o.kind === "Pod" ? o.spec : o.spec?.template?.spec;
    return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}

function duplicates<T>(xs: T[]): T[] {
    return [...new Set(xs.filter((x, i) => xs.indexOf(x) !== i))];
}

describe("e2e: Istio charts rendered with the program's values, checked by c3's API server", function () {
    this.timeout(10 * 60 * 1000);
    let env: NodeJS.ProcessEnv;
    let tmp: string;
    let c3: Clients;
    let before0: Record<string, unknown> | undefined;
    let kubeVersion: string;
    const rendered: Record<"base" | "istiod" | "gateway", Rendered> = {} as any;
    const appliedCrds: string[] = [];
    let createdNamespace = false;

    const kubectl = (args: string[], input?: string): SpawnSyncReturns<string> =>
        spawnSync("kubectl", ["--kubeconfig", KUBECONFIG, "--context", CONTEXT, ...args], { env, input, encoding: "utf8" });

    const args = localMeshArgs();
    const cluster = args.clusters.find((c) => c.name === CLUSTER)!;

    before(async function () {
        env = requireToolchain();
        localUp(env);
        c3 = await clients({ context: CONTEXT });
        const snap = await clusterSnapshot(c3);
        // Only ever dry-run onto an empty c3: never onto (or, in `after`, deleting from) someone else's mesh.
        const istioCrds = (snap.crds as string[]).filter((n) => n.endsWith(".istio.io"));
        if ((snap.namespaces as string[]).includes(ISTIO_NAMESPACE) || istioCrds.length) {
            throw new Error(
                `c3 already has ${ISTIO_NAMESPACE} or Istio CRDs (${istioCrds.length}): this suite needs c3 without a mesh ` +
                    "(another run may be using it; otherwise remove the leftovers or run scripts/local/down.sh)",
            );
        }
        before0 = snap;
        const v = kubectl(["version", "-o", "json"]);
        assert.equal(v.status, 0, v.stderr);
        kubeVersion = JSON.parse(v.stdout).serverVersion.gitVersion;
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mc-charts-"));
    });

    after(async () => {
        if (!c3 || !before0) return;
        // Delete only what this suite created and nobody else has written to since (concurrent runs).
        const ours = (kind: string, name: string) => {
            const r = kubectl(["get", kind, name, "--ignore-not-found", "--show-managed-fields", "-o", "json"]);
            if (r.status !== 0 || !r.stdout.trim()) return false;
            const managers = (JSON.parse(r.stdout).metadata.managedFields ?? [])
                .filter((f: any) => !f.subresource)
                .map((f: any) => f.manager);
            const others = managers.filter((m: string) => m !== FIELD_MANAGER);
            if (others.length) console.log(`      left ${kind}/${name} in place: also written by ${others.join(", ")}`);
            return !others.length;
        };
        // The namespace goes first: deleted after the CRDs, it waits (minutes) on stale API discovery.
        if (createdNamespace && ours("namespace", ISTIO_NAMESPACE)) {
            const r = kubectl(["delete", "namespace", ISTIO_NAMESPACE, "--ignore-not-found", "--wait=true"]);
            assert.equal(r.status, 0, r.stderr);
        }
        const crds = appliedCrds.filter((n) => ours("crd", n));
        if (crds.length) {
            const r = kubectl(["delete", "crd", ...crds, "--ignore-not-found", "--wait=true"]);
            assert.equal(r.status, 0, r.stderr);
        }
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
        assert.deepEqual(await clusterSnapshot(c3), before0, "c3 is as before");
    });

    /** `helm template` of one chart, with the release name, namespace and values the components use. */
    function template(name: "base" | "istiod" | "gateway", release: string, values: Record<string, unknown>): Rendered {
        const chartSource = toChartSourceModel(args.istio.chart, "istio.chart");
        assert.equal(chartSource.kind, "path", "the local stack reads the charts from a directory");
        const chartDir = resolveIstioChart(chartSource, name, args.istio.version).chart;
        const valuesFile = path.join(tmp, `${name}.values.json`);
        fs.writeFileSync(valuesFile, JSON.stringify(values, null, 2));
        // helm.v4.Chart renders CRDs too and uses the cluster's version as .Capabilities.KubeVersion.
        const r = spawnSync(
            "helm",
            ["template", release, chartDir, "-n", ISTIO_NAMESPACE, "-f", valuesFile, "--include-crds", "--kube-version", kubeVersion],
            { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
        );
        assert.equal(r.status, 0, `helm template ${release} ${chartDir}: ${r.stderr}`);
        fs.writeFileSync(path.join(tmp, `${name}.yaml`), r.stdout);
        // Duplicate keys are errors here: YAML 1.2 forbids them, and server-side apply rejects them.
        const docs = YAML.parseAllDocuments(r.stdout, { uniqueKeys: true });
        const errors = docs.flatMap((d, i) => d.errors.map((e) => `${release} document ${i}: ${e.message}`));
        assert.deepEqual(errors, [], errors.join("\n"));
        const objects = docs.map((d) => d.toJSON() as Obj).filter((o) => o && typeof o === "object");
        assert.ok(objects.length > 0, `${release} rendered nothing`);
        for (const o of objects)
            assert.ok(o.apiVersion && o.kind && o.metadata?.name, `${release}: incomplete object ${JSON.stringify(o).slice(0, 200)}`);
        return { release, text: r.stdout, objects };
    }

    const find = (r: Rendered, kind: string, name?: string) => {
        const o = r.objects.find((x) => x.kind === kind && (name === undefined || x.metadata.name === name));
        assert.ok(
            o,
            `${r.release}: no ${kind}${name ? ` ${name}` : ""} in ${r.objects.map((x) => `${x.kind}/${x.metadata.name}`).join(", ")}`,
        );
        return o;
    };
    const envOf = (c: any) => Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value]));

    it("renders base, istiod and the east-west gateway with the program's values (no duplicate keys)", () => {
        const semver = parseIstioVersion(args.istio.version)!;
        assert.ok(semver, args.istio.version);
        // MeshCluster: base + istiod
        rendered.base = template("base", "istio-base", baseValues(args.istio.baseValues));
        rendered.istiod = template(
            "istiod",
            "istiod",
            istiodChartValues({ meshID: args.meshID, clusterName: cluster.name, network: cluster.network, istio: args.istio }),
        );
        // EastWestGateway
        rendered.gateway = template(
            "gateway",
            EASTWEST_GATEWAY_NAME,
            eastWestGatewayValues({
                network: cluster.network,
                serviceType: cluster.eastWestGateway?.serviceType ?? "LoadBalancer",
                serviceAnnotations: cluster.eastWestGateway?.serviceAnnotations ?? {},
                overrides: args.istio.gatewayValues,
            }),
        );
    });

    it("no container has duplicate env names or ports; no Service has duplicate ports", function () {
        assert.ok(rendered.gateway, "the gateway chart rendered (an earlier step failed otherwise)");
        const problems: string[] = [];
        for (const r of Object.values(rendered)) {
            for (const o of r.objects) {
                for (const c of containersOf(o)) {
                    const at = `${r.release}: ${o.kind}/${o.metadata.name} container ${c.name}`;
                    const envDup = duplicates((c.env ?? []).map((e: any) => e.name));
                    if (envDup.length) problems.push(`${at}: duplicate env ${envDup.join(", ")}`);
                    const ports = c.ports ?? [];
                    const portDup = duplicates(ports.map((p: any) => `${p.containerPort}/${p.protocol ?? "TCP"}`));
                    const nameDup = duplicates(ports.filter((p: any) => p.name).map((p: any) => p.name));
                    if (portDup.length || nameDup.length) problems.push(`${at}: duplicate ports ${[...portDup, ...nameDup].join(", ")}`);
                }
                if (o.kind === "Service") {
                    const ports = o.spec?.ports ?? [];
                    const dup = [
                        ...duplicates(ports.map((p: any) => `${p.port}/${p.protocol ?? "TCP"}`)),
                        ...duplicates(ports.map((p: any) => p.name)),
                    ];
                    if (dup.length) problems.push(`${r.release}: Service/${o.metadata.name}: duplicate ports ${dup.join(", ")}`);
                }
            }
        }
        assert.deepEqual(problems, []);
    });

    it("istiod: CLUSTER_ID, network and meshID as the model says", function () {
        assert.ok(rendered.istiod, "the istiod chart rendered (an earlier step failed otherwise)");
        const deploy = find(rendered.istiod, "Deployment", "istiod");
        const discovery = deploy.spec.template.spec.containers.find((c: any) => c.name === "discovery");
        assert.ok(discovery, "istiod has a discovery container");
        const e = envOf(discovery);
        assert.equal(e.CLUSTER_ID, CLUSTER);
        assert.equal(e.PILOT_ENABLE_IP_AUTOALLOCATE, "true", "dnsAutoAllocate: true on 1.30 uses istiod's controller");
        const injector = find(rendered.istiod, "ConfigMap", "istio-sidecar-injector");
        const values = JSON.parse(injector.data.values);
        assert.equal(values.global.network, cluster.network);
        assert.equal(values.global.network, "network3");
        assert.equal(values.global.meshID, "mesh1");
        assert.equal(values.global.multiCluster.clusterName, CLUSTER);
        const mesh = YAML.parse(find(rendered.istiod, "ConfigMap", "istio").data.mesh);
        assert.equal(mesh.defaultConfig.meshId, "mesh1");
        assert.equal(mesh.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE, "true");
    });

    it("east-west gateway: ports 15021/15443/15012/15017, network label, selector, requested network view once", function () {
        assert.ok(rendered.gateway, "the gateway chart rendered (an earlier step failed otherwise)");
        const svc = find(rendered.gateway, "Service", EASTWEST_GATEWAY_NAME);
        const ports = (svc.spec.ports as any[]).map((p) => p.port);
        for (const p of [15021, 15443, 15012, 15017]) assert.ok(ports.includes(p), `Service port ${p} in ${ports.join(", ")}`);
        assert.equal(svc.metadata.labels?.[Labels.network], "network3");
        assert.equal(svc.spec.selector?.istio, "eastwestgateway");
        assert.equal(svc.spec.type, cluster.eastWestGateway?.serviceType ?? "LoadBalancer");
        const deploy = find(rendered.gateway, "Deployment", EASTWEST_GATEWAY_NAME);
        const view = containersOf(deploy).flatMap((c) => (c.env ?? []).filter((e: any) => e.name === "ISTIO_META_REQUESTED_NETWORK_VIEW"));
        assert.deepEqual(view, [{ name: "ISTIO_META_REQUESTED_NETWORK_VIEW", value: "network3" }]);
        // The cross-network Gateway selects these pods.
        const podLabels = deploy.spec.template.metadata.labels;
        for (const [k, v] of Object.entries(crossNetworkGatewaySpec().selector)) assert.equal(podLabels[k], v, `pod label ${k}`);
        assert.equal(podLabels[Labels.network], "network3", "pods carry the network label (1.26+)");
    });

    it("c3's API server accepts every rendered object and the cross-network Gateway (--dry-run=server)", function () {
        assert.ok(rendered.gateway, "the gateway chart rendered (an earlier step failed otherwise)");
        // The base chart's CRDs for real (so that Istio custom resources can be dry-run), then istio-system as
        // MeshCluster creates it.
        const crds = rendered.base.objects.filter((o) => o.kind === "CustomResourceDefinition");
        assert.ok(crds.length > 0, "the base chart renders the CRDs");
        const existing = new Set((before0!.crds as string[]) ?? []);
        appliedCrds.push(...crds.map((o) => o.metadata.name).filter((n) => !existing.has(n)));
        let r = kubectl(
            ["apply", "--server-side", `--field-manager=${FIELD_MANAGER}`, "-f", "-"],
            crds.map((o) => YAML.stringify(o)).join("---\n"),
        );
        assert.equal(r.status, 0, r.stderr);
        r = kubectl(["wait", "--for=condition=Established", "--timeout=60s", ...crds.map((o) => `crd/${o.metadata.name}`)]);
        assert.equal(r.status, 0, r.stderr);

        if (!(before0!.namespaces as string[]).includes(ISTIO_NAMESPACE)) {
            createdNamespace = true;
            const ns = {
                apiVersion: "v1",
                kind: "Namespace",
                metadata: {
                    name: ISTIO_NAMESPACE,
                    labels: { ...(cluster.namespaceMetadata?.labels ?? {}), [Labels.network]: cluster.network },
                    ...(cluster.namespaceMetadata?.annotations ? { annotations: cluster.namespaceMetadata.annotations } : {}),
                },
            };
            r = kubectl(["apply", "--server-side", `--field-manager=${FIELD_MANAGER}`, "-f", "-"], JSON.stringify(ns));
            assert.equal(r.status, 0, r.stderr);
        }

        const gateway = {
            apiVersion: "networking.istio.io/v1",
            kind: "Gateway",
            metadata: { name: "cross-network-gateway", namespace: ISTIO_NAMESPACE },
            spec: crossNetworkGatewaySpec(),
        };
        const batches: [string, Obj[]][] = [
            ...Object.values(rendered).map((x) => [x.release, x.objects] as [string, Obj[]]),
            ["cross-network-gateway", [gateway]],
        ];
        const refused: string[] = [];
        for (const [what, objs] of batches) {
            // Namespaced objects without a namespace land in the release namespace, as helm.v4.Chart puts them.
            r = kubectl(
                [
                    "apply",
                    "--server-side",
                    "--dry-run=server",
                    `--field-manager=${FIELD_MANAGER}`,
                    "-n",
                    ISTIO_NAMESPACE,
                    "-o",
                    "name",
                    "-f",
                    "-",
                ],
                objs.map((o) => YAML.stringify(o)).join("---\n"),
            );
            if (r.status !== 0) refused.push(`${what}: ${r.stderr.trim()}`);
            else {
                const accepted = r.stdout.trim().split("\n").filter(Boolean);
                if (accepted.length !== objs.length) refused.push(`${what}: ${accepted.length} of ${objs.length} accepted:\n${r.stdout}`);
                else console.log(`      ${what}: ${accepted.length} objects accepted`);
            }
        }
        assert.deepEqual(refused, [], refused.join("\n"));
    });
});
