// A decision block in the confirmation email of the Purchase Journey: each profile gets the offer its
// eligibility allows, rendered in the mail, and the propositions are recorded with the message id.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { apiWorld } from '../support/server.ts';
import { cart, lumaEvent } from '../support/luma.ts';

async function until<T>(fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}

describe('offers in content', () => {
  test('the confirmation email with a decision block renders a different offer for two profiles and records the propositions', async () => {
    const w = await apiWorld();
    try {
      const ok = async (method: 'POST' | 'PUT', url: string, body?: unknown) => {
        const r = await w.request(method, url, body);
        assert.ok(r.status < 300, `${url}: ${r.status} ${JSON.stringify(r.body)}`);
        return r;
      };
      await ok('POST', '/v1/placements', {
        id: 'email-banner',
        name: 'Email banner',
        channel: 'email',
        contentType: 'html',
      });
      const rep = (text: string) => [
        { placement: 'email-banner', text, link: 'https://luma.example/spring' },
      ];
      await ok('POST', '/v1/offers', {
        id: 'tom-special',
        name: 'Tom special',
        status: 'approved',
        priority: 90,
        tags: ['spring'],
        representations: rep('Spring special for Tom: 30% off'),
        eligibility: {
          rule: '#{ExperiencePlatform.ProfileFieldGroup.profile.person.name.firstName} == "Tom"',
        },
      });
      await ok('POST', '/v1/offers', {
        id: 'everyone',
        name: 'Everyone',
        status: 'approved',
        priority: 10,
        tags: ['spring'],
        representations: rep('Spring sale: 10% off everything'),
      });
      await ok('POST', '/v1/decision-policies', {
        id: 'spring-sale',
        name: 'Spring sale',
        placement: 'email-banner',
        strategies: [{ collection: { tags: { any: ['spring'] } } }],
      });
      const v2 = await ok('POST', '/v1/journeys/purchase-journey/versions');
      const def = structuredClone(v2.body.definition);
      const confirmation = def.nodes.find(
        (n: { label?: string }) => n.label === 'Order Confirmation Email',
      );
      const order = confirmation.content.document.body.find(
        (s: { id: string }) => s.id === 'order',
      );
      order.columns[0].blocks.push({
        kind: 'text',
        id: 'offers',
        content:
          '<div class="offers">{{#each (decide "spring-sale") as |offer|}}<a href="{{offer.link}}">{{offer.text}}</a>{{/each}}</div>',
        variants: [],
      });
      await ok('PUT', '/v1/journeys/purchase-journey', def);
      await ok('POST', '/v1/journeys/purchase-journey/publish');

      const people = ['tom.baker@luma.example', 'jean.dupont@luma.example'];
      for (const email of people) {
        await ok('POST', '/v1/events', lumaEvent('LumaCheckoutEvent_Email', email, cart));
        await ok('POST', '/v1/events', lumaEvent('LumaPurchaseEvent_Email', email, cart));
      }
      const tom = await until(() => w.inbox.list({ to: people[0] })[0]);
      const jean = await until(() => w.inbox.list({ to: people[1] })[0]);
      assert.match(tom.html, /Spring special for Tom: 30% off/);
      assert.doesNotMatch(tom.html, /Spring sale: 10% off/);
      assert.match(jean.html, /Spring sale: 10% off everything/);
      assert.doesNotMatch(jean.html, /Spring special for Tom/);

      const recorded = await w.request('GET', '/v1/propositions?policy=spring-sale');
      assert.equal(recorded.body.items.length, 2);
      const byOffer = Object.fromEntries(
        recorded.body.items.map((p: { offerId: string; messageId: string | null }) => [
          p.offerId,
          p.messageId,
        ]),
      );
      const messages = await w.request('GET', '/v1/messages?limit=50');
      const ids = new Set((messages.body.items ?? messages.body).map((m: { id: string }) => m.id));
      assert.ok(ids.has(byOffer['tom-special']), 'recorded with the message id');
      assert.ok(ids.has(byOffer['everyone']), 'recorded with the message id');
    } finally {
      await w.close();
    }
  });
});
