// The lab's business rule: at most 3 retargeting messages a week across email and push.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CappingGate } from '../../src/runtime/capping.ts';
import { createMessageSender } from '../../src/runtime/messages.ts';
import { cart, lumaEvent, lumaWorld } from '../support/luma.ts';

const MINUTE = 60_000;

test('the 4th cart abandonment in a week is excluded by the rule set, with the reason; confirmations still go', async () => {
  const w = await lumaWorld();
  try {
    const email = 'jean.dupont@luma.example';
    for (let round = 0; round < 4; round++) {
      await w.send([lumaEvent('LumaCheckoutEvent_Email', email, cart)]);
      await w.advance(MINUTE + 1000);
      await w.send([lumaEvent('LumaPurchaseEvent_Email', email, cart)]);
      await w.advance(6 * MINUTE);
    }
    const messages = await w.app.reads.messages('prod', { limit: 100 });
    const retargeting = messages.filter((m) => m.label === 'Abandoned Cart Email');
    assert.deepEqual(
      retargeting.map((m) => m.status),
      ['sent', 'sent', 'sent', 'excluded'],
    );
    assert.equal(retargeting[3]!.reason, 'capped');
    assert.deepEqual(
      {
        code: (retargeting[3]!.payload as Record<string, unknown>).code,
        ruleSet: (retargeting[3]!.payload as Record<string, unknown>).ruleSet,
      },
      { code: '050002', ruleSet: 'Luma Marketing - Outgoing messages' },
    );
    assert.deepEqual(
      messages.filter((m) => m.label === 'Order Confirmation Email').map((m) => m.status),
      ['sent', 'sent', 'sent', 'sent'],
      'messages without the rule set are not capped',
    );
  } finally {
    await w.close();
  }
});

test('50 concurrent sends to one profile against a cap of 3 send exactly 3', async () => {
  const w = await lumaWorld();
  try {
    const email = 'jean.dupont@luma.example';
    await w.send([lumaEvent('LumaCheckoutEvent_Email', email, cart)]);
    const profile = await w.app.profiles.get('prod', 'Email', email);
    const [instance] = await w.app.reads.activeInstances('prod', profile.id);
    const catalog = await w.app.catalogs.get('prod');
    let delivered = 0;
    const sender = createMessageSender(async () => {
      delivered++;
      await new Promise((r) => setTimeout(r, 5));
      return { status: 'sent', reason: null };
    }, new CappingGate(w.store));
    const records = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        sender({
          sandbox: 'prod',
          catalog,
          instance: instance!,
          profile,
          audiences: {},
          now: w.clock.now(),
          effect: {
            kind: 'sendMessage',
            messageId: `concurrent-${i}`,
            node: 'abandoned-email',
            channel: 'email',
            label: 'Abandoned Cart Email',
            configuration: 'EmailMarketing',
            ruleSet: 'Luma Marketing - Outgoing messages',
            category: 'marketing',
            context: instance!.context,
          },
        }),
      ),
    );
    assert.equal(delivered, 3);
    assert.equal(records.filter((r) => r.status === 'sent').length, 3);
    assert.equal(
      records.filter((r) => r.status === 'excluded' && r.reason === 'capped').length,
      47,
    );
  } finally {
    await w.close();
  }
});

test('a journey rule set caps entries per profile: the third entry in a week is refused and counted', async () => {
  const w = await lumaWorld();
  try {
    await w.app.objects.put('prod', 'ruleSet', {
      name: 'Luma journeys',
      domain: 'journey',
      status: 'active',
      rules: [{ kind: 'entry', id: 'twice-a-week', cap: 2, period: 'weekly' }],
    });
    await w.app.journeys.newVersion('prod', 'purchase-journey');
    const def = (await w.app.journeys.get('prod', 'purchase-journey')).latest.definition;
    await w.app.journeys.update('prod', 'purchase-journey', { ...def, ruleSet: 'Luma journeys' });
    await w.app.journeys.publish('prod', 'purchase-journey');
    const email = 'tom.baker@luma.example';
    const entries: string[][] = [];
    for (let round = 0; round < 3; round++) {
      const [r] = await w.send([lumaEvent('LumaCheckoutEvent_Email', email, cart)]);
      entries.push(r?.status === 'accepted' ? [...r.journeys] : []);
      await w.send([lumaEvent('LumaPurchaseEvent_Email', email, cart)]);
      await w.advance(6 * MINUTE);
    }
    assert.deepEqual(entries, [['purchase-journey'], ['purchase-journey'], []]);
    const rows = await w.app.reads.counters('prod', 'purchase-journey');
    assert.equal(
      rows.find((r) => r.version === 2 && r.node === null && r.metric === 'capped')?.value,
      1,
    );
  } finally {
    await w.close();
  }
});

test('with an error path on the message, a capped send takes it, with lastErrorCode capped', async () => {
  const w = await lumaWorld();
  try {
    await w.app.journeys.newVersion('prod', 'purchase-journey');
    const def = (await w.app.journeys.get('prod', 'purchase-journey')).latest.definition;
    const nodes = def.nodes.map((n) =>
      n.id === 'abandoned-email' ? { ...n, errorPath: { next: ['not-sent'] } } : n,
    );
    await w.app.journeys.update('prod', 'purchase-journey', {
      ...def,
      nodes: [...nodes, { id: 'not-sent', kind: 'end', label: 'Not sent' }],
    });
    await w.app.journeys.publish('prod', 'purchase-journey');
    const email = 'jean.dupont@luma.example';
    for (let round = 0; round < 4; round++) {
      await w.send([lumaEvent('LumaCheckoutEvent_Email', email, cart)]);
      await w.advance(MINUTE + 1000);
      if (round < 3) await w.send([lumaEvent('LumaPurchaseEvent_Email', email, cart)]);
      await w.advance(6 * MINUTE);
    }
    const profile = await w.app.profiles.get('prod', 'Email', email);
    const [last] = await w.app.reads.instances('prod', { profileId: profile.id, limit: 1 });
    assert.equal(last?.exitReason, 'completed');
    assert.equal(last?.lastError?.code, 'capped');
    assert.deepEqual(
      last?.path.slice(-2).map((p) => `${p.node}:${p.outcome}`),
      ['abandoned-email:error', 'not-sent:end'],
    );
  } finally {
    await w.close();
  }
});
