/**
 * Reader-token rotation with a grace period: which token Secrets a remote-secret link keeps for a given
 * `tokenRotationEpoch`, under which logical names, and which one the remote secret uses.
 *
 * Each link has two token slots, chosen by the epoch's parity. Epoch N writes slot N % 2 and the remote secret
 * points at it; slot (N − 1) % 2 keeps epoch N − 1's token exactly as it was declared (same inputs, so the
 * engine leaves it alone), so a reader istiod that missed the rotation still holds a valid token. Epoch N + 1
 * re-issues the older slot, revoking epoch N − 1's token. The odd slot keeps the logical names a link's only
 * token had before slots existed, so a stack at the default epoch ("1") sees no change.
 */
import { ConfigIssue } from "../config/errors";
import { READER_SERVICE_ACCOUNT } from "../istio/names";

/** One token Secret a link declares. */
export interface ReaderTokenSlot {
    /** The rotation epoch whose token this slot holds (the RandomId naming its Secret is keyed by it). */
    epoch: string;
    /** True for the slot the remote secret's kubeconfig uses (the configured epoch). */
    current: boolean;
    /** Appended to the link's logical name for the token Secret resource: `token` (odd epochs) or `token-even`. */
    secretResourceSuffix: string;
    /** Appended to the owner's logical name for the RandomId naming the Secret: `token-suffix` or `token-suffix-even`. */
    randomIdSuffix: string;
}

/** Logical-name suffixes of the odd slot: those of the single token before slots existed (URN-stable). */
const ODD = { secretResourceSuffix: "token", randomIdSuffix: "token-suffix" } as const;
/** Logical-name suffixes of the even slot. */
const EVEN = { secretResourceSuffix: "token-even", randomIdSuffix: "token-suffix-even" } as const;

/** A whole-number epoch as written ("2", "10"); grace needs one to tell the previous epoch and the parity. */
const WHOLE_NUMBER = /^(0|[1-9][0-9]*)$/;

/**
 * The problem with `epoch` when the previous token is kept (it must be a whole number given as a plain string,
 * so the previous epoch and the slot are known), or undefined. `key` names the setting in the message.
 */
export function tokenEpochProblem(epoch: unknown, keepPreviousToken: boolean, key = "tokenRotationEpoch"): ConfigIssue | undefined {
    if (!keepPreviousToken) return undefined;
    if (typeof epoch !== "string") {
        // A component arg may be an Output; its parity must be known when the slots are declared.
        return {
            path: key,
            message: "must be a plain string with keepPreviousToken (its parity picks the token slot); or set keepPreviousToken: false",
        };
    }
    if (WHOLE_NUMBER.test(epoch) && Number.isSafeInteger(Number(epoch))) return undefined;
    return {
        path: key,
        message:
            `${JSON.stringify(epoch)} is not a whole number: with keepPreviousToken (the default) the epoch picks one of two ` +
            `token slots by parity and keeps the previous epoch's token; use a number such as "2" (increase it by 1 to rotate), ` +
            `or set keepPreviousToken: false to rotate with no grace`,
    };
}

/**
 * The token slots of a link at `epoch`, current first. With `keepPreviousToken` false: one slot (today's
 * names) holding `epoch`, so the old token is deleted by the rotation's `up`. With it true (`epoch` must pass
 * {@link tokenEpochProblem}): the current slot, plus the previous epoch's slot when there is one (epoch ≥ 2).
 */
export function readerTokenSlots(epoch: string, keepPreviousToken: boolean): ReaderTokenSlot[] {
    if (!keepPreviousToken) return [{ epoch, current: true, ...ODD }];
    const problem = tokenEpochProblem(epoch, true);
    if (problem) throw new Error(`${problem.path}: ${problem.message}`);
    const n = Number(epoch);
    const slotOf = (e: number) => (e % 2 === 1 ? ODD : EVEN);
    const slots: ReaderTokenSlot[] = [{ epoch: String(n), current: true, ...slotOf(n) }];
    if (n - 1 >= 1) slots.push({ epoch: String(n - 1), current: false, ...slotOf(n - 1) });
    return slots;
}

/** Name of a reader token Secret in the target's `istio-system`: `istio-reader-service-account-<reader>-<suffix>`. */
export function readerTokenSecretName(reader: string, suffix: string): string {
    return `${READER_SERVICE_ACCOUNT}-${reader}-${suffix}`;
}
