// `waymark export --journey` and `waymark apply --plan / --choice` against a real server: the
// journey's closure as YAML, what applying would do in another sandbox, and a copy on conflict.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { registerClientCommands } from '../../src/cli/commands/client-commands.ts';
import { cliRunner } from '../support/cli.ts';
import { apiWorld } from '../support/server.ts';
import { createSandbox } from '../support/sandboxes.ts';

test('export one journey with what it uses, plan it into another sandbox, apply with a copy', async () => {
  const w = await apiWorld();
  await createSandbox(w, 'staging');
  const dir = mkdtempSync(join(tmpdir(), 'waymark-packages-'));
  try {
    const run = cliRunner(await w.listen(), (program) => registerClientCommands(program));
    const yaml = await run('export', '--journey', 'purchase-journey');
    const pkg = parse(yaml) as {
      objects: Array<{ kind: string; id?: string; spec: Record<string, unknown> }>;
    };
    assert.ok(
      pkg.objects.some((o) => o.kind === 'fragment' && o.spec.id === 'order-content'),
      'order-content, referenced from inside the email text',
    );
    assert.equal(pkg.objects.filter((o) => o.kind === 'journey').length, 1);
    const file = join(dir, 'purchase.yaml');
    writeFileSync(file, yaml);

    const plan = await run('apply', file, '--plan', '--sandbox', 'staging');
    assert.match(plan, /^new\s+journey purchase-journey$/m);
    assert.match(
      plan,
      /warning: the custom action "LoyaltyService" calls 127\.0\.0\.1:\d+, which the sandbox does not allow/,
    );
    assert.equal(
      (
        await w.request('GET', '/v1/journeys/purchase-journey', undefined, {
          'x-sandbox-name': 'staging',
        })
      ).status,
      404,
      'a plan writes nothing',
    );

    await run('apply', file, '--sandbox', 'staging');
    const fragment = pkg.objects.find(
      (o) => o.kind === 'fragment' && o.spec.id === 'order-content',
    )!;
    (fragment.spec.content as { source: string }).source += '<!-- edited -->';
    writeFileSync(file, stringify(pkg));
    const applied = await run(
      'apply',
      file,
      '--sandbox',
      'staging',
      '--on-conflict',
      'use-existing',
      '--choice',
      'fragment:order-content=copy',
    );
    assert.match(applied, /^copied\s+fragment order-content as order-content-copy$/m);
    assert.match(
      applied,
      /^published\s+journey purchase-journey$/m,
      'the journey, the same but for the copy it now names, is replaced to use it',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await w.close();
  }
});
