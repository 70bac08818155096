/**
 * Config-layer checks of the values behind secret config keys that stack config names: a supplied remote
 * kubeconfig (`clusters[].remoteKubeconfigSecret`) is checked the way istiod checks it, before anything
 * registers. Messages never quote the value ({@link redactCredentials}).
 */
import { apiServerUrlProblem } from "../access/apiServer";
import { ConfigIssue } from "../config/errors";
import { checkRemoteKubeconfig } from "./kubeconfig";
import { redactCredentials } from "../access/redact";

/** A secret config value as the caller read it. */
export interface SecretConfigValue {
    /** The (decrypted) value. */
    value: string;
    /** True when the key is stored encrypted (`pulumi config set --secret`). */
    secret: boolean;
}

/** The `pulumi config set --secret` command that stores `key` from a file. */
export function setSecretCommand(namespace: string, key: string, file: string): string {
    return `pulumi config set --secret ${namespace}:${key} < ${file}`;
}

/** Inputs of {@link checkSuppliedKubeconfig}. */
export interface SuppliedKubeconfigInput {
    /** Config path of the referencing field, e.g. `clusters[0].remoteKubeconfigSecret`. */
    path: string;
    /** The secret config key it names. */
    key: string;
    /** Its value, undefined when the key is not set. */
    value?: SecretConfigValue;
    /** Accept loopback servers (single-host test setups). */
    allowLoopbackApiServer: boolean;
    /** Config namespace, for commands in messages. */
    namespace: string;
}

/**
 * Issues with a supplied remote kubeconfig: the key must be set, and the kubeconfig must be one istiod
 * accepts ({@link checkRemoteKubeconfig}) with servers the reading clusters can reach.
 */
export function checkSuppliedKubeconfig(i: SuppliedKubeconfigInput): ConfigIssue[] {
    if (!i.value) {
        return [
            {
                path: i.path,
                message: `names config key ${i.key}, which is not set: store the kubeconfig with \`${setSecretCommand(i.namespace, i.key, "kubeconfig.yaml")}\``,
            },
        ];
    }
    const text = i.value.value;
    const check = checkRemoteKubeconfig(text);
    const problems = [...check.errors];
    for (const server of check.servers) {
        const p = apiServerUrlProblem(server, i.allowLoopbackApiServer, " (a server in the supplied kubeconfig)");
        if (p) problems.push(p.replace(/set apiServerUrl to/g, "point the kubeconfig's server at"));
    }
    return problems.map((p) => ({
        path: i.path,
        message: `the kubeconfig in config key ${i.key} is rejected: ${redactCredentials(p, text)}; fix it and store it again with \`${setSecretCommand(i.namespace, i.key, "kubeconfig.yaml")}\``,
    }));
}
