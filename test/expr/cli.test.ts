// `waymark expr eval|check`, run as a real process with real files and standard input.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TS_LOADER } from '../support/process.ts';
import { lumaScope, purchasePayload } from './fixtures/luma.ts';

const entry = fileURLToPath(new URL('./fixtures/cli-entry.ts', import.meta.url));

function run(
  args: string[],
  stdin = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TS_LOADER, entry, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'waymark-expr-'));
  await writeFile(
    join(dir, 'ctx.json'),
    JSON.stringify({
      events: { LumaPurchaseEvent_Email: purchasePayload },
      profile: { person: { name: { firstName: 'Dana' } } },
      actions: { LoyaltyService: { points: 1500 } },
      audiences: { 'Luma - Mobile App Users': 'realized' },
      now: '2024-05-14T10:00:00Z',
    }),
  );
  await writeFile(join(dir, 'scope.json'), JSON.stringify(lumaScope));
  await writeFile(
    join(dir, 'profile.yaml'),
    'type: object\nproperties:\n  person:\n    type: object\n    properties:\n      name:\n        type: object\n        properties:\n          firstName: { type: string }\n',
  );
  await writeFile(join(dir, 'bad.json'), '{ nope');
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('waymark expr eval', () => {
  test('prints the value and type of the lab parameter', async () => {
    const r = await run([
      'expr',
      'eval',
      '@event{LumaPurchaseEvent_Email.productListItems.at(0).priceTotal}',
      '--context',
      join(dir, 'ctx.json'),
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { value: 52, type: 'any' });
  });

  test('types come from --schema; dates print as ISO-8601, durations as ISO-8601 durations', async () => {
    const r = await run([
      'expr',
      'eval',
      '@event{LumaPurchaseEvent_Email.timestamp}',
      '--context',
      join(dir, 'ctx.json'),
      '--schema',
      join(dir, 'scope.json'),
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { value: '2024-05-14T09:30:00Z', type: 'dateTime' });
    const d = await run([
      'expr',
      'eval',
      '(now()) + (toDuration("PT90M"))',
      '--context',
      join(dir, 'ctx.json'),
    ]);
    assert.deepEqual(JSON.parse(d.stdout), { value: '2024-05-14T11:30:00Z', type: 'dateTime' });
    const p = await run(['expr', 'eval', 'toDuration("PT90M")']);
    assert.deepEqual(JSON.parse(p.stdout), { value: 'PT1H30M', type: 'duration' });
  });

  test('an invalid expression prints the error with its position and exits 1', async () => {
    const r = await run([
      'expr',
      'eval',
      'inAudience("Luma - Mobile App Users") AND true',
      '--context',
      join(dir, 'ctx.json'),
    ]);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout) as {
      error: { message: string; line: number; column: number };
    };
    assert.equal(out.error.line, 1);
    assert.equal(out.error.column, 39);
    assert.equal(
      out.error.message,
      'Expected end of expression, found "AND": keywords and operators are lowercase, use "and"',
    );
  });

  test('a run-time error exits 1 with a position', async () => {
    const r = await run(['expr', 'eval', 'toInteger("12a")']);
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.stdout), {
      error: {
        code: 'conversion_error',
        message: 'Cannot convert "12a" to an integer',
        line: 1,
        column: 1,
      },
    });
  });

  test('an unreadable context file is an error, not a crash', async () => {
    const r = await run(['expr', 'eval', '1', '--context', join(dir, 'bad.json')]);
    assert.equal(r.code, 1);
    assert.match(
      (JSON.parse(r.stdout) as { error: { message: string } }).error.message,
      /bad\.json is not valid JSON/,
    );
  });

  test('--jsonl evaluates one {"expr","context"} per line', async () => {
    const lines = [
      {
        expr: 'inAudience("Luma - Mobile App Users")',
        context: { audiences: { 'Luma - Mobile App Users': 'realized' } },
      },
      { expr: '@event{E.a} * 2', context: { events: { E: { a: 21 } } } },
      { expr: '1 +', context: {} },
      { expr: 'now()', context: { now: '2024-01-01T00:00:00Z' } },
    ].map((l) => JSON.stringify(l));
    const r = await run(['expr', 'eval', '--jsonl'], `${lines.join('\n')}\nnot json\n`);
    assert.equal(r.code, 1, 'one line failed');
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(out.length, 5);
    assert.deepEqual(out[0], { value: true, type: 'boolean' });
    assert.deepEqual(out[1], { value: 42, type: 'integer' });
    assert.deepEqual(out[2], {
      error: {
        code: 'syntax_error',
        message: 'Expected a value, found end of expression',
        line: 1,
        column: 4,
        expected: 'a value',
        found: 'end of expression',
      },
    });
    assert.deepEqual(out[3], { value: '2024-01-01T00:00:00Z', type: 'dateTime' });
    assert.match(
      String((out[4] as { error: { message: string } }).error.message),
      /^line 5 is not valid JSON/,
    );
  });
});

describe('waymark expr check', () => {
  test('type-checks against the event, profile and action schemas', async () => {
    const ok = await run([
      'expr',
      'check',
      '@action{LoyaltyService.points} > 1000 and inAudience("Luma - Mobile App Users")',
      '--schema',
      join(dir, 'scope.json'),
      '--expect',
      'boolean',
    ]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.deepEqual(JSON.parse(ok.stdout), {
      ok: true,
      type: 'boolean',
      references: {
        events: [],
        actions: ['LoyaltyService'],
        audiences: ['Luma - Mobile App Users'],
      },
    });
    const bad = await run([
      'expr',
      'check',
      '@event{LumaPurchaseEvent_Email.productListItems.at(0).price}',
      '--schema',
      join(dir, 'scope.json'),
    ]);
    assert.equal(bad.code, 1);
    const d = (
      JSON.parse(bad.stdout) as {
        diagnostics: Array<{ code: string; line: number; column: number }>;
      }
    ).diagnostics[0];
    assert.deepEqual([d?.code, d?.line, d?.column], ['unknown_field', 1, 55]);
  });

  test('--profile and --event take schema files (YAML or JSON)', async () => {
    await writeFile(
      join(dir, 'event.json'),
      JSON.stringify({ type: 'object', properties: { sku: { type: 'string' } } }),
    );
    const ok = await run([
      'expr',
      'check',
      '#{ExperiencePlatform.ProfileFieldGroup.profile.person.name.firstName} + @event{Cart.sku}',
      '--profile',
      join(dir, 'profile.yaml'),
      '--event',
      `Cart=${join(dir, 'event.json')}`,
    ]);
    assert.equal(ok.code, 0, ok.stdout);
    assert.equal((JSON.parse(ok.stdout) as { type: string }).type, 'string');
    const bad = await run([
      'expr',
      'check',
      '#{ExperiencePlatform.ProfileFieldGroup.profile.person.name.nickname}',
      '--profile',
      join(dir, 'profile.yaml'),
    ]);
    assert.equal(bad.code, 1);
    const wrongExpect = await run(['expr', 'check', '1', '--expect', 'number']);
    assert.equal(wrongExpect.code, 1);
    assert.match(wrongExpect.stdout, /--expect must be boolean, dateTimeOnly or any/);
  });
});
