// Query and body parsing for the designer's routes: zod schemas, and bad input answered as
// 400 {error: {code: 'bad_request', message, issues: [{path, message, expected, received}]}} with
// paths as the client sent them (query.limit, body.cursor).
import type { z } from 'zod';
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

export { jsonSchemaOf as openApi } from '../../shared/json-schema.ts';
