// Query and body parsing for the designer's routes: zod schemas, and bad input answered as
// 400 {error: {code: 'bad_request', message, issues: [{path, message, expected, received}]}} with
// paths as the client sent them (query.limit, body.cursor).
import { z } from 'zod';
import { ErrorCode, WaymarkError } from '../../errors.ts';

const kindOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;

export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'query' | 'body',
): z.infer<S> {
  if (where === 'body' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw new WaymarkError(ErrorCode.BadRequest, 'the body must be a JSON object', {
      issues: [
        {
          path: 'body',
          message: 'send a JSON object',
          expected: 'object',
          received: kindOf(value),
        },
      ],
    });
  }
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => {
    const raw = i as unknown as {
      expected?: unknown;
      input?: unknown;
      values?: unknown;
      minimum?: unknown;
      maximum?: unknown;
    };
    let at: unknown = value;
    for (const seg of i.path)
      at =
        typeof at === 'object' && at !== null
          ? (at as Record<PropertyKey, unknown>)[seg as PropertyKey]
          : undefined;
    const expected =
      raw.expected !== undefined
        ? String(raw.expected)
        : Array.isArray(raw.values)
          ? raw.values.map((v) => JSON.stringify(v)).join(' | ')
          : raw.minimum !== undefined || raw.maximum !== undefined
            ? [
                raw.minimum !== undefined ? `>= ${String(raw.minimum)}` : '',
                raw.maximum !== undefined ? `<= ${String(raw.maximum)}` : '',
              ]
                .filter(Boolean)
                .join(' and ')
            : 'a valid value';
    const cut = (t: string): string => (t.length > 80 ? `${t.slice(0, 80)}…` : t);
    // Query values are text as typed; body strings are quoted to tell "1" from 1.
    const received =
      at === undefined
        ? 'nothing'
        : typeof at === 'string'
          ? where === 'query'
            ? cut(at)
            : JSON.stringify(cut(at))
          : typeof at === 'object'
            ? kindOf(at)
            : String(at);
    return {
      path: [where, ...i.path.map(String)].join('.'),
      message: i.message,
      expected,
      received,
    };
  });
  throw new WaymarkError(
    ErrorCode.BadRequest,
    `${issues.map((x) => x.path).join(', ')}: ${issues[0]?.message ?? 'invalid'}`,
    { issues },
  );
}

const converted = new WeakMap<z.ZodType, Map<string, string>>();

/**
 * JSON Schema of a zod schema for the OpenAPI document (route validation stays with zod), as
 * `z.toJSONSchema` gives it with `unrepresentable: 'any'` and `io: 'input'`. The schemas are the
 * modules' constants: converted once per process (every server built in it, the tests build
 * hundreds, asks for the same ones), and each caller gets its own copy, since Fastify and its
 * swagger plugin keep the object they are given.
 */
export function openApi(
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
