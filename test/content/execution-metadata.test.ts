// AJO's executionMetadata helper: `{{executionMetadata key="k" value=v}}` writes nothing and keeps
// the pair with the message, in every channel; pairs outside the bounds are left out with a
// warning the author sees in a preview, and the send goes on.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileMessage, type RenderOutcome } from '../../src/content/index.ts';
import type { MessageContentInput } from '../../src/model/message-content.ts';
import { emptyLibrary, input } from './helpers.ts';
import { campaignWorld, seedAudience } from '../campaigns/support.ts';

async function render(c: MessageContentInput, profile: Record<string, unknown>) {
  const r = await compileMessage(c, emptyLibrary);
  if (!r.ok) assert.fail(JSON.stringify(r.diagnostics));
  const o: RenderOutcome = r.message.render(input(profile));
  if (!o.ok) assert.fail(o.message);
  return o;
}
const ana = { person: { name: { firstName: 'Ana' } }, loyalty: { tier: 'gold', points: 1200 } };

describe('executionMetadata', () => {
  test('captures the pairs of every field and writes nothing', async () => {
    const o = await render(
      {
        channel: 'email',
        subject:
          'Hi {{profile.person.name.firstName}}{{executionMetadata key="tier" value=profile.loyalty.tier}}',
        html: '<p>Points{{executionMetadata key="points" value=profile.loyalty.points}}: {{profile.loyalty.points}}</p>{{#if (inAudience "x")}}{{executionMetadata key="never" value="x"}}{{/if}}',
      },
      ana,
    );
    assert.equal(o.channel === 'email' && o.subject, 'Hi Ana');
    assert.equal(o.channel === 'email' && o.html, '<p>Points: 1200</p>');
    assert.deepEqual(o.metadata, { tier: 'gold', points: '1200' });
    assert.deepEqual(o.warnings, []);
  });

  test('push and SMS keep it too; a missing value captures nothing', async () => {
    const push = await render(
      {
        channel: 'push',
        title: '{{executionMetadata key="campaign" value="spring"}}Spring sale',
        body: '{{executionMetadata key="nickname" value=profile.nickname}}Up to 30% off',
      },
      ana,
    );
    assert.deepEqual(push.metadata, { campaign: 'spring' });
    const sms = await render(
      { channel: 'sms', text: 'Luma: 20% off{{executionMetadata key="offer" value="SMS20"}}' },
      ana,
    );
    assert.equal(sms.channel === 'sms' && sms.text, 'Luma: 20% off');
    assert.deepEqual(sms.metadata, { offer: 'SMS20' });
    const none = await render({ channel: 'sms', text: 'plain' }, ana);
    assert.equal(none.metadata, undefined);
  });

  test('a bad key, a long value or a 21st key is left out with a warning; the message still renders', async () => {
    const keys = Array.from(
      { length: 21 },
      (_, i) => `{{executionMetadata key="k${i}" value="v"}}`,
    );
    const o = await render(
      {
        channel: 'sms',
        text: `ok{{executionMetadata key="bad key" value="x"}}{{executionMetadata key="long" value=profile.long}}${keys.join('')}`,
      },
      { long: 'x'.repeat(256) },
    );
    assert.equal(o.channel === 'sms' && o.text, 'ok');
    assert.equal(Object.keys(o.metadata ?? {}).length, 20);
    assert.equal(o.metadata?.['k20'], undefined);
    assert.deepEqual(o.warnings, [
      'executionMetadata: key="bad key" is not letters, digits, _ and - (at most 64)',
      'executionMetadata: the value of "long" is longer than 255 characters',
      'executionMetadata: more than 20 keys; "k20" is left out',
    ]);
  });
});

describe('executionMetadata on a real send', () => {
  test('an API-triggered email keeps the captured pairs in its message log entry', async () => {
    const w = await campaignWorld();
    try {
      await seedAudience(w, 'Known shoppers', 1);
      const created = await w.request('POST', '/v1/campaigns', {
        id: 'order-shipped',
        name: 'Luma - Order Shipped',
        type: 'api-triggered',
        mode: 'transactional',
        namespace: 'ECID',
        action: {
          channel: 'email',
          configuration: 'CampaignMail',
          content: {
            subject: 'Order {{context.order.id}} has shipped',
            html: '<p>On its way{{executionMetadata key="orderId" value=context.order.id}}</p>',
          },
        },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal((await w.request('POST', '/v1/campaigns/order-shipped/activate')).status, 200);
      const r = await w.request('POST', '/v1/campaigns/order-shipped/trigger', {
        requestId: 'ship-1',
        recipients: [{ identity: 'ecid-0' }],
        context: { order: { id: 'A-1001' } },
      });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      await w.advance(1_000);
      assert.equal(w.smtp.mails[0]?.html?.includes('executionMetadata'), false);
      const [sent] = await w.app.reads.messages('prod', { channel: 'email', limit: 5 });
      assert.equal(sent?.status, 'sent');
      assert.deepEqual((sent?.payload as { executionMetadata?: unknown }).executionMetadata, {
        orderId: 'A-1001',
      });
    } finally {
      await w.close();
    }
  });
});
