// The demo's campaigns (examples/luma/campaigns): the Spring Sale, a draft, reaches the blue Luma+
// members when activated; the Order Shipped campaign is live and sends through the API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiWorld } from '../support/server.ts';

test('the demo ships the Spring Sale (scheduled, a draft) and Order Shipped (transactional, live)', async () => {
  const w = await apiWorld();
  try {
    const list = (await w.request('GET', '/v1/campaigns')).body.items;
    assert.deepEqual(list.map((c: any) => [c.id, c.status, c.type, c.mode]).sort(), [
      ['luma-order-shipped', 'live', 'api-triggered', 'transactional'],
      ['luma-spring-sale', 'draft', 'scheduled', 'marketing'],
    ]);
    const sale = (await w.request('GET', '/v1/campaigns/luma-spring-sale')).body;
    assert.deepEqual(sale.problems, []);
    const size = (await w.request('GET', '/v1/campaigns/luma-spring-sale/audience-estimate')).body;
    assert.equal(size.withIdentity, 2, 'Ana and Sarah are blue members');
    w.inbox.clear();
    assert.equal((await w.request('POST', '/v1/campaigns/luma-spring-sale/activate')).status, 200);
    await w.advance(2000);
    assert.deepEqual(
      w.inbox
        .list()
        .map((m) => m.subject)
        .sort(),
      ['Ana, the Spring Sale is on', 'Sarah, the Spring Sale is on'],
    );
    w.inbox.clear();
    const shipped = await w.request('POST', '/v1/campaigns/luma-order-shipped/trigger', {
      requestId: 'order-1001-shipped',
      recipients: [{ identity: 'jean.dupont@luma.example' }],
      context: { orderId: '1001', carrier: 'UPS', trackingUrl: 'https://ups.example/1Z1001' },
    });
    assert.equal(shipped.status, 202, JSON.stringify(shipped.body));
    assert.deepEqual(
      w.inbox.list().map((m) => m.subject),
      ['Your order 1001 has shipped'],
    );
  } finally {
    await w.close();
  }
});
