// Events from NATS JetStream into the engine, against a real NATS server on loopback: every event
// enters once (arrays, producer ids, redeliveries), bad messages are dead-lettered or refused with
// a reason, a stop keeps nothing half done, and a failing store leaves the messages in the stream.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startNatsIngest, type NatsIngest } from '../../src/bus/nats-ingest.ts';
import { WaymarkError } from '../../src/errors.ts';
import { freePort } from '../support/process.ts';
import { cart, lumaEvent, lumaWorld, type LumaWorld } from '../support/luma.ts';
import { eventually, NATS_URL, testBus, type TestBus } from './nats-support.ts';

const checkout = (email: string, id?: string): Record<string, unknown> => {
  const e = lumaEvent('LumaCheckoutEvent_Email', email, cart, id ?? `nats-${email}`);
  if (id === undefined) delete e['id'];
  return e;
};

async function purchaseInstances(w: LumaWorld): Promise<number> {
  return (await w.app.reads.instances('prod', { journeyId: 'purchase-journey', limit: 5000 }))
    .length;
}

async function withWorld(
  fn: (w: LumaWorld, bus: TestBus, logs: string[]) => Promise<void>,
): Promise<void> {
  const bus = await testBus();
  const logs: string[] = [];
  // An open NATS connection would keep the test process alive: it is closed whatever fails.
  try {
    const w = await lumaWorld();
    try {
      await fn(w, bus, logs);
    } finally {
      await w.close();
    }
  } finally {
    await bus.close();
  }
}

describe('NATS JetStream ingest', { timeout: 120_000 }, () => {
  test('no NATS at the address: the start fails and names it', async () => {
    const w = await lumaWorld();
    try {
      const url = `nats://127.0.0.1:${await freePort()}`;
      await assert.rejects(
        startNatsIngest({ app: w.app, servers: url }),
        (e: unknown) =>
          e instanceof WaymarkError &&
          e.code === 'provider_error' &&
          e.message.startsWith(`cannot connect to NATS at ${url}`),
      );
    } finally {
      await w.close();
    }
  });

  test('100 checkouts (single, arrays, producer ids) enter the Purchase Journey once; duplicates, bad JSON and schema failures are accounted for', () =>
    withWorld(async (w, bus, logs) => {
      const ingest = await startNatsIngest({
        app: w.app,
        servers: NATS_URL,
        stream: bus.stream,
        subjectPrefix: bus.prefix,
        log: (level, message, details) =>
          logs.push(`${level} ${message} ${JSON.stringify(details)}`),
      });
      try {
        const to = `${bus.prefix}.prod`;
        const emails = Array.from({ length: 100 }, (_, i) => `shopper-${i}@luma.example`);
        // 0-49: one event per message with its id; 50-79: arrays of three; 80-99: no id, Nats-Msg-Id only.
        for (const e of emails.slice(0, 50)) await bus.publish(to, checkout(e, `id-${e}`));
        for (let i = 50; i < 80; i += 3)
          await bus.publish(
            to,
            emails.slice(i, Math.min(i + 3, 80)).map((e) => checkout(e, `id-${e}`)),
          );
        for (const e of emails.slice(80)) await bus.publish(to, checkout(e), { msgId: `msg-${e}` });
        // Sent again by a producer that did not see its ack: a new message, the same event id.
        await bus.publish(to, checkout(emails[0]!, `id-${emails[0]}`));
        await bus.publish(to, '{"type": "LumaCheckoutEvent_Email", "payload": ', { raw: true });
        await bus.publish(to, {
          id: 'no-email',
          type: 'LumaCheckoutEvent_Email',
          payload: { commerce: { checkouts: { value: 1 } } },
        });
        // No sandbox in the subject: refused for good, and logged.
        await bus.publish(bus.prefix, checkout('nobody@luma.example', 'id-nobody'));
        // A sandbox that does not exist: its events are unknown there, dead letters of that sandbox.
        await bus.publish(`${bus.prefix}.nowhere`, checkout('lost@luma.example', 'id-lost'));
        const messages = 50 + 10 + 20 + 5;

        await eventually(
          'every message acked or refused',
          () => ingest.stats().acked + ingest.stats().terminated === messages,
        );
        await w.app.engine.settle();
        const stats = ingest.stats();
        assert.deepEqual(
          {
            accepted: stats.accepted,
            duplicates: stats.duplicates,
            rejected: stats.rejected,
            terminated: stats.terminated,
            retried: stats.retried,
          },
          { accepted: 100, duplicates: 1, rejected: 3, terminated: 1, retried: 0 },
        );

        assert.equal(await purchaseInstances(w), 100, 'one Purchase Journey instance per shopper');
        const entered = (await w.app.reads.counters('prod', 'purchase-journey'))
          .filter((c) => c.node === null && c.metric === 'entered')
          .reduce((s, c) => s + c.value, 0);
        assert.equal(entered, 100);
        for (const e of emails.slice(80))
          assert.ok(
            await w.app.reads.hasEvent('prod', `msg-${e}`),
            `the Nats-Msg-Id is the event id of ${e}`,
          );
        assert.ok(!(await w.app.reads.hasEvent('prod', 'id-nobody')));

        const dead = await w.app.reads.listDeadLetters('prod', { limit: 10 });
        const notJson = dead.find(
          (d) => d.body === '{"type": "LumaCheckoutEvent_Email", "payload": ',
        );
        assert.ok(notJson, `the text that is not JSON is a dead letter: ${JSON.stringify(dead)}`);
        assert.equal(
          (notJson.errors as { message: string }).message,
          'an event must be a JSON object',
        );
        const schema = dead.find((d) => d.eventId === 'no-email');
        assert.ok(schema, 'the event that fails its schema is a dead letter');
        assert.match(
          (schema.errors as { message: string }).message,
          /schema of LumaCheckoutEvent_Email|profile identifier/,
        );
        assert.equal(dead.length, 2);
        const [elsewhere] = await w.app.reads.listDeadLetters('nowhere', { limit: 10 });
        assert.equal(elsewhere?.eventId, 'id-lost');
        assert.match(
          (elsewhere?.errors as { message: string }).message,
          /does not exist in sandbox "nowhere"/,
        );
        assert.ok(
          logs.some(
            (l) => l.includes('names no sandbox') && l.includes(`"subject":"${bus.prefix}"`),
          ),
          logs.join('\n'),
        );
        assert.ok(
          logs.some((l) => l.includes('not JSON')),
          'the bad JSON is logged too',
        );

        const consumer = await eventually(
          'the consumer drained',
          async () => {
            const c = await bus.consumer();
            return c.num_pending === 0 && c.num_ack_pending === 0 && c;
          },
          5000,
        ).catch(async () => {
          throw new Error(
            `the consumer still holds messages: ${JSON.stringify(await bus.consumer())}`,
          );
        });
        assert.equal(consumer.num_redelivered, 0);
      } finally {
        await ingest.stop();
      }
    }));

  test('stopped in the middle of 1,000 events and started again: each event is ingested exactly once', () =>
    withWorld(async (w, bus) => {
      const ids = Array.from({ length: 1000 }, (_, i) => `run-${i}`);
      const to = `${bus.prefix}.prod`;
      let first: NatsIngest | null = await startNatsIngest({
        app: w.app,
        servers: NATS_URL,
        stream: bus.stream,
        subjectPrefix: bus.prefix,
        batch: 20,
      });
      let second: NatsIngest | null = null;
      try {
        const published = (async () => {
          for (let i = 0; i < ids.length; i += 50)
            await Promise.all(
              ids.slice(i, i + 50).map((id) => bus.publish(to, checkout(`${id}@luma.example`, id))),
            );
        })();
        await eventually('a part ingested', () => first!.stats().acked >= 100);
        await first.stop();
        const firstStats = first.stats();
        first = null;
        const afterStop = await purchaseInstances(w);
        assert.ok(afterStop < ids.length, `stopped in the middle (${afterStop} ingested)`);
        assert.equal(
          afterStop,
          firstStats.accepted,
          'what the stopped ingest took in is committed',
        );
        assert.equal(
          firstStats.acked,
          firstStats.received,
          'the batch in hand was finished and acked',
        );
        assert.equal(
          (await bus.consumer()).num_ack_pending,
          0,
          'nothing left unacked at the server',
        );

        await published;
        second = await startNatsIngest({
          app: w.app,
          servers: NATS_URL,
          stream: bus.stream,
          subjectPrefix: bus.prefix,
          batch: 20,
        });
        await eventually(
          'all ingested',
          () => second!.stats().acked >= ids.length - firstStats.acked,
          60_000,
        );
        assert.equal(firstStats.accepted + second.stats().accepted, ids.length);
        assert.equal(second.stats().duplicates, 0, 'nothing delivered twice');
        assert.equal(await purchaseInstances(w), ids.length);
        for (const id of ids)
          assert.ok(await w.app.reads.hasEvent('prod', id), `${id} was ingested`);
        const c = await bus.consumer();
        assert.deepEqual(
          { pending: c.num_pending, ackPending: c.num_ack_pending },
          { pending: 0, ackPending: 0 },
        );
      } finally {
        await first?.stop();
        await second?.stop();
      }
    }));

  test('a message with no id at all keeps the ids it got when it is delivered again (here: read by a second durable)', () =>
    withWorld(async (w, bus) => {
      const to = `${bus.prefix}.prod`;
      // A stream made beforehand (by operators), carrying another subject too: the ingest uses it as
      // it is and reads only its own subjects.
      const subjects = [`${bus.prefix}.>`, `${bus.prefix}-other`];
      await bus.jsm.streams.add({ name: bus.stream, subjects, max_msgs: 1000 });
      await bus.publish(`${bus.prefix}-other`, { not: 'for waymark' });
      for (let i = 0; i < 5; i++) await bus.publish(to, checkout(`anon-${i}@luma.example`));
      await bus.publish(to, [checkout('anon-5@luma.example'), checkout('anon-6@luma.example')]);
      const first = await startNatsIngest({
        app: w.app,
        servers: NATS_URL,
        stream: bus.stream,
        subjectPrefix: bus.prefix,
        durable: 'first',
      });
      await eventually('first read', () => first.stats().acked === 6);
      await first.stop();
      const again = await startNatsIngest({
        app: w.app,
        servers: NATS_URL,
        stream: bus.stream,
        subjectPrefix: bus.prefix,
        durable: 'again',
      });
      try {
        await eventually('read again', () => again.stats().acked === 6);
        assert.deepEqual(
          {
            accepted: first.stats().accepted,
            duplicates: again.stats().duplicates,
            acceptedAgain: again.stats().accepted,
          },
          { accepted: 7, duplicates: 7, acceptedAgain: 0 },
        );
        assert.equal(await purchaseInstances(w), 7);
        const info = await bus.jsm.streams.info(bus.stream);
        assert.deepEqual(
          { subjects: info.config.subjects, maxMsgs: info.config.max_msgs },
          { subjects, maxMsgs: 1000 },
          'the existing stream is left as it was',
        );
        assert.deepEqual(
          { received: again.stats().received, terminated: again.stats().terminated },
          { received: 6, terminated: 0 },
          'the other subject is not read',
        );
        const c = await bus.consumer('again');
        assert.deepEqual(
          { filter: c.config.filter_subject, pending: c.num_pending },
          { filter: `${bus.prefix}.>`, pending: 0 },
        );
      } finally {
        await again.stop();
      }
    }));

  test('while the store fails, messages are handed back and delivered again; once it works they are committed and acked', () =>
    withWorld(async (w, bus, logs) => {
      const store = w.store;
      const commit = store.commit.bind(store);
      let down = true;
      let refused = 0;
      store.commit = async (...args: Parameters<typeof commit>) => {
        if (down) {
          refused++;
          throw new Error('the store is down');
        }
        return commit(...args);
      };
      const ingest = await startNatsIngest({
        app: w.app,
        servers: NATS_URL,
        stream: bus.stream,
        subjectPrefix: bus.prefix,
        retryDelayMs: 200,
        log: (level, message) => logs.push(`${level} ${message}`),
      });
      try {
        const to = `${bus.prefix}.prod`;
        const ids = ['down-1', 'down-2', 'down-3', 'down-4', 'down-5'];
        for (const id of ids) await bus.publish(to, checkout(`${id}@luma.example`, id));

        await eventually(
          'each message delivered again after a failure',
          () => ingest.stats().received >= 3 * ids.length,
        );
        assert.ok(refused >= 2, 'the engine tried to commit');
        assert.equal(ingest.stats().acked, 0, 'nothing acked before it is committed');
        for (const id of ids) assert.ok(!(await store.hasEvent('prod', id)));
        assert.ok(logs.some((l) => l.startsWith('error ingesting events from NATS failed')));
        assert.equal(
          (await bus.consumer()).num_pending + (await bus.consumer()).num_ack_pending,
          ids.length,
          'the messages are still in the stream',
        );

        down = false;
        await eventually('committed and acked', () => ingest.stats().acked === ids.length);
        for (const id of ids) assert.ok(await store.hasEvent('prod', id), `${id} was committed`);
        assert.equal(ingest.stats().accepted, ids.length);
        assert.equal(await purchaseInstances(w), ids.length);
        await eventually('nothing pending', async () => {
          const x = await bus.consumer();
          return x.num_pending === 0 && x.num_ack_pending === 0;
        });
      } finally {
        await ingest.stop();
      }
    }));
});
