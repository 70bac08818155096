/**
 * gatewayAddress: the external address of the Service a gateway chart rendered — the LoadBalancer's IP, else
 * its hostname, else nothing (no Service yet, or no ingress reported). The Services here get their `status`
 * from the mock, as a cloud's load-balancer controller would report it.
 */
import { strict as assert } from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { gatewayAddress } from "../../components/eastWestGateway";
import { promiseOf, RecordingMocks, setMocks } from "../helpers/mocks";

/** Service status by Service name; the other resources behave as in every test. */
const STATUS: Record<string, unknown> = {
    "lb-ip": { loadBalancer: { ingress: [{ ip: "203.0.113.7", hostname: "ignored.example.com" }] } },
    "lb-host": { loadBalancer: { ingress: [{ hostname: "gw.elb.example.com" }] } },
    "lb-pending": { loadBalancer: {} },
};

class StatusMocks extends RecordingMocks {
    newResource(args: pulumi.runtime.MockResourceArgs) {
        const r = super.newResource(args);
        if (args.type === "kubernetes:core/v1:Service" && args.name in STATUS) r.state.status = STATUS[args.name];
        return r;
    }
}

/** What gatewayAddress reads of a chart: the resources it rendered. */
const chartOf = (resources: pulumi.Resource[]) => ({ resources: pulumi.output(resources) }) as unknown as k8s.helm.v4.Chart;

describe("gatewayAddress (mocks)", () => {
    before(async () => {
        await setMocks(new StatusMocks(), "gateway-address");
    });

    const cases: [string, string | undefined][] = [
        ["lb-ip", "203.0.113.7"],
        ["lb-host", "gw.elb.example.com"],
        ["lb-pending", undefined],
    ];
    for (const [name, want] of cases) {
        it(`${name}: ${want ?? "no address"}`, async () => {
            const sa = new k8s.core.v1.ServiceAccount(`${name}-sa`, {});
            const svc = new k8s.core.v1.Service(name, { spec: { type: "LoadBalancer" } });
            assert.equal(await promiseOf(gatewayAddress(chartOf([sa, svc]))), want);
        });
    }

    it("no Service among the chart's resources: no address", async () => {
        const sa = new k8s.core.v1.ServiceAccount("only-sa", {});
        assert.equal(await promiseOf(gatewayAddress(chartOf([sa]))), undefined);
    });
});
