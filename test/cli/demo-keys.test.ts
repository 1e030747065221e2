// The demo's keys kept in the data folder: the storefront's write key (data-ingest in prod) is made
// once and reused at every start, replaced when revoked; the VAPID key pair stays the same.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SYSTEM_ACTOR } from '../../src/access/policy.ts';
import { DEMO_WRITE_KEY_FILE, demoVapidKeys, demoWriteKey } from '../../src/cli/demo-keys.ts';
import { lumaWorld } from '../support/luma.ts';

test('the storefront write key is made once, kept 0600, reused, and replaced when revoked', async () => {
  const w = await lumaWorld();
  const dir = mkdtempSync(join(tmpdir(), 'waymark-demo-keys-'));
  try {
    const directory = w.app.access.directory;
    const key = await demoWriteKey(directory, dir);
    assert.match(key, /^wmk_/);
    const file = join(dir, DEMO_WRITE_KEY_FILE);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(await demoWriteKey(directory, dir), key, 'the next start reuses it');
    const keys = (await directory.listKeys()).filter((k) => k.name.startsWith('Luma storefront'));
    assert.equal(keys.length, 1);
    assert.equal(keys[0]!.role, 'data-ingest');
    assert.deepEqual(keys[0]!.sandboxes, ['prod']);

    await directory.revokeKey(keys[0]!.id, SYSTEM_ACTOR);
    const replaced = await demoWriteKey(directory, dir);
    assert.notEqual(replaced, key, 'a revoked key is replaced');
    assert.equal(
      (JSON.parse(readFileSync(file, 'utf8')) as { key: string }).key,
      replaced,
      'and the new one kept',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await w.close();
  }
});

test('the demo VAPID key pair is made once and kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-demo-vapid-'));
  try {
    const first = demoVapidKeys(dir);
    assert.equal(Buffer.from(first.publicKey, 'base64url').length, 65);
    assert.match(first.subject, /^mailto:/);
    assert.deepEqual(demoVapidKeys(dir), first);
    assert.equal(statSync(join(dir, 'demo-vapid.json')).mode & 0o777, 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
