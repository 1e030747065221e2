// The audit log service over the store: entries as the API shows them, the object filter
// (`kind:key` or a key), pages with a `next` only when more remain, and the retention purge that
// runs at start (and daily) until the log is stopped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../src/runtime/clock.ts';
import {
  createAuditLog,
  parseObjectFilter,
  retentionDaysFrom,
} from '../../src/runtime/access/audit-log.ts';
import { openTestStore } from '../support/test-store.ts';

const ana = { kind: 'user' as const, id: 'u1', name: 'ana@luma.example' };
const ci = { kind: 'key' as const, id: 'k1', name: 'ci' };
const T0 = Date.parse('2026-06-01T00:00:00.000Z');

test('recorded entries read back newest first with actor, sandbox, object, changes and details; filters and pages', async () => {
  const store = await openTestStore();
  const clock = new ManualClock(T0);
  const audit = createAuditLog({ store, clock, retentionDays: 0 });
  try {
    await audit.record({
      sandbox: 'prod',
      actor: ana,
      action: 'object.create',
      object: { kind: 'fragment', key: 'footer', name: 'Footer' },
      changes: [{ path: '', after: { id: 'footer' } }],
    });
    clock.advance(1000);
    await audit.record({
      sandbox: null,
      actor: ci,
      action: 'key.create',
      object: { kind: 'apiKey', key: 'k2' },
      details: { role: 'viewer' },
    });
    clock.advance(1000);
    await audit.record({
      sandbox: 'prod',
      actor: ci,
      action: 'profile.erase',
      object: { kind: 'profile', key: 'Email:x' },
    });

    const all = await audit.query({ limit: 10 });
    assert.deepEqual(
      all.items.map((e) => e.action),
      ['profile.erase', 'key.create', 'object.create'],
    );
    assert.equal(all.next, null);
    assert.deepEqual(all.items[2], {
      id: all.items[2]!.id,
      at: '2026-06-01T00:00:00.000Z',
      sandbox: 'prod',
      actor: ana,
      action: 'object.create',
      object: { kind: 'fragment', key: 'footer', name: 'Footer' },
      changes: [{ path: '', after: { id: 'footer' } }],
    });
    assert.deepEqual(all.items[1]?.details, { role: 'viewer' });
    assert.equal(all.items[1]?.sandbox, null);

    assert.deepEqual(
      (await audit.query({ limit: 10, object: 'fragment:footer' })).items.map((e) => e.action),
      ['object.create'],
    );
    assert.deepEqual(
      (await audit.query({ limit: 10, object: 'footer' })).items.map((e) => e.action),
      ['object.create'],
    );
    assert.deepEqual(
      (await audit.query({ limit: 10, object: 'Email:x' })).items.map((e) => e.action),
      ['profile.erase'],
      'Email is no kind: the whole text is a key',
    );
    assert.deepEqual(
      (await audit.query({ limit: 10, object: 'profile:Email:x' })).items.map((e) => e.action),
      ['profile.erase'],
    );
    assert.deepEqual(
      (await audit.query({ limit: 10, actor: 'ci' })).items.map((e) => e.action),
      ['profile.erase', 'key.create'],
    );
    assert.deepEqual(
      (await audit.query({ limit: 10, sandbox: 'prod' })).items.map((e) => e.action),
      ['profile.erase', 'object.create'],
    );
    assert.deepEqual(
      (await audit.query({ limit: 10, since: T0 + 1000, until: T0 + 2000 })).items.map(
        (e) => e.action,
      ),
      ['key.create'],
    );

    const page1 = await audit.query({ limit: 2 });
    assert.deepEqual(
      page1.items.map((e) => e.action),
      ['profile.erase', 'key.create'],
    );
    assert.equal(page1.next, page1.items[1]!.id);
    const page2 = await audit.query({ limit: 2, before: page1.next! });
    assert.deepEqual([page2.items.map((e) => e.action), page2.next], [['object.create'], null]);
  } finally {
    await audit.stop();
    await store.close();
  }
});

test('entries made in the same millisecond keep their order', async () => {
  const store = await openTestStore();
  const audit = createAuditLog({ store, clock: new ManualClock(T0), retentionDays: 0 });
  try {
    for (let i = 0; i < 20; i++)
      await audit.record({ sandbox: 'prod', actor: ana, action: `a.${i}`, object: null });
    assert.deepEqual(
      (await audit.query({ limit: 50 })).items.map((e) => e.action),
      Array.from({ length: 20 }, (_, i) => `a.${19 - i}`),
    );
  } finally {
    await audit.stop();
    await store.close();
  }
});

test('retention: entries older than the period are purged when the log starts; 0 keeps everything', async () => {
  const store = await openTestStore();
  try {
    const clock = new ManualClock(T0);
    const writer = createAuditLog({ store, clock, retentionDays: 0 });
    await writer.record({ sandbox: 'prod', actor: ana, action: 'object.update', object: null });
    clock.advance(29 * 86_400_000);
    await writer.record({ sandbox: 'prod', actor: ana, action: 'object.delete', object: null });
    await writer.stop();

    clock.advance(2 * 86_400_000);
    const kept = createAuditLog({ store, clock, retentionDays: 0 });
    await kept.stop();
    assert.equal((await kept.query({ limit: 10 })).items.length, 2);
    const started = createAuditLog({ store, clock, retentionDays: 30 });
    await started.stop();
    assert.deepEqual(
      (await started.query({ limit: 10 })).items.map((e) => e.action),
      ['object.delete'],
    );
  } finally {
    await store.close();
  }
});

test('the object filter and the retention setting as written', () => {
  assert.deepEqual(parseObjectFilter('journey:purchase'), {
    objectKind: 'journey',
    objectKey: 'purchase',
  });
  assert.deepEqual(parseObjectFilter('purchase'), { objectKey: 'purchase' });
  assert.deepEqual(parseObjectFilter('Email:ana@luma.example'), {
    objectKey: 'Email:ana@luma.example',
  });
  assert.equal(retentionDaysFrom(undefined), 365);
  assert.equal(retentionDaysFrom('90'), 90);
  assert.throws(() => retentionDaysFrom('a year'), /whole number of days/);
});
