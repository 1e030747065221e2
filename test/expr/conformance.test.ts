// The conformance table (test/expr/conformance/cases.ts): the documentation's own examples, run
// for value and type, and its documented invalid expressions, run for the diagnostic.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, toJson } from '../../src/expr/index.ts';
import { CASES } from './conformance/cases.ts';
import { docsContext, docsScope } from './conformance/docs-context.ts';

describe('conformance with the documentation', () => {
  test('the table has at least 150 cases, each citing its page', () => {
    assert.ok(CASES.length >= 150, `only ${CASES.length} cases`);
    for (const c of CASES) assert.match(c.page, /\.md/);
  });

  for (const c of CASES) {
    const title = `${c.invalid ? 'rejects' : 'evaluates'} ${c.expr.replace(/\s+/g, ' ')}  [${c.page.split('/').pop()}]`;
    test(title, () => {
      const r = compileExpression(c.expr, docsScope, c.expect ? { expect: c.expect } : {});
      if (c.invalid) {
        assert.equal(r.ok, false, `expected ${c.invalid}, but it compiled`);
        if (r.ok) return;
        assert.ok(
          r.diagnostics.some((d) => d.code === c.invalid),
          `expected ${c.invalid}, got ${JSON.stringify(r.diagnostics)}`,
        );
        for (const d of r.diagnostics) {
          assert.ok(d.line >= 1 && d.column >= 1 && d.message.length > 0);
        }
        return;
      }
      assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.diagnostics));
      if (!r.ok) return;
      if (c.type) assert.equal(r.expression.type, c.type);
      const out = r.expression.evaluate(docsContext(c.now ? Date.parse(c.now) : undefined));
      assert.ok(out.ok, out.ok ? '' : JSON.stringify(out.error));
      if (!out.ok) return;
      assert.deepEqual(toJson(out.value), c.value);
    });
  }
});
