import { strict as assert } from "assert";
import {
    CACERTS_KEYS,
    deploymentRevision,
    imageVersion,
    installedRevisions,
    IstiodDeployment,
    istiodPlan,
    IstiodObjects,
    meshConfigMapName,
} from "../../scripts/local/istiodPlan";

const where = { context: "c2", address: "127.0.2.1", kubeconfig: "/state/c2/admin.kubeconfig", podName: "istiod-host-c2" };
const b64 = (s: string) => Buffer.from(s).toString("base64");

/** What the istiod chart renders and `pulumi up` writes, in the API's JSON shape (trimmed to what the plan reads). */
function objects(): IstiodObjects {
    return {
        deployment: {
            metadata: { name: "istiod" },
            spec: {
                template: {
                    spec: {
                        serviceAccountName: "istiod",
                        containers: [
                            {
                                name: "discovery",
                                image: "docker.io/istio/pilot:1.30.3",
                                args: [
                                    "discovery",
                                    "--monitoringAddr=:15014",
                                    "--log_output_level=default:info",
                                    "--domain",
                                    "cluster.local",
                                    "--grpcAddr",
                                    ":15010",
                                ],
                                env: [
                                    { name: "REVISION", value: "default" },
                                    { name: "CLUSTER_ID", value: "cluster2" },
                                    { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                                    { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                                    { name: "SERVICE_ACCOUNT", valueFrom: { fieldRef: { fieldPath: "spec.serviceAccountName" } } },
                                    { name: "GOMEMLIMIT", valueFrom: { resourceFieldRef: { resource: "limits.memory" } } },
                                    { name: "PILOT_ENABLE_IP_AUTOALLOCATE", value: "true" },
                                ],
                            },
                        ],
                    },
                },
            },
        },
        meshConfig: { mesh: "defaultConfig:\n  meshId: mesh1\n", meshNetworks: "networks: {}" },
        cacerts: Object.fromEntries(CACERTS_KEYS.map((k) => [k, b64(`-----BEGIN ${k}-----`)])),
    };
}

describe("local istiod: the host process is configured from what pulumi up created", () => {
    it("takes the Deployment's flags and environment, and binds every port on the cluster's loopback address", () => {
        const { plan, problems } = istiodPlan(objects(), where);
        assert.deepEqual(problems, []);
        assert.equal(plan!.clusterId, "cluster2");
        assert.deepEqual(plan!.args.slice(0, 4), ["discovery", "--log_output_level=default:info", "--domain", "cluster.local"]);
        for (const port of [15010, 8080, 15014, 15017, 15012])
            assert.ok(
                plan!.args.some((a) => a.endsWith(`=127.0.2.1:${port}`)),
                `port ${port}`,
            );
        assert.ok(!plan!.args.includes(":15010") && !plan!.args.includes("--monitoringAddr=:15014"), "the in-pod addresses are dropped");
        assert.ok(plan!.args.includes("--kubeconfig=/state/c2/admin.kubeconfig"));
        assert.equal(plan!.env.CLUSTER_ID, "cluster2");
        assert.equal(plan!.env.POD_NAME, "istiod-host-c2");
        assert.equal(plan!.env.POD_NAMESPACE, "istio-system");
        assert.equal(plan!.env.SERVICE_ACCOUNT, "istiod");
        assert.equal(plan!.env.PILOT_ENABLE_IP_AUTOALLOCATE, "true");
        assert.ok(!("GOMEMLIMIT" in plan!.env), "resource limits have no host equivalent and are left to defaults");
        assert.equal(plan!.env.INJECTION_WEBHOOK_CONFIG_NAME, "");
        assert.equal(plan!.files["etc/istio/config/mesh"], "defaultConfig:\n  meshId: mesh1\n");
        assert.equal(
            plan!.files["etc/cacerts/ca-key.pem"],
            "-----BEGIN ca-key.pem-----",
            "cacerts are decoded into istiod's plugged-in CA dir",
        );
    });

    it("refuses, naming every missing object, when the stack is not up", () => {
        const { plan, problems } = istiodPlan({}, where);
        assert.equal(plan, undefined);
        assert.deepEqual(problems, [
            "c2: Deployment istio-system/istiod not found: run `pulumi up` of the local stack first",
            "c2: ConfigMap istio-system/istio not found: run `pulumi up` of the local stack first",
            "c2: Secret istio-system/cacerts not found: run `pulumi up` of the local stack first",
        ]);
    });

    it("refuses incomplete CA material, a mesh config without `mesh`, and a Deployment without CLUSTER_ID", () => {
        const o = objects();
        delete o.cacerts!["ca-key.pem"];
        o.meshConfig = {};
        o.deployment!.spec!.template!.spec!.containers![0].env = o.deployment!.spec!.template!.spec!.containers![0].env!.filter(
            (e) => e.name !== "CLUSTER_ID",
        );
        const { problems } = istiodPlan(o, where);
        assert.deepEqual(problems, [
            'c2: ConfigMap istio-system/istio has no "mesh" key',
            "c2: Secret istio-system/cacerts lacks ca-key.pem",
            "c2: Deployment istio-system/istiod sets no CLUSTER_ID (values.global.multiCluster.clusterName)",
        ]);
    });

    it("refuses an environment value the host cannot reproduce", () => {
        const o = objects();
        o.deployment!.spec!.template!.spec!.containers![0].env!.push({ name: "X", valueFrom: { fieldRef: { fieldPath: "metadata.uid" } } });
        assert.match(istiodPlan(o, where).problems.join(), /istiod env X: valueFrom .*metadata\.uid.* has no host equivalent/);
    });

    it("the revision-less plan is revision `default` and names the version its image runs", () => {
        const { plan } = istiodPlan(objects(), where);
        assert.equal(plan!.revision, "default");
        assert.equal(plan!.version, "1.30.3");
    });
});

/** The chart installed with `revision: <revision>` at `version`: Deployment istiod-<r>, its ServiceAccount, REVISION. */
function revisioned(revision: string, version: string): IstiodObjects {
    const o = objects();
    const d = o.deployment!;
    d.metadata = { name: `istiod-${revision}` };
    d.spec!.template!.spec!.serviceAccountName = `istiod-${revision}`;
    const c = d.spec!.template!.spec!.containers![0];
    c.image = `docker.io/istio/pilot:${version}`;
    c.env = c.env!.map((e) => (e.name === "REVISION" ? { name: "REVISION", value: revision } : e));
    o.meshConfig = { mesh: `defaultConfig:\n  discoveryAddress: istiod-${revision}.istio-system.svc:15012\n` };
    return o;
}

describe("local istiod: one host process per istiod revision", () => {
    const at11 = { ...where, address: "127.0.2.11", podName: "istiod-1-29-1-host-c2", revision: "1-29-1" };

    it("plans a named revision from its own Deployment and ConfigMap, on its own address, with its version", () => {
        const { plan, problems } = istiodPlan(revisioned("1-29-1", "1.29.1"), at11);
        assert.deepEqual(problems, []);
        assert.equal(plan!.revision, "1-29-1");
        assert.equal(plan!.version, "1.29.1");
        assert.equal(plan!.env.REVISION, "1-29-1");
        assert.equal(plan!.env.SERVICE_ACCOUNT, "istiod-1-29-1");
        assert.equal(plan!.env.POD_NAME, "istiod-1-29-1-host-c2");
        assert.equal(plan!.files["etc/istio/config/mesh"], "defaultConfig:\n  discoveryAddress: istiod-1-29-1.istio-system.svc:15012\n");
        assert.equal(plan!.files["etc/istio/config/meshNetworks"], "networks: {}\n", "no meshNetworks key: an empty one");
        for (const port of [15010, 8080, 15014, 15017, 15012])
            assert.ok(
                plan!.args.some((a) => a.endsWith(`=127.0.2.11:${port}`)),
                `port ${port}`,
            );
        assert.ok(!plan!.args.some((a) => a.includes("127.0.2.1:")), "nothing on the cluster's own address");
    });

    it("names the revision's objects in its refusals", () => {
        assert.deepEqual(istiodPlan({}, at11).problems, [
            "c2: Deployment istio-system/istiod-1-29-1 not found: run `pulumi up` of the local stack first",
            "c2: ConfigMap istio-system/istio-1-29-1 not found: run `pulumi up` of the local stack first",
            "c2: Secret istio-system/cacerts not found: run `pulumi up` of the local stack first",
        ]);
        const o = revisioned("1-29-1", "1.29.1");
        o.meshConfig = {};
        assert.deepEqual(istiodPlan(o, at11).problems, ['c2: ConfigMap istio-system/istio-1-29-1 has no "mesh" key']);
    });

    it("refuses a Deployment that serves another revision than the one planned", () => {
        assert.deepEqual(istiodPlan(revisioned("1-30-3", "1.30.3"), at11).problems, [
            'c2: Deployment istio-system/istiod-1-29-1 runs REVISION=1-30-3, not 1-29-1: install the istiod chart with revision "1-29-1"',
        ]);
    });

    it("mesh ConfigMap and revision names follow the chart", () => {
        assert.equal(meshConfigMapName("default"), "istio");
        assert.equal(meshConfigMapName("1-29-1"), "istio-1-29-1");
        assert.equal(deploymentRevision(objects().deployment!), "default");
        assert.equal(deploymentRevision(revisioned("canary", "1.30.3").deployment!), "canary");
        const noEnv: IstiodDeployment = {
            metadata: { name: "istiod" },
            spec: { template: { spec: { containers: [{ name: "discovery" }] } } },
        };
        assert.equal(deploymentRevision(noEnv), "default", "no REVISION env: the revision-less install");
    });

    it("reads the Istio version from the image tag", () => {
        assert.equal(imageVersion("docker.io/istio/pilot:1.29.1"), "1.29.1");
        assert.equal(imageVersion("localhost:5000/istio/pilot:1.30.3-distroless"), "1.30.3");
        assert.equal(imageVersion("gcr.io/istio-release/pilot:1.31.0-beta.1"), "1.31.0-beta.1");
        assert.equal(imageVersion("docker.io/istio/pilot:latest"), undefined);
        assert.equal(imageVersion("localhost:5000/istio/pilot"), undefined, "a registry port is no tag");
        assert.equal(imageVersion("docker.io/istio/pilot@sha256:abcd"), undefined);
        assert.equal(imageVersion(undefined), undefined);
    });

    it("lists the installed revisions, revision-less first, and refuses a Deployment whose name does not match its REVISION", () => {
        const named = (name: string, revision: string | undefined, version = "1.30.3"): IstiodDeployment => ({
            metadata: { name },
            spec: {
                template: {
                    spec: {
                        containers: [
                            {
                                name: "discovery",
                                image: `docker.io/istio/pilot:${version}`,
                                env: revision ? [{ name: "REVISION", value: revision }] : [],
                            },
                        ],
                    },
                },
            },
        });
        const { revisions, problems } = installedRevisions(
            [named("istiod-1-30-3", "1-30-3"), named("istiod", "default"), named("istiod-1-29-1", "1-29-1", "1.29.1"), named("other", "x")],
            "c1",
        );
        assert.deepEqual(problems, []);
        assert.deepEqual(
            revisions.map((r) => [r.revision, r.version, r.deployment.metadata!.name]),
            [
                ["default", "1.30.3", "istiod"],
                ["1-29-1", "1.29.1", "istiod-1-29-1"],
                ["1-30-3", "1.30.3", "istiod-1-30-3"],
            ],
            "a Deployment not named istiod… is not the istiod chart's and is skipped",
        );
        assert.deepEqual(installedRevisions([named("istiod-default", "default"), named("istiod-canary", undefined)], "c1"), {
            revisions: [],
            problems: [
                'c1: Deployment istio-system/istiod-default runs REVISION=default, so it would be named istiod: install the istiod chart with a revision other than "default", or without one',
                'c1: Deployment istio-system/istiod-canary runs REVISION=default, so it would be named istiod: install the istiod chart with a revision other than "default", or without one',
            ],
        });
    });
});
