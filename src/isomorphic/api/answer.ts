// Answer<S> and Body<S>: the types of what a route answers and accepts, from its zod schemas.
export type * from '../../shared/schema-types.ts';
