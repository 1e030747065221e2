// Holds a real answer to the zod schema the console's types are inferred from: a 2xx status, and a
// body that parses strictly (no field missing, none the schema does not name).
import assert from 'node:assert/strict';
import type { z } from 'zod';

export function conforms(
  schema: z.ZodType,
  answer: { status: number; body: unknown },
  what: string,
): void {
  assert.ok(
    answer.status >= 200 && answer.status < 300,
    `${what}: status ${answer.status} ${JSON.stringify(answer.body)}`,
  );
  const r = schema.safeParse(answer.body);
  assert.ok(
    r.success,
    `${what} does not match its schema:\n${r.success ? '' : JSON.stringify(r.error.issues, null, 2)}\n${JSON.stringify(answer.body)}`,
  );
}
