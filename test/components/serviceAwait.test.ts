import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { SKIP_AWAIT_ANNOTATION, skipServiceEndpointWait } from "../../components/serviceAwait";

describe("skipServiceEndpointWait (istiod chart transform)", () => {
    const svc = {
        type: "kubernetes:core/v1:Service",
        name: "mesh-cluster1-istiod:istio-system/istiod",
        props: { metadata: { name: "istiod", annotations: { a: "1" } }, spec: { selector: { app: "istiod" } } },
        opts: { parent: undefined },
    } as unknown as pulumi.ResourceTransformArgs;

    it("marks the Service so the provider skips its endpoint wait, keeping its other annotations and spec", () => {
        const r = skipServiceEndpointWait(svc)!;
        assert.deepEqual(r.props.metadata, { name: "istiod", annotations: { a: "1", [SKIP_AWAIT_ANNOTATION]: "true" } });
        assert.deepEqual(r.props.spec, svc.props.spec);
        assert.equal(r.opts, svc.opts);
    });

    it("works on a Service without annotations", () => {
        const bare = { ...svc, props: { metadata: { name: "istiod" } } } as pulumi.ResourceTransformArgs;
        assert.deepEqual(skipServiceEndpointWait(bare)!.props.metadata, { name: "istiod", annotations: { [SKIP_AWAIT_ANNOTATION]: "true" } });
    });

    it("leaves the Deployment (whose readiness await stays) and every other kind alone", () => {
        for (const type of ["kubernetes:apps/v1:Deployment", "kubernetes:core/v1:ConfigMap", "kubernetes:core/v1:ServiceAccount"]) {
            assert.equal(skipServiceEndpointWait({ ...svc, type }), undefined, type);
        }
    });
});
