/**
 * Mocks whose outputs are what the providers would return, for tests that check the program's output the way the
 * engine and the policy pack see it: the tls provider's keys and certificates computed for real
 * (test/helpers/tlsState.ts), Kubernetes objects as the API server returns them (test/helpers/kubernetesState.ts).
 * Every resource is still recorded by the wrapped {@link RecordingMocks}.
 */
import * as pulumi from "@pulumi/pulumi";
import { kubernetesState, LoadBalancerPool } from "./kubernetesState";
import { RecordingMocks } from "./mocks";
import { isTlsType, KeySource, tlsState } from "./tlsState";

/** Realistic provider outputs on top of a {@link RecordingMocks}. */
export class EngineMocks implements pulumi.runtime.Mocks {
    /** Load-balancer addresses for every LoadBalancer Service, the program's and those charts render. */
    public pool = new LoadBalancerPool();
    private keys = new KeySource();

    /** @param recorder Records every resource (what the other test helpers read). */
    constructor(public readonly recorder = new RecordingMocks()) {}

    async newResource(args: pulumi.runtime.MockResourceArgs): Promise<{ id: string | undefined; state: Record<string, unknown> }> {
        const result = this.recorder.newResource(args);
        const inputs = this.recorder.resources[this.recorder.resources.length - 1].inputs as Record<string, unknown>;
        if (isTlsType(args.type)) return { ...result, state: await tlsState(args.type, inputs, this.keys) };
        if (args.type.startsWith("kubernetes:") && args.custom !== false && !args.type.startsWith("kubernetes:helm.sh/")) {
            return { ...result, state: kubernetesState(args.type, args.name, inputs, this.pool) };
        }
        return result;
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        return this.recorder.call(args);
    }

    /** Forgets what was recorded and starts a new address pool. */
    reset(): void {
        this.recorder.reset();
        this.pool = new LoadBalancerPool();
        this.keys = new KeySource();
    }
}
