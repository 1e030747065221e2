// The version is written once, in package.json: `waymark --version`, the API description and
// /v1/status all say that one.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { VERSION } from '../../src/version.ts';
import { apiWorld } from '../support/server.ts';

const packaged = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

test('waymark --version, /openapi.json and /v1/status say the version in package.json', async () => {
  assert.equal(VERSION, packaged);
  const cli = execFileSync(
    process.execPath,
    [new URL('../../bin/waymark.js', import.meta.url).pathname, '--version'],
    { encoding: 'utf8' },
  );
  assert.equal(cli.trim(), packaged);
  const w = await apiWorld();
  try {
    const api = await w.server.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal((api.json() as { info: { version: string } }).info.version, packaged);
  } finally {
    await w.close();
  }
});
