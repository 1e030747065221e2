// Traces of ingest → commit → dispatch, sent as OTLP/JSON to a collector: here a real HTTP server
// on loopback that records what it receives. A checkout and a purchase come in over HTTP: each
// ingest span is the root of a trace, the commit of its unit of work a child in it, and the
// LoyaltyService call and the order confirmation, dispatched later by the engine's loop, children of
// that commit: ingest → commit → dispatch, one trace. With no endpoint set there is
// no tracing at all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noTracing, tracingFromEnv } from '../../src/runtime/observability/tracing.ts';
import { cart, lumaEvent } from '../support/luma.ts';
import { attr, collector, spansOf, type OtlpSpan } from './collector.ts';
import { observedWorld } from './world.ts';

test('with OTEL_EXPORTER_OTLP_ENDPOINT set, a purchase is traced from ingest to commit to dispatch, and the collector receives OTLP/JSON', async () => {
  const c = await collector();
  const tracing = tracingFromEnv(
    { OTEL_EXPORTER_OTLP_ENDPOINT: `${c.url}/`, OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=luma%20lab' },
    { engine: 'engine-t', version: '0.1.0' },
  );
  assert.equal(tracing.enabled, true);
  const w = await observedWorld({ tracing, engineId: 'engine-t' });
  try {
    assert.equal(
      (
        await w.request(
          'POST',
          '/v1/events',
          lumaEvent('LumaCheckoutEvent_Email', 'trace@luma.example', cart, 'trace-checkout-1'),
        )
      ).status,
      202,
    );
    assert.equal(
      (
        await w.request(
          'POST',
          '/v1/events',
          lumaEvent('LumaPurchaseEvent_Email', 'trace@luma.example', cart, 'trace-purchase-1'),
        )
      ).status,
      202,
    );
    assert.equal(w.loyaltyCalls(), 1);
    await tracing.flush();

    assert.ok(c.received.length >= 1);
    for (const r of c.received) {
      assert.equal(r.path, '/v1/traces');
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(r.headers['x-tenant'], 'luma lab', 'OTEL_EXPORTER_OTLP_HEADERS, decoded');
    }
    const resource = c.received[0]!.body.resourceSpans[0]!.resource.attributes;
    assert.deepEqual(resource.find((a) => a.key === 'service.name')?.value, {
      stringValue: 'waymark',
    });
    assert.deepEqual(resource.find((a) => a.key === 'service.instance.id')?.value, {
      stringValue: 'engine-t',
    });
    const spans = spansOf(c.received);

    const ingests = spans
      .filter((s) => s.name === 'waymark.ingest')
      .sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));
    assert.equal(
      ingests.length,
      2,
      `two ingest spans among ${spans.map((s) => s.name).join(', ')}`,
    );
    const ingest = ingests[1]!;
    assert.notEqual(ingest.traceId, ingests[0]!.traceId, 'each request its own trace');
    assert.equal(ingest.parentSpanId, undefined, 'the root');
    assert.equal(ingest.kind, 2, 'SPAN_KIND_SERVER');
    assert.match(ingest.traceId, /^[0-9a-f]{32}$/);
    assert.match(ingest.spanId, /^[0-9a-f]{16}$/);
    assert.deepEqual(
      [
        attr(ingest, 'waymark.sandbox'),
        attr(ingest, 'waymark.source'),
        attr(ingest, 'waymark.events'),
        attr(ingest, 'waymark.accepted'),
      ],
      ['prod', 'http', '1', '1'],
    );
    assert.ok(BigInt(ingest.endTimeUnixNano) >= BigInt(ingest.startTimeUnixNano));

    const commits = spans.filter(
      (s) => s.name === 'waymark.commit' && s.parentSpanId === ingest.spanId,
    );
    assert.equal(
      commits.length,
      1,
      'the unit of work of the purchase, committed inside its ingest',
    );
    assert.equal(commits[0]!.traceId, ingest.traceId);
    assert.ok(Number(attr(commits[0]!, 'waymark.rows.events')) >= 1);

    const action = spans.find((s) => s.name === 'waymark.dispatch.action');
    assert.ok(action, 'the LoyaltyService call');
    assert.equal(action.kind, 3, 'SPAN_KIND_CLIENT');
    assert.equal(attr(action, 'waymark.outcome'), 'ok');
    const message = spans.find((s) => s.name === 'waymark.dispatch.message');
    assert.ok(message, 'the order confirmation');
    assert.deepEqual(
      [attr(message, 'waymark.channel'), attr(message, 'waymark.status')],
      ['email', 'sent'],
    );
    // What a dispatch commits (the action's outcome, the message record) is a child of the dispatch.
    // Dispatched later by the engine's loop, yet in the purchase's trace: the LoyaltyService call
    // under the commit that queued it; the commit of its outcome under the call; the order
    // confirmation (queued by that commit, the journey's next step) under that commit.
    const inTrace = spans.filter((s) => s.traceId === ingest.traceId);
    const byId = new Map(inTrace.map((s) => [s.spanId, s] as const));
    const chain = (s: OtlpSpan): string[] =>
      s.parentSpanId === undefined ? [s.name] : [...chain(byId.get(s.parentSpanId)!), s.name];
    assert.deepEqual(chain(action), [
      'waymark.ingest',
      'waymark.commit',
      'waymark.dispatch.action',
    ]);
    assert.deepEqual(chain(message), [
      'waymark.ingest',
      'waymark.commit',
      'waymark.dispatch.action',
      'waymark.commit',
      'waymark.dispatch.message',
    ]);
    assert.ok(
      spans.every((s) => s.status.code !== 2),
      'no span failed',
    );
  } finally {
    await w.close();
    await c.close();
  }
});

test('with no endpoint there is no tracing: spans are not made', async () => {
  const none = tracingFromEnv({}, { engine: 'engine-n' });
  assert.equal(none, noTracing);
  let ran = false;
  assert.equal(
    await none.span('waymark.ingest', {}, async (span) => {
      ran = true;
      return span.isRecording();
    }),
    false,
  );
  assert.ok(ran);
});
