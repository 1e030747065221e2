// `waymark audit` against a real server: the changes made through the API, newest first, as a
// table to read or as JSON lines, with the API's filters; more than one page when asked for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditEntry } from '../../src/access/api-types.ts';
import { registerAuditCommand } from '../../src/cli/commands/audit.ts';
import { cliRunner } from '../support/cli.ts';
import { apiWorld } from '../support/server.ts';

test('the audit log from the command line: a table, JSON lines, filters', async () => {
  const w = await apiWorld();
  try {
    const run = cliRunner(await w.listen(), (program, out) => registerAuditCommand(program, out));
    assert.match(await run('audit'), /no entries/);

    const fragment = {
      id: 'cli-footer',
      name: 'CLI footer',
      status: 'live',
      content: { type: 'expression', source: '<p>Hi</p>' },
    };
    assert.equal((await w.request('POST', '/v1/fragments', fragment)).status, 201);
    assert.equal(
      (
        await w.request('PUT', '/v1/fragments/cli-footer', {
          ...fragment,
          content: { type: 'expression', source: '<p>Yo</p>' },
        })
      ).status,
      200,
    );
    assert.equal((await w.request('POST', '/v1/journeys/purchase-journey/pause')).status, 200);

    const table = (await run('audit')).trim().split('\n');
    assert.match(table[0]!, /^time \(UTC\)\s+sandbox\s+actor\s+action\s+object\s+changes$/);
    assert.match(
      table[1]!,
      /prod\s+admin \[operator\]\s+journey\.pause\s+journey:purchase-journey \(Purchase Journey\)\s+v1\.status/,
    );
    assert.match(
      table[2]!,
      /object\.update\s+fragment:cli-footer \(CLI footer\)\s+content\.source$/,
    );
    assert.match(table[3]!, /object\.create\s+fragment:cli-footer \(CLI footer\)\s+\(whole\)$/);
    assert.equal(table.length, 4);

    const lines = (await run('audit', '--json', '--object', 'fragment:cli-footer'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEntry);
    assert.deepEqual(
      lines.map((e) => e.action),
      ['object.update', 'object.create'],
    );
    assert.deepEqual(lines[0]!.changes, [
      { path: 'content.source', before: '<p>Hi</p>', after: '<p>Yo</p>' },
    ]);
    assert.equal(
      (await run('audit', '--json', '--action', 'journey.*', '--limit', '1')).trim().split('\n')
        .length,
      1,
    );
    assert.match(await run('audit', '--actor', 'nobody'), /no entries/);
    await assert.rejects(run('audit', '--since', 'last week'), /400 .*since/);
  } finally {
    await w.close();
  }
});
