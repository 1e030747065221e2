// Data retention on both stores: a sandbox's settings (events, the delivery log, dead letters, its
// audit entries) set through the API, and the background purge deleting what is older in small
// batches (src/runtime/retention/purger.ts) while recent rows stay, and while ingest goes on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startRetentionPurger } from '../../src/runtime/retention/purger.ts';
import { apiWorld, type ApiWorld } from '../support/server.ts';

const DAY = 86_400_000;
const ALL = { afterProfileId: '', toProfileId: '\uffff', since: null } as const;
const TYPES = ['LumaCheckoutEvent_Email', 'LumaPurchaseEvent_Email'];

const checkout = (email: string, type = 'LumaCheckoutEvent_Email') => ({
  type,
  payload: {
    _aeppartner1: { identification: { core: { email } } },
    productListItems: [{ name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 }],
  },
});

/** A checkout and its purchase (events, the confirmation in the delivery log), a refused event (a dead letter), an audit entry: all at the world's current time. */
async function activity(w: ApiWorld, email: string): Promise<void> {
  assert.equal((await w.request('POST', '/v1/events', checkout(email))).body.accepted, 1);
  const purchase = checkout(email, 'LumaPurchaseEvent_Email');
  assert.equal((await w.request('POST', '/v1/events', purchase)).body.accepted, 1);
  const refused = await w.request('POST', '/v1/events', {
    type: 'LumaCheckoutEvent_Email',
    payload: { productListItems: 'not a list' },
  });
  assert.notEqual(refused.status, 200, 'a dead letter');
  await w.app.access.audit.record({
    sandbox: 'prod',
    actor: { kind: 'system', id: 'test', name: 'test' },
    action: 'test.activity',
    object: null,
  });
}

async function rows(w: ApiWorld) {
  return {
    events: await w.store.eventsOfProfiles('prod', { ...ALL, types: TYPES }),
    messages: await w.store.messages('prod', { limit: 1000 }),
    deadLetters: await w.store.listDeadLetters('prod', { limit: 1000 }),
    audit: (await w.store.queryAudit({ sandbox: 'prod', limit: 1000 })).filter(
      (a) => a.action === 'test.activity',
    ),
  };
}

for (const kind of ['sqlite', 'postgres'] as const) {
  test(`${kind}: retention settings through the API; the purge deletes what is older, keeps what is recent`, async () => {
    const w = await apiWorld({ store: kind });
    try {
      const old = w.clock.now();
      await activity(w, 'old.shopper@example.com');
      w.clock.advance(40 * DAY);
      await activity(w, 'new.shopper@example.com');
      const before = await rows(w);
      for (const [what, list] of Object.entries(before))
        assert.ok(
          list.some(
            (r) =>
              ('receivedAt' in r ? r.receivedAt : 'createdAt' in r ? r.createdAt : r.at) === old,
          ),
          `an old ${what} row`,
        );

      const settings = await w.request('GET', '/v1/sandboxes/prod/settings');
      assert.deepEqual(settings.body.retention, { messages: null, deadLetters: null, audit: null });
      const put = await w.request('PUT', '/v1/sandboxes/prod/settings', {
        retentionDays: null,
        approvals: settings.body.approvals,
        retention: { messages: 30, deadLetters: 30, audit: 30 },
      });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.deepEqual(put.body.retention, { messages: 30, deadLetters: 30, audit: 30 });
      // Absent: unchanged (a client that knows only retentionDays and approvals keeps the others).
      const again = await w.request('PUT', '/v1/sandboxes/prod/settings', {
        retentionDays: null,
        approvals: settings.body.approvals,
      });
      assert.deepEqual(again.body.retention, { messages: 30, deadLetters: 30, audit: 30 });
      const bad = await w.request('PUT', '/v1/sandboxes/prod/settings', {
        retentionDays: null,
        approvals: settings.body.approvals,
        retention: { messages: 0 },
      });
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(bad.body), /retention\.messages/);
      // Events: set in the store as the profile settings do, without their immediate purge in the writer.
      await w.store.putSetting('prod', 'eventRetentionDays', 30);

      const report = await w.app.retention.runOnce();
      const after = await rows(w);
      for (const [what, list] of Object.entries(after)) {
        const times = list.map((r) =>
          'receivedAt' in r ? r.receivedAt : 'createdAt' in r ? r.createdAt : r.at,
        );
        assert.ok(times.length > 0, `recent ${what} rows stay`);
        assert.ok(
          times.every((t) => t > old),
          `no ${what} row older than 30 days is left`,
        );
        const gone = before[what as keyof typeof before].length - list.length;
        assert.ok(gone > 0, `old ${what} rows went`);
        assert.equal(report.deleted['prod']?.[what as 'events'], gone, `${what} counted`);
      }
    } finally {
      await w.close();
    }
  });

  test(`${kind}: ingest goes on while the purge deletes thousands of old events in small batches`, async () => {
    const w = await apiWorld({ store: kind });
    try {
      const OLD = 1500;
      for (let i = 0; i < OLD; i += 250) {
        const batch = Array.from({ length: 250 }, (_, k) =>
          checkout(`bulk${i + k}@example.com`, 'LumaPurchaseEvent_Email'),
        );
        const r = await w.request('POST', '/v1/events', batch);
        assert.equal(r.body.accepted, 250, JSON.stringify(r.body).slice(0, 500));
      }
      w.clock.advance(40 * DAY);
      await w.store.putSetting('prod', 'eventRetentionDays', 30);
      const purger = startRetentionPurger({
        store: w.store,
        clock: w.clock,
        sandboxes: async () => ['prod'],
        intervalMs: 0,
        batchSize: 25,
      });
      let purging = true;
      const purge = purger.runOnce().finally(() => (purging = false));
      let duringPurge = 0;
      let sent = 0;
      while (purging || sent < 20) {
        const r = await w.request(
          'POST',
          '/v1/events',
          checkout(`fresh${sent}@example.com`, 'LumaPurchaseEvent_Email'),
        );
        assert.equal(r.body.accepted, 1);
        sent++;
        if (purging) duringPurge++;
      }
      const report = await purge;
      await purger.stop();
      assert.ok(duringPurge > 0, 'events were ingested while the purge ran');
      assert.equal(report.deleted['prod']?.events, OLD);
      assert.ok(report.batches >= OLD / 25, `small batches (${report.batches})`);
      const left = await w.store.eventsOfProfiles('prod', { ...ALL, types: TYPES });
      assert.equal(left.length, sent, 'every event ingested during the purge is there, no old one');
    } finally {
      await w.close();
    }
  });
}
