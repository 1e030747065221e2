// Lists in one request: GET /v1/journeys?include=counts gives every journey with what a list shows
// (name, status of the latest and of the live version, versions, last change) and its totals, the
// same figures as each journey's report, from a few grouped store reads instead of one per journey.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cart, lumaEvent } from '../support/luma.ts';
import { apiWorld } from '../support/server.ts';

describe('journey list summaries', () => {
  test('counts per journey match the per-journey reports and instances', async () => {
    const w = await apiWorld();
    try {
      await w.request('POST', '/v1/events', [
        lumaEvent('LumaCheckoutEvent_Email', 'tom.baker@luma.example', cart),
        lumaEvent('LumaCheckoutEvent_Email', 'jean.dupont@luma.example', cart),
        lumaEvent('LumaCheckoutEvent_Email', 'ana.garcia@luma.example', cart),
      ]);
      await w.request(
        'POST',
        '/v1/events',
        lumaEvent('LumaPurchaseEvent_Email', 'tom.baker@luma.example', cart),
      );
      await w.advance(61_000);
      await w.request('POST', '/v1/journeys/purchase-journey/versions');
      assert.equal(
        (await w.request('POST', '/v1/journeys', { id: 'welcome', name: 'Welcome' })).status,
        201,
      );

      const list = await w.request('GET', '/v1/journeys?include=counts');
      assert.equal(list.status, 200);
      const byId = new Map(list.body.items.map((j: { id: string }) => [j.id, j]));
      const purchase = byId.get('purchase-journey') as Record<string, any>;
      assert.deepEqual(
        {
          name: purchase.name,
          status: purchase.status,
          liveStatus: purchase.liveStatus,
          latestVersion: purchase.latestVersion,
          liveVersion: purchase.liveVersion,
        },
        {
          name: 'Purchase Journey',
          status: 'draft',
          liveStatus: 'live',
          latestVersion: 2,
          liveVersion: 1,
        },
      );
      assert.deepEqual(
        purchase.versions.map(
          (v: { version: number; status: string }) => `${v.version}:${v.status}`,
        ),
        ['1:live', '2:draft'],
      );
      assert.ok(!Number.isNaN(Date.parse(purchase.updatedAt)));
      assert.ok(purchase.counts.entered >= 3, JSON.stringify(purchase.counts));

      for (const j of list.body.items as Array<{ id: string; counts: Record<string, number> }>) {
        const report = (await w.request('GET', `/v1/journeys/${j.id}/report`)).body;
        const instances = (await w.request('GET', `/v1/journeys/${j.id}/instances?limit=1000`)).body
          .items as Array<{ status: string }>;
        assert.deepEqual(
          j.counts,
          {
            entered: report.total.entered,
            active: instances.filter((i) => i.status === 'active').length,
            exited: report.total.exited,
            errors: report.total.errors,
            timeouts: report.total.timeouts,
          },
          j.id,
        );
      }
      assert.deepEqual((byId.get('welcome') as Record<string, any>).counts, {
        entered: 0,
        active: 0,
        exited: 0,
        errors: 0,
        timeouts: 0,
      });
      assert.equal((await w.request('GET', '/v1/journeys?include=everything')).status, 400);
      assert.ok(
        (await w.request('GET', '/v1/journeys')).body.items[0].latest,
        'without include, the list is as before',
      );
    } finally {
      await w.close();
    }
  });
});
