// POST /v1/actions/:name/test: a custom action called once, as a journey would. The schema the
// console's "Test call" takes its type from; test/api/answer-schemas-objects.test.ts parses real
// answers (a success and a failure) with it.
import { z } from 'zod';

export const actionTestAnswer = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), status: z.number().int(), body: z.unknown() }).strict(),
  z
    .object({
      ok: z.literal(false),
      code: z.string(),
      message: z.string(),
      /** The endpoint's answer, when it gave one. */
      errorResponse: z.unknown().optional(),
    })
    .strict(),
]);
