// The helper catalog (what the personalization editor lists) names every function templates may
// call, and only those, plus the template language's block helpers and fragment; each example compiles.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allFunctions } from '../../src/content/functions/index.ts';
import { helperCatalog, languageHelpers } from '../../src/content/functions/catalog.ts';
import { renderInline } from '../../src/content/index.ts';

test('the catalog names every registered function once, and nothing that is not one', () => {
  const listed = helperCatalog.map((h) => h.name);
  assert.equal(
    new Set(listed).size,
    listed.length,
    `duplicates: ${listed.filter((n, i) => listed.indexOf(n) !== i).join(', ')}`,
  );
  const registered = Object.keys(allFunctions).filter((n) => !n.startsWith('__'));
  const missing = registered.filter((n) => !listed.includes(n));
  assert.deepEqual(missing, [], `functions without a catalog entry: ${missing.join(', ')}`);
  const unknown = listed.filter((n) => !registered.includes(n) && !languageHelpers.has(n));
  assert.deepEqual(unknown, [], `catalog entries that are no function: ${unknown.join(', ')}`);
  for (const b of ['each', 'if', 'unless', 'with'])
    assert.equal(helperCatalog.find((h) => h.name === b)?.block, true, b);
});

test('every signature starts with its name and every function example renders', () => {
  for (const h of helperCatalog) {
    assert.ok(h.help.length > 0 && h.example.length > 0, h.name);
    if (h.block !== true && h.name !== 'fragment') {
      // Helpers called with named arguments (executionMetadata) show their Handlebars form.
      assert.ok(
        h.signature.startsWith(`${h.name}(`) || h.signature.startsWith(`{{${h.name} `),
        h.signature,
      );
      const r = renderInline(h.example, { profile: {}, context: {} }, Date.UTC(2025, 0, 7));
      assert.ok(r.ok, `${h.name}: ${h.example}: ${JSON.stringify(r)}`);
    }
  }
});
