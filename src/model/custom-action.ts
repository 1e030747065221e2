import { z } from 'zod';
import { jsonSchemaSchema } from './common.ts';
import { validationFailed } from '../errors.ts';
import type { ErrorIssue } from '../errors.ts';

// A custom action (reference §4): a static URL, a method, constant or variable headers, query
// parameters and payload fields, a response sample that types `@action{...}` downstream, an
// optional error-response sample, authentication and a timeout. `buildActionRequest` (below) turns
// a definition plus the journey's evaluated values into the HTTP request, purely.

/** Alphanumeric and `_`, at most 30 characters. */
export const actionNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_]{1,30}$/, 'letters, digits and _ only, at most 30 characters');

/** Header and query names must not start with `.` or `$`. */
const paramNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^.$]/, 'must not start with . or $');
/** Payload field names cannot contain `.` nor start with `$`; nested fields are dot paths. */
const fieldPathSchema = z
  .string()
  .min(1)
  .max(500)
  .regex(
    /^[^.$][^.]*(?:\.[^.$][^.]*)*$/,
    'dot-separated field names; a name may not contain . or start with $',
  );

export const ActionMethod = { Post: 'POST', Put: 'PUT', Get: 'GET' } as const;
export type ActionMethod = (typeof ActionMethod)[keyof typeof ActionMethod];

const staticUrlSchema = z
  .string()
  .url()
  .refine((u) => {
    try {
      const url = new URL(u);
      return (
        (url.protocol === 'https:' || url.protocol === 'http:') &&
        url.username === '' &&
        url.password === '' &&
        !/[{}]/.test(u) &&
        url.hash === ''
      );
    } catch {
      return false;
    }
  }, 'an http(s) URL without credentials, fragment or {placeholders}: the dynamic path is set per journey');

export const actionParamSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('constant'),
      name: paramNameSchema,
      value: z.string().max(8000).describe('Sent as written on every call.'),
    })
    .meta({ title: 'Constant' }),
  z
    .object({
      kind: z.literal('variable'),
      name: paramNameSchema,
      optional: z.boolean().default(false).describe('The journey may leave it out.'),
    })
    .meta({ title: 'Variable (set in each journey)' }),
]);
export type ActionParam = z.infer<typeof actionParamSchema>;

export const PayloadFieldType = {
  String: 'string',
  Integer: 'integer',
  Decimal: 'decimal',
  Boolean: 'boolean',
  DateTime: 'dateTime',
  ListString: 'listString',
  ListInteger: 'listInteger',
  ListDecimal: 'listDecimal',
  ListBoolean: 'listBoolean',
  ListObject: 'listObject',
} as const;
export type PayloadFieldType = (typeof PayloadFieldType)[keyof typeof PayloadFieldType];

export const payloadFieldSchema = z
  .object({
    /** Dot path into the JSON body (`customer.loyaltyId`). */
    path: fieldPathSchema.meta({
      title: 'Field path',
      description: 'Dot path in the JSON body, e.g. customer.loyaltyId.',
    }),
    type: z.enum([
      'string',
      'integer',
      'decimal',
      'boolean',
      'dateTime',
      'listString',
      'listInteger',
      'listDecimal',
      'listBoolean',
      'listObject',
    ]),
    kind: z
      .enum(['constant', 'variable'])
      .describe('Constant: the value below on every call. Variable: set in each journey.'),
    /** For constants: the value sent. */
    value: z.unknown().optional().describe('For a constant: the value sent on every call.'),
    optional: z.boolean().default(false).describe('The journey may leave it out.'),
    /** Null kept: nulls dropped from scalar lists, a null list sent as []. */
    allowNull: z
      .boolean()
      .default(false)
      .describe(
        'Send null values (else nulls are dropped from lists and a null list is sent as []).',
      ),
  })
  .refine((f) => f.kind === 'variable' || f.value !== undefined, {
    message: 'a constant field needs a value',
    path: ['value'],
  })
  .meta({ title: 'Payload field' });
export type PayloadField = z.infer<typeof payloadFieldSchema>;

export const responseSampleSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('jsonSchema'),
      schema: jsonSchemaSchema.meta({ title: 'JSON Schema' }),
    })
    .meta({ title: 'JSON Schema' }),
  z
    .object({
      kind: z.literal('sample'),
      sample: z.unknown().meta({
        title: 'Sample answer',
        description: 'An example of what the endpoint answers, as JSON.',
      }),
    })
    .meta({ title: 'Sample answer' }),
]);
export type ResponseSample = z.infer<typeof responseSampleSchema>;

export const actionAuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).meta({ title: 'None' }),
  z
    .object({
      kind: z.literal('basic'),
      username: z.string().min(1).meta({ title: 'User name' }),
      password: z.string(),
    })
    .meta({ title: 'Basic (user name and password)' }),
  z.object({ kind: z.literal('bearer'), token: z.string().min(1) }).meta({ title: 'Bearer token' }),
  /** A header key: a constant secret header (X-Api-Key: ...). */
  z
    .object({
      kind: z.literal('headerKey'),
      header: paramNameSchema.meta({ title: 'Header name', description: 'e.g. X-Api-Key' }),
      value: z.string().min(1).meta({ title: 'Key' }),
    })
    .meta({ title: 'API key in a header' }),
  /** Custom token: call a token endpoint, take the token from its answer, cache it. */
  z
    .object({
      kind: z.literal('customToken'),
      endpoint: staticUrlSchema.meta({ title: 'Token endpoint' }),
      method: z.enum(['POST', 'GET']).default('POST'),
      headers: z
        .record(z.string(), z.string())
        .default({})
        .describe('Headers of the token request.'),
      /** JSON body of the token request. */
      body: z
        .record(z.string(), z.unknown())
        .optional()
        .describe('JSON body of the token request.'),
      /** Dot path of the token in the answer (`access_token`). */
      tokenPath: z
        .string()
        .min(1)
        .default('access_token')
        .describe('Dot path of the token in the answer.'),
      /** Dot path of the lifetime in seconds, if the answer carries one (`expires_in`). */
      expiresInPath: z
        .string()
        .min(1)
        .optional()
        .describe('Dot path of the lifetime in seconds, if the answer has one (expires_in).'),
      /** How long to cache the token when the answer gives no lifetime. */
      cacheSeconds: z
        .number()
        .int()
        .min(0)
        .max(86_400)
        .default(300)
        .describe('How long to keep the token when the answer gives no lifetime.'),
      /** Where the token goes on the action call. */
      header: z
        .string()
        .min(1)
        .default('Authorization')
        .describe('The header that carries the token on the action call.'),
      prefix: z.string().default('Bearer ').describe('Put before the token in that header.'),
    })
    .meta({ title: 'Token from an endpoint' }),
]);
export type ActionAuth = z.infer<typeof actionAuthSchema>;

/**
 * The JSON Schema of a response (or error) sample: what types `@action{Name.field}` downstream.
 * Scalar arrays are allowed; heterogeneous arrays are not (an error names the path).
 */
export function inferSampleSchema(
  sample: unknown,
  path = '$',
): { ok: true; schema: Record<string, unknown> } | { ok: false; path: string; message: string } {
  if (sample === null) return { ok: true, schema: { type: 'null' } };
  if (typeof sample === 'string') return { ok: true, schema: { type: 'string' } };
  if (typeof sample === 'boolean') return { ok: true, schema: { type: 'boolean' } };
  if (typeof sample === 'number')
    return { ok: true, schema: { type: Number.isInteger(sample) ? 'integer' : 'number' } };
  if (Array.isArray(sample)) {
    if (sample.length === 0) return { ok: true, schema: { type: 'array', items: {} } };
    const items = sample.map((v, i) => inferSampleSchema(v, `${path}[${i}]`));
    const failed = items.find((r) => !r.ok);
    if (failed !== undefined) return failed;
    const types = new Set(
      items.map((r) => (r.ok ? String(r.schema['type']).replace('integer', 'number') : '')),
    );
    if (types.size > 1) return { ok: false, path, message: 'heterogeneous arrays are not allowed' };
    const first = items[0] as { ok: true; schema: Record<string, unknown> };
    const numeric = items.some((r) => r.ok && r.schema['type'] === 'number');
    return {
      ok: true,
      schema: { type: 'array', items: numeric ? { type: 'number' } : first.schema },
    };
  }
  if (typeof sample === 'object') {
    const properties: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(sample)) {
      const r = inferSampleSchema(v, `${path}.${k}`);
      if (!r.ok) return r;
      properties[k] = r.schema;
    }
    return { ok: true, schema: { type: 'object', properties } };
  }
  return { ok: false, path, message: `${typeof sample} is not JSON` };
}

/** Once an action is used in a journey, only these fields may change. */
export const EDITABLE_WHEN_USED = ['name', 'description', 'url', 'auth'] as const;

/** The top-level fields that differ between two versions and may not change once the action is used. */
export function lockedFieldChanges(before: CustomAction, after: CustomAction): string[] {
  const editable: readonly string[] = EDITABLE_WHEN_USED;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter(
      (k) =>
        !editable.includes(k) &&
        JSON.stringify((before as Record<string, unknown>)[k]) !==
          JSON.stringify((after as Record<string, unknown>)[k]),
    )
    .sort();
}

export const customActionSchema = z
  .object({
    name: actionNameSchema.describe(
      'Journeys call the action by this name: letters, digits and _ (at most 30).',
    ),
    description: z.string().max(1000).optional(),
    url: staticUrlSchema.describe(
      'The endpoint, http or https, without credentials or {placeholders}: each journey may add a path to it.',
    ),
    method: z.enum(['POST', 'PUT', 'GET']),
    /** Content-Type is preset (editable), Charset is preset. */
    contentType: z.string().min(1).max(200).default('application/json'),
    headers: z
      .array(actionParamSchema.meta({ title: 'Header' }))
      .max(50)
      .default([])
      .describe('Constant headers are sent as written; variable ones are set in each journey.'),
    queryParameters: z
      .array(actionParamSchema.meta({ title: 'Query parameter' }))
      .max(50)
      .default([]),
    /** JSON payload fields (POST and PUT only). */
    payload: z
      .array(payloadFieldSchema)
      .max(500)
      .default([])
      .meta({ title: 'Payload fields', description: 'The JSON body (POST and PUT only).' }),
    responseSample: responseSampleSchema
      .optional()
      .describe(
        "What the endpoint answers: it types the action's fields (@action{…}) in journeys.",
      ),
    errorResponseSample: responseSampleSchema
      .optional()
      .describe('What the endpoint answers on an error.'),
    auth: actionAuthSchema.default({ kind: 'none' }).meta({ title: 'Authentication' }),
    timeoutMs: z
      .number()
      .int()
      .min(1000)
      .max(30_000)
      .default(30_000)
      .meta({ title: 'Timeout (ms)', description: '1,000 to 30,000 milliseconds.' }),
    /** Throttling: calls over the rate wait in a queue, up to `maxQueueAgeMs` (6 hours by default); older ones are dropped as `capped`. */
    throttling: z
      .object({
        ratePerSecond: z.number().min(1).max(100_000).meta({ title: 'Calls per second' }),
        maxQueueAgeMs: z
          .number()
          .int()
          .min(1000)
          .max(6 * 3_600_000)
          .default(6 * 3_600_000)
          .meta({
            title: 'Longest wait (ms)',
            description: 'Older queued calls are dropped as capped (6 hours by default).',
          }),
      })
      .optional()
      .describe('Calls over the rate wait in a queue.'),
    /** Capping per endpoint host: calls over it are rejected as `capped`. */
    capping: z
      .object({
        maxCalls: z
          .number()
          .int()
          .min(1)
          .max(10_000_000)
          .default(300_000)
          .meta({ title: 'Calls at most' }),
        periodMs: z
          .number()
          .int()
          .min(1000)
          .max(3_600_000)
          .default(60_000)
          .meta({ title: 'Per period (ms)' }),
      })
      .optional()
      .describe("Calls to the endpoint's host over the cap are rejected as capped."),
  })
  .superRefine((a, ctx) => {
    if (a.method === 'GET' && a.payload.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['payload'],
        message: 'a GET action has no request payload',
      });
    const seen = new Set<string>();
    for (const [i, f] of a.payload.entries()) {
      if (seen.has(f.path))
        ctx.addIssue({
          code: 'custom',
          path: ['payload', i, 'path'],
          message: `duplicate field "${f.path}"`,
        });
      seen.add(f.path);
    }
    for (const key of ['responseSample', 'errorResponseSample'] as const) {
      const sample = a[key];
      if (sample?.kind !== 'sample') continue;
      const r = inferSampleSchema(sample.sample);
      if (!r.ok)
        ctx.addIssue({ code: 'custom', path: [key, 'sample'], message: `${r.path}: ${r.message}` });
    }
    for (const key of ['headers', 'queryParameters'] as const) {
      const names = new Set<string>();
      for (const [i, p] of a[key].entries()) {
        const n = key === 'headers' ? p.name.toLowerCase() : p.name;
        if (names.has(n))
          ctx.addIssue({
            code: 'custom',
            path: [key, i, 'name'],
            message: `duplicate name "${p.name}"`,
          });
        names.add(n);
      }
    }
  });
export type CustomAction = z.infer<typeof customActionSchema>;
export type CustomActionInput = z.input<typeof customActionSchema>;

/** Secret fields of a custom action (encrypted at rest, redacted in answers and logs). */
export const customActionSecretPaths: readonly string[] = [
  'auth.password',
  'auth.token',
  'auth.value',
  'auth.body',
  'auth.headers',
];

// ---------------------------------------------------------------------------------------------
// Building the request (pure)
// ---------------------------------------------------------------------------------------------

/** Values the journey evaluated for the action's variable parts. */
export interface ActionValues {
  /** The dynamic path appended to the static URL (`'/members/' + @event{...} + '/points'`). */
  readonly path?: string;
  readonly headers?: Readonly<Record<string, unknown>>;
  readonly query?: Readonly<Record<string, unknown>>;
  /** Keyed by the payload field's dot path. */
  readonly payload?: Readonly<Record<string, unknown>>;
}

export interface ActionRequest {
  readonly method: ActionMethod;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text (POST and PUT). */
  readonly body?: string;
  /** Lower-case header names whose values are secrets: never log them. */
  readonly secretHeaders: readonly string[];
}

/** The key of a journey action node's parameter that holds the dynamic path (names cannot start with `$`). */
export const DYNAMIC_PATH_PARAMETER = '$path';

/**
 * Maps a journey action node's evaluated parameters (flat) to ActionValues: `$path` is the dynamic
 * path, `header:<name>` a header, `query:<name>` a query parameter, anything else a payload path.
 */
export function actionValuesFromParameters(
  evaluated: Readonly<Record<string, unknown>>,
): ActionValues {
  const headers: Record<string, unknown> = {};
  const query: Record<string, unknown> = {};
  const payload: Record<string, unknown> = {};
  let path: string | undefined;
  for (const [key, value] of Object.entries(evaluated)) {
    if (key === DYNAMIC_PATH_PARAMETER)
      path = value === undefined || value === null ? undefined : String(value);
    else if (key.startsWith('header:')) headers[key.slice(7)] = value;
    else if (key.startsWith('query:')) query[key.slice(6)] = value;
    else payload[key] = value;
  }
  return { ...(path === undefined ? {} : { path }), headers, query, payload };
}

const SECRET_HEADER = /auth|token|key|secret|cookie|password|signature/i;

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

type ScalarType = 'string' | 'integer' | 'decimal' | 'boolean' | 'dateTime';
const listItemType: Partial<Record<PayloadFieldType, ScalarType | 'object'>> = {
  listString: 'string',
  listInteger: 'integer',
  listDecimal: 'decimal',
  listBoolean: 'boolean',
  listObject: 'object',
};

function checkScalar(
  type: ScalarType | 'object',
  value: unknown,
): { ok: true; value: unknown } | { ok: false } {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? { ok: true, value } : { ok: false };
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value)
        ? { ok: true, value }
        : { ok: false };
    case 'decimal':
      return typeof value === 'number' && Number.isFinite(value)
        ? { ok: true, value }
        : { ok: false };
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false };
    case 'dateTime':
      if (value instanceof Date && !Number.isNaN(value.getTime()))
        return { ok: true, value: value.toISOString() };
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
        ? { ok: true, value }
        : { ok: false };
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? { ok: true, value }
        : { ok: false };
    default: {
      const never: never = type;
      return never;
    }
  }
}

/** Returns the JSON value to send, `undefined` to omit the field, or pushes an issue. */
function fieldValue(field: PayloadField, raw: unknown, issues: ErrorIssue[]): unknown {
  const where = `payload.${field.path}`;
  if (raw === undefined || (raw === null && !field.allowNull)) {
    if (field.optional) return undefined;
    issues.push({
      path: where,
      message: raw === null ? 'null is not allowed for this field' : 'a required value is missing',
      expected: field.type,
      received: describe(raw),
    });
    return undefined;
  }
  const itemType = listItemType[field.type];
  if (itemType !== undefined) {
    if (raw === null) return [];
    if (!Array.isArray(raw)) {
      issues.push({
        path: where,
        message: 'expected a list',
        expected: field.type,
        received: describe(raw),
      });
      return undefined;
    }
    const out: unknown[] = [];
    for (const [i, item] of raw.entries()) {
      if (item === null && field.allowNull && itemType !== 'object') continue;
      const r = checkScalar(itemType, item);
      if (r.ok) out.push(r.value);
      else
        issues.push({
          path: `${where}[${i}]`,
          message: 'wrong item type',
          expected: itemType,
          received: describe(item),
        });
    }
    return out;
  }
  if (raw === null) return null;
  const r = checkScalar(field.type as ScalarType, raw);
  if (r.ok) return r.value;
  issues.push({
    path: where,
    message: 'wrong type',
    expected: field.type,
    received: describe(raw),
  });
  return undefined;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next === 'object' && next !== null && !Array.isArray(next))
      node = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      node[part] = created;
      node = created;
    }
  }
  node[parts[parts.length - 1] as string] = value;
}

function joinPath(base: URL, dynamicPath: string, issues: ErrorIssue[]): URL | undefined {
  if (
    /^[a-z][a-z0-9+.-]*:|^\/\/|[?#\\]/i.test(dynamicPath) ||
    dynamicPath.split('/').some((s) => s === '..' || s === '.')
  ) {
    issues.push({
      path: 'path',
      message:
        'the dynamic path must be a plain path (no scheme, host, query, fragment or dot segments)',
      received: dynamicPath,
    });
    return undefined;
  }
  const url = new URL(base.href);
  const left = url.pathname.replace(/\/+$/, '');
  const right = dynamicPath.replace(/^\/+/, '');
  url.pathname = right === '' ? url.pathname : `${left}/${right}`;
  return url;
}

/**
 * Builds the HTTP request of a custom action call from its definition and the evaluated values.
 * Throws a `validation_failed` WaymarkError listing every missing or mistyped value.
 *
 * @example
 * buildActionRequest(loyalty, { path: '/members/42', payload: { points: 10 } })
 * // { method: 'POST', url: 'https://api.example.com/v1/members/42', headers: {...}, body: '{"points":10}' }
 */
export function buildActionRequest(def: CustomAction, values: ActionValues = {}): ActionRequest {
  const issues: ErrorIssue[] = [];
  const base = new URL(def.url);
  const url =
    values.path === undefined || values.path === '' ? base : joinPath(base, values.path, issues);

  const headers: Record<string, string> = { 'content-type': def.contentType };
  const secretHeaders: string[] = [];
  for (const h of def.headers) {
    const name = h.name.toLowerCase();
    if (h.kind === 'constant') {
      headers[name] = h.value;
      if (SECRET_HEADER.test(name)) secretHeaders.push(name);
      continue;
    }
    const raw = values.headers?.[h.name];
    const text = scalar(raw);
    if (text !== undefined) headers[name] = text;
    else if (raw !== undefined && raw !== null)
      issues.push({
        path: `headers.${h.name}`,
        message: 'a header value must be a string, number or boolean',
        received: describe(raw),
      });
    else if (!h.optional)
      issues.push({
        path: `headers.${h.name}`,
        message: 'a required value is missing',
        expected: 'string',
        received: describe(raw),
      });
  }
  const auth = def.auth;
  switch (auth.kind) {
    case 'none':
    case 'customToken':
      break; // the token is fetched (and cached) by the client at call time
    case 'basic':
      headers['authorization'] =
        `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
      secretHeaders.push('authorization');
      break;
    case 'bearer':
      headers['authorization'] = `Bearer ${auth.token}`;
      secretHeaders.push('authorization');
      break;
    case 'headerKey':
      headers[auth.header.toLowerCase()] = auth.value;
      secretHeaders.push(auth.header.toLowerCase());
      break;
    default: {
      const never: never = auth;
      return never;
    }
  }

  for (const q of def.queryParameters) {
    if (url === undefined) break;
    if (q.kind === 'constant') {
      url.searchParams.append(q.name, q.value);
      continue;
    }
    const raw = values.query?.[q.name];
    const text = scalar(raw);
    if (text !== undefined) url.searchParams.append(q.name, text);
    else if (raw !== undefined && raw !== null)
      issues.push({
        path: `query.${q.name}`,
        message: 'a query value must be a string, number or boolean',
        received: describe(raw),
      });
    else if (!q.optional)
      issues.push({
        path: `query.${q.name}`,
        message: 'a required value is missing',
        expected: 'string',
        received: describe(raw),
      });
  }

  let body: string | undefined;
  if (def.method !== 'GET') {
    const json: Record<string, unknown> = {};
    for (const field of def.payload) {
      const raw = field.kind === 'constant' ? field.value : values.payload?.[field.path];
      const v = fieldValue(field, raw, issues);
      if (v !== undefined) setPath(json, field.path, v);
    }
    body = JSON.stringify(json);
  }

  if (issues.length > 0 || url === undefined) {
    throw validationFailed(
      `custom action "${def.name}": ${issues.length} value(s) missing or invalid`,
      issues,
    );
  }
  return {
    method: def.method,
    url: url.href,
    headers,
    ...(body === undefined ? {} : { body }),
    secretHeaders: [...new Set(secretHeaders)],
  };
}
