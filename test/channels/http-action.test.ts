import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { customActionSchema, buildActionRequest } from '../../src/model/custom-action.ts';
import type { CustomActionInput } from '../../src/model/custom-action.ts';
import {
  callAction,
  SlidingWindowCapper,
  TokenCache,
  ActionThrottle,
  isPrivateAddress,
  checkHost,
  createGuardedFetch,
  PrivateAddressError,
} from '../../src/channels/http-action/index.ts';
import type { ActionLogEntry } from '../../src/channels/http-action/index.ts';

// A loyalty endpoint on 127.0.0.1 whose behaviour each test scripts by path.
type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
const routes = new Map<string, Handler>();
const hits = new Map<string, number>();
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => {
    body += c.toString('utf8');
  });
  req.on('end', () => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const h = routes.get(path);
    if (h === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no route"}');
      return;
    }
    h(req, body, res);
  });
});
let base = '';
const allow = ['127.0.0.1'];
const fast = { allowHosts: allow, retryDelaysMs: [10, 10, 10] } as const;

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const json = (res: ServerResponse, status: number, value: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
};
const def = (path: string, extra: Partial<CustomActionInput> = {}) =>
  customActionSchema.parse({
    name: 'ActionLoyalty',
    url: `${base}${path}`,
    method: 'POST',
    ...extra,
  });

describe('callAction against a real HTTP server', () => {
  test('500 twice then 200 within the timeout: ok with the response, 3 attempts', async () => {
    let n = 0;
    routes.set('/flaky', (_req, body, res) => {
      n++;
      if (n <= 2) json(res, 500, { error: 'busy' });
      else json(res, 200, { status: 'gold', points: 1200, echo: JSON.parse(body) as unknown });
    });
    const d = def('/flaky', { payload: [{ path: 'id', type: 'string', kind: 'variable' }] });
    const r = await callAction(d, buildActionRequest(d, { payload: { id: 'C1' } }), fast);
    assert.equal(r.ok, true);
    if (r.ok) {
      assert.equal(r.attempts, 3);
      assert.deepEqual(r.body, { status: 'gold', points: 1200, echo: { id: 'C1' } });
    }
  });

  test('always 500: 1 call + 3 retries, then http_500 with the error response', async () => {
    routes.set('/down', (_req, _b, res) => json(res, 500, { errorResponse: 'maintenance' }));
    const d = def('/down');
    const r = await callAction(d, buildActionRequest(d), fast);
    assert.deepEqual(
      { ...r, elapsedMs: 0 },
      {
        ok: false,
        code: 'http_500',
        status: 500,
        errorResponse: { errorResponse: 'maintenance' },
        elapsedMs: 0,
        attempts: 4,
      },
    );
    assert.equal(hits.get('/down'), 4);
  });

  test('404 and 401 are not retried', async () => {
    for (const status of [404, 401]) {
      const path = `/no-retry-${status}`;
      routes.set(path, (_req, _b, res) => json(res, status, { status }));
      const d = def(path);
      const r = await callAction(d, buildActionRequest(d), fast);
      assert.equal(r.ok, false);
      if (!r.ok) assert.deepEqual([r.code, r.attempts], [`http_${status}`, 1]);
      assert.equal(hits.get(path), 1);
    }
  });

  test('slower than the timeout: timedout, no retry', async () => {
    routes.set('/slow', (_req, _b, res) => {
      setTimeout(() => {
        if (!res.destroyed) json(res, 200, {});
      }, 1500).unref();
    });
    const d = def('/slow', { timeoutMs: 1000 });
    const r = await callAction(d, buildActionRequest(d), fast);
    assert.equal(r.ok, false);
    if (!r.ok) assert.deepEqual([r.code, r.attempts], ['timedout', 1]);
    assert.equal(hits.get('/slow'), 1);
  });

  test('capping: calls over the window are rejected as capped; the window slides', async () => {
    routes.set('/capped', (_req, _b, res) => json(res, 200, { ok: true }));
    let now = 1_000_000;
    const capper = new SlidingWindowCapper({ now: () => now });
    const d = def('/capped', { capping: { maxCalls: 2, periodMs: 60_000 } });
    const req = buildActionRequest(d);
    assert.equal((await callAction(d, req, { ...fast, capper })).ok, true);
    assert.equal((await callAction(d, req, { ...fast, capper })).ok, true);
    const third = await callAction(d, req, { ...fast, capper });
    assert.equal(third.ok, false);
    if (!third.ok) assert.deepEqual([third.code, third.attempts], ['capped', 0]);
    now += 61_000;
    assert.equal((await callAction(d, req, { ...fast, capper })).ok, true);
    assert.equal(hits.get('/capped'), 3);
  });

  test('302 is followed; a redirect to a host that is not allowed is refused', async () => {
    routes.set('/moved', (_req, _b, res) => res.writeHead(302, { location: '/here' }).end());
    routes.set('/here', (req, _b, res) => json(res, 200, { method: req.method }));
    const d = def('/moved', { method: 'GET' });
    const r = await callAction(d, buildActionRequest(d), fast);
    assert.deepEqual(r.ok && r.body, { method: 'GET' });
    routes.set('/escape', (_req, _b, res) =>
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end(),
    );
    const e = def('/escape', { method: 'GET' });
    const r2 = await callAction(e, buildActionRequest(e), fast);
    assert.equal(!r2.ok && r2.code, 'host_not_allowed');
  });

  test('hosts: not listed, or resolving to a private address, are refused before any call', async () => {
    routes.set('/guarded', (_req, _b, res) => json(res, 200, {}));
    const d = def('/guarded');
    const r = await callAction(d, buildActionRequest(d), { allowHosts: ['api.example.com'] });
    assert.equal(!r.ok && r.code, 'host_not_allowed');
    const port = new URL(base).port;
    const viaName = customActionSchema.parse({
      name: 'A',
      url: `http://localhost:${port}/guarded`,
      method: 'GET',
    });
    const r2 = await callAction(viaName, buildActionRequest(viaName), {
      allowHosts: [`localhost:${port}`],
    });
    assert.equal(
      !r2.ok && r2.code,
      'host_not_allowed',
      'localhost resolves to loopback: refused in production',
    );
    assert.equal(hits.get('/guarded'), undefined);
    assert.deepEqual(
      await checkHost(new URL('https://api.example.com/x'), ['*.example.com'], async () => [
        '93.184.216.34',
      ]),
      { ok: true },
    );
    assert.equal(
      (
        await checkHost(
          new URL('https://api.example.com:8443/x'),
          ['api.example.com'],
          async () => ['93.184.216.34'],
        )
      ).ok,
      false,
      'ports 80/443 only',
    );
    assert.equal(
      (
        await checkHost(
          new URL('https://rebind.example.com/'),
          ['rebind.example.com'],
          async () => ['93.184.216.34', '10.0.0.5'],
        )
      ).ok,
      false,
    );
    const publicLookup = async (): Promise<readonly string[]> => ['93.184.216.34'];
    assert.deepEqual(
      await checkHost(new URL('https://any.example.org/'), ['*'], publicLookup),
      { ok: true },
      '* allows any public host',
    );
    assert.equal(
      (await checkHost(new URL('https://any.example.org:8080/'), ['*'], publicLookup)).ok,
      false,
    );
    assert.equal(
      (await checkHost(new URL('https://any.example.org:8080/'), ['*:*'], publicLookup)).ok,
      true,
    );
    assert.equal(
      (await checkHost(new URL('http://127.0.0.1/'), ['*'])).ok,
      false,
      '* never allows a private address',
    );
    assert.equal((await checkHost(new URL('http://8.8.8.8/'), ['*'])).ok, true);
  });

  test('private address ranges', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::',
    ]) {
      assert.equal(isPrivateAddress(a), true, a);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])
      assert.equal(isPrivateAddress(a), false, a);
  });

  test('custom token auth: fetched once, cached, sent as bearer; secrets never logged', async () => {
    let issued = 0;
    routes.set('/oauth/token', (_req, body, res) => {
      const creds = JSON.parse(body) as { client_secret?: string };
      if (creds.client_secret !== 'very-secret') {
        json(res, 401, {});
        return;
      }
      issued++;
      json(res, 200, { access_token: `tok-${issued}`, expires_in: 3600 });
    });
    routes.set('/secure', (req, _b, res) => {
      if (req.headers.authorization !== 'Bearer tok-1') {
        json(res, 401, {});
        return;
      }
      json(res, 200, { ok: true, apiKey: req.headers['x-api-key'] });
    });
    const d = def('/secure', {
      method: 'GET',
      headers: [{ kind: 'constant', name: 'X-Api-Key', value: 'constant-key' }],
      queryParameters: [{ kind: 'constant', name: 'api_key', value: 'query-secret' }],
      auth: {
        kind: 'customToken',
        endpoint: `${base}/oauth/token`,
        body: { client_id: 'waymark', client_secret: 'very-secret' },
        expiresInPath: 'expires_in',
      },
    });
    const logs: ActionLogEntry[] = [];
    const tokens = new TokenCache();
    for (let i = 0; i < 2; i++) {
      const r = await callAction(d, buildActionRequest(d), {
        ...fast,
        tokens,
        log: (e) => logs.push(e),
      });
      assert.deepEqual(r.ok && r.body, { ok: true, apiKey: 'constant-key' });
    }
    assert.equal(issued, 1);
    const text = JSON.stringify(logs);
    for (const secret of ['tok-1', 'constant-key', 'query-secret', 'very-secret'])
      assert.equal(text.includes(secret), false, secret);
    assert.equal(logs[0]?.headers['authorization'], '[redacted]');
  });

  test('an unreachable endpoint is retried then reported as internalError', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const d = customActionSchema.parse({
      name: 'A',
      url: `http://127.0.0.1:${port}/x`,
      method: 'GET',
    });
    const r = await callAction(d, buildActionRequest(d), fast);
    assert.equal(r.ok, false);
    if (!r.ok) assert.deepEqual([r.code, r.attempts], ['internalError', 4]);
  });

  test('throttling: calls over the rate wait their turn; past the queue age they are refused', async () => {
    routes.set('/throttled', (_req, _b, res) => json(res, 200, { ok: true }));
    let now = 0;
    const waits: number[] = [];
    const throttle = new ActionThrottle({
      ratePerSecond: 2,
      maxQueueAgeMs: 1000,
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    const d = def('/throttled');
    const req = buildActionRequest(d);
    const results = await Promise.all(
      [0, 1, 2, 3].map(() => callAction(d, req, { ...fast, throttle })),
    );
    assert.deepEqual(
      results.map((r) => (r.ok ? 'ok' : r.code)),
      ['ok', 'ok', 'ok', 'capped'],
    );
    assert.deepEqual(waits, [500, 1000]);
    now = 10_000;
    assert.equal((await callAction(d, req, { ...fast, throttle })).ok, true);
  });

  test('DNS rebinding: a name that turns private between the check and the connection is refused at connect time', async () => {
    routes.set('/rebind', (_req, _b, res) => json(res, 200, { reached: true }));
    const port = new URL(base).port;
    let lookups = 0;
    const lookup = async (): Promise<readonly string[]> =>
      ++lookups === 1 ? ['93.184.216.34'] : ['127.0.0.1'];
    const d = customActionSchema.parse({
      name: 'A',
      url: `http://loyalty.test:${port}/rebind`,
      method: 'GET',
    });
    const r = await callAction(d, buildActionRequest(d), {
      allowHosts: [`loyalty.test:${port}`],
      lookup,
      retryDelaysMs: [10, 10, 10],
    });
    assert.equal(!r.ok && r.code, 'host_not_allowed');
    assert.equal(hits.get('/rebind'), undefined);
  });

  test('the guarded fetch reaches a private address only when it is listed', async () => {
    routes.set('/listed', (_req, _b, res) => json(res, 200, { reached: true }));
    const url = `http://api.test:${new URL(base).port}/listed`;
    const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    const ok = await createGuardedFetch({ allowAddresses: ['127.0.0.1'], resolve })(url);
    assert.deepEqual(await ok.json(), { reached: true });
    await assert.rejects(createGuardedFetch({ resolve })(url), PrivateAddressError);
  });
});
