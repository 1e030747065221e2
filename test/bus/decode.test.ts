// How a JetStream message becomes a sandbox and raw events: subjects, bodies, the ids a
// redelivery keeps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeMessage, sandboxOfSubject } from '../../src/bus/decode.ts';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const msg = (subject: string, body: string, msgId?: string) => ({
  subject,
  data: bytes(body),
  msgId,
});

test('the subject names the sandbox: one token, a valid sandbox name', () => {
  assert.equal(sandboxOfSubject('waymark.events.prod', 'waymark.events'), 'prod');
  assert.equal(sandboxOfSubject('waymark.events.dev-2', 'waymark.events'), 'dev-2');
  for (const s of [
    'waymark.events',
    'waymark.events.',
    'waymark.events.a.b',
    'waymark.events.Prod',
    'waymark.events.-x',
    'waymark.eventsx.prod',
    'other.prod',
  ]) {
    assert.equal(sandboxOfSubject(s, 'waymark.events'), null, s);
  }
  const d = decodeMessage(msg('waymark.events', '{}'), 'waymark.events', 'base');
  assert.equal(d.ok, false);
  assert.match(!d.ok ? d.reason : '', /names no sandbox.*waymark\.events\.<sandbox>/);
});

test("ids: the event's own, else Nats-Msg-Id, else the stream position; arrays number theirs", () => {
  const one = (body: unknown, msgId?: string) =>
    decodeMessage(msg('p.prod', JSON.stringify(body), msgId), 'p', 'nats-S-1-7');
  assert.deepEqual(one({ id: 'own', type: 'T', payload: {} }, 'hdr'), {
    ok: true,
    sandbox: 'prod',
    events: [{ id: 'own', type: 'T', payload: {} }],
    problem: null,
  });
  assert.deepEqual(one({ type: 'T', payload: {} }, 'hdr'), {
    ok: true,
    sandbox: 'prod',
    events: [{ id: 'hdr', type: 'T', payload: {} }],
    problem: null,
  });
  assert.deepEqual(one({ type: 'T', payload: {} }), {
    ok: true,
    sandbox: 'prod',
    events: [{ id: 'nats-S-1-7', type: 'T', payload: {} }],
    problem: null,
  });
  const arr = one([{ type: 'T', payload: {} }, { id: 'x', type: 'T', payload: {} }, 3], 'hdr');
  assert.deepEqual(arr.ok ? arr.events : null, [
    { id: 'hdr-0', type: 'T', payload: {} },
    { id: 'x', type: 'T', payload: {} },
    3,
  ]);
  const bad = one({ id: 12, type: 'T', payload: {} }, 'hdr');
  assert.deepEqual(
    bad.ok ? bad.events : null,
    [{ id: 12, type: 'T', payload: {} }],
    'an invalid id is left for the engine to reject',
  );
});

test('bodies that hold no events are passed on so that the engine dead-letters them', () => {
  const d = (body: string) => decodeMessage(msg('p.prod', body), 'p', 'b');
  const notJson = d('not json');
  assert.ok(notJson.ok);
  assert.deepEqual(notJson.events, ['not json']);
  assert.match(notJson.problem ?? '', /not JSON/);
  assert.deepEqual(
    d('[]'),
    { ok: true, sandbox: 'prod', events: [[]], problem: null },
    'an empty array is one non-object event',
  );
  const nul = d('{"type":"T","payload":{"a":"x\\u0000y"}}');
  assert.match((nul as { problem: string }).problem, /NUL/);
  assert.ok(nul.ok && typeof nul.events[0] === 'string');
  const raw = d('ab\u0000c');
  assert.deepEqual(raw.ok ? raw.events : null, ['ab\uFFFDc'], 'no NUL reaches the store');
  const deep = d(`${'['.repeat(100)}${']'.repeat(100)}`);
  assert.match((deep as { problem: string }).problem, /nested 100 levels/);
});
