/**
 * The scenario ids a stack can select and which need which. The shape of `scenarioSettings` is
 * scenarioSettings.ts (validated by scenarioSettingsSchema.ts); defaults live in scenarioDefaults.ts, resolution
 * in scenarioResolution.ts.
 */
/** Every scenario id a stack can select, in the order the seeds introduce them. */
export const SCENARIO_IDS = [
    "samples",
    "cc1",
    "cc2",
    "cc3",
    "cc4",
    "dnsp1",
    "dnsp2",
    "helloworld",
    "shifting",
    "tls-frontend",
    "networkpolicy",
    "rancher",
] as const;

/** A scenario id. */
export type ScenarioId = (typeof SCENARIO_IDS)[number];

/** Scenarios that cannot work without another one, and why. */
export const SCENARIO_REQUIRES: Partial<Record<ScenarioId, { needs: ScenarioId; why: string }>> = {
    cc1: { needs: "samples", why: "it calls helloworld2 from the sleep clients" },
    cc2: { needs: "samples", why: "its VirtualService and DestinationRule route helloworld2" },
    cc3: { needs: "samples", why: "its VirtualService and DestinationRule route helloworld2" },
    cc4: { needs: "samples", why: "its VirtualService and DestinationRule route helloworld2" },
    shifting: { needs: "helloworld", why: "it shifts traffic between helloworld v1 and v2" },
    "tls-frontend": { needs: "shifting", why: "its VirtualService routes to the v1/v2 subsets of shifting's DestinationRule" },
};
