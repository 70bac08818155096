/**
 * The istio-multicluster program: stack config → validated mesh model → components.
 */
import * as pulumi from "@pulumi/pulumi";
import { IstioMesh, meshArgsFromModel, MeshConfigError } from "./components";
import { loadStack } from "./program/stackConfig";

function load() {
    try {
        return loadStack();
    } catch (e) {
        // A config error is the user's to fix: show the message, not a stack trace.
        if (e instanceof MeshConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
}

const { model, secrets } = load();
const mesh = new IstioMesh("mesh", meshArgsFromModel(model, secrets));

/** The shared root certificate (public). */
export const rootCertPem = mesh.ca.rootCertPem;
/** East-west gateway address per cluster, once the cluster reports one. */
export const eastWestGatewayAddresses = Object.fromEntries(Object.entries(mesh.gateways).map(([k, g]) => [k, g.address]));
/** Remote secrets per reader cluster (names only). */
export const remoteSecrets = Object.fromEntries(
    model.clusters.map((c) => [c.name, model.links.filter((l) => l.reader === c.name).map((l) => `istio-remote-secret-${l.target}`)]),
);
