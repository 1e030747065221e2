// Custom-action calls are counted where the outbox finishes them (calls, errors, total ms and a
// fixed histogram on the action activity's report counters), shown in the journey report, and
// answered by the Assistant's action intent with the figures and a chart series.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { apiKey } from '../../src/api/auth.ts';
import { buildServer } from '../../src/api/server.ts';
import { journeyReportSchema } from '../../src/isomorphic/api/reports.ts';
import {
  actionCallCounters,
  addActionCounter,
  emptyActionLatency,
  finishActionLatency,
} from '../../src/shared/action-latency.ts';
import { conforms } from '../support/conforms.ts';
import { lumaWorld, type LumaWorld } from '../support/luma.ts';
import { demoTraffic } from './demo-traffic.ts';

const VIEWER = 'action-health-viewer-key-0123456789';
let w: LumaWorld;
let server: FastifyInstance;

before(async () => {
  w = await lumaWorld();
  server = await buildServer({ app: w.app, keys: [apiKey('viewer', VIEWER, ['prod'], 'viewer')] });
  w.loyalty.failNext(3, 404);
  await demoTraffic(w, 20);
});
after(async () => {
  await server.close();
  await w.close();
});

const get = async (url: string) => {
  const res = await server.inject({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${VIEWER}`, 'x-sandbox-name': 'prod' },
  });
  return { status: res.statusCode, body: JSON.parse(res.body) };
};

test('the histogram: p95 and the slowest call are the upper bounds of their buckets', () => {
  const a = emptyActionLatency();
  const calls: Array<[number, boolean]> = [
    ...Array.from({ length: 18 }, (): [number, boolean] => [40, true]),
    [300, false],
    [12_000, false],
  ];
  for (const [ms, ok] of calls)
    for (const [metric, delta] of actionCallCounters(ms, ok)) addActionCounter(a, metric, delta);
  const f = finishActionLatency(a);
  assert.equal(f.calls, 20);
  assert.equal(f.errors, 2);
  assert.equal(f.totalMs, 18 * 40 + 300 + 12_000);
  assert.equal(f.meanMs, Math.round((18 * 40 + 300 + 12_000) / 20));
  assert.equal(f.p95Ms, 500, 'the 19th of 20 calls is in the ≤ 500 ms bucket');
  assert.equal(f.maxMs, 10_000);
  assert.equal(f.overLastBound, true, 'the slowest took longer than the last bound');
});

test('each LoyaltyService call is counted on its activity in the journey report, errors included', async () => {
  const r = await get('/v1/journeys/purchase-journey/report');
  assert.equal(r.status, 200);
  conforms(journeyReportSchema, r, 'the report with action figures');
  const activities = r.body.versions.flatMap((v: any) => v.activities);
  const action = activities.find((a: any) => a.kind === 'action' && a.action);
  assert.ok(action, 'the action activity has figures');
  assert.equal(action.action.calls, w.loyalty.calls.length);
  assert.ok(action.action.calls >= 16, `calls: ${action.action.calls}`);
  assert.equal(action.action.errors, 3, 'the three refused calls');
  assert.equal(
    action.action.buckets.reduce((n: number, b: any) => n + b.calls, 0),
    action.action.calls,
  );
  assert.ok(action.action.p95Ms > 0 && action.action.maxMs >= action.action.p95Ms);
  assert.ok(
    activities.filter((a: any) => a.kind !== 'action').every((a: any) => a.action === undefined),
  );
});

test('"LoyaltyService errors and latency" is answered with its figures, a chart and the report link', async () => {
  const res = await server.inject({
    method: 'POST',
    url: '/v1/assistant/chat',
    headers: {
      authorization: `Bearer ${VIEWER}`,
      'content-type': 'application/json',
      'x-sandbox-name': 'prod',
    },
    payload: JSON.stringify({
      messages: [{ role: 'user', content: 'What are the LoyaltyService errors and latency?' }],
    }),
  });
  assert.equal(res.statusCode, 200, res.body);
  const body = JSON.parse(res.body);
  assert.equal(body.mode, 'intent');
  const calls = w.loyalty.calls.length;
  assert.match(body.answer, new RegExp(`LoyaltyService: ${calls} calls, 3 errors`));
  assert.match(body.answer, /p95 ≤ [\d,]+ ms, slowest ≤ [\d,]+ ms/);
  assert.ok(body.citations.some((c: any) => c.href === '/journeys/purchase-journey/report'));
  assert.deepEqual(
    body.data[0].points.map((p: any) => p.value),
    [calls, 3],
  );
});
