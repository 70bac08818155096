/**
 * Reads where a cluster stands in a root rotation before its `cacerts` change is planned, so that `pulumi preview`
 * refuses a phase out of order (model/ca/rootSteps.ts): the `cacerts` Secret's root annotations (the Secret's data is
 * not kept or shown) and whether each istiod Deployment in istio-system runs with `ISTIO_MULTIROOT_MESH=true`.
 * An unreadable cluster gives a warning, not a refusal (as the other program-time checks).
 * @see docs/root-ca.md
 */
import * as pulumi from "@pulumi/pulumi";
import { ClusterAccess, KubeconfigAccess } from "./clusterAccess";
import { appsApi, checkReader, patiently } from "./clusterClient";
import { CACERTS_SECRET, describeRootState, ISTIO_NAMESPACE, LiveRootState, rootStateOf, rootStepRefusals, RootState } from "./model";
import { refusal } from "./refusal";
import { classifyReadError } from "./serviceAccountToken";

/** The istiod env var that lets it trust more than one root. */
export const MULTIROOT_ENV = "ISTIO_MULTIROOT_MESH";

/** The live state, or why it could not be read (`skipped`: cluster reads are off). */
export type LiveRootRead = { kind: "read"; live: LiveRootState } | { kind: "unknown"; why: string } | { kind: "skipped" };

/** Reads the cluster `access` reaches. Never throws. */
export async function readLiveRootState(access: KubeconfigAccess, requestTimeoutMs = 10000): Promise<LiveRootRead> {
    const reader = await checkReader(access);
    if (reader.kind !== "api") return reader;
    const read = <T>(f: () => Promise<T>) => patiently(f, requestTimeoutMs);
    try {
        const apps = await appsApi(access, "cannot check");
        const [secrets, deployments] = await Promise.all([
            read(() => reader.api.listNamespacedSecret({ namespace: ISTIO_NAMESPACE, fieldSelector: `metadata.name=${CACERTS_SECRET}` })),
            read(() => apps.listNamespacedDeployment({ namespace: ISTIO_NAMESPACE, labelSelector: "app=istiod" })),
        ]);
        // Only the annotations are kept: the Secret's data (the intermediate's key) goes nowhere.
        const annotations = secrets.items[0]?.metadata?.annotations;
        const found = secrets.items.length > 0;
        const state = found ? rootStateOf(annotations) : undefined;
        const istiods = deployments.items.map((d) => ({
            name: d.metadata?.name ?? "istiod",
            multiRoot: (d.spec?.template?.spec?.containers ?? []).some((c) =>
                (c.env ?? []).some((e) => e.name === MULTIROOT_ENV && e.value === "true"),
            ),
        }));
        return { kind: "read", live: { ...(state ? { state } : {}), ...(found && !state ? { unreadable: true } : {}), istiods } };
    } catch (e) {
        return { kind: "unknown", why: classifyReadError(e, requestTimeoutMs).message };
    }
}

/** The warning when the check could not tell; the deployment goes on. */
export function uncheckedRootWarning(cluster: string, why: string): string {
    return `could not check where cluster ${cluster} stands in a root CA rotation: ${why}. The rotation-step guards (docs/root-ca.md) did not run for it.`;
}

/**
 * Resolves once the cluster was checked: a refusal rejects with a ResourceError naming the out-of-order step, an
 * unreadable cluster warns. Without `access` (the cluster came with its own provider) nothing is read.
 */
export function refuseRootStep(
    cluster: pulumi.Resource & { clusterName: string },
    access: ClusterAccess | undefined,
    desired: RootState,
    phaseKey: string,
): pulumi.Output<void> | undefined {
    if (!access) return undefined;
    return pulumi.output(access).apply(async (a) => {
        const found = await readLiveRootState(a);
        if (found.kind === "unknown") void pulumi.log.warn(uncheckedRootWarning(cluster.clusterName, found.why), cluster);
        if (found.kind !== "read") return;
        const refused = rootStepRefusals(cluster.clusterName, desired, found.live, phaseKey);
        if (refused.length) {
            throw refusal(
                `${refused.join("\n")}\nWanted: ${describeRootState(desired)}. Nothing was changed in ${cluster.clusterName} (docs/root-ca.md).`,
                cluster,
            );
        }
    });
}
