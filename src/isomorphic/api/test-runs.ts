// Test runs (test mode as a journey debugger): GET /v1/journeys/:id/test-runs and /:runId with its
// step trace, a test event and a replay. The schemas the console's types are inferred from (the
// trace entries' type is checked against src/journey/trace.ts below); test/api/answer-schemas.test.ts
// holds the server to them.
import { z } from 'zod';
import type { TraceEntry } from '../../journey/trace.ts';
import type { Answer } from '../../shared/schema-types.ts';
import { ingestResultSchema } from './events.ts';

const at = z.number().int();
const channel = z.enum(['email', 'push', 'sms', 'inApp', 'code']);
const reason = z.enum(['wait', 'timeout']);

export const traceEntrySchema = z.discriminatedUnion('kind', [
  /** An event entered the journey or resumed the profile at `node`. */
  z
    .object({
      kind: z.literal('event'),
      node: z.string(),
      event: z.string(),
      payload: z.unknown(),
      entry: z.boolean(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('condition'),
      node: z.string(),
      mode: z.enum(['expression', 'split', 'time', 'date', 'profileCap']),
      paths: z.array(
        z
          .object({
            label: z.string(),
            expression: z.string().nullable(),
            /** Absent when it was not evaluated (an earlier path matched). */
            value: z.unknown().optional(),
            error: z.string().optional(),
          })
          .strict(),
      ),
      taken: z.string(),
    })
    .strict(),
  /** `configured`: the duration the journey states (test mode shortens it). */
  z
    .object({
      kind: z.literal('timer'),
      node: z.string(),
      reason,
      dueAt: at,
      configured: z.string().nullable(),
      shortened: z.boolean(),
    })
    .strict(),
  z.object({ kind: z.literal('timerFired'), node: z.string(), reason }).strict(),
  z
    .object({
      kind: z.literal('actionCall'),
      node: z.string(),
      action: z.string(),
      callId: z.string(),
      parameters: z.record(z.string(), z.unknown()),
    })
    .strict(),
  z
    .object({
      kind: z.literal('actionResult'),
      node: z.string(),
      action: z.string(),
      callId: z.string(),
      /** The request as sent, secrets redacted. */
      request: z
        .object({
          method: z.string(),
          url: z.string(),
          headers: z.record(z.string(), z.string()),
          body: z.unknown(),
        })
        .strict()
        .nullable(),
      response: z.object({ status: z.number().int(), body: z.unknown() }).strict().nullable(),
      error: z.object({ code: z.string(), message: z.string() }).strict().nullable(),
      durationMs: z.number().nullable(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('message'),
      node: z.string(),
      messageId: z.string(),
      channel,
      label: z.string(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('messageResult'),
      node: z.string(),
      messageId: z.string(),
      channel,
      status: z.string(),
      reason: z.string().nullable(),
      recipient: z.string().nullable(),
      subject: z.string().nullable(),
      html: z.string().nullable(),
      text: z.string().nullable(),
      payload: z.unknown(),
    })
    .strict(),
  z.object({ kind: z.literal('exit'), reason: z.string() }).strict(),
  z
    .object({
      kind: z.literal('state'),
      status: z.enum(['active', 'exited']),
      current: z.array(z.string()),
      dueAt: at.nullable(),
    })
    .strict(),
]);

// The schema and the engine's own type must describe the same entries (both ways).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const traceEntryMatches: Same<Answer<typeof traceEntrySchema>, TraceEntry> = true;
void traceEntryMatches;

export const testRunSummarySchema = z
  .object({
    id: z.string(),
    journeyId: z.string(),
    version: z.number().int(),
    profileId: z.string(),
    /** The profile's first identity, `namespace:id`, when the run started (null when unknown). */
    profile: z.string().nullable(),
    startedAt: at,
    updatedAt: at,
    status: z.enum(['active', 'exited']),
    /** Activities the profile waits at now (none once it exited). */
    current: z.array(z.string()),
    /** When the running wait or timeout is due (test mode: shortened). */
    dueAt: at.nullable(),
    exitReason: z.string().nullable(),
    steps: z.number().int(),
  })
  .strict();

/** GET /v1/journeys/:id/test-runs?version=N. */
export const testRunListAnswer = z
  .object({ version: z.number().int(), items: z.array(testRunSummarySchema) })
  .strict();

/** GET /v1/journeys/:id/test-runs/:runId. */
export const testRunSchema = testRunSummarySchema
  .extend({ trace: z.array(z.object({ at, entry: traceEntrySchema }).strict()) })
  .strict();

/** POST /v1/journeys/:id/test-runs/events. */
export const testEventAnswer = z
  .object({ version: z.number().int(), result: ingestResultSchema })
  .strict();

/** POST /v1/journeys/:id/test-runs/:runId/replay: the new run, and how many events wait for timers. */
export const testReplayAnswer = z
  .object({
    version: z.number().int(),
    runId: z.string().nullable(),
    results: z.array(ingestResultSchema),
    pending: z.number().int(),
  })
  .strict();
