/**
 * Compile-time checks that a hand-written, documented interface and the zod schema validating the same config
 * describe one shape. The interface is what the public `.d.ts` files show (they never mention zod); the schema
 * is what parses. Types only: nothing here exists at run time.
 */

/** `true` when A and B are assignable to each other, else `false`. */
export type MutuallyAssignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * Every key of T at every depth, all required, with `never` at the leaves; arrays by their element type and
 * records by their index signature. Two types have mutually assignable skeletons exactly when they name the
 * same keys everywhere (a key one lacks is a property the other's skeleton misses).
 */
export type KeySkeleton<T> = T extends readonly (infer E)[]
    ? KeySkeleton<E>[]
    : T extends object
      ? { [K in keyof T]-?: KeySkeleton<NonNullable<T[K]>> }
      : never;

/**
 * `true` when `Interface` documents exactly the config a schema takes, given the schema's `z.input` and
 * `z.output`: every value typed by the interface is schema input (nothing the interface allows is refused by
 * type), every value the schema outputs fits the interface (nothing the schema yields is missing from it, enum
 * members and required keys included), and both name the same keys at every depth.
 */
export type SchemaAgrees<Interface, Input, Output> = [Interface] extends [Input]
    ? [Output] extends [Interface]
        ? MutuallyAssignable<KeySkeleton<Interface>, KeySkeleton<Output>>
        : false
    : false;

/** Compiles only when `T` is `true`: `type _ = AssertTrue<SchemaAgrees<...>>` fails the build otherwise. */
export type AssertTrue<T extends true> = T;
