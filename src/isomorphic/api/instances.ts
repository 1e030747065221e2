// Where profiles are in journeys: GET /v1/journeys/:id/instances, and the journeys a profile is in
// (GET /v1/profiles/:namespace/:id). The schemas the console's types are inferred from;
// test/api/answer-schemas.test.ts holds the server to them.
import { z } from 'zod';
import { ExitReason, InstanceStatus } from '../../journey/instance.ts';

const at = z.number().int();

/** One activity the profile crossed: when it arrived, and when and how it left. */
export const pathStepSchema = z
  .object({
    node: z.string(),
    at,
    left: at.optional(),
    /** The path it took, or why it stopped there. */
    outcome: z.string().optional(),
  })
  .strict();

/** Where an instance rests between inputs. */
export const waitingSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('listening'),
      /** Event and wait activities standing in parallel. */
      nodes: z.array(z.string()),
      since: at,
      timer: z
        .object({
          id: z.string(),
          dueAt: at,
          node: z.string(),
          reason: z.enum(['wait', 'timeout']),
        })
        .strict()
        .optional(),
    })
    .strict(),
  z.object({ kind: z.literal('action'), node: z.string(), callId: z.string(), since: at }).strict(),
  z
    .object({ kind: z.literal('message'), node: z.string(), messageId: z.string(), since: at })
    .strict(),
]);

/** One profile in one journey version. */
export const instanceSchema = z
  .object({
    /** The stored format's version. */
    v: z.number().int(),
    id: z.string(),
    journeyId: z.string(),
    version: z.number().int(),
    profileId: z.string(),
    status: z.enum(Object.values(InstanceStatus) as [InstanceStatus, ...InstanceStatus[]]),
    waiting: waitingSchema.nullable(),
    /** The latest payload of each event and response of each action the instance received. */
    context: z
      .object({
        events: z.record(z.string(), z.unknown()),
        actions: z.record(z.string(), z.unknown()),
      })
      .strict(),
    path: z.array(pathStepSchema),
    enteredAt: at,
    exitedAt: at.optional(),
    exitReason: z.enum(Object.values(ExitReason) as [ExitReason, ...ExitReason[]]).optional(),
    lastError: z
      .object({
        node: z.string(),
        nodeKind: z.string(),
        code: z.string(),
        message: z.string(),
        at,
      })
      .strict()
      .optional(),
    /** How many effects the instance issued. */
    seq: z.number().int(),
  })
  .strict();

export const instanceListAnswer = z.object({ items: z.array(instanceSchema) }).strict();
