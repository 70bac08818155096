import { strict as assert } from "assert";
import { CACERTS_KEYS, istiodPlan, IstiodObjects } from "../../scripts/local/istiodPlan";

const where = { context: "c2", address: "127.0.2.1", kubeconfig: "/state/c2/admin.kubeconfig", podName: "istiod-host-c2" };
const b64 = (s: string) => Buffer.from(s).toString("base64");

/** What the istiod chart renders and `pulumi up` writes, in the API's JSON shape (trimmed to what the plan reads). */
function objects(): IstiodObjects {
    return {
        deployment: {
            spec: {
                template: {
                    spec: {
                        serviceAccountName: "istiod",
                        containers: [
                            {
                                name: "discovery",
                                args: ["discovery", "--monitoringAddr=:15014", "--log_output_level=default:info", "--domain", "cluster.local", "--grpcAddr", ":15010"],
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
        for (const port of [15010, 8080, 15014, 15017, 15012]) assert.ok(plan!.args.some((a) => a.endsWith(`=127.0.2.1:${port}`)), `port ${port}`);
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
        assert.equal(plan!.files["etc/cacerts/ca-key.pem"], "-----BEGIN ca-key.pem-----", "cacerts are decoded into istiod's plugged-in CA dir");
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
        o.deployment!.spec!.template!.spec!.containers![0].env = o.deployment!.spec!.template!.spec!.containers![0].env!.filter((e) => e.name !== "CLUSTER_ID");
        const { problems } = istiodPlan(o, where);
        assert.deepEqual(problems, [
            'c2: ConfigMap istio-system/istio has no "mesh" key',
            "c2: Secret istio-system/cacerts lacks ca-key.pem",
            "c2: the istiod Deployment sets no CLUSTER_ID (values.global.multiCluster.clusterName)",
        ]);
    });

    it("refuses an environment value the host cannot reproduce", () => {
        const o = objects();
        o.deployment!.spec!.template!.spec!.containers![0].env!.push({ name: "X", valueFrom: { fieldRef: { fieldPath: "metadata.uid" } } });
        assert.match(istiodPlan(o, where).problems.join(), /istiod env X: valueFrom .*metadata\.uid.* has no host equivalent/);
    });
});
