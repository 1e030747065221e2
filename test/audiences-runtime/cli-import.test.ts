// `waymark profiles import FILE` against a real server on 127.0.0.1: chunks, file lines in the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { importProfiles } from '../../src/cli/commands/profiles-import.ts';
import { apiWorld, ADMIN_KEY } from '../support/server.ts';

test('profiles import: CSV in chunks, each bad row reported on its file line', async () => {
  const w = await apiWorld();
  const dir = mkdtempSync(join(tmpdir(), 'waymark-import-'));
  try {
    const url = await w.listen();
    const file = join(dir, 'profiles.csv');
    const rows = ['namespace,id,person.name.firstName,loyalty.tier'];
    for (let i = 0; i < 7; i++) rows.push(`Email,p${i}@luma.example,"P, ${i}",blue`);
    rows.splice(3, 0, 'Email,bad@luma.example,"unterminated,blue');
    writeFileSync(file, rows.join('\n'));
    rows.splice(3, 1);
    rows.splice(5, 0, 'Email,,empty,blue');
    const file2 = join(dir, 'second.csv');
    writeFileSync(file2, rows.join('\n'));
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    const c = { url, key: ADMIN_KEY, sandbox: 'prod' };
    const r = await importProfiles(c, file2, 'csv', 3, sink);
    assert.deepEqual([r.total, r.imported, r.failed], [8, 7, 1]);
    assert.deepEqual(
      r.errors.map((e) => e.line),
      [6],
      'the file line of the row with no id',
    );
    assert.equal(
      (await w.request('GET', '/v1/profiles/Email/p3@luma.example')).body.attributes.person.name
        .firstName,
      'P, 3',
    );
    const bad = await importProfiles(c, file, 'csv', 3, sink);
    assert.deepEqual(
      bad.errors.map((e) => [e.line, e.issues[0]!.path]),
      [[4, '(record)']],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await w.close();
  }
});
