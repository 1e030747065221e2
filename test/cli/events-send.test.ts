// `waymark events send FILE`: JSON lines into the server, a request per batch; each refused event is
// reported with its line in the file and its reasons, the totals are printed, and any refusal makes
// the command fail (exit code 1). A file of events that are all refused is reported the same way.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CliError } from '../../src/cli/client.ts';
import { registerClientCommands } from '../../src/cli/commands/client-commands.ts';
import { cliRunner } from '../support/cli.ts';
import { apiWorld } from '../support/server.ts';

const checkout = (email: string, id: string) =>
  JSON.stringify({
    id,
    type: 'LumaCheckoutEvent_Email',
    payload: {
      _aeppartner1: { identification: { core: { email } } },
      productListItems: [{ name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 }],
    },
  });

test('events send: accepted, duplicates and refusals by file line, in batches; all refused is reported, not thrown as raw JSON', async () => {
  const w = await apiWorld();
  const dir = mkdtempSync(join(tmpdir(), 'waymark-cli-events-'));
  const errors: string[] = [];
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    errors.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    const run = cliRunner(await w.listen(), (program) => registerClientCommands(program));
    const file = join(dir, 'events.jsonl');
    writeFileSync(
      file,
      [
        checkout('ana.garcia@luma.example', 'cli-1'),
        '',
        JSON.stringify({ id: 'cli-2', type: 'LumaCheckoutEvent_Email', payload: {} }),
        checkout('ana.garcia@luma.example', 'cli-1'),
        JSON.stringify({ id: 'cli-3', type: 'Nope', payload: {} }),
        checkout('tom.baker@luma.example', 'cli-4'),
      ].join('\n'),
    );
    const printed = await run('events', 'send', file, '--batch', '2');
    assert.deepEqual(JSON.parse(printed), {
      accepted: 2,
      duplicates: 1,
      conflicts: 0,
      rejected: 2,
    });
    assert.equal(process.exitCode, 1, 'refusals make the command fail');
    assert.deepEqual(
      errors.filter((e) => e.startsWith('line ')),
      [
        'line 3: rejected: the payload does not match the schema of LumaCheckoutEvent_Email (payload._aeppartner1: is required; payload.productListItems: is required)\n',
        'line 5: rejected: the event type "Nope" does not exist in sandbox "prod" (type: unknown event type)\n',
      ],
    );
    assert.equal(
      (await w.request('GET', '/v1/dead-letters')).body.items.length,
      2,
      'both kept as dead letters',
    );

    errors.length = 0;
    process.exitCode = undefined;
    writeFileSync(file, JSON.stringify({ type: 'Nope', payload: {} }));
    assert.deepEqual(JSON.parse(await run('events', 'send', file)), {
      accepted: 0,
      duplicates: 0,
      conflicts: 0,
      rejected: 1,
    });
    assert.match(errors.join(''), /^line 1: rejected: the event type "Nope" does not exist/m);

    writeFileSync(file, '{"type": ');
    await assert.rejects(
      run('events', 'send', file),
      (e: unknown) => e instanceof CliError && /^line 1 is not JSON/.test(e.message),
    );
  } finally {
    process.stderr.write = writeErr;
    process.exitCode = undefined;
    rmSync(dir, { recursive: true, force: true });
    await w.close();
  }
});
