// Delivery retries follow each channel's schedule: a mail relay that refuses for minutes delays the
// confirmations but loses none; past the retry window a message is recorded as failed, and the
// failure keeps whom it was for, so the profile's delivery log shows it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { defaultRetrySchedules, nextRetryAt } from '../../src/runtime/retry-policy.ts';
import { cart, lumaEvent, type LumaWorld } from '../support/luma.ts';
import { apiWorld } from '../support/server.ts';

/** A real SMTP relay that answers 421 (try again later) to every connection while `refusing()` says so. */
async function flakyRelay(
  refusing: () => boolean,
): Promise<{ port: number; received: string[]; refused: () => number; close(): Promise<void> }> {
  const received: string[] = [];
  let refused = 0;
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 200,
    onConnect(_session, callback) {
      if (!refusing()) {
        callback();
        return;
      }
      refused++;
      callback(
        Object.assign(new Error('Service not available, try again later'), { responseCode: 421 }),
      );
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        received.push(mail.messageId ?? '');
        callback();
      }, callback);
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    refused: () => refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function pointEmailAt(
  w: LumaWorld,
  port: number,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const config = (await w.app.objects.get('prod', 'channelConfiguration', 'EmailMarketing'))
    .body as Record<string, unknown>;
  await w.app.objects.put('prod', 'channelConfiguration', {
    ...config,
    smtp: { ...(config.smtp as object), port },
    ...extra,
  });
}

/** Moves the test clock in steps, running what falls due at each. */
async function advance(w: LumaWorld, ms: number, stepMs: number): Promise<void> {
  for (let t = 0; t < ms; t += stepMs) {
    w.clock.advance(Math.min(stepMs, ms - t));
    await w.app.engine.settle();
  }
}

test('email retries back off over hours (1 min, 5 min, 15 min, 1 h, then hourly) and stop after 24 h', () => {
  const email = defaultRetrySchedules.email;
  const mid = (): number => 0.5; // no jitter
  const waits = [1, 2, 3, 4, 5, 6].map((failures) =>
    nextRetryAt(email, { failures, queuedAt: 0, now: 0 }, mid),
  );
  assert.deepEqual(waits, [60_000, 300_000, 900_000, 3_600_000, 3_600_000, 3_600_000]);
  const lastHour = 23.5 * 3_600_000;
  assert.equal(
    nextRetryAt(email, { failures: 30, queuedAt: 0, now: lastHour }, mid),
    24 * 3_600_000,
    'the last attempt is at the end of the window',
  );
  assert.equal(nextRetryAt(email, { failures: 31, queuedAt: 0, now: 24 * 3_600_000 }, mid), null);
  const jittered = [0, 1].map((r) =>
    nextRetryAt(email, { failures: 4, queuedAt: 0, now: 0 }, () => r)!,
  );
  assert.deepEqual(jittered, [3_240_000, 3_960_000], 'an hour, give or take 10 %');
});

test("push retries for at most an hour, SMS for a few hours; a provider's Retry-After replaces the backoff", () => {
  assert.equal(
    nextRetryAt(defaultRetrySchedules.push, { failures: 5, queuedAt: 0, now: 3_600_000 }),
    null,
  );
  assert.equal(
    nextRetryAt(defaultRetrySchedules.sms, { failures: 5, queuedAt: 0, now: 4 * 3_600_000 }),
    null,
  );
  assert.ok(
    nextRetryAt(defaultRetrySchedules.sms, { failures: 5, queuedAt: 0, now: 3 * 3_600_000 }) !==
      null,
  );
  assert.equal(
    nextRetryAt(defaultRetrySchedules.push, {
      failures: 1,
      queuedAt: 0,
      now: 1000,
      retryAfterMs: 120_000,
    }),
    121_000,
  );
});

test(
  'a mail relay refusing for 200 s delays 20 confirmations; each is delivered once when it is back, none fails',
  { timeout: 240_000 },
  async () => {
    const w = await apiWorld();
    const downUntil = w.clock.now() + 200_000;
    const relay = await flakyRelay(() => w.clock.now() < downUntil);
    try {
      await pointEmailAt(w, relay.port);
      const emails = Array.from({ length: 20 }, (_, i) => `outage.${i}@luma.example`);
      await w.send(
        emails.flatMap((email) => [
          lumaEvent('LumaCheckoutEvent_Email', email, cart),
          lumaEvent('LumaPurchaseEvent_Email', email, cart),
        ]),
      );
      assert.ok(relay.refused() >= 1, 'the relay refused the first attempts');
      assert.equal(
        (await w.app.reads.messages('prod', { limit: 100 })).filter((m) => m.status === 'failed')
          .length,
        0,
      );
      await advance(w, 15 * 60_000, 10_000);
      // The retries after the outage run over real sockets: wait for them to land.
      for (let i = 0; i < 300 && relay.received.length < 20; i++) {
        await new Promise((r) => setTimeout(r, 50));
        await w.app.engine.settle();
      }
      const messages = (await w.app.reads.messages('prod', { limit: 100 })).filter(
        (m) => m.label === 'Order Confirmation Email',
      );
      assert.deepEqual(
        messages.map((m) => m.status),
        Array.from({ length: 20 }, () => 'sent'),
      );
      assert.equal(relay.received.length, 20);
      assert.equal(new Set(relay.received).size, 20, 'each confirmation once on the wire');
      assert.equal(await w.app.reads.nextOutboxDue(), null);
    } finally {
      await relay.close();
      await w.close();
    }
  },
);

test(
  "past its channel configuration's retry window a message fails, and the profile's log shows it with its recipient",
  { timeout: 120_000 },
  async () => {
    const w = await apiWorld();
    const relay = await flakyRelay(() => true);
    try {
      await pointEmailAt(w, relay.port, { retry: { windowMs: 10 * 60_000 } });
      const email = 'jenny.lee@luma.example';
      const [checkout] = await w.send([
        lumaEvent('LumaCheckoutEvent_Email', email, cart),
        lumaEvent('LumaPurchaseEvent_Email', email, cart),
      ]);
      await advance(w, 9 * 60_000, 10_000);
      assert.deepEqual(
        (await w.app.reads.messages('prod', { limit: 10 })).map((m) => m.status),
        [],
        'still retrying inside the window',
      );
      await advance(w, 2 * 60_000, 10_000);
      const res = await w.request(
        'GET',
        `/v1/messages?profile=${encodeURIComponent(`Email:${email}`)}`,
      );
      assert.equal(res.status, 200);
      const [failed] = res.body.items as Array<{
        status: string;
        recipient: string;
        profileId: string;
        reason: string;
        subject: string | null;
      }>;
      assert.equal(failed?.status, 'failed');
      assert.equal(failed?.recipient, email);
      assert.equal(
        failed?.profileId,
        checkout?.status === 'accepted' ? checkout.profileId : 'accepted',
      );
      assert.match(failed?.reason ?? '', /retry window is over .*421/);
      assert.ok(
        relay.refused() >= 3,
        `retried with backoff inside the window (${relay.refused()} attempts)`,
      );
    } finally {
      await relay.close();
      await w.close();
    }
  },
);
