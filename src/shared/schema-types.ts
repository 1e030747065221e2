// Types from schemas: what a route answers (Answer) and what a client sends (Body), read-only all
// the way down, inferred from the zod schemas the server validates with and is tested against.
import type { z } from 'zod';

type DeepReadonly<T> =
  T extends ReadonlyArray<infer U>
    ? ReadonlyArray<DeepReadonly<U>>
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/** What a route answers, for the answer schema S. */
export type Answer<S extends z.ZodType> = DeepReadonly<z.infer<S>>;

/** What a client sends to a route that validates its body with schema S (defaults may be left out). */
export type Body<S extends z.ZodType> = DeepReadonly<z.input<S>>;
