// The access-control API: the bodies the routes validate and the answers they give, as zod
// schemas, and the types inferred from them (UserView, ApiKeyView, MeView, ...).
export * from '../../access/api-schemas.ts';
export type * from '../../access/api-types.ts';
