// Sandboxes other than prod exist only once created (POST /v1/sandboxes): tests that use one create it first.
import assert from 'node:assert/strict';
import type { ApiWorld } from './server.ts';

/** Creates a development sandbox through the API as the test's admin (one that exists already is fine). */
export async function createSandbox(
  w: Pick<ApiWorld, 'request'>,
  name: string,
  type: 'development' | 'production' = 'development',
): Promise<void> {
  const r = await w.request('POST', '/v1/sandboxes', { name, type }, { 'x-sandbox-name': 'prod' });
  assert.ok(
    r.status === 201 || (r.status === 409 && r.body?.error?.code === 'conflict'),
    `creating sandbox "${name}": ${r.status} ${JSON.stringify(r.body)}`,
  );
}

/** The same against a listening server (the CLI's and the browser's tests): `base` its URL, `key` an admin key. */
export async function createSandboxAt(
  base: string,
  key: string,
  name: string,
  type: 'development' | 'production' = 'development',
): Promise<void> {
  const res = await fetch(`${base}/v1/sandboxes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, type }),
  });
  assert.ok(
    res.status === 201 || res.status === 409,
    `creating sandbox "${name}": ${res.status} ${await res.text()}`,
  );
}
