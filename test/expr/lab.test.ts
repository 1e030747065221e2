// The lab's expressions against the lab's payloads: the two custom-action parameters, the
// audience condition, and a condition on the action response after the action ran.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, toJson } from '../../src/expr/index.ts';
import type { EvaluationContext } from '../../src/expr/index.ts';
import { lumaContext, lumaScope } from './fixtures/luma.ts';

function run(
  source: string,
  ctx: EvaluationContext = lumaContext,
  expect?: 'boolean' | 'dateTimeOnly' | 'any',
) {
  const r = compileExpression(source, lumaScope, expect ? { expect } : {});
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.diagnostics));
  const out = r.expression.evaluate(ctx);
  assert.ok(out.ok, out.ok ? '' : JSON.stringify(out.error));
  return { type: r.expression.type, value: toJson(out.value), refs: r.expression.references };
}

describe('lab expressions', () => {
  test('loyaltyId parameter reads the purchase event email', () => {
    const r = run('@event{LumaPurchaseEvent_Email._aeppartner1.identification.core.email}');
    assert.deepEqual(r, {
      type: 'string',
      value: 'delaland+p1@adobetest.com',
      refs: { events: ['LumaPurchaseEvent_Email'], actions: [], audiences: [] },
    });
  });

  test('orderValue parameter reads the first product price', () => {
    const r = run('@event{LumaPurchaseEvent_Email.productListItems.at(0).priceTotal}');
    assert.equal(r.type, 'decimal');
    assert.equal(r.value, 52);
  });

  test('the audience condition reads realized memberships', () => {
    const r = run('inAudience("Luma - Mobile App Users")', lumaContext, 'boolean');
    assert.deepEqual(r, {
      type: 'boolean',
      value: true,
      refs: { events: [], actions: [], audiences: ['Luma - Mobile App Users'] },
    });
    assert.equal(run('inAudience("Luma - Gold Members")').value, false);
    assert.equal(
      run('inAudience("Luma - Mobile App Users")', { ...lumaContext, audiences: {} }).value,
      false,
    );
  });

  test('a condition on the action response works after the action ran', () => {
    assert.equal(
      run('@action{LoyaltyService.points} > 1000 and @action{LoyaltyService.status} == "ok"').value,
      true,
    );
    const before = { ...lumaContext, actions: {} };
    assert.equal(run('@action{LoyaltyService.points} > 1000', before).value, false);
    assert.equal(run('@action{LoyaltyService.points} is null', before).value, true);
  });

  test('profile references resolve to the profile', () => {
    assert.equal(
      run('#{ExperiencePlatform.ProfileFieldGroup.profile.person.name.firstName}').value,
      'Dana',
    );
    assert.equal(
      run('#{ExperiencePlatform.ProfileFieldGroup.profile.homeAddress.city} == "San Jose"').value,
      true,
    );
  });

  test('the legacy @{...} form and quoted segments', () => {
    assert.equal(
      run('@{LumaPurchaseEvent_Email.\'productListItems\'.at(1)."SKU"}').value,
      'WJ12-S-Blue',
    );
  });

  test('unknown fields are rejected against the event schema, with position', () => {
    const r = compileExpression(
      '@event{LumaPurchaseEvent_Email._aeppartner1.identification.core.emial}',
      lumaScope,
    );
    assert.equal(r.ok, false);
    if (r.ok) return;
    const d = r.diagnostics[0];
    assert.equal(d?.code, 'unknown_field');
    assert.equal(
      d?.message,
      'Unknown field "emial" in event LumaPurchaseEvent_Email at _aeppartner1.identification.core; known fields: email, ecid',
    );
    assert.equal(d?.column, 65);
    assert.equal(d?.found, 'emial');
  });
});
