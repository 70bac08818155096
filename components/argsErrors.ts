/**
 * Argument errors of the components: every bad field is collected, then reported at once as one
 * `pulumi.InputPropertiesError` (what the engine pretty-prints per property when the component runs inside a
 * component provider, i.e. from another Pulumi language) that is also a `pulumi.ResourceError` (what a
 * TypeScript program prints against the component, without a stack trace).
 */
import * as util from "util";
import * as pulumi from "@pulumi/pulumi";

/** One bad field of a component's args. */
export interface ArgsIssue {
    /** Path of the field inside `args`, e.g. `nodes[0].region` (no `args.` prefix, as the engine expects). */
    propertyPath: string;
    /** What is wrong and how to fix it, e.g. `"Bad" is not a DNS-1123 label`. */
    reason: string;
}

type InputPropertiesErrorCtor = new (args: { message: string; errors: ArgsIssue[] }) => Error & { errors: ArgsIssue[] };

/**
 * `pulumi.InputPropertiesError` (present in the @pulumi/pulumi this package peers on); on an SDK without it, a
 * plain Error carrying the same `errors`, so the components still load (the message lists every issue either way).
 */
const InputPropertiesBase: InputPropertiesErrorCtor =
    (pulumi as { InputPropertiesError?: InputPropertiesErrorCtor }).InputPropertiesError ??
    class extends Error {
        public readonly errors: ArgsIssue[];
        constructor(args: { message: string; errors: ArgsIssue[] }) {
            super(args.message);
            this.errors = args.errors;
        }
    };

/**
 * All bad args of one component. An `InputPropertiesError` with one entry per field; also recognised by
 * `pulumi.ResourceError.isInstance` (the SDK's duck-typed marker), so the Node.js language host logs it against
 * `resource` and hides the stack, as it does for a ResourceError.
 */
export class InvalidArgsError extends InputPropertiesBase {
    /** The component whose args are wrong. */
    public readonly resource: pulumi.Resource;
    /** The stack trace says nothing a user can act on. */
    public readonly hideStack = true;
    /** @internal The marker `pulumi.ResourceError.isInstance` checks (the SDK's spelling). */
    public readonly __pulumResourceError = true;

    constructor(component: string, errors: ArgsIssue[], resource: pulumi.Resource) {
        super({ message: errors.map((e) => `${component}: ${argsPath(e.propertyPath)} ${e.reason}`).join("\n"), errors });
        this.name = "InvalidArgsError";
        this.resource = resource;
    }

    /** What `util.inspect` prints (the language host inspects every uncaught error; see refusal.ts). */
    [util.inspect.custom](): string {
        return `${this.name}: ${this.message}`;
    }
}

/** `args.x` for a property path `x` (`args[0]` style paths keep their bracket). */
export function argsPath(propertyPath: string): string {
    return propertyPath.startsWith("[") ? `args${propertyPath}` : `args.${propertyPath}`;
}

/** Collects the bad fields of one component's args, then throws them together. */
export class ArgsIssues {
    private readonly issues: ArgsIssue[] = [];

    /** @param component The component's class name, which starts every line of the message. */
    constructor(private readonly component: string) {}

    /** Records that `propertyPath` (inside args, e.g. `nodes[0].zone`) is wrong because `reason`. */
    add(propertyPath: string, reason: string): void {
        this.issues.push({ propertyPath, reason });
    }

    /**
     * Records an error whose message starts with an `args.<path>` (as the shared model helpers word them, e.g.
     * `args.istio.chart.path is required ...`); other messages are recorded against `fallbackPath`.
     */
    addMessage(message: string, fallbackPath: string): void {
        const m = /^args\.([\w.[\]"-]+):? ([\s\S]*)$/.exec(message);
        if (m) this.add(m[1], m[2]);
        else this.add(fallbackPath, message);
    }

    /** True when nothing was recorded. */
    get empty(): boolean {
        return this.issues.length === 0;
    }

    /** Throws an {@link InvalidArgsError} listing every recorded issue, if there is any. */
    throwIfAny(resource: pulumi.Resource): void {
        if (this.issues.length) throw new InvalidArgsError(this.component, [...this.issues], resource);
    }
}
