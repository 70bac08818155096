/**
 * The teardown guard: a preview whose planned stack lacks the mesh's CA (`cacerts`), istiod or remote secrets is
 * refused, unless the teardown is declared intended. It is a second line of defence against a program that
 * registers less than it should (a wrong entry point, an emptied config): such a preview plans to delete every
 * missing object, and `pulumi up` would carry it out.
 *
 * A policy sees the planned stack, not the deletions, so the rule is stated on what must be there: at least one
 * mesh cluster, and each cluster that has any part of the mesh has all of it. Removing a whole cluster from the
 * mesh (its objects and every link to it) stays allowed. Intended teardown: `pulumi destroy`, or the stack tag
 * `istio-multicluster:allowMeshTeardown=true`, or the policy config `{"mesh-teardown-guard": {"allowTeardown": true}}`.
 */
import { StackValidationArgs } from "@pulumi/policy";
import { stackPolicy } from "./define";
import { isCaCertsSecret, isRemoteSecret, isUnknown, ISTIO_NAMESPACE } from "../components/model";
import { SECRET_TYPE, secretObject } from "./resourcePolicies";
import { ClusterGroup, groupByCluster } from "./stackPolicies";

/** The stack tag that declares a teardown intended. */
export const ALLOW_TEARDOWN_TAG = "istio-multicluster:allowMeshTeardown";

/** The parts of the mesh one cluster group holds. */
export interface MeshParts {
    /** Provider name, for messages. */
    label: string;
    cacerts: boolean;
    istiod: boolean;
    remoteSecrets: number;
}

function metadata(props: Record<string, unknown>): Record<string, unknown> {
    const m = props.metadata;
    return m && typeof m === "object" && !isUnknown(m) ? (m as Record<string, unknown>) : {};
}

/** What of the mesh a cluster group holds. */
export function meshParts(g: ClusterGroup): MeshParts {
    const parts: MeshParts = { label: g.label, cacerts: false, istiod: false, remoteSecrets: 0 };
    for (const r of g.resources) {
        if (r.type === SECRET_TYPE) {
            const s = secretObject(r.props);
            if (isCaCertsSecret(s)) parts.cacerts = true;
            else if (isRemoteSecret(s)) parts.remoteSecrets++;
        } else if (r.type === "kubernetes:apps/v1:Deployment") {
            const m = metadata(r.props);
            if (m.namespace === ISTIO_NAMESPACE && /^istiod(-|$)/.test(String(m.name ?? ""))) parts.istiod = true;
        }
    }
    return parts;
}

/** Problems of a planned stack, given the mesh parts of each cluster group (pure; empty = the mesh is whole). */
export function teardownProblems(groups: MeshParts[]): string[] {
    const mesh = groups.filter((p) => p.cacerts || p.istiod || p.remoteSecrets > 0);
    const how =
        `if that is intended, run \`pulumi destroy\`, or set the stack tag (\`pulumi stack tag set ${ALLOW_TEARDOWN_TAG} true\`); ` +
        "otherwise check the program's entry point (Pulumi.yaml `main`) and the stack config";
    if (mesh.length === 0) {
        return [`the planned stack holds no mesh (no cacerts, istiod or remote secrets): this update would delete the whole mesh; ${how}`];
    }
    const problems: string[] = [];
    for (const p of mesh) {
        const missing = [
            ...(p.cacerts ? [] : ["the cacerts Secret (the cluster's CA)"]),
            ...(p.istiod ? [] : ["istiod"]),
            ...(mesh.length > 1 && p.remoteSecrets === 0 ? ["its remote secrets"] : []),
        ];
        if (missing.length)
            problems.push(`${p.label}: the planned stack lacks ${missing.join(", ")}, so this update would delete them; ${how}`);
    }
    return problems;
}

/** Is the teardown declared intended (stack tag or policy config)? */
export function teardownAllowed(args: Pick<StackValidationArgs, "stackTags" | "getConfig">): boolean {
    return args.stackTags?.get(ALLOW_TEARDOWN_TAG) === "true" || args.getConfig<{ allowTeardown?: boolean }>().allowTeardown === true;
}

/** Refuses a preview that would delete the mesh's CA, istiod or remote secrets, unless declared intended. */
export const meshTeardownGuard = stackPolicy({
    name: "mesh-teardown-guard",
    description:
        "Refuses an update whose planned stack lacks the mesh's cacerts, istiod or remote secrets (it would delete them), unless the teardown is declared intended.",
    configSchema: { properties: { allowTeardown: { type: "boolean", default: false } } },
    validateStack: (args, report) => {
        if (teardownAllowed(args)) return;
        for (const p of teardownProblems(groupByCluster(args.resources).map(meshParts))) report(p);
    },
});
