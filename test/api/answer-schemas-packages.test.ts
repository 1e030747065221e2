// The console's package types are inferred from src/isomorphic/api/packages.ts. A real server
// exports the Purchase Journey with all it uses, plans and applies it into an empty sandbox (hosts
// not allowed, secrets to set) and back over its changed self (a copy per conflict): every answer
// parses strictly with its schema.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  packageApplyAnswer,
  packageExportAnswer,
  packagePlanAnswer,
  packageValidateAnswer,
} from '../../src/isomorphic/api/packages.ts';
import { conforms } from '../support/conforms.ts';
import { createSandbox } from '../support/sandboxes.ts';
import { apiWorld } from '../support/server.ts';

const FRESH = { 'x-sandbox-name': 'fresh' };

test('export, validate, plan and apply answer as their schemas say', async () => {
  const w = await apiWorld();
  await createSandbox(w, 'fresh');
  try {
    const exported = await w.request('GET', '/v1/packages/export?journey=purchase-journey');
    conforms(packageExportAnswer, exported, 'GET /v1/packages/export?journey=…');
    assert.ok(exported.body.objects.some((o: { files?: unknown }) => o.files !== undefined));
    conforms(packageExportAnswer, await w.request('GET', '/v1/packages/export'), 'a whole export');
    const pkg = exported.body;

    conforms(
      packageValidateAnswer,
      await w.request('POST', '/v1/packages/validate', pkg),
      'POST /v1/packages/validate',
    );
    const plan = await w.request('POST', '/v1/packages/plan', pkg, FRESH);
    conforms(packagePlanAnswer, plan, 'POST /v1/packages/plan (empty sandbox)');
    assert.ok(plan.body.warnings.length > 0 && plan.body.needsSecret.length > 0);
    const applied = await w.request('POST', '/v1/packages/apply', pkg, FRESH);
    conforms(packageApplyAnswer, applied, 'POST /v1/packages/apply (empty sandbox)');
    assert.ok(applied.body.objects.some((o: { warnings?: unknown }) => o.warnings !== undefined));

    // The same package, one fragment changed, over the sandbox it came from: copies.
    const changed = {
      ...pkg,
      objects: pkg.objects.map((o: { kind: string; spec: Record<string, unknown> }) =>
        o.kind === 'fragment' && o.spec.id === 'promo-code-fragment'
          ? { ...o, spec: { ...o.spec, description: 'changed in the package' } }
          : o,
      ),
    };
    const body = { package: changed, defaultConflict: 'copy' };
    const copyPlan = await w.request('POST', '/v1/packages/plan', body);
    conforms(packagePlanAnswer, copyPlan, 'POST /v1/packages/plan (conflicts)');
    assert.ok(copyPlan.body.objects.some((o: { copyAs?: string }) => o.copyAs !== undefined));
    const copied = await w.request('POST', '/v1/packages/apply', body);
    conforms(packageApplyAnswer, copied, 'POST /v1/packages/apply (copies)');
    assert.ok(copied.body.objects.some((o: { status: string }) => o.status === 'copied'));
  } finally {
    await w.close();
  }
});
