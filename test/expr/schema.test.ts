// Types from JSON Schemas as event, profile and action schemas are written: nullable types,
// $ref to $defs/definitions, allOf composition (XDM field groups), maps, formats.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression } from '../../src/expr/index.ts';
import type { SchemaScope } from '../../src/expr/index.ts';

const scope: SchemaScope = {
  events: {
    Xdm: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $defs: {
        commerce: { type: 'object', properties: { order: { $ref: '#/$defs/order' } } },
        order: {
          type: 'object',
          properties: {
            priceTotal: { type: ['number', 'null'] },
            placedAt: { type: 'string', format: 'date-time' },
          },
        },
      },
      allOf: [
        {
          type: 'object',
          properties: { _id: { type: 'string' }, commerce: { $ref: '#/$defs/commerce' } },
        },
        {
          type: 'object',
          properties: {
            _tenant: { type: 'object', properties: { loyaltyTier: { type: 'string' } } },
          },
        },
      ],
    },
    Legacy: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      definitions: {
        item: {
          type: 'object',
          properties: { sku: { type: 'string' }, birth: { type: 'string', format: 'date' } },
        },
      },
      type: 'object',
      properties: {
        items: { type: 'array', items: { $ref: '#/definitions/item' } },
        attrs: { type: 'object', additionalProperties: { type: 'integer' } },
        free: { type: 'object' },
        open: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: true },
        either: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
      },
    },
  },
  actions: {},
};

function typeOf(source: string): string {
  const r = compileExpression(source, scope);
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.diagnostics));
  return r.ok ? r.expression.type : '';
}

describe('schema types', () => {
  test('allOf members and $defs references compose one object', () => {
    assert.equal(typeOf('@event{Xdm._id}'), 'string');
    assert.equal(typeOf('@event{Xdm._tenant.loyaltyTier}'), 'string');
    assert.equal(typeOf('@event{Xdm.commerce.order.priceTotal}'), 'decimal');
    assert.equal(typeOf('@event{Xdm.commerce.order.placedAt}'), 'dateTime');
    const r = compileExpression('@event{Xdm.commerce.order.total}', scope);
    assert.equal(r.ok, false);
    if (!r.ok)
      assert.equal(
        r.diagnostics[0]?.message,
        'Unknown field "total" in event Xdm at commerce.order; known fields: priceTotal, placedAt',
      );
  });

  test('draft-07 definitions, formats, maps and open objects', () => {
    assert.equal(typeOf('@event{Legacy.items.sku}'), 'listString');
    assert.equal(typeOf('@event{Legacy.items.at(0).birth}'), 'dateOnly');
    assert.equal(typeOf("@event{Legacy.attrs.entry('x')}"), 'integer');
    assert.equal(typeOf('@event{Legacy.attrs.anything}'), 'integer');
    assert.equal(typeOf('@event{Legacy.free.anything}'), 'any');
    assert.equal(typeOf('@event{Legacy.open.other}'), 'any');
    assert.equal(typeOf('@event{Legacy.either}'), 'integer');
  });
});
