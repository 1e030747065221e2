// Reads the JSON form of an evaluation context (CLI --context files, API bodies):
// {"events": {...}, "profile": {...}, "actions": {...}, "audiences": {"name": "realized"|"exited"},
//  "dataSources": {...}, "now": "<ISO-8601>" | epochMs, "timeZone": "Europe/Paris", "seed": 42}
// Every key is optional. Also builds an open scope (no schemas) for ad-hoc evaluation.
import type { EvaluationContext } from './runtime.ts';
import type { SchemaScope } from './scope.ts';
import { isValidZone, parseInstant } from './time.ts';
import { mulberry32 } from '../shared/seeded-random.ts';

export interface InputIssue {
  readonly path: string;
  readonly message: string;
  readonly expected: string;
  readonly received: string;
}

export type ContextResult =
  | { readonly ok: true; readonly context: EvaluationContext }
  | { readonly ok: false; readonly issues: readonly InputIssue[] };

const kindOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A small seeded generator (mulberry32): the same seed gives the same random() sequence. */
export const seededRandom = mulberry32;

/**
 * Parses a context. `defaultNow` is used when the input has no "now" (callers at the edge pass
 * the wall clock; the pure core never reads it).
 */
export function parseContextInput(input: unknown, defaultNow: number): ContextResult {
  const issues: InputIssue[] = [];
  const body = input === undefined || input === null ? {} : input;
  if (!isRecord(body))
    return {
      ok: false,
      issues: [
        {
          path: 'context',
          message: 'the context must be an object',
          expected: 'object',
          received: kindOf(body),
        },
      ],
    };
  const record = (key: string): Record<string, unknown> => {
    const v = body[key];
    if (v === undefined || v === null) return {};
    if (!isRecord(v)) {
      issues.push({
        path: `context.${key}`,
        message: `"${key}" must be an object`,
        expected: 'object',
        received: kindOf(v),
      });
      return {};
    }
    return v;
  };
  const events = record('events');
  const actions = record('actions');
  const dataSources = record('dataSources');
  const audiencesIn = record('audiences');
  const audiences: Record<string, 'realized' | 'exited'> = {};
  for (const [name, status] of Object.entries(audiencesIn)) {
    if (status === 'realized' || status === 'exited') audiences[name] = status;
    else
      issues.push({
        path: `context.audiences.${name}`,
        message: 'an audience status is "realized" or "exited"',
        expected: '"realized" | "exited"',
        received: JSON.stringify(status) ?? 'undefined',
      });
  }
  let now = defaultNow;
  const nowIn = body['now'];
  if (typeof nowIn === 'string') {
    const p = parseInstant(nowIn);
    if (p) now = p.ms;
    else
      issues.push({
        path: 'context.now',
        message: '"now" must be an ISO-8601 date-time',
        expected: 'ISO-8601 date-time',
        received: JSON.stringify(nowIn),
      });
  } else if (typeof nowIn === 'number' && Number.isFinite(nowIn)) now = nowIn;
  else if (nowIn !== undefined)
    issues.push({
      path: 'context.now',
      message: '"now" must be an ISO-8601 string or epoch milliseconds',
      expected: 'string | number',
      received: kindOf(nowIn),
    });
  let timeZone = 'UTC';
  const tz = body['timeZone'];
  if (typeof tz === 'string' && isValidZone(tz)) timeZone = tz;
  else if (tz !== undefined)
    issues.push({
      path: 'context.timeZone',
      message: '"timeZone" must be an IANA time zone',
      expected: 'IANA time zone',
      received: JSON.stringify(tz) ?? 'undefined',
    });
  const seedIn = body['seed'];
  let seed = 0;
  if (typeof seedIn === 'number' && Number.isFinite(seedIn)) seed = seedIn;
  else if (seedIn !== undefined)
    issues.push({
      path: 'context.seed',
      message: '"seed" must be a number',
      expected: 'number',
      received: kindOf(seedIn),
    });
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    context: {
      events,
      profile: body['profile'] ?? null,
      actions,
      audiences,
      dataSources,
      now,
      random: seededRandom(seed),
      timeZone,
    },
  };
}

/** A scope without schemas: every event and action name is accepted, fields are checked at run time only. */
export function openScope(audiences?: readonly string[]): SchemaScope {
  return { events: {}, actions: {}, open: true, ...(audiences ? { audiences } : {}) };
}

export type { EvaluationContext };
