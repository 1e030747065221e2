// POST /v1/expressions/validate, /evaluate and /complete, through Fastify with the shared error handler.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { expressionRoutes } from '../../src/api/routes/expressions.ts';
import { errorHandler } from '../../src/api/errors.ts';
import { lumaScope, purchasePayload } from './fixtures/luma.ts';

let app: FastifyInstance;
before(async () => {
  app = Fastify();
  app.setErrorHandler(errorHandler);
  await app.register(expressionRoutes, { prefix: '/v1/expressions' });
  await app.ready();
});
after(async () => {
  await app.close();
});

const post = (url: string, payload: unknown) =>
  app.inject({
    method: 'POST',
    url: `/v1/expressions/${url}`,
    payload: payload as Record<string, unknown>,
  });

describe('POST /v1/expressions/validate', () => {
  test('a valid condition reports its type and references', async () => {
    const r = await post('validate', {
      expression: 'inAudience("Luma - Mobile App Users") and @action{LoyaltyService.points} > 1000',
      scope: lumaScope,
      expect: 'boolean',
    });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), {
      valid: true,
      type: 'boolean',
      references: {
        events: [],
        actions: ['LoyaltyService'],
        audiences: ['Luma - Mobile App Users'],
      },
      diagnostics: [],
    });
  });

  test('an unknown field is reported with its position', async () => {
    const r = await post('validate', {
      expression: '@event{LumaPurchaseEvent_Email.productListItems.at(0).price}',
      scope: lumaScope,
    });
    assert.equal(r.statusCode, 200);
    const body = r.json() as { valid: boolean; diagnostics: Array<Record<string, unknown>> };
    assert.equal(body.valid, false);
    assert.deepEqual(
      {
        code: body.diagnostics[0]?.['code'],
        line: body.diagnostics[0]?.['line'],
        column: body.diagnostics[0]?.['column'],
        found: body.diagnostics[0]?.['found'],
      },
      { code: 'unknown_field', line: 1, column: 55, found: 'price' },
    );
  });

  test('a malformed body is a 400 with the path, the expectation and what came', async () => {
    const r = await post('validate', { expression: 42 });
    assert.equal(r.statusCode, 400);
    assert.deepEqual(r.json(), {
      error: {
        code: 'bad_request',
        message: 'the expression is missing',
        issues: [
          {
            path: 'body.expression',
            message: 'the expression is a string',
            expected: 'string',
            received: 'number',
          },
        ],
      },
    });
    const s = await post('validate', { expression: '1', scope: { events: [] } });
    assert.equal(s.statusCode, 400);
    assert.equal(
      (s.json() as { error: { issues: Array<{ path: string }> } }).error.issues[0]?.path,
      'body.scope.events',
    );
    const e = await post('validate', { expression: '1', expect: 'number' });
    assert.equal(e.statusCode, 400);
  });
});

describe('POST /v1/expressions/evaluate', () => {
  test('evaluates the lab parameter against a context', async () => {
    const r = await post('evaluate', {
      expression: '@event{LumaPurchaseEvent_Email.productListItems.at(0).priceTotal}',
      context: { events: { LumaPurchaseEvent_Email: purchasePayload } },
      scope: lumaScope,
    });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), { value: 52, type: 'decimal' });
  });

  test('without a scope any event name is accepted; dates come out as ISO-8601', async () => {
    const r = await post('evaluate', {
      expression: '(toDateTime(@event{E.at})) + (toDuration("P1D"))',
      context: { events: { E: { at: '2024-02-28T10:00:00+01:00' } } },
    });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), { value: '2024-02-29T10:00:00+01:00', type: 'dateTime' });
  });

  test('expression errors are 422 with the position', async () => {
    const r = await post('evaluate', { expression: '3 * 4.0' });
    assert.equal(r.statusCode, 422);
    assert.deepEqual(r.json(), {
      error: {
        code: 'type_mismatch',
        message:
          'Both operands of "*" must have the same type (integer or decimal), found integer * decimal; e.g. write 3.0 * 4.0, not 3 * 4.0',
        line: 1,
        column: 3,
        expected: 'integer * integer',
        found: 'integer * decimal',
      },
    });
  });

  test('a bad context is a 400 naming the field', async () => {
    const r = await post('evaluate', {
      expression: '1',
      context: { now: 'yesterday', audiences: { A: 'maybe' } },
    });
    assert.equal(r.statusCode, 400);
    const issues = (r.json() as { error: { issues: Array<{ path: string }> } }).error.issues.map(
      (i) => i.path,
    );
    assert.deepEqual(issues, ['body.context.audiences.A', 'body.context.now']);
  });

  test('seeded random() is reproducible', async () => {
    const a = await post('evaluate', { expression: 'random()', context: { seed: 7 } });
    const b = await post('evaluate', { expression: 'random()', context: { seed: 7 } });
    assert.equal(a.statusCode, 200);
    assert.deepEqual(a.json(), b.json());
  });
});

describe('POST /v1/expressions/complete', () => {
  test('fields from the schema at the cursor', async () => {
    const expression = '@event{LumaPurchaseEvent_Email.productListItems.at(0).pr} > 10';
    const cursor = expression.indexOf('}');
    const r = await post('complete', { expression, cursor, scope: lumaScope });
    assert.equal(r.statusCode, 200);
    const body = r.json() as {
      completions: Array<{ label: string; kind: string; from: number; detail: string }>;
    };
    assert.deepEqual(
      body.completions.map((c) => [c.label, c.kind, c.from, c.detail]),
      [['priceTotal', 'field', cursor - 2, 'decimal']],
    );
  });

  test('functions with signatures', async () => {
    const r = await post('complete', { expression: 'inLastD', scope: lumaScope });
    const body = r.json() as {
      completions: Array<{ label: string; insertText: string; detail: string }>;
    };
    assert.equal(body.completions[0]?.label, 'inLastDays');
    assert.equal(body.completions[0]?.insertText, 'inLastDays(');
    assert.match(
      body.completions[0]?.detail ?? '',
      /^inLastDays\(date: dateTime, delta: integer\): boolean/,
    );
  });

  test('a cursor outside the expression is a 400', async () => {
    const r = await post('complete', { expression: 'abc', cursor: 9 });
    assert.equal(r.statusCode, 400);
  });
});
