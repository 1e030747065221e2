// A sandbox's own allowed hosts: added through the API (private addresses only with a key for every
// sandbox), used by custom actions at once, kept in the store so that a restarted server (a new
// Waymark on the same database) uses them before anything asks.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createWaymark } from '../../src/runtime/app.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { cart, lumaEvent } from '../support/luma.ts';
import { apiWorld, PROD_ONLY_KEY } from '../support/server.ts';
import { createSandbox } from '../support/sandboxes.ts';

const FRESH = { 'x-sandbox-name': 'fresh' };

describe("a sandbox's allowed hosts", () => {
  test('an action refused by the outbound policy works once its host is allowed for the sandbox', async () => {
    const w = await apiWorld();
    await createSandbox(w, 'fresh');
    try {
      const action = {
        name: 'Loyalty',
        url: w.loyalty.url,
        method: 'POST',
        payload: [
          { path: 'loyaltyId', type: 'string', kind: 'variable' },
          { path: 'orderValue', type: 'decimal', kind: 'variable' },
        ],
        timeoutMs: 5000,
      };
      assert.equal((await w.request('POST', '/v1/actions', action, FRESH)).status, 201);
      const parameters = { parameters: { loyaltyId: 'a@b.c', orderValue: 10 } };
      const refused = await w.request('POST', '/v1/actions/Loyalty/test', parameters, FRESH);
      assert.equal(refused.body.ok, false);
      assert.match(JSON.stringify(refused.body), /allowed hosts|private address|not allowed/i);

      const host = new URL(w.loyalty.url).host;
      assert.equal(
        (
          await w.request(
            'POST',
            '/v1/allowed-hosts',
            { host },
            { authorization: `Bearer ${PROD_ONLY_KEY}` },
          )
        ).status,
        403,
        'a key for one sandbox cannot open the loopback',
      );
      assert.equal(
        (
          await w.request(
            'POST',
            '/v1/allowed-hosts',
            { host: 'api.example.com' },
            { authorization: `Bearer ${PROD_ONLY_KEY}` },
          )
        ).status,
        200,
        'but may allow a public name',
      );
      assert.equal(
        (await w.request('POST', '/v1/allowed-hosts', { host: 'not a host' }, FRESH)).status,
        400,
      );
      const added = await w.request('POST', '/v1/allowed-hosts', { host }, FRESH);
      assert.deepEqual(added.body.sandbox, [host]);
      assert.deepEqual((await w.request('GET', '/v1/allowed-hosts', undefined, FRESH)).body, {
        operator: [],
        sandbox: [host],
      });
      const ok = await w.request('POST', '/v1/actions/Loyalty/test', parameters, FRESH);
      assert.equal(ok.body.ok, true, JSON.stringify(ok.body));
      assert.deepEqual(
        (
          await w.request(
            'DELETE',
            `/v1/allowed-hosts/${encodeURIComponent(host)}`,
            undefined,
            FRESH,
          )
        ).body.sandbox,
        [],
      );
      assert.equal(
        (await w.request('POST', '/v1/actions/Loyalty/test', parameters, FRESH)).body.ok,
        false,
      );
    } finally {
      await w.close();
    }
  });

  test('an SMTP server allowed after a refused send is reached by the next message (no stale transport)', async () => {
    const w = await apiWorld();
    await createSandbox(w, 'fresh');
    try {
      const pkg = (await w.request('GET', '/v1/packages/export?journey=purchase-journey')).body;
      const applied = await w.request('POST', '/v1/packages/apply', pkg, FRESH);
      const smtp = (applied.body.warnings as Array<{ key: string; entry: string }>).find(
        (x) => x.key === 'EmailMarketing',
      )!;
      await w.request('POST', '/v1/allowed-hosts', { host: new URL(w.loyalty.url).host }, FRESH);
      const shopper = (email: string) => ({
        kind: 'profile',
        spec: {
          namespace: 'Email',
          id: email,
          attributes: {
            personalEmail: { address: email },
            preferredLanguage: 'en',
            consents: { marketing: { email: 'y' } },
          },
        },
      });
      await w.request(
        'POST',
        '/v1/packages/apply',
        {
          format: 'waymark.package/v1',
          name: 'shoppers',
          objects: [shopper('first@luma.example'), shopper('second@luma.example')],
        },
        FRESH,
      );
      const buy = async (email: string) => {
        await w.request(
          'POST',
          '/v1/events',
          lumaEvent('LumaCheckoutEvent_Email', email, cart),
          FRESH,
        );
        await w.request(
          'POST',
          '/v1/events',
          lumaEvent('LumaPurchaseEvent_Email', email, cart),
          FRESH,
        );
      };
      await buy('first@luma.example');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(
        w.inbox.list({ to: 'first@luma.example' }).length,
        0,
        'the SMTP server is not allowed yet',
      );
      const [refused] = await w.app.reads.messages('fresh', {
        journeyId: 'purchase-journey',
        limit: 5,
      });
      assert.ok(
        refused && refused.status !== 'delivered' && refused.status !== 'sent',
        JSON.stringify(refused),
      );

      await w.request('POST', '/v1/allowed-hosts', { host: smtp.entry }, FRESH);
      await buy('second@luma.example');
      for (let i = 0; i < 250 && w.inbox.list({ to: 'second@luma.example' }).length === 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      assert.equal(w.inbox.list({ to: 'second@luma.example' }).length, 1);
    } finally {
      await w.close();
    }
  });

  test('kept in the store: a new server on the same database allows them from the start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-hosts-'));
    try {
      const first = createWaymark({
        store: new SqliteStore(join(dir, 'db.sqlite')),
        allowHosts: { '*': ['api.operator.example'] },
      });
      await first.allowedHosts.add('fresh', '127.0.0.1:4601', new Date().toISOString());
      await first.close();
      const second = createWaymark({
        store: new SqliteStore(join(dir, 'db.sqlite')),
        allowHosts: { '*': ['api.operator.example'] },
      });
      try {
        await second.allowedHosts.preload();
        assert.deepEqual(second.outbound('fresh').allowHosts.slice(0, 2), [
          'api.operator.example',
          '127.0.0.1:4601',
        ]);
        assert.deepEqual(second.outbound('other').allowHosts[0], 'api.operator.example');
        assert.ok(!second.outbound('other').allowHosts.includes('127.0.0.1:4601'), 'per sandbox');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
