// The webhook-delivery and export repositories, held to the same behaviour on SQLite (memory and
// disk) and PostgreSQL: a delivery takes its last write, due ones come oldest first, lists are per
// subscription and status; the export scan is time-ordered across its four sources, in the range,
// and pages after a cursor without losing or repeating a row.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { ExportRow, Store, WebhookDeliveryRow } from '../../src/store/ports.ts';
import { openPostgresTestStore } from '../support/test-store.ts';

const delivery = (id: string, over: Partial<WebhookDeliveryRow> = {}): WebhookDeliveryRow => ({
  sandbox: 'prod',
  id,
  subscription: 'crm',
  eventType: 'journey.entered',
  body: `{"id":"${id}"}`,
  status: 'pending',
  attempts: 0,
  nextAttemptAt: 100,
  lastStatus: null,
  lastError: null,
  createdAt: 100,
  updatedAt: 100,
  ...over,
});

function contract(name: string, open: () => Promise<Store>): void {
  describe(`webhook deliveries and exports: ${name}`, () => {
    test('a delivery takes its last write; due ones oldest first; lists per subscription', async () => {
      const s = await open();
      try {
        await s.commit({
          webhookDeliveries: [
            delivery('a', { nextAttemptAt: 300 }),
            delivery('b', { nextAttemptAt: 200 }),
            delivery('c', { subscription: 'other', createdAt: 150 }),
            delivery('d', { sandbox: 'dev' }),
          ],
        });
        await s.commit({
          webhookDeliveries: [
            delivery('a', {
              attempts: 1,
              lastStatus: 500,
              lastError: 'HTTP 500',
              nextAttemptAt: 250,
            }),
            delivery('a', { attempts: 2, status: 'delivered', lastStatus: 200, updatedAt: 400 }),
          ],
        });
        const a = await s.webhookDelivery('prod', 'a');
        assert.deepEqual(
          [a?.status, a?.attempts, a?.lastStatus, a?.lastError, a?.updatedAt],
          ['delivered', 2, 200, null, 400],
        );
        assert.deepEqual((await s.claimWebhookDeliveries(150, 10, 5000)).map((d) => d.id).sort(), [
          'c',
          'd',
        ]);
        const due = await s.claimWebhookDeliveries(1000, 10, 5000);
        assert.deepEqual(
          due.map((d) => `${d.sandbox}/${d.id}`),
          ['prod/b'],
          'claimed ones are not due again until their claim runs out',
        );
        assert.equal(due[0]!.nextAttemptAt, 200, 'answered as it was before the claim');
        assert.equal((await s.webhookDelivery('prod', 'b'))?.nextAttemptAt, 5000);
        const again = await s.claimWebhookDeliveries(5000, 10, 9000);
        assert.deepEqual(
          again.map((d) => `${d.sandbox}/${d.id}`).sort(),
          ['dev/d', 'prod/b', 'prod/c'],
          'due again once the claim ran out',
        );
        assert.equal(again[again.length - 1]!.id, 'c', 'the oldest first (c was created last)');
        assert.deepEqual(
          (await s.listWebhookDeliveries('prod', 'crm', { limit: 10 })).map((d) => d.id).sort(),
          ['a', 'b'],
        );
        assert.deepEqual(
          (await s.listWebhookDeliveries('prod', 'crm', { status: 'pending', limit: 10 })).map(
            (d) => d.id,
          ),
          ['b'],
        );
        assert.equal(await s.webhookDelivery('dev', 'a'), null);
      } finally {
        await s.close();
      }
    });

    test('two engines claiming at once take different deliveries; finished ones are purged by age', async () => {
      const s = await open();
      try {
        const ids = Array.from({ length: 60 }, (_, i) => `d${String(i).padStart(2, '0')}`);
        await s.commit({ webhookDeliveries: ids.map((id) => delivery(id)) });
        const [one, two, three] = await Promise.all([
          s.claimWebhookDeliveries(1000, 25, 9000),
          s.claimWebhookDeliveries(1000, 25, 9000),
          s.claimWebhookDeliveries(1000, 25, 9000),
        ]);
        const all = [...one!, ...two!, ...three!].map((d) => d.id);
        assert.equal(new Set(all).size, all.length, 'no delivery claimed twice');
        assert.deepEqual([...all].sort(), ids, 'every due delivery claimed once');

        await s.commit({
          webhookDeliveries: [
            delivery('d00', { status: 'delivered', updatedAt: 500 }),
            delivery('d01', { status: 'failed', updatedAt: 600 }),
            delivery('d02', { status: 'delivered', updatedAt: 2000 }),
          ],
        });
        assert.equal(await s.purgeWebhookDeliveries(1000, 1), 1, 'a batch at a time');
        assert.equal(await s.purgeWebhookDeliveries(1000, 10), 1);
        assert.equal(await s.purgeWebhookDeliveries(1000, 10), 0);
        assert.equal(await s.webhookDelivery('prod', 'd00'), null);
        assert.equal(await s.webhookDelivery('prod', 'd01'), null);
        assert.ok(await s.webhookDelivery('prod', 'd02'), 'a recent one is kept');
        assert.ok(await s.webhookDelivery('prod', 'd03'), 'a pending one is kept, however old');
      } finally {
        await s.close();
      }
    });

    test('the export scan: four sources in time order, in the range, paged after a cursor', async () => {
      const s = await open();
      try {
        const message = (id: string, at: number) => ({
          id,
          sandbox: 'prod',
          journeyId: 'j',
          version: 1,
          node: 'mail',
          label: 'Mail',
          instanceId: 'i1',
          profileId: 'p1',
          channel: 'email' as const,
          recipient: 'ana@luma.example',
          status: 'sent' as const,
          reason: null,
          subject: 'Hi',
          body: null,
          text: null,
          payload: {},
          createdAt: at,
          updatedAt: at,
        });
        const event = (eventId: string, type: string, at: number) => ({
          sandbox: 'prod',
          eventId,
          type,
          profileId: 'p1',
          payload: { messageId: 'm1', journeyId: 'j' },
          receivedAt: at,
        });
        await s.commit({
          events: [
            event('e1', 'message.opened', 30),
            event('e2', 'LumaCheckoutEvent_Email', 15),
            event('e3', 'message.clicked', 30),
            event('e4', 'message.opened', 5_000),
          ],
          messages: [message('m1', 20), message('m0', 1)],
        });
        const range = { from: 10, to: 1_000 };
        const all = await s.exportRows('prod', range, null, 100);
        assert.deepEqual(
          all.map((r: ExportRow) => `${r.at}:${r.source}:${r.id}`),
          ['20:message:m1', '30:event:e1', '30:event:e3'],
        );
        assert.deepEqual(JSON.parse(all[1]!.payload!), { messageId: 'm1', journeyId: 'j' });
        assert.equal(all[0]!.type, 'sent');
        const first = await s.exportRows('prod', range, null, 2);
        const rest = await s.exportRows('prod', range, first[1]!, 2);
        assert.deepEqual([...first, ...rest], all, 'pages after a cursor');
        assert.deepEqual(await s.exportRows('dev', range, null, 10), []);
      } finally {
        await s.close();
      }
    });
  });
}

contract('sqlite in memory', async () => new SqliteStore(':memory:'));
contract(
  'sqlite on disk (WAL)',
  async () => new SqliteStore(join(mkdtempSync(join(tmpdir(), 'waymark-store-')), 'waymark.db')),
);
contract('postgresql', () => openPostgresTestStore());
