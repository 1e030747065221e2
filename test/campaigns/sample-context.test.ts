// Preview with a call's context: POST /v1/render passes the body's `context` on, so content using
// {{context.…}} (an API-triggered campaign's trigger context) renders as it will be sent; a
// campaign stores an optional sample context to preview with, and the demo's Order Shipped ships
// one. Real HTTP routes (inject) on the Luma demo.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { apiWorld } from '../support/server.ts';

const shipped = {
  channel: 'email',
  subject: 'Your order {{context.orderId}} has shipped',
  html: '<p>Hello {{profile.person.name.firstName}}, {{context.order.item.name}} is on its way with {{context.carrier}}. {{context.journey.technicalProperties.journeyUID}}</p>',
};

const orderShipped = (sampleContext?: unknown) => ({
  id: 'order-shipped-2',
  name: 'Order shipped 2',
  type: 'api-triggered',
  mode: 'transactional',
  namespace: 'Email',
  action: {
    channel: 'email',
    configuration: 'EmailMarketing',
    content: { subject: shipped.subject, html: shipped.html },
  },
  ...(sampleContext === undefined ? {} : { sampleContext }),
});

describe('preview with a context', () => {
  test("POST /v1/render renders {{context.…}} from the call's context, the journey's context beside it", async () => {
    const w = await apiWorld();
    try {
      const r = await w.request('POST', '/v1/render', {
        content: shipped,
        profile: { person: { name: { firstName: 'Jean' } } },
        context: {
          orderId: 'A-1001',
          carrier: 'UPS',
          order: { item: { name: 'Didi Sport Watch' } },
          journey: { technicalProperties: { journeyUID: 'j-42' } },
        },
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.ok, true, JSON.stringify(r.body));
      assert.equal(r.body.subject, 'Your order A-1001 has shipped');
      assert.match(r.body.html, /Hello Jean, Didi Sport Watch is on its way with UPS\. j-42/);
      // Without a context the fields are empty, as a send without them would be.
      const bare = await w.request('POST', '/v1/render', {
        content: shipped,
        profile: { person: { name: { firstName: 'Jean' } } },
      });
      assert.equal(bare.status, 200, JSON.stringify(bare.body));
      assert.equal(bare.body.subject, 'Your order  has shipped');
    } finally {
      await w.close();
    }
  });

  test('a campaign keeps a sample context; a wrong one is refused; the demo ships one that renders', async () => {
    const w = await apiWorld();
    try {
      const sample = { orderId: '2002', carrier: 'DHL', order: { items: [{ name: 'Tee' }] } };
      const created = await w.request('POST', '/v1/campaigns', orderShipped(sample));
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.deepEqual(created.body.definition.sampleContext, sample);
      const read = await w.request('GET', '/v1/campaigns/order-shipped-2');
      assert.deepEqual(read.body.definition.sampleContext, sample);

      const notAnObject = await w.request(
        'PUT',
        '/v1/campaigns/order-shipped-2',
        { ...orderShipped(['not', 'an', 'object']), id: undefined },
        { 'if-match': read.body.etag },
      );
      assert.equal(notAnObject.status, 400, JSON.stringify(notAnObject.body));
      assert.ok(
        notAnObject.body.error.issues.some((i: { path: string }) =>
          i.path.startsWith('sampleContext'),
        ),
        JSON.stringify(notAnObject.body.error.issues),
      );
      const tooLarge = await w.request(
        'PUT',
        '/v1/campaigns/order-shipped-2',
        { ...orderShipped({ blob: 'x'.repeat(210 * 1024) }), id: undefined },
        { 'if-match': read.body.etag },
      );
      assert.equal(tooLarge.status, 400, JSON.stringify(tooLarge.body).slice(0, 300));
      // Removed by saving the definition without it.
      const cleared = await w.request(
        'PUT',
        '/v1/campaigns/order-shipped-2',
        { ...orderShipped(), id: undefined },
        { 'if-match': read.body.etag },
      );
      assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
      assert.equal(cleared.body.definition.sampleContext, undefined);

      // The demo's Order Shipped previews with its sample context, as the console does.
      const demo = (await w.request('GET', '/v1/campaigns/luma-order-shipped')).body.definition;
      assert.deepEqual(demo.sampleContext, {
        orderId: '1001',
        carrier: 'UPS',
        trackingUrl: 'https://ups.example/1Z1001',
      });
      const preview = await w.request('POST', '/v1/render', {
        content: { channel: 'email', ...demo.action.content },
        profileId: { namespace: 'Email', id: 'jean.dupont@luma.example' },
        context: demo.sampleContext,
      });
      assert.equal(preview.status, 200, JSON.stringify(preview.body));
      assert.equal(preview.body.subject, 'Your order 1001 has shipped');
      assert.match(preview.body.html, /on its way with UPS/);
      assert.match(preview.body.html, /https:\/\/ups\.example\/1Z1001/);
    } finally {
      await w.close();
    }
  });
});
