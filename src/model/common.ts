import { z } from 'zod';

/** Names of events, actions and journeys' technical ids: alphanumeric and `_` (the product's rule). */
export const identifierSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'letters, digits and _ only, starting with a letter')
  .max(30);
/** Keys of stored objects (ids): url-safe. */
export const objectKeySchema = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'letters, digits, _ . : - only');
export const jsonSchemaSchema = z.record(z.string(), z.unknown());
export type JsonSchema = Readonly<Record<string, unknown>>;
export const sandboxNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and -');
