// The landing pages' per-address limit reads X-Forwarded-For only when the server trusts a proxy
// (`trustProxy`, --trust-proxy, WAYMARK_TRUST_PROXY); otherwise the connection's address counts and
// a forged header changes nothing.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildServer, parseTrustProxy } from '../../src/api/server.ts';
import type { TrustProxy } from '../../src/api/server.ts';
import { lumaWorld, TRACKING_SECRET } from '../support/luma.ts';

const PAGE = '/lp/prod/spring-sale';

async function statuses(
  f: FastifyInstance,
  remoteAddress: string,
  forwarded: readonly string[],
): Promise<number[]> {
  const page = await f.inject({ method: 'GET', url: PAGE, remoteAddress });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const out: number[] = [];
  for (const xff of forwarded) {
    const r = await f.inject({
      method: 'POST',
      url: PAGE,
      remoteAddress,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': xff },
      payload: new URLSearchParams({ _csrf: csrf, email: 'x' }).toString(),
    });
    out.push(r.statusCode);
  }
  return out;
}

describe('landing pages behind a proxy', () => {
  const serve = async (trustProxy?: TrustProxy) => {
    const w = await lumaWorld();
    const f = await buildServer({
      app: w.app,
      keys: [],
      trackingSecret: TRACKING_SECRET,
      landingPages: { submissionsPerWindow: 2 },
      ...(trustProxy !== undefined ? { trustProxy } : {}),
    });
    return { w, f };
  };

  test('without trustProxy, X-Forwarded-For is ignored: one connection address, one limit', async () => {
    const { w, f } = await serve();
    try {
      // Three "different" forwarded addresses from one connection: the third post is over the limit.
      assert.deepEqual(
        await statuses(f, '10.0.0.7', ['1.1.1.1', '2.2.2.2', '3.3.3.3']),
        [422, 422, 429],
      );
    } finally {
      await f.close();
      await w.close();
    }
  });

  test('with trustProxy, each forwarded client has its own limit', async () => {
    const { w, f } = await serve(true);
    try {
      assert.deepEqual(
        await statuses(f, '10.0.0.7', ['1.1.1.1', '2.2.2.2', '3.3.3.3']),
        [422, 422, 422],
      );
      assert.deepEqual(
        await statuses(f, '10.0.0.7', ['4.4.4.4', '4.4.4.4', '4.4.4.4']),
        [422, 422, 429],
      );
    } finally {
      await f.close();
      await w.close();
    }
  });

  test("trusting only the proxy's address: a header from elsewhere is ignored", async () => {
    const { w, f } = await serve('10.0.0.7');
    try {
      assert.deepEqual(await statuses(f, '10.0.0.7', ['5.5.5.5', '6.6.6.6']), [422, 422]);
      assert.deepEqual(
        await statuses(f, '192.0.2.9', ['7.7.7.7', '8.8.8.8', '9.9.9.9']),
        [422, 422, 429],
      );
    } finally {
      await f.close();
      await w.close();
    }
  });

  test('the setting as written in the environment', () => {
    assert.equal(parseTrustProxy(undefined), undefined);
    assert.equal(parseTrustProxy(' '), undefined);
    assert.equal(parseTrustProxy('true'), true);
    assert.equal(parseTrustProxy('false'), false);
    assert.equal(parseTrustProxy('10.0.0.1, 10.0.0.0/8'), '10.0.0.1,10.0.0.0/8');
  });
});
