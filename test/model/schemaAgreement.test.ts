/**
 * The compile-time agreement check between a documented config interface and its zod schema (the check
 * configSchema.ts and scenarioSettingsSchema.ts assert). Each case is typed with the result it must give, so a
 * check that stopped telling the shapes apart fails `tsc` (the typecheck of `npm test`); the run-time
 * assertions restate the same results.
 */
import { strict as assert } from "assert";
import type { SchemaAgrees } from "../../components/model/config/schemaAgreement";

/** A schema's input and output types, as z.input / z.output give them (a field with a default is optional in). */
type In = { name: unknown; port?: number; tls?: { sni?: string } };
type Out = { name: string; port: number; tls?: { sni?: string } };

const agrees: SchemaAgrees<{ name: string; port?: number; tls?: { sni?: string } }, In, Out> = true;
const missingNestedKey: SchemaAgrees<{ name: string; port?: number; tls?: object }, In, Out> = false;
const extraKey: SchemaAgrees<{ name: string; port?: number; tls?: { sni?: string }; typo?: string }, In, Out> = false;
const narrowerLeaf: SchemaAgrees<{ name: "a" | "b"; port?: number; tls?: { sni?: string } }, In, Out> = false;
const wrongType: SchemaAgrees<{ name: string; port?: string; tls?: { sni?: string } }, In, Out> = false;
const arrays: SchemaAgrees<{ items?: { a: string }[] }, { items?: { a: string; b?: string }[] }, { items: { a: string; b?: string }[] }> =
    false;

describe("config interface ↔ zod schema agreement (compile time)", () => {
    it("accepts an interface naming the same keys with compatible types", () => assert.equal(agrees, true));
    it("rejects a missing nested key, an extra key, a narrower or wrong leaf type, and a missing key inside arrays", () =>
        assert.deepEqual([missingNestedKey, extraKey, narrowerLeaf, wrongType, arrays], [false, false, false, false, false]));
});
