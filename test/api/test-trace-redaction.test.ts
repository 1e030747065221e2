// What the test-run debugger shows of a custom action's request: the request as sent, with every
// secret replaced by "[redacted]", whatever the authentication.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { customActionSchema, type CustomAction } from '../../src/model/custom-action.ts';
import { tracedRequest } from '../../src/runtime/test-trace.ts';

const SECRET = 'k3y-0f-the-kingdom-42';
const action = (over: Record<string, unknown>): CustomAction =>
  customActionSchema.parse({
    name: 'Loyalty',
    url: 'https://loyalty.example/offers',
    method: 'POST',
    headers: [
      { kind: 'constant', name: 'X-Tenant', value: 'luma' },
      { kind: 'constant', name: 'X-Signature', value: 'sig-123456' },
    ],
    queryParameters: [
      { kind: 'constant', name: 'api_key', value: SECRET },
      { kind: 'constant', name: 'region', value: 'eu' },
    ],
    payload: [
      { path: 'loyaltyId', kind: 'variable', type: 'string' },
      { path: 'echo', kind: 'constant', type: 'string', value: `token ${SECRET}` },
    ],
    ...over,
  });

describe('a traced action request', () => {
  for (const [name, auth, shown] of [
    ['a bearer token', { kind: 'bearer', token: SECRET }, 'authorization'],
    ['a header key', { kind: 'headerKey', header: 'X-Api-Key', value: SECRET }, 'x-api-key'],
    ['basic credentials', { kind: 'basic', username: 'luma', password: SECRET }, 'authorization'],
  ] as const) {
    test(`with ${name}: method, URL, headers and body as sent, the secret nowhere`, () => {
      const r = tracedRequest(action({ auth }), { loyaltyId: 'jean@luma.example' }, 'call-1');
      assert.ok(r);
      assert.equal(r.method, 'POST');
      assert.equal(
        r.headers[Object.keys(r.headers).find((h) => h.toLowerCase() === shown)!],
        '[redacted]',
      );
      assert.equal(r.headers['Idempotency-Key'], 'call-1');
      assert.equal(
        Object.entries(r.headers).find(([k]) => k.toLowerCase() === 'x-tenant')?.[1],
        'luma',
        'other headers as sent',
      );
      assert.equal(
        Object.entries(r.headers).find(([k]) => k.toLowerCase() === 'x-signature')?.[1],
        '[redacted]',
        'a secret-looking header name',
      );
      const url = new URL(r.url);
      assert.equal(url.searchParams.get('api_key'), '[redacted]');
      assert.equal(url.searchParams.get('region'), 'eu');
      assert.deepEqual(
        r.body,
        { loyaltyId: 'jean@luma.example', echo: 'token [redacted]' },
        'the secret value is scrubbed from the body too',
      );
      const text = JSON.stringify(r);
      assert.ok(
        !text.includes(SECRET) && !text.includes(Buffer.from(`luma:${SECRET}`).toString('base64')),
        text,
      );
    });
  }

  test('a request that cannot be built (a required value missing) is traced as null', () => {
    assert.equal(
      tracedRequest(
        action({ payload: [{ path: 'loyaltyId', kind: 'variable', type: 'string' }] }),
        {},
        'c',
      ),
      null,
    );
  });
});
