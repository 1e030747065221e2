import { z } from 'zod';
import { MAX_IDENTITY_LENGTH } from './identity.ts';

export const identityRefSchema = z.object({
  namespace: z.string().min(1),
  id: z.string().min(1).max(MAX_IDENTITY_LENGTH),
});
export type IdentityRef = z.infer<typeof identityRefSchema>;

/** Body of PUT /v1/profiles/{namespace}/{id}: attributes are deep-merged into the stored ones. */
export const profileUpdateSchema = z.object({
  attributes: z.record(z.string(), z.unknown()).default({}),
  identities: z.array(identityRefSchema).default([]),
  testProfile: z.boolean().optional(),
});
export type ProfileUpdate = z.infer<typeof profileUpdateSchema>;

export interface Profile {
  readonly id: string;
  readonly identities: readonly IdentityRef[];
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly testProfile: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A profile in a package: its primary identity plus the update. */
export const packageProfileSchema = profileUpdateSchema.extend({
  namespace: z.string().min(1),
  id: z.string().min(1).max(MAX_IDENTITY_LENGTH),
});

/**
 * The sandbox's profile schema (XDM-like JSON Schema of profile attributes): it types profile
 * fields in expressions and lets editors complete them. `additionalProperties: true` keeps fields
 * it does not list usable.
 */
export const profileSchemaSchema = z.object({
  name: z
    .literal('profile')
    .default('profile')
    .describe('A sandbox has one profile schema, named profile.'),
  description: z.string().max(1000).optional(),
  schema: z.record(z.string(), z.unknown()).meta({
    title: 'Attributes schema',
    description:
      'JSON Schema of profile attributes: it types profile fields in expressions and lets editors complete them.',
  }),
});
export type ProfileSchema = z.infer<typeof profileSchemaSchema>;
