/**
 * The live objects a Kubernetes API server (and the controllers a test cluster runs) returns for what the program
 * creates, as the Kubernetes provider reports them as outputs: a Secret's `stringData` folded into base64 `data`,
 * a service-account token Secret filled by the token controller (token and the cluster's CA bundle), a
 * LoadBalancer Service given an ingress address by the cloud's load-balancer controller.
 */
import * as fs from "fs";
import * as path from "path";
import type { V1Secret, V1Service } from "@kubernetes/client-node";

/** The cluster CA the token controller puts into `ca.crt` (a real, parseable certificate). */
const CLUSTER_CA_PEM = fs.readFileSync(path.join(__dirname, "..", "fixtures", "ca", "root-cert.pem"), "utf8");

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

/** Hands out load-balancer addresses from TEST-NET-3 (203.0.113.0/24), in the order Services are created. */
export class LoadBalancerPool {
    private next = 10;
    /** The next free address. */
    allocate(): string {
        if (this.next > 254) throw new Error("LoadBalancerPool: TEST-NET-3 exhausted");
        return `203.0.113.${this.next++}`;
    }
}

/** A Secret as read back: `stringData` merged into `data` (base64), service-account tokens filled in. */
export function secretState(name: string, inputs: V1Secret): Record<string, unknown> {
    const { stringData, ...rest } = inputs;
    const data: Record<string, string> = { ...(inputs.data ?? {}) };
    for (const [k, v] of Object.entries(stringData ?? {})) data[k] = b64(String(v));
    if (inputs.type === "kubernetes.io/service-account-token") {
        data.token = b64(`eyJhbGciOiJSUzI1NiJ9.${b64(JSON.stringify({ sub: `system:serviceaccount:${name}` }))}.sig`);
        data["ca.crt"] = b64(CLUSTER_CA_PEM);
        data.namespace = b64(inputs.metadata?.namespace ?? "default");
    }
    return { ...rest, ...(Object.keys(data).length ? { data } : {}) };
}

/** A Service as read back: a cluster IP, and for type LoadBalancer the address its controller assigned. */
export function serviceState(inputs: V1Service, pool: LoadBalancerPool): Record<string, unknown> {
    const type = inputs.spec?.type ?? "ClusterIP";
    const status = type === "LoadBalancer" ? { loadBalancer: { ingress: [{ ip: pool.allocate(), ipMode: "VIP" }] } } : { loadBalancer: {} };
    return { ...inputs, spec: { ...(inputs.spec ?? {}), type, clusterIP: "10.96.0.10" }, status };
}

/** The live state of a Kubernetes object of `type` (other kinds come back as sent). */
export function kubernetesState(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    pool: LoadBalancerPool,
): Record<string, unknown> {
    switch (type) {
        case "kubernetes:core/v1:Secret":
            return secretState(name, inputs as V1Secret);
        case "kubernetes:core/v1:Service":
            return serviceState(inputs as V1Service, pool);
        default:
            return { ...inputs };
    }
}
