// Expression editor API: validate, evaluate and complete journey expressions.
// Wiring: `await v1.register(expressionRoutes, { prefix: '/expressions' })` (behind authentication),
// which serves POST /v1/expressions/validate, /v1/expressions/evaluate and /v1/expressions/complete.
//   validate  {expression, scope?, expect?}           -> 200 {valid, type?, references?, diagnostics[]}
//   evaluate  {expression, context?, scope?, expect?} -> 200 {value, type} | 422 {error: {code, message, line, column}}
//   complete  {expression, cursor, scope?}            -> 200 {completions[]}
// scope: {events: {Name: JSON Schema}, profile?, actions: {Name: JSON Schema}, audiences?: string[], dataSources?};
// without a scope, evaluate accepts any event or action name (fields checked at run time only).
// context: {events, profile, actions, audiences, dataSources, now (ISO-8601 or epoch ms), timeZone, seed}.
import type { FastifyInstance } from 'fastify';
import { ErrorCode, WaymarkError } from '../../errors.ts';
import type { ErrorIssue } from '../../errors.ts';
import { compileExpression, completeExpression } from '../../expr/index.ts';
import type { ExpectedType, SchemaScope } from '../../expr/index.ts';
import { openScope } from '../../expr/context-input.ts';
import { evaluateJson, parseScopeInput } from '../../expr/tooling.ts';
import type { Answer } from '../../shared/schema-types.ts';
import type {
  expressionCompleteAnswer,
  expressionValidateAnswer,
} from '../../isomorphic/api/expressions.ts';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const kindOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;

function badRequest(message: string, issues: readonly ErrorIssue[]): WaymarkError {
  return new WaymarkError(ErrorCode.BadRequest, message, { issues });
}

function readBody(body: unknown): Record<string, unknown> {
  if (!isRecord(body))
    throw badRequest('the body must be a JSON object', [
      { path: 'body', message: 'send a JSON object', expected: 'object', received: kindOf(body) },
    ]);
  const expression = body['expression'];
  if (typeof expression !== 'string') {
    throw badRequest('the expression is missing', [
      {
        path: 'body.expression',
        message: 'the expression is a string',
        expected: 'string',
        received: kindOf(expression),
      },
    ]);
  }
  return body;
}

function readScope(body: Record<string, unknown>, fallback: SchemaScope): SchemaScope {
  if (body['scope'] === undefined) return fallback;
  const r = parseScopeInput(body['scope'], 'body.scope');
  if (!r.ok) throw badRequest('the scope is invalid', r.issues);
  return r.scope;
}

function readExpect(body: Record<string, unknown>): ExpectedType | undefined {
  const v = body['expect'];
  if (v === undefined) return undefined;
  if (v === 'boolean' || v === 'dateTimeOnly' || v === 'any') return v;
  throw badRequest('expect is invalid', [
    {
      path: 'body.expect',
      message: 'the expected result type',
      expected: '"boolean" | "dateTimeOnly" | "any"',
      received: JSON.stringify(v) ?? 'undefined',
    },
  ]);
}

const bodySchema = { type: 'object' } as const;

export async function expressionRoutes(f: FastifyInstance): Promise<void> {
  f.post(
    '/validate',
    {
      schema: {
        tags: ['expressions'],
        summary: 'Parse and type-check an expression against the schemas in scope',
        body: bodySchema,
      },
    },
    async (req): Promise<Answer<typeof expressionValidateAnswer>> => {
      const body = readBody(req.body);
      const expect = readExpect(body);
      const r = compileExpression(
        body['expression'] as string,
        readScope(body, { events: {}, actions: {} }),
        expect ? { expect } : {},
      );
      return r.ok
        ? {
            valid: true as const,
            type: r.expression.type,
            references: r.expression.references,
            diagnostics: [],
          }
        : { valid: false as const, diagnostics: r.diagnostics };
    },
  );

  f.post(
    '/evaluate',
    {
      schema: {
        tags: ['expressions'],
        summary: 'Evaluate an expression against a context',
        body: bodySchema,
      },
    },
    async (req, reply) => {
      const body = readBody(req.body);
      const expect = readExpect(body);
      const r = evaluateJson(body['expression'], body['context'], {
        defaultNow: Date.now(),
        scope: readScope(body, openScope()),
        ...(expect ? { expect } : {}),
      });
      if (!r.ok && r.error.code === 'bad_context') {
        throw badRequest(
          r.error.message,
          (r.error.issues ?? []).map((i) => ({ ...i, path: `body.${i.path}` })),
        );
      }
      return r.ok ? { value: r.value, type: r.type } : reply.status(422).send({ error: r.error });
    },
  );

  f.post(
    '/complete',
    {
      schema: {
        tags: ['expressions'],
        summary: 'Completions at a cursor position (fields, functions with signatures, audiences)',
        body: bodySchema,
      },
    },
    async (req): Promise<Answer<typeof expressionCompleteAnswer>> => {
      const body = readBody(req.body);
      const expression = body['expression'] as string;
      const cursor = body['cursor'] ?? expression.length;
      if (
        typeof cursor !== 'number' ||
        !Number.isInteger(cursor) ||
        cursor < 0 ||
        cursor > expression.length
      ) {
        throw badRequest('the cursor is invalid', [
          {
            path: 'body.cursor',
            message: 'an offset into the expression',
            expected: `integer from 0 to ${expression.length}`,
            received: JSON.stringify(cursor) ?? 'undefined',
          },
        ]);
      }
      return {
        completions: completeExpression(
          expression,
          cursor,
          readScope(body, { events: {}, actions: {} }),
        ),
      };
    },
  );
}
