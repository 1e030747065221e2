// What ingesting events answers (POST /v1/events, and a test event: POST
// /v1/journeys/:id/test-runs/events). The route is the hot path: it is not validated against these
// schemas when it answers; test/api/answer-schemas.test.ts holds it to them.
import { z } from 'zod';

const issueSchema = z
  .object({
    path: z.string(),
    message: z.string(),
    expected: z.string().optional(),
    received: z.string().optional(),
  })
  .strict();

/** What became of one event. */
export const ingestResultSchema = z.discriminatedUnion('status', [
  z
    .object({
      index: z.number().int(),
      id: z.string(),
      status: z.literal('accepted'),
      profileId: z.string(),
      /** The journeys it entered or moved. */
      journeys: z.array(z.string()),
    })
    .strict(),
  z.object({ index: z.number().int(), id: z.string(), status: z.literal('duplicate') }).strict(),
  /** The id was taken by a different event: refused, not dead-lettered. */
  z
    .object({
      index: z.number().int(),
      id: z.string(),
      status: z.literal('conflict'),
      message: z.string(),
      issues: z.array(issueSchema),
    })
    .strict(),
  z
    .object({
      index: z.number().int(),
      id: z.string().nullable(),
      status: z.literal('rejected'),
      code: z.number().int(),
      message: z.string(),
      issues: z.array(z.unknown()),
      deadLetter: z.literal(true),
    })
    .strict(),
  /** Fleet mode: handed to the engine that owns the event's partition. */
  z
    .object({
      index: z.number().int(),
      id: z.string(),
      status: z.literal('routed'),
      partition: z.number().int(),
    })
    .strict(),
]);

/** POST /v1/events (202, 207, and the per-event part of 400 and 409). */
export const ingestAnswer = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    conflicts: z.number().int(),
    rejected: z.number().int(),
    /** Fleet mode only. */
    routed: z.number().int().optional(),
    results: z.array(ingestResultSchema),
  })
  .strict();

/** An event that was rejected (it failed its schema or named no profile), kept to replay. */
export const deadLetterSchema = z
  .object({
    id: z.number().int(),
    sandbox: z.string(),
    eventId: z.string().nullable(),
    eventType: z.string().nullable(),
    /** The event as it came. */
    body: z.unknown(),
    /** Why it was rejected. */
    errors: z.object({ message: z.string(), issues: z.array(issueSchema) }).strict(),
    receivedAt: z.number().int(),
    replayedAt: z.number().int().nullable(),
  })
  .strict();

/** GET /v1/dead-letters. */
export const deadLetterListAnswer = z.object({ items: z.array(deadLetterSchema) }).strict();
