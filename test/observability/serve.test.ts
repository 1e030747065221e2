// `waymark serve --demo` as an operator runs it, with OTEL_EXPORTER_OTLP_ENDPOINT naming a
// collector (a real HTTP server on loopback): a shopper's checkout and purchase reach the
// collector as traces from ingest to the LoyaltyService call, marked with the engine's id, and
// Prometheus (a scrape with the admin key) sees the same engine's counters move.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { api, freePort, spawnServer, until } from '../support/process.ts';
import { attr, collector, spansOf } from './collector.ts';
import { sample } from './world.ts';

const shopper = {
  _aeppartner1: { identification: { core: { email: 'otel.shopper@luma.example' } } },
};
const items = [{ name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 }];

test('waymark serve sends traces to the collector named by OTEL_EXPORTER_OTLP_ENDPOINT, and /metrics counts the same work', async () => {
  const c = await collector();
  const dir = mkdtempSync(join(tmpdir(), 'waymark-otel-'));
  const args = [
    '--demo',
    '--loyalty-port',
    String(await freePort()),
    '--smtp-port',
    String(await freePort()),
  ];
  const server = await (
    await spawnServer(args, dir, await freePort(), { OTEL_EXPORTER_OTLP_ENDPOINT: c.url })
  ).ready();
  try {
    assert.equal(
      (
        await api(server, 'POST', '/v1/events', {
          id: 'otel-checkout',
          type: 'LumaCheckoutEvent_Email',
          payload: { ...shopper, productListItems: items },
        })
      ).body.accepted,
      1,
    );
    assert.equal(
      (
        await api(server, 'POST', '/v1/events', {
          id: 'otel-purchase',
          type: 'LumaPurchaseEvent_Email',
          payload: {
            ...shopper,
            commerce: {
              purchases: { value: 1 },
              order: { purchaseID: 'otel-order-1', priceTotal: 92, currencyCode: 'USD' },
            },
            productListItems: items,
          },
        })
      ).body.accepted,
      1,
    );

    const spans = await until(
      'the LoyaltyService call traced',
      () => {
        const all = spansOf(c.received);
        return all.some((s) => s.name === 'waymark.dispatch.action') ? all : null;
      },
      30_000,
    );
    const action = spans.find((s) => s.name === 'waymark.dispatch.action')!;
    const ingest = spans.find((s) => s.name === 'waymark.ingest' && s.traceId === action.traceId);
    assert.ok(ingest, 'the call is in the trace of the event that caused it');
    assert.equal(attr(ingest, 'waymark.source'), 'http');
    const engine = c.received[0]!.body.resourceSpans[0]!.resource.attributes.find(
      (a) => a.key === 'service.instance.id',
    )?.value['stringValue'];
    assert.equal(typeof engine, 'string');

    const res = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${server.key}` },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    assert.equal(
      sample(text, 'waymark_events_ingested_total', {
        sandbox: 'prod',
        source: 'http',
        outcome: 'accepted',
        engine: engine as string,
      }),
      2,
    );
    assert.equal(sample(text, 'waymark_action_calls_total', { outcome: 'ok' }), 1);
    assert.equal(sample(text, 'waymark_partitions_owned', { owner: engine as string }), 256);
    assert.ok(
      sample(text, 'waymark_process_cpu_seconds_total', { engine: engine as string }) > 0,
      'and the process metrics',
    );
  } finally {
    await server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    await c.close();
  }
});
