// The SMTP server is down for a while, then back: the confirmation is retried with backoff and
// delivered exactly once.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { DevInbox, startDevSmtpServer } from '../../src/channels/email/index.ts';
import { cart, lumaEvent, lumaWorld } from '../support/luma.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

test('an SMTP outage delays the confirmation; when the server is back it is delivered once', async () => {
  const w = await lumaWorld();
  const port = await freePort();
  const inbox = new DevInbox();
  let smtp: Awaited<ReturnType<typeof startDevSmtpServer>> | null = null;
  try {
    const config = (await w.app.objects.get('prod', 'channelConfiguration', 'EmailMarketing'))
      .body as Record<string, unknown>;
    await w.app.objects.put('prod', 'channelConfiguration', {
      ...config,
      smtp: { ...(config.smtp as object), port },
    });
    const email = 'tom.baker@luma.example';
    await w.send([
      lumaEvent('LumaCheckoutEvent_Email', email, cart),
      lumaEvent('LumaPurchaseEvent_Email', email, cart),
    ]);
    await w.advance(5_000);
    assert.equal(
      (await w.app.reads.messages('prod', { limit: 10 })).length,
      0,
      'not sent, not lost: still in the outbox',
    );
    assert.ok((await w.app.reads.nextOutboxDue()) !== null);

    smtp = await startDevSmtpServer({ port, onMessage: inbox.add });
    await w.advance(5 * 60_000);
    for (let i = 0; i < 100 && inbox.list({ to: email }).length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    await w.advance(10 * 60_000);
    const messages = await w.app.reads.messages('prod', { limit: 10 });
    assert.deepEqual(
      messages.map((m) => `${m.label}:${m.status}`),
      ['Order Confirmation Email:sent'],
    );
    assert.equal(inbox.list({ to: email }).length, 1, 'delivered exactly once');
    assert.equal(await w.app.reads.nextOutboxDue(), null);
  } finally {
    await smtp?.close();
    await w.close();
  }
});
