// Every route in the OpenAPI document, fed what a careless or hostile client sends: no key, bodies
// of the wrong type, broken JSON, a prototype-polluting object, path and query values that are too
// long, odd or missing. Each answer is a clear 4xx error ({ error: { code, message } }) or a normal
// answer (batch ingest: a reason per rejected event); never a 5xx, never a hang, and nothing leaks
// onto Object.prototype.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonNesting, MAX_BODY_NESTING, scanJson } from '../../src/api/request-limits.ts';
import { apiWorld } from '../support/server.ts';

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly hasBody: boolean;
  readonly isPublic: boolean;
  readonly query: readonly string[];
}

const PATH_VALUES = [
  'x',
  'no-such-thing',
  '%2E%2E%2F%2E%2E',
  'a'.repeat(2_000),
  '%00',
  '%F0%9F%92%A5',
  '__proto__',
  'constructor',
];
const BODIES: ReadonlyArray<{ readonly label: string; readonly payload: string }> = [
  { label: 'nothing', payload: '' },
  { label: 'broken JSON', payload: '{"name": ' },
  { label: 'an array', payload: '[1, 2, 3]' },
  { label: 'a string', payload: '"hello"' },
  { label: 'a number', payload: '42' },
  { label: 'null', payload: 'null' },
  { label: 'an empty object', payload: '{}' },
  {
    label: 'a prototype-polluting object',
    payload:
      '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "name": {"__proto__": 1}}',
  },
  { label: 'deep nesting', payload: `${'['.repeat(5_000)}${']'.repeat(5_000)}` },
  {
    label: 'wrong field types',
    payload:
      '{"name": 1, "id": [], "nodes": "x", "events": {}, "attributes": "x", "definition": 7, "namespace": false}',
  },
];
const QUERY_VALUES = ['-1', 'abc', '1e309', `${'9'.repeat(40)}`, ''];

function operations(doc: {
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: unknown;
        parameters?: Array<{ in: string; name: string }>;
        'x-permission'?: string;
      }
    >
  >;
}): Operation[] {
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      out.push({
        method: method.toUpperCase(),
        path,
        isPublic: op['x-permission'] === 'public',
        hasBody:
          op.requestBody !== undefined ||
          method === 'post' ||
          method === 'put' ||
          method === 'patch',
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      });
    }
  }
  return out;
}

type ErrorBody = {
  error?: { code?: unknown; message?: unknown };
  results?: Array<{ message?: unknown }>;
};
function parsed(text: string): ErrorBody | null {
  try {
    return JSON.parse(text) as ErrorBody;
  } catch {
    return null;
  }
}

const fill = (path: string, value: string): string => path.replace(/\{[^}]+\}/g, value);

test(
  'no documented route answers bad input with a server error',
  { timeout: 600_000 },
  async () => {
    const w = await apiWorld();
    try {
      const doc = JSON.parse(
        (await w.server.inject({ method: 'GET', url: '/openapi.json' })).body,
      ) as Parameters<typeof operations>[0];
      const ops = operations(doc);
      assert.ok(ops.length > 40, `${ops.length} operations documented`);
      const failures: string[] = [];
      const check = async (
        label: string,
        res: { statusCode: number; body: string },
        expect4xx: boolean,
      ): Promise<void> => {
        if (res.statusCode >= 500) {
          failures.push(`${label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          return;
        }
        if (res.statusCode >= 400) {
          const body = parsed(res.body);
          const clear =
            typeof body?.error?.code === 'string' &&
            typeof body.error.message === 'string' &&
            body.error.message !== '';
          // Batch ingest answers per event: each rejected one with its reason.
          const perItem =
            Array.isArray(body?.results) &&
            body.results.length > 0 &&
            body.results.every((r) => typeof r.message === 'string' && r.message !== '');
          if (!clear && !perItem)
            failures.push(
              `${label}: ${res.statusCode} without { error: { code, message } }: ${res.body.slice(0, 200)}`,
            );
        } else if (expect4xx) {
          failures.push(`${label}: ${res.statusCode}, expected a refusal`);
        }
      };
      const auth = { authorization: 'Bearer test-admin-key-0123456789' };

      for (const op of ops) {
        const url = fill(op.path, 'x');
        if (url.startsWith('/v1/'))
          await check(
            `${op.method} ${url} without a key`,
            await w.server.inject({ method: op.method as 'GET', url }),
            !op.isPublic,
          );
        for (const value of PATH_VALUES) {
          if (!op.path.includes('{')) break;
          const u = fill(op.path, value);
          await check(
            `${op.method} ${op.path} with path value ${value.slice(0, 20)}`,
            await w.server.inject({
              method: op.method as 'GET',
              url: u,
              headers: auth,
              ...(op.hasBody
                ? { payload: '{}', headers: { ...auth, 'content-type': 'application/json' } }
                : {}),
            }),
            false,
          );
        }
        if (op.hasBody) {
          for (const body of BODIES) {
            const res = await w.server.inject({
              method: op.method as 'POST',
              url,
              headers: { ...auth, 'content-type': 'application/json' },
              payload: body.payload,
            });
            await check(`${op.method} ${url} with ${body.label}`, res, false);
          }
          const wrongType = await w.server.inject({
            method: op.method as 'POST',
            url,
            headers: { ...auth, 'content-type': 'application/xml' },
            payload: '<a/>',
          });
          await check(`${op.method} ${url} with an XML body`, wrongType, false);
        }
        for (const name of op.query) {
          for (const value of QUERY_VALUES) {
            const res = await w.server.inject({
              method: op.method as 'GET',
              url: `${url}?${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
              headers: auth,
            });
            await check(`${op.method} ${url}?${name}=${value.slice(0, 10)}`, res, false);
          }
        }
        const wrongSandbox = await w.server.inject({
          method: op.method as 'GET',
          url,
          headers: { ...auth, 'x-sandbox-name': '../../etc' },
        });
        await check(`${op.method} ${url} in sandbox ../../etc`, wrongSandbox, false);
      }
      await w.app.engine.settle();
      assert.equal(
        ({} as Record<string, unknown>)['polluted'],
        undefined,
        'nothing reached Object.prototype',
      );
      assert.deepEqual(failures, []);
      assert.equal(
        (await w.server.inject({ method: 'GET', url: '/healthz' })).statusCode,
        200,
        'the server is still up',
      );
    } finally {
      await w.close();
    }
  },
);

test('no text may hold a NUL character: in a JSON string, a CSV upload, a form, a path or a query (400, nothing stored)', async () => {
  assert.deepEqual(scanJson('{"a": "x\\u0000y"}'), { depth: 1, nul: true });
  assert.deepEqual(
    scanJson('{"a": "x\\\\u0000y"}'),
    { depth: 1, nul: false },
    'an escaped backslash, then the text u0000',
  );
  const w = await apiWorld();
  try {
    const auth = { authorization: 'Bearer test-admin-key-0123456789' };
    const cases: Array<{
      method: 'GET' | 'POST' | 'PUT';
      url: string;
      payload?: string;
      type?: string;
    }> = [
      {
        method: 'POST',
        url: '/v1/events',
        payload: JSON.stringify({
          type: 'LumaCheckoutEvent_Email',
          payload: {
            _aeppartner1: { identification: { core: { email: 'nul\u0000@luma.example' } } },
          },
        }),
        type: 'application/json',
      },
      {
        method: 'PUT',
        url: '/v1/profiles/Email/someone@luma.example',
        payload: JSON.stringify({ attributes: { note: 'a\u0000b' } }),
        type: 'application/json',
      },
      {
        method: 'POST',
        url: '/v1/profiles/import?format=csv',
        payload: 'namespace,id\nEmail,nul\u0000@luma.example\n',
        type: 'text/csv',
      },
      {
        method: 'POST',
        url: '/v1/packages/apply',
        payload: 'format: waymark.package/v1\nname: "a\u0000"\nobjects: []\n',
        type: 'text/yaml',
      },
      { method: 'GET', url: '/v1/profiles/Email/nul%00@luma.example' },
      { method: 'GET', url: '/v1/journeys?status=%00' },
    ];
    for (const c of cases) {
      const res = await w.server.inject({
        method: c.method,
        url: c.url,
        headers: { ...auth, ...(c.type ? { 'content-type': c.type } : {}) },
        ...(c.payload !== undefined ? { payload: c.payload } : {}),
      });
      assert.equal(res.statusCode, 400, `${c.method} ${c.url}: ${res.body.slice(0, 200)}`);
      assert.match(JSON.parse(res.body).error.message, /NUL character/);
    }
    const sms = await w.server.inject({
      method: 'POST',
      url: '/webhooks/twilio/prod/LumaSms/inbound',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'From=%2B1415%00&Body=STOP',
    });
    assert.equal(sms.statusCode, 400);
    assert.equal(
      (await w.request('GET', '/v1/profiles/Email/someone@luma.example')).status,
      404,
      'nothing stored',
    );
  } finally {
    await w.close();
  }
});

test('nesting is counted outside strings; deep JSON and deep YAML bodies get a 400 that says so', async () => {
  assert.equal(jsonNesting('{"a": [1, {"b": "[[[{{{"}], "c": "\\"]"}'), 3);
  assert.equal(jsonNesting('"just a string with [ and {"'), 0);
  assert.equal(
    jsonNesting(`${'['.repeat(MAX_BODY_NESTING)}${']'.repeat(MAX_BODY_NESTING)}`),
    MAX_BODY_NESTING,
  );
  const w = await apiWorld();
  try {
    const auth = { authorization: 'Bearer test-admin-key-0123456789' };
    const deep = `{"type": "LumaCheckoutEvent_Email", "payload": ${'{"a": '.repeat(100)}1${'}'.repeat(100)}}`;
    const json = await w.server.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: deep,
    });
    assert.equal(json.statusCode, 400);
    assert.match(JSON.parse(json.body).error.message, /nested 101 levels deep; at most 64/);
    const yaml = `format: waymark.package/v1\nname: deep\nobjects:\n${'  '.repeat(1)}- ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
    const pkg = await w.server.inject({
      method: 'POST',
      url: '/v1/packages/apply',
      headers: { ...auth, 'content-type': 'text/yaml' },
      payload: yaml,
    });
    assert.ok(
      pkg.statusCode >= 400 && pkg.statusCode < 500,
      `${pkg.statusCode} ${pkg.body.slice(0, 200)}`,
    );
  } finally {
    await w.close();
  }
});

test('the public routes (tracking, SMS webhooks, assets) refuse forged or broken input with a 4xx and record nothing', async () => {
  const w = await apiWorld();
  try {
    const forged = [
      'x',
      'a'.repeat(3_000),
      'eyJhbGciOiJub25lIn0.eyJ9.',
      '%00%FF',
      '..%2F..%2Fetc%2Fpasswd',
    ];
    const requests: Array<{
      method: 'GET' | 'POST' | 'PUT';
      url: string;
      payload?: string;
      headers?: Record<string, string>;
    }> = [];
    for (const t of forged) {
      requests.push({ method: 'GET', url: `/t/c/${t}` }, { method: 'GET', url: `/t/u/${t}` });
      requests.push({
        method: 'POST',
        url: `/t/u/${t}`,
        payload: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      requests.push(
        { method: 'GET', url: `/assets/prod/${t}` },
        { method: 'GET', url: `/assets/${t}/${t}?w=abc&format=exe` },
      );
    }
    for (const path of ['inbound', 'status']) {
      requests.push({
        method: 'POST',
        url: `/webhooks/twilio/prod/LumaSms/${path}`,
        payload: 'From=%2B14155550123&Body=STOP',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      requests.push({
        method: 'POST',
        url: `/webhooks/twilio/prod/LumaSms/${path}`,
        payload: 'From=%2B14155550123&Body=STOP',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': 'forged',
        },
      });
      requests.push({
        method: 'POST',
        url: `/webhooks/twilio/nowhere/nothing/${path}`,
        payload: '%%%',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      requests.push({
        method: 'POST',
        url: `/webhooks/twilio/prod/LumaSms/${path}`,
        payload: '{"json": true}',
        headers: { 'content-type': 'application/json' },
      });
    }
    for (const r of requests) {
      const res = await w.server.inject({
        method: r.method,
        url: r.url,
        ...(r.payload !== undefined ? { payload: r.payload } : {}),
        ...(r.headers ? { headers: r.headers } : {}),
      });
      assert.ok(
        res.statusCode >= 400 && res.statusCode < 500,
        `${r.method} ${r.url.slice(0, 60)}: ${res.statusCode} ${res.body.slice(0, 120)}`,
      );
    }
    // The open pixel is always an image (a mail client shows nothing else), but a forged open counts nowhere.
    for (const t of forged.filter((x) => !x.includes('%FF'))) {
      const res = await w.server.inject({ method: 'GET', url: `/t/o/${t}` });
      assert.deepEqual(
        [res.statusCode, res.headers['content-type']],
        [200, 'image/gif'],
        t.slice(0, 30),
      );
    }
    // A path that is not valid percent-encoding never reaches a route.
    assert.equal((await w.server.inject({ method: 'GET', url: '/t/o/%00%FF' })).statusCode, 400);
    const profiles = await w.app.reads.listProfiles('prod', { limit: 100, offset: 0 });
    for (const p of profiles)
      assert.deepEqual(
        await w.app.reads.profileEvents('prod', p.id, {
          types: ['message.opened', 'message.clicked', 'message.unsubscribed'],
          since: null,
        }),
        [],
      );
    assert.equal((await w.app.reads.messages('prod', { limit: 10 })).length, 0);
  } finally {
    await w.close();
  }
});
