/**
 * Runs the program (program/main.ts) under {@link EngineMocks} with an {@link EngineCapture} on the mock monitor:
 * the result is the stack as the engine would record it after `pulumi up`, resources, options and outputs,
 * with the Stack resource carrying the program's exports (index.ts exports `outputs` as they are).
 */
import { ProgramOutputs } from "../../program/main";
import { EngineCapture, EngineResource } from "./engineCapture";
import { EngineMocks } from "./engineMocks";
import { RecordingMocks, runProgram } from "./mocks";

/** The stack after a mocked `pulumi up`. */
export interface EngineRun {
    /** Every resource in registration order, the Stack resource last. */
    resources: EngineResource[];
    /** The program's outputs (stack exports). */
    outputs: ProgramOutputs;
    /** What the mocks recorded (for the other helpers' queries). */
    recorder: RecordingMocks;
}

/** Runs the program as stack `stack` with `config` (`secretKeys` stored encrypted). */
export async function runAsEngine(config: Record<string, unknown>, stack: string, secretKeys: string[] = []): Promise<EngineRun> {
    const mocks = new EngineMocks();
    mocks.reset();
    const capture = new EngineCapture(mocks.pool);
    const { outputs } = await runProgram(mocks.recorder, config, stack, secretKeys, {
        monitorMocks: mocks,
        afterSetMocks: () => capture.install(),
    });
    const stackResource = await capture.stackResource(outputs as unknown as Record<string, unknown>);
    return { resources: [...capture.resources.values(), stackResource], outputs, recorder: mocks.recorder };
}
