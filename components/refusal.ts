/**
 * The error a component throws when it refuses to go on (bad args found late, a cluster in a state a step must not
 * touch): a `pulumi.ResourceError` logged against the resource, without a stack trace, and cheap to format.
 *
 * Cheap matters: the Node.js language host formats every uncaught error with `util.inspect` for its trace span
 * (`span.addEvent` in @pulumi/pulumi's cmd/run/run.js), even when it hides the stack, and `util.inspect` of a
 * ResourceError walks the resource graph behind its `resource`: measured ~20 s of garbage collection per error on
 * a 3-cluster mesh, so a preview refusing six remote secrets took 135 s instead of 10. With a custom inspector
 * the span gets the message.
 */
import * as util from "util";
import * as pulumi from "@pulumi/pulumi";

/** Makes `util.inspect(error)` print `<name>: <message>` instead of walking the error's properties. */
export function inspectAsMessage<E extends Error>(error: E): E {
    Object.defineProperty(error, util.inspect.custom, { value: () => `${error.name}: ${error.message}`, enumerable: false });
    return error;
}

/** A refusal of `resource`: the message is all the user sees (no stack), and formatting it costs nothing. */
export function refusal(message: string, resource: pulumi.Resource): pulumi.ResourceError {
    return inspectAsMessage(new pulumi.ResourceError(message, resource, true));
}
