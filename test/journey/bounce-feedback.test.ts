// A mail server refuses an address for good (550): the confirmation is logged as bounced, the
// address is marked undeliverable, and the bounce is feedback on the profile, so an audience of
// "profiles whose message bounced" takes them in, like opens and clicks do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { freePort } from '../support/process.ts';
import { cart, lumaEvent, lumaWorld } from '../support/luma.ts';

test('a hard bounce is recorded as message.bounced feedback and qualifies a feedback audience', async () => {
  const w = await lumaWorld();
  const port = await freePort();
  const accepted: string[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 200,
    onRcptTo(address: SMTPServerAddress, _session, cb) {
      if (address.address === 'gone@luma.example')
        cb(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
      else {
        accepted.push(address.address);
        cb();
      }
    },
    onData(stream, _session, cb) {
      stream.resume();
      stream.on('end', () => cb());
    },
  });
  await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
  try {
    const config = (await w.app.objects.get('prod', 'channelConfiguration', 'EmailMarketing'))
      .body as Record<string, unknown>;
    await w.app.objects.put('prod', 'channelConfiguration', {
      ...config,
      smtp: { ...(config.smtp as object), port },
    });
    await w.app.objects.put('prod', 'audience', {
      name: 'Bounced',
      origin: 'streaming',
      namespace: 'Email',
      definition: { kind: 'feedback', action: 'bounced', within: { amount: 30, unit: 'days' } },
    });

    for (const email of ['gone@luma.example', 'here@luma.example']) {
      await w.send([
        lumaEvent('LumaCheckoutEvent_Email', email, cart),
        lumaEvent('LumaPurchaseEvent_Email', email, cart),
      ]);
    }
    await w.advance(5_000);

    const byRecipient = new Map(
      (await w.app.reads.messages('prod', { limit: 10 })).map((m) => [m.recipient, m] as const),
    );
    assert.equal(byRecipient.get('gone@luma.example')?.status, 'bounced');
    assert.equal(byRecipient.get('here@luma.example')?.status, 'sent');
    assert.deepEqual(accepted, ['here@luma.example']);

    const gone = await w.app.profiles.get('prod', 'Email', 'gone@luma.example');
    const events = await w.app.reads.profileEvents('prod', gone.id, {
      types: ['message.bounced'],
      since: null,
    });
    assert.equal(events.length, 1, 'one bounce event');
    const bounce = events[0]!.payload as Record<string, unknown>;
    assert.equal(bounce['messageId'], byRecipient.get('gone@luma.example')?.id);
    assert.equal(bounce['channel'], 'email');
    assert.equal(typeof bounce['journeyId'], 'string');
    assert.match(String(bounce['reason']), /550|unavailable/);
    assert.deepEqual((gone.attributes as { undeliverable?: unknown }).undeliverable, {
      email: { 'gone@luma_example': true },
    });

    const members = await w.app.audiences.members('prod', 'Bounced', { limit: 10 });
    assert.deepEqual(
      members.items.map((m) => [m.identities.find((i) => i.namespace === 'Email')?.id, m.status]),
      [['gone@luma.example', 'realized']],
    );
  } finally {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await w.close();
  }
});
