// Profiles: GET /v1/profiles, GET and PUT /v1/profiles/:namespace/:id, and a profile's events.
// The schemas the console's types are inferred from; test/api/answer-schemas.test.ts holds the
// server to them.
import { z } from 'zod';
import { instanceSchema } from './instances.ts';

export const identitySchema = z.object({ namespace: z.string(), id: z.string() }).strict();

/** A profile as listed and as PUT answers it. */
export const profileSchema = z
  .object({
    id: z.string(),
    identities: z.array(identitySchema),
    attributes: z.record(z.string(), z.unknown()),
    /** A test profile: only test mode moves it through journeys. */
    testProfile: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict();

export const profileListAnswer = z.object({ items: z.array(profileSchema) }).strict();

/** GET /v1/profiles/:namespace/:id: the profile, its audiences, and where it is in journeys. */
export const profileDetailSchema = profileSchema
  .extend({
    /** Audience key to membership status. */
    audiences: z.record(z.string(), z.enum(['realized', 'exited'])),
    /** Its newest instances (at most 50). */
    journeys: z.array(instanceSchema),
  })
  .strict();

/** GET /v1/profiles/:namespace/:id/events: newest first. */
export const profileEventsAnswer = z
  .object({
    profileId: z.string(),
    /** How many match, before the limit. */
    total: z.number().int(),
    items: z.array(z.object({ type: z.string(), at: z.string(), payload: z.unknown() }).strict()),
  })
  .strict();

/** POST /v1/profiles/import: how many rows, imported and refused, and each refused row's issues. */
export const profileImportAnswer = z
  .object({
    total: z.number().int(),
    imported: z.number().int(),
    failed: z.number().int(),
    /** One entry per refused row: its line (in the request body) and what is wrong. */
    errors: z.array(
      z
        .object({
          line: z.number().int(),
          issues: z.array(
            z
              .object({
                path: z.string(),
                message: z.string(),
                expected: z.string().optional(),
                received: z.string().optional(),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
  })
  .strict();

/** DELETE /v1/profiles/:namespace/:id: the profile erased on request. */
export const profileEraseAnswer = z
  .object({ profileId: z.string(), erased: z.literal(true) })
  .strict();

/** GET /v1/profile-settings: experience-event retention in days (null: kept for ever). */
export const profileSettingsAnswer = z
  .object({ eventRetentionDays: z.number().int().nullable() })
  .strict();

/** PUT /v1/profile-settings: the retention set, and how many events it purged at once. */
export const profileSettingsPutAnswer = profileSettingsAnswer
  .extend({ purged: z.number().int() })
  .strict();
