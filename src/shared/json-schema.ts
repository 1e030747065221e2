// JSON Schema of the zod schemas, for the OpenAPI document and the assistant's schema passages
// (validation stays with zod).
import { z } from 'zod';

const converted = new WeakMap<z.ZodType, Map<string, string>>();

/**
 * JSON Schema of a zod schema, as `z.toJSONSchema` gives it with `unrepresentable: 'any'` and
 * `io: 'input'`. The schemas are the modules' constants: converted once per process (every server
 * built in it, the tests build hundreds, asks for the same ones), and each caller gets its own
 * copy, since Fastify and its swagger plugin keep the object they are given. Throws when zod
 * cannot convert the schema.
 */
export function jsonSchemaOf(
  schema: z.ZodType,
  opts: { readonly reused?: 'ref' } = {},
): Record<string, unknown> {
  const key = opts.reused ?? 'inline';
  let bySettings = converted.get(schema);
  if (!bySettings) converted.set(schema, (bySettings = new Map()));
  let json = bySettings.get(key);
  if (json === undefined) {
    json = JSON.stringify(z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input', ...opts }));
    bySettings.set(key, json);
  }
  return JSON.parse(json) as Record<string, unknown>;
}
