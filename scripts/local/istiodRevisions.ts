/**
 * Where each istiod revision of a local cluster runs on the host, and with which binary. Pure (the file system and
 * `pilot-discovery version -s` come in as functions), so the choices are unit-tested
 * (test/scripts/istiodRevisions.test.ts); scripts/local/istiod.ts persists and applies them.
 *
 * Addresses: the revision-less istiod binds the cluster's own address (127.0.N.1, like its API server). Every named
 * revision gets a slot of its own on the same /24, from 127.0.N.11 upward (the LoadBalancer pool starts at .100),
 * assigned on its first start and kept in `<state>/cN/istiod-revisions.json`: a revision keeps its address across
 * restarts and while others come and go; the slot of a revision whose Deployment is gone is free for the next one.
 * @see docs/istiod-on-host.md
 */
import { DEFAULT_REVISION } from "./istiodPlan";

/** The first and last host slot (last octet) for named revisions; .1 is the cluster's, .100–.150 its LoadBalancers'. */
export const REVISION_SLOTS = { first: 11, last: 99 } as const;

/** Revision → address, as persisted (named revisions only; the default one always has the cluster's address). */
export type RevisionAddresses = Record<string, string>;

/**
 * The address of every revision in `revisions`: `default` → the cluster's address; a named revision keeps the address
 * `known` gives it (when that is a slot on the cluster's /24), a new one takes the lowest free slot, in the order given.
 * Revisions not in `revisions` are dropped (their slots become free). Throws when the slots run out.
 */
export function assignAddresses(clusterAddress: string, revisions: string[], known: RevisionAddresses): Record<string, string> {
    const prefix = clusterAddress.split(".").slice(0, 3).join(".");
    const slotOf = (address: string | undefined): number | undefined => {
        const m = address?.startsWith(`${prefix}.`) ? Number(address.slice(prefix.length + 1)) : NaN;
        return Number.isInteger(m) && m >= REVISION_SLOTS.first && m <= REVISION_SLOTS.last ? m : undefined;
    };
    const out: Record<string, string> = {};
    const used = new Set<number>();
    for (const r of revisions) {
        if (r === DEFAULT_REVISION) continue;
        const slot = slotOf(known[r]);
        if (slot !== undefined && !used.has(slot)) {
            used.add(slot);
            out[r] = `${prefix}.${slot}`;
        }
    }
    for (const r of revisions) {
        if (r === DEFAULT_REVISION) out[r] = clusterAddress;
        if (out[r]) continue;
        let slot: number = REVISION_SLOTS.first;
        while (used.has(slot)) slot++;
        if (slot > REVISION_SLOTS.last) {
            throw new Error(`no free istiod address on ${prefix}.${REVISION_SLOTS.first}–${REVISION_SLOTS.last} for revision ${r}`);
        }
        used.add(slot);
        out[r] = `${prefix}.${slot}`;
    }
    return out;
}

/** The persisted form: named revisions only. */
export function persistedAddresses(addresses: Record<string, string>): RevisionAddresses {
    return Object.fromEntries(Object.entries(addresses).filter(([r]) => r !== DEFAULT_REVISION));
}

/** How a binary choice looks at the machine (scripts/local/istiod.ts passes the real ones). */
export interface BinaryProbe {
    /** `$CACHE/bin`, where the toolchain installs `pilot-discovery` and `pilot-discovery-<version>`. */
    cacheBin: string;
    exists(file: string): boolean;
    /** `pilot-discovery` on PATH, if any. */
    onPath(): string | undefined;
    /** What `<binary> version -s` reports (e.g. `1.30.3`), undefined when it cannot tell. */
    versionOf(binary: string): string | undefined;
}

/**
 * The pilot-discovery binary for an istiod whose image names `version`: `$CACHE/bin/pilot-discovery-<version>` if
 * installed, else the unversioned `pilot-discovery` (the toolchain's, else PATH's) when it reports that version;
 * otherwise a problem naming the Deployment, the missing version and the fix.
 */
export function chooseBinary(
    version: string | undefined,
    probe: BinaryProbe,
    what: { context: string; deployment: string; image?: string },
): { binary: string } | { problem: string } {
    const subject = `${what.context}: Deployment istio-system/${what.deployment}`;
    if (!version) {
        return {
            problem: `${subject} runs image ${what.image ?? "(none)"}, whose tag names no Istio release: set the chart's tag to a release (global.tag)`,
        };
    }
    const versioned = `${probe.cacheBin}/pilot-discovery-${version}`;
    if (probe.exists(versioned)) return { binary: versioned };
    const cached = `${probe.cacheBin}/pilot-discovery`;
    const generic = probe.exists(cached) ? cached : probe.onPath();
    const genericVersion = generic ? probe.versionOf(generic) : undefined;
    if (generic && genericVersion === version) return { binary: generic };
    const found = generic ? `${generic} is ${genericVersion ?? "of an unknown version"}` : "no pilot-discovery is installed";
    return {
        problem: `${subject} runs Istio ${version}, but no pilot-discovery ${version} is installed (${versioned} is missing, ${found}): run \`npm run toolchain\``,
    };
}

/** What `pilot-discovery version -s` prints (`client version: 1.30.3`), as a version; undefined when it names none. */
export function parseVersionOutput(stdout: string): string | undefined {
    const m = /(?:^|\s|:)(\d+\.\d+\.\d+\S*)\s*$/.exec(stdout.trim());
    return m?.[1];
}
