/**
 * How long `pulumi up` waits on the istiod chart's Services.
 *
 * For a Service with a selector the Kubernetes provider waits until it has ready endpoints, then sleeps a fixed
 * 10 s "for them to settle" after every Endpoints event (pulumi-kubernetes `pkg/await/service.go`). On the istiod
 * chart that sleep lies on each cluster's critical path (base → istiod → gateway), for nothing this mesh needs:
 * the istiod Deployment's own await already waits for ready pods, and the gateway chart depends on it.
 * The east-west gateway's Service keeps its await: its load balancer address is what the component reports.
 * @see https://www.pulumi.com/registry/packages/kubernetes/api-docs/core/v1/service/ (pulumi.com/skipAwait)
 */
import * as pulumi from "@pulumi/pulumi";

/** The provider's annotation that turns its readiness wait off for one object. */
export const SKIP_AWAIT_ANNOTATION = "pulumi.com/skipAwait";

/**
 * A transform for a chart whose Services need no endpoint wait: adds `pulumi.com/skipAwait: "true"` to every
 * `v1/Service`; leaves every other object (Deployments keep their readiness await) unchanged.
 */
export function skipServiceEndpointWait(args: pulumi.ResourceTransformArgs): pulumi.ResourceTransformResult | undefined {
    if (args.type !== "kubernetes:core/v1:Service") return undefined;
    const metadata = (args.props.metadata ?? {}) as { annotations?: Record<string, string> };
    return {
        props: { ...args.props, metadata: { ...metadata, annotations: { ...(metadata.annotations ?? {}), [SKIP_AWAIT_ANNOTATION]: "true" } } },
        opts: args.opts,
    };
}
