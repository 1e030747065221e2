// Shared by the CLI and the HTTP API: evaluate an expression against a JSON context, and build a
// scope from JSON input. Pure: the caller passes the default clock.
import { compileExpression, toJson } from './index.ts';
import type { ExpectedType, SchemaScope } from './index.ts';
import type { InputIssue } from './context-input.ts';
import { openScope, parseContextInput } from './context-input.ts';

export type EvalJsonResult =
  | { readonly ok: true; readonly value: unknown; readonly type: string }
  | {
      readonly ok: false;
      readonly error: {
        readonly code: string;
        readonly message: string;
        readonly line: number;
        readonly column: number;
        readonly expected?: string;
        readonly found?: string;
        readonly issues?: readonly InputIssue[];
      };
    };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function evaluateJson(
  expr: unknown,
  context: unknown,
  opts: {
    readonly defaultNow: number;
    readonly scope?: SchemaScope;
    readonly expect?: ExpectedType;
  },
): EvalJsonResult {
  if (typeof expr !== 'string') {
    return {
      ok: false,
      error: {
        code: 'bad_request',
        message: 'the expression must be a string',
        line: 0,
        column: 0,
      },
    };
  }
  const ctx = parseContextInput(context, opts.defaultNow);
  if (!ctx.ok) {
    const first = ctx.issues[0];
    return {
      ok: false,
      error: {
        code: 'bad_context',
        message: `invalid context: ${first ? `${first.path}: ${first.message}` : 'invalid'}`,
        line: 0,
        column: 0,
        issues: ctx.issues,
      },
    };
  }
  const compiled = compileExpression(
    expr,
    opts.scope ?? openScope(),
    opts.expect ? { expect: opts.expect } : {},
  );
  if (!compiled.ok) {
    const d = compiled.diagnostics[0];
    return {
      ok: false,
      error: {
        code: d?.code ?? 'invalid',
        message: d?.message ?? 'invalid expression',
        line: d?.line ?? 1,
        column: d?.column ?? 1,
        ...(d?.expected === undefined ? {} : { expected: d.expected }),
        ...(d?.found === undefined ? {} : { found: d.found }),
      },
    };
  }
  const out = compiled.expression.evaluate(ctx.context);
  if (!out.ok) return { ok: false, error: out.error };
  return { ok: true, value: toJson(out.value), type: compiled.expression.type };
}

export type ScopeResult =
  | { readonly ok: true; readonly scope: SchemaScope }
  | { readonly ok: false; readonly issues: readonly InputIssue[] };

/** Validates the JSON form of a scope: {events?, profile?, actions?, audiences?, dataSources?}. */
export function parseScopeInput(input: unknown, path = 'scope'): ScopeResult {
  if (input === undefined || input === null)
    return { ok: true, scope: { events: {}, actions: {} } };
  if (!isRecord(input))
    return {
      ok: false,
      issues: [
        {
          path,
          message: 'the scope must be an object',
          expected: 'object',
          received: Array.isArray(input) ? 'array' : typeof input,
        },
      ],
    };
  const issues: InputIssue[] = [];
  const schemas = (key: string): Record<string, Record<string, unknown>> => {
    const v = input[key];
    if (v === undefined) return {};
    if (!isRecord(v)) {
      issues.push({
        path: `${path}.${key}`,
        message: `"${key}" maps names to JSON Schemas`,
        expected: 'object',
        received: typeof v,
      });
      return {};
    }
    for (const [name, s] of Object.entries(v)) {
      if (!isRecord(s))
        issues.push({
          path: `${path}.${key}.${name}`,
          message: 'a JSON Schema is an object',
          expected: 'object',
          received: typeof s,
        });
    }
    return v as Record<string, Record<string, unknown>>;
  };
  const events = schemas('events');
  const actions = schemas('actions');
  const profile = input['profile'];
  if (profile !== undefined && !isRecord(profile))
    issues.push({
      path: `${path}.profile`,
      message: 'the profile schema is a JSON Schema object',
      expected: 'object',
      received: typeof profile,
    });
  const audiences = input['audiences'];
  if (
    audiences !== undefined &&
    !(Array.isArray(audiences) && audiences.every((a) => typeof a === 'string'))
  ) {
    issues.push({
      path: `${path}.audiences`,
      message: 'audiences is a list of audience names',
      expected: 'string[]',
      received: typeof audiences,
    });
  }
  const dataSources = input['dataSources'];
  if (dataSources !== undefined && !isRecord(dataSources))
    issues.push({
      path: `${path}.dataSources`,
      message: 'dataSources maps names to field groups to schemas',
      expected: 'object',
      received: typeof dataSources,
    });
  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    scope: {
      events,
      actions,
      ...(isRecord(profile) ? { profile } : {}),
      ...(Array.isArray(audiences) ? { audiences: audiences as string[] } : {}),
      ...(isRecord(dataSources)
        ? { dataSources: dataSources as Record<string, Record<string, Record<string, unknown>>> }
        : {}),
      ...(input['open'] === true ? { open: true } : {}),
    },
  };
}

export function mergeScopes(a: SchemaScope, b: SchemaScope): SchemaScope {
  const profile = b.profile ?? a.profile;
  const audiences =
    a.audiences || b.audiences ? [...(a.audiences ?? []), ...(b.audiences ?? [])] : undefined;
  const dataSources =
    a.dataSources || b.dataSources ? { ...a.dataSources, ...b.dataSources } : undefined;
  return {
    events: { ...a.events, ...b.events },
    actions: { ...a.actions, ...b.actions },
    ...(profile ? { profile } : {}),
    ...(audiences ? { audiences } : {}),
    ...(dataSources ? { dataSources } : {}),
    ...(a.open || b.open ? { open: true } : {}),
  };
}
