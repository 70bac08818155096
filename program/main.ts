/**
 * The program body, callable (index.ts runs it once; tests and benchmarks run it under mocks).
 */
import * as pulumi from "@pulumi/pulumi";
import { IstioMesh, meshArgsFromModel, MeshConfigError, Scenarios } from "../components";
import { loadStack } from "./stackConfig";

/** Stack outputs. */
export interface ProgramOutputs {
    /** The shared root certificate (public). */
    rootCertPem: pulumi.Output<string>;
    /** East-west gateway address per cluster, once the cluster reports one. */
    eastWestGatewayAddresses: Record<string, pulumi.Output<string | undefined>>;
    /** Remote secret names per reader cluster. */
    remoteSecrets: Record<string, string[]>;
    /** Selected scenarios (stack config `scenarios`). */
    scenarios: string[];
    /** Ingress gateway address per cluster (scenarios shifting / tls-frontend). */
    ingressGatewayAddresses: Record<string, pulumi.Output<string | undefined>>;
}

/** Reads stack config, validates it, and declares the mesh. `opts` is passed to the top-level component. */
export function main(opts?: pulumi.ComponentResourceOptions): { mesh: IstioMesh; scenarios?: Scenarios; outputs: ProgramOutputs } {
    let loaded: ReturnType<typeof loadStack>;
    try {
        loaded = loadStack();
    } catch (e) {
        // A config error is the user's to fix: show the message, not a stack trace.
        if (e instanceof MeshConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
    const { model, secrets } = loaded;
    const mesh = new IstioMesh("mesh", meshArgsFromModel(model, secrets), opts);
    const scenarios = model.scenarios?.selected.length
        ? new Scenarios(
              "scenarios",
              {
                  clusters: mesh.clusters,
                  model: model.scenarios,
                  namespaceRevision: model.istio.revisions?.namespaceRevision,
                  tsigSecret: secrets.tsigSecret,
              },
              opts,
          )
        : undefined;
    return {
        mesh,
        scenarios,
        outputs: {
            rootCertPem: mesh.ca.rootCertPem,
            eastWestGatewayAddresses: Object.fromEntries(Object.entries(mesh.gateways).map(([k, g]) => [k, g.address])),
            remoteSecrets: Object.fromEntries(
                model.clusters.map((c) => [
                    c.name,
                    [...new Set(model.links.filter((l) => l.reader === c.name).map((l) => l.remoteSecretName))],
                ]),
            ),
            scenarios: model.scenarios?.selected ?? [],
            ingressGatewayAddresses: Object.fromEntries(Object.entries(scenarios?.ingressGateways ?? {}).map(([k, g]) => [k, g.address])),
        },
    };
}
