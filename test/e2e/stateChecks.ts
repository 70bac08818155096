/**
 * Checks on what the engine saw and stored: counts of what the program registered (from preview events), and
 * secret values searched for, value by value, in a state export.
 */
import { createPrivateKey } from "crypto";
import type { EngineEvent } from "@pulumi/pulumi/automation";

/** A registered resource: its type and, for custom resources, its provider's name ("default" for default providers). */
export interface Registered {
    type: string;
    provider?: string;
}

/** What the program itself registered in a preview: no stack root, no default providers, no Helm chart children. */
export function registeredByProgram(events: EngineEvent[]): Registered[] {
    const out: Registered[] = [];
    for (const e of events) {
        const m = e.resourcePreEvent?.metadata;
        if (!m || !isByProgram(m.urn, m.type)) continue;
        // Components (ours, and the chart) and provider resources have no provider of their own to count.
        const component = m.type.startsWith("istio-multicluster:") || m.type === "kubernetes:helm.sh/v4:Chart";
        const providerName = (m.new?.provider ?? m.provider ?? "").split("::")[3];
        const provider =
            component || m.type.startsWith("pulumi:providers:")
                ? undefined
                : !providerName || providerName.startsWith("default")
                  ? "default"
                  : providerName;
        out.push({ type: m.type, provider });
    }
    return out;
}

/** False for the stack root, default providers and Helm chart children (what the charts render). */
function isByProgram(urn: string, type: string): boolean {
    const [, , typePath = "", name = ""] = urn.split("::");
    return (
        type !== "pulumi:pulumi:Stack" &&
        !(type.startsWith("pulumi:providers:") && name.startsWith("default")) &&
        !typePath.includes("kubernetes:helm.sh/v4:Chart$")
    );
}

/** One planned step of a preview: its operation and resource, and whether the program registered it itself. */
export interface PlannedStep {
    op: string;
    urn: string;
    type: string;
    name: string;
    /** False for the stack, default providers and Helm chart children (what the charts render). */
    byProgram: boolean;
}

/** Every planned step of a preview, "same" included. */
export function plannedSteps(events: EngineEvent[]): PlannedStep[] {
    const out: PlannedStep[] = [];
    for (const e of events) {
        const m = e.resourcePreEvent?.metadata;
        if (!m) continue;
        out.push({ op: m.op, urn: m.urn, type: m.type, name: m.urn.split("::").pop() ?? "", byProgram: isByProgram(m.urn, m.type) });
    }
    return out;
}

/** Counts per type and per `provider/type`. */
export function countsOf(rs: Registered[]): { total: number; byType: Record<string, number>; byProvider: Record<string, number> } {
    const byType: Record<string, number> = {};
    const byProvider: Record<string, number> = {};
    for (const r of rs) {
        byType[r.type] = (byType[r.type] ?? 0) + 1;
        if (r.provider) byProvider[`${r.provider}/${r.type}`] = (byProvider[`${r.provider}/${r.type}`] ?? 0) + 1;
    }
    const sort = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
    return { total: rs.length, byType: sort(byType), byProvider: sort(byProvider) };
}

// The engine's secret wrapper, as the SDK names it.
const { specialSigKey, specialSecretSig } = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string; specialSecretSig: string };

/** Every string inside a secret of a decrypted (`--show-secrets`) state export. */
export function secretValuesIn(exported: unknown): string[] {
    const out: string[] = [];
    const strings = (v: unknown) => {
        if (typeof v === "string") {
            if (v.length >= 16) out.push(v);
        } else if (Array.isArray(v)) v.forEach(strings);
        else if (v && typeof v === "object") Object.values(v).forEach(strings);
    };
    const walk = (v: unknown) => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === "object") {
            const o = v as Record<string, unknown>;
            if (o[specialSigKey] === specialSecretSig) {
                const plain = o.plaintext ?? o.value;
                if (typeof plain === "string") {
                    try {
                        strings(JSON.parse(plain));
                    } catch {
                        strings(plain);
                    }
                } else strings(plain);
                return;
            }
            Object.values(o).forEach(walk);
        }
    };
    walk(exported);
    return [...new Set(out)];
}

/**
 * The credential fragments of a secret value (decoding base64 first): the body lines of a PEM private key, a
 * kubeconfig's bearer token, a bare service-account token (JWT); each also as base64. Public material in the same
 * secrets (root certificate, CA data, server URLs) is not a credential and is not searched for.
 */
export function credentialFragments(value: string): string[] {
    const texts = [value];
    if (/^[A-Za-z0-9+/=\s]{24,}$/.test(value)) texts.push(Buffer.from(value, "base64").toString("utf8"));
    const out = new Set<string>();
    for (const raw of texts) {
        const t = raw.replace(/\\n/g, "\n");
        for (const block of t.match(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g) ?? []) {
            // A private key's encoding also carries its public half (an RSA modulus, an EC point), which is public
            // and stored in plain text (publicKeyPem, publicKeyOpenssh): only lines with private bytes count.
            let pub: Buffer[];
            try {
                const jwk = createPrivateKey(block).export({ format: "jwk" }) as Record<string, string | undefined>;
                pub = ["n", "e", "x", "y"].flatMap((k) => (jwk[k] ? [Buffer.from(jwk[k]!, "base64url")] : []));
            } catch {
                // An encoding Node cannot read (OpenSSH's, which embeds the plain publicKeyOpenssh): the same key's
                // PEM form is searched instead.
                continue;
            }
            for (const l of block.match(/^[A-Za-z0-9+/=]{40,}$/gm) ?? []) {
                const bytes = Buffer.from(l, "base64");
                if (!pub.some((p) => p.includes(bytes))) out.add(l);
            }
        }
        for (const m of t.matchAll(/token:\s*"?([A-Za-z0-9._-]{20,})/g)) out.add(m[1]);
        if (/^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(t.trim())) out.add(t.trim());
    }
    for (const f of [...out]) out.add(Buffer.from(f).toString("base64").slice(0, 40));
    return [...out];
}

/** Which secret values (by a short, harmless prefix) appear in plain text in `plainExport`. */
export function stateLeaks(plainExport: string, values: string[]): string[] {
    const leaks: string[] = [];
    for (const v of values) {
        for (const f of credentialFragments(v)) {
            if (plainExport.includes(f)) leaks.push(`${f.slice(0, 6)}… (of a ${v.length}-character secret)`);
        }
    }
    return leaks;
}
