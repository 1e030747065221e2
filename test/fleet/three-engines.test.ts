// A fleet of engines on one PostgreSQL schema and NATS JetStream, as separate processes: the Luma
// Purchase Journey for thousands of shoppers, sent over HTTP to any engine, while one engine is
// SIGKILLed and another joins. Then: every event stored once, every purchase's LoyaltyService call
// made under one idempotency key, one confirmation per purchase and one reminder per abandoned cart
// (the wait's timeout fired once), no mail twice over SMTP, nothing left due, and two identities of
// profiles in different partitions stitched into one under load.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLoyaltyService } from '../../examples/luma/loyalty-service.ts';
import { startDevSmtpServer, type DevMail } from '../../src/channels/email/dev-server.ts';
import { startDevProviders } from '../../src/runtime/dev-providers.ts';
import { partitionOfIdentity } from '../../src/shared/partition.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { cart, lumaEvent } from '../support/luma.ts';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL } from '../support/test-store.ts';
import {
  dropRouteStream,
  postEvents,
  prepareLumaSchema,
  spawnEngine,
  type EngineProcess,
} from './fleet-harness.ts';

const SHOPPERS = Number(process.env['FLEET_TEST_SHOPPERS'] ?? 1000);
const BATCH = 50;

const began = Date.now();
/** Where the scenario is, with the seconds since it began (a CI failure shows how far it got, and how fast). */
const stage = (what: string): void => {
  process.stdout.write(`${((Date.now() - began) / 1000).toFixed(1)} s: ${what}\n`);
};

// The waits are generous: this is a test of exactness, not speed; on a loaded 2-core CI machine the
// four engines, PostgreSQL and NATS share the cores with another test file.
const SETTLE_MS = 150_000;

async function until<T>(what: string, fn: () => Promise<T | null | false>, ms: number): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) {
      stage(what);
      return v;
    }
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await sleep(100);
  }
}

test(
  `fleet: three engines, ${SHOPPERS} shoppers, one engine SIGKILLed and one joining: everything once`,
  { timeout: 600_000 },
  async () => {
    const schema = freshSchemaName('waymark_fleet3');
    const loyalty = await startLoyaltyService();
    const providers = await startDevProviders({ smtpPort: 0 });
    // Every mail the SMTP server receives (the dev inbox keeps only the last 500).
    const mails: DevMail[] = [];
    const smtp = await startDevSmtpServer({
      port: 0,
      onMessage: (m) => {
        mails.push(m);
      },
    });
    const engines: EngineProcess[] = [];
    const reader = await openPostgresStore({
      connectionString: POSTGRES_TEST_URL,
      schema,
      maxConnections: 2,
    });
    try {
      await prepareLumaSchema({
        url: POSTGRES_TEST_URL,
        schema,
        loyaltyUrl: loyalty.url,
        smtpPort: smtp.port,
        push: providers.pushSettings,
        timeout: 'PT30S',
      });
      for (const id of ['engine-a', 'engine-b', 'engine-c'])
        engines.push(await spawnEngine({ url: POSTGRES_TEST_URL, schema, id }));
      const live = (): EngineProcess[] =>
        engines.filter((e) => e.proc.exitCode === null && e.proc.signalCode === null);

      // Two shoppers whose emails fall in different partitions, to be stitched under load.
      const stitchA = 'stitch.ann@luma.example';
      let stitchB = 'stitch.bob0@luma.example';
      for (
        let n = 1;
        partitionOfIdentity('Email', stitchB) === partitionOfIdentity('Email', stitchA);
        n++
      )
        stitchB = `stitch.bob${n}@luma.example`;

      const shoppers = Array.from({ length: SHOPPERS }, (_v, i) => `shopper${i}@luma.example`);
      const buyers = shoppers.filter((_s, i) => i % 4 !== 3);
      let next = 0;
      // Sends batches round-robin over the live engines; a batch whose engine died is sent again to another (ids make it harmless).
      const sendAll = async (
        events: unknown[],
        during?: (sentBatches: number, total: number) => Promise<void>,
      ): Promise<void> => {
        const batches: unknown[][] = [];
        for (let i = 0; i < events.length; i += BATCH) batches.push(events.slice(i, i + BATCH));
        let sent = 0;
        const worker = async (): Promise<void> => {
          for (let b = batches.shift(); b; b = batches.shift()) {
            for (let attempt = 0; ; attempt++) {
              const targets = live();
              const target = targets[next++ % targets.length]!;
              try {
                const results = await postEvents(target.url, b);
                assert.ok(
                  results.every((r) => ['accepted', 'routed', 'duplicate'].includes(r.status)),
                  JSON.stringify(
                    results
                      .filter((r) => !['accepted', 'routed', 'duplicate'].includes(r.status))
                      .slice(0, 3),
                  ),
                );
                break;
              } catch (e) {
                if (attempt > 20) throw e;
                await sleep(100);
              }
            }
            sent++;
            await during?.(sent, sent + batches.length);
          }
        };
        await Promise.all(Array.from({ length: 4 }, worker));
      };

      // Checkouts (and the shopper to be stitched), while engine b is SIGKILLed half-way.
      let killedAt = 0;
      let takeover: Promise<number> | null = null;
      const checkouts = [...shoppers, stitchA, stitchB].map((email) =>
        lumaEvent('LumaCheckoutEvent_Email', email, cart),
      );
      await sendAll(checkouts, async (sent, total) => {
        if (killedAt === 0 && sent >= total / 2) {
          killedAt = Date.now();
          await engines[1]!.kill('SIGKILL');
          // Watched from the kill on: when every partition has a live owner again.
          takeover = until(
            "the dead engine's partitions taken over",
            async () => {
              const s = await reader.pool.query<{ n: string }>(
                `SELECT COUNT(*) AS n FROM partition_leases WHERE owner IS NOT NULL AND owner <> 'engine-b' AND expires_at > (extract(epoch from clock_timestamp()) * 1000)::bigint`,
              );
              return Number(s.rows[0]!.n) === 256 ? (Date.now() - killedAt) / 1000 : false;
            },
            30_000,
          );
        }
      });
      const entered = SHOPPERS + 2;
      await until(
        'every checkout entered the journey',
        async () =>
          ((await reader.counters('prod', 'purchase-journey')).find(
            (c) => c.node === null && c.metric === 'entered',
          )?.value ?? 0) >= entered
            ? true
            : false,
        SETTLE_MS,
      );
      const takeoverSeconds = await takeover!;
      assert.ok(
        takeoverSeconds < 10,
        `the partitions of the SIGKILLed engine were taken over in ${takeoverSeconds} s`,
      );

      // Purchases, while engine d joins; and the stitch: ann's purchase links bob's email (another partition).
      const purchases = buyers.map((email) => lumaEvent('LumaPurchaseEvent_Email', email, cart));
      const stitch = {
        ...lumaEvent('LumaPurchaseEvent_Email', stitchA, cart),
        payload: {
          ...(lumaEvent('LumaPurchaseEvent_Email', stitchA, cart)['payload'] as object),
          identityMap: { Email: [{ id: stitchB }] },
        },
      };
      let joined = false;
      await sendAll(
        [
          ...purchases.slice(0, purchases.length / 2),
          stitch,
          ...purchases.slice(purchases.length / 2),
        ],
        async (sent, total) => {
          if (!joined && sent >= total / 3) {
            joined = true;
            engines.push(await spawnEngine({ url: POSTGRES_TEST_URL, schema, id: 'engine-d' }));
          }
        },
      );

      // Everything settles: confirmations for buyers, reminders after the shortened timeout for the others.
      const expectedCalls = buyers.length + 1;
      await until(
        'every purchase called the LoyaltyService',
        async () => new Set(loyalty.calls.map((c) => c.idempotencyKey)).size >= expectedCalls,
        SETTLE_MS,
      ).catch(async (e: unknown) => {
        // The engines' last lines first (their errors and hangs, then the very last), the summary
        // last: a CI excerpt shows the tail of the output.
        for (const en of engines)
          process.stderr.write(
            `--- ${en.id}\n${[
              ...en.stderr.filter((l) => /"error"|waited on one step/.test(l)).slice(-4),
              ...en.stderr.slice(-2),
            ].join('\n')}\n`,
          );
        const q = async (sql: string): Promise<string> =>
          JSON.stringify((await reader.pool.query(sql)).rows);
        const summary = [
          `calls ${loyalty.calls.length} keys ${new Set(loyalty.calls.map((c) => c.idempotencyKey)).size} of ${expectedCalls}`,
          `events ${await q('SELECT type, COUNT(*) AS n FROM events GROUP BY type')}`,
          `instances ${await q('SELECT status, COUNT(*) AS n FROM instances GROUP BY status')}`,
          `owners ${await q('SELECT owner, COUNT(*) AS n FROM partition_leases GROUP BY owner')}`,
          `outbox ${await q('SELECT kind, COUNT(*) AS n, COUNT(attempt_started_at) AS marked, COUNT(sent_at) AS sent, MAX(attempts) AS attempts FROM outbox GROUP BY kind')}`,
          `outbox rows ${await q('SELECT o.kind, o.partition, o.attempts, o.attempt_by, o.sent_at IS NOT NULL AS sent, o.last_error, l.owner, l.epoch FROM outbox o JOIN partition_leases l USING (partition) LIMIT 4')}`,
          `timers due ${await q(`SELECT COUNT(*) AS n FROM timers WHERE id NOT LIKE '%:lifetime' AND due_at <= (extract(epoch from clock_timestamp()) * 1000)::bigint`)}`,
          `engines ${await q('SELECT id, (extract(epoch from clock_timestamp()) * 1000)::bigint - heartbeat_at AS silent_ms FROM engines')}`,
          `sessions ${await q(`SELECT pid, state, wait_event_type, wait_event, (extract(epoch from clock_timestamp() - xact_start))::int AS xact_s, pg_blocking_pids(pid) AS blocked_by, left(query, 160) AS query FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle' AND pid <> pg_backend_pid()`)}`,
        ];
        // What each live engine holds of the partitions whose outbox items wait.
        const waiting = (
          await reader.pool.query<{ partition: number }>(
            'SELECT DISTINCT partition FROM outbox ORDER BY partition LIMIT 6',
          )
        ).rows.map((r) => String(r.partition));
        for (const en of live()) {
          const st = await en.stats().catch(() => null);
          if (st)
            summary.push(
              `${en.id}: inTime ${st.inTime} stuck ${st.stuck} holds ${JSON.stringify(waiting.map((p) => [p, st.epochs[p] ?? null]))}`,
            );
        }
        process.stderr.write(`${summary.join('\n')}\n`);
        throw e;
      });
      await until(
        'nothing left due',
        async () => {
          // Every wait's timeout fired (only the journeys' lifetime timers, months away, remain) and every effect done.
          const r = await reader.pool.query<{ t: string; o: string }>(
            `SELECT (SELECT COUNT(*) FROM timers WHERE id NOT LIKE '%:lifetime') AS t, (SELECT COUNT(*) FROM outbox) AS o`,
          );
          return Number(r.rows[0]!.t) === 0 && Number(r.rows[0]!.o) === 0;
        },
        SETTLE_MS,
      ).catch(async (e: unknown) => {
        const t = await reader.pool.query(
          `SELECT t.id, t.instance_id, t.due_at, t.partition, l.owner, l.epoch, (SELECT partition FROM instances i WHERE i.id = t.instance_id) AS ipart FROM timers t JOIN partition_leases l USING (partition) LIMIT 5`,
        );
        const o = await reader.pool.query(
          `SELECT o.id, o.kind, o.partition, o.attempts, o.attempt_started_at, o.sent_at, o.last_error, l.owner FROM outbox o JOIN partition_leases l USING (partition) LIMIT 5`,
        );
        for (const en of engines)
          process.stderr.write(`--- ${en.id}\n${en.stderr.slice(-6).join('\n')}\n`);
        process.stderr.write(
          `timers: ${JSON.stringify(t.rows)}\noutbox: ${JSON.stringify(o.rows)}\n`,
        );
        throw e;
      });

      // Every event stored once.
      const events = await reader.pool.query<{ n: string }>(
        "SELECT COUNT(*) AS n FROM events WHERE sandbox = 'prod'",
      );
      assert.equal(
        Number(events.rows[0]!.n),
        checkouts.length + purchases.length + 1,
        'every event stored once',
      );
      // LoyaltyService: one idempotency key per purchase (a call a crash cut may be resent under its key, never a new one).
      const keys = new Map<string, number>();
      for (const c of loyalty.calls)
        keys.set(String(c.idempotencyKey), (keys.get(String(c.idempotencyKey)) ?? 0) + 1);
      assert.equal(keys.size, expectedCalls, 'one LoyaltyService call per purchase');
      const resent = loyalty.calls.length - keys.size;
      // Messages: one per journey outcome, none twice, and the SMTP server saw each once.
      const messages = await reader.pool.query<{ label: string; profile_id: string; n: string }>(
        "SELECT label, profile_id, COUNT(*) AS n FROM messages WHERE sandbox = 'prod' GROUP BY label, profile_id",
      );
      assert.deepEqual(
        messages.rows.filter((r) => Number(r.n) > 1),
        [],
        'no message twice',
      );
      const byLabel = new Map<string, number>();
      for (const r of messages.rows) byLabel.set(r.label, (byLabel.get(r.label) ?? 0) + 1);
      assert.equal(
        byLabel.get('Order Confirmation Email'),
        expectedCalls,
        'one confirmation per purchase',
      );
      // The abandoned carts (the stitched pair aside: whether bob's timeout fired before the merge stopped his instance depends on timing).
      const abandoned = shoppers.filter((_s, i) => i % 4 === 3);
      const abandonedIds = new Set(
        (
          await reader.findProfileIds(
            'prod',
            abandoned.map((e) => ({ namespace: 'Email', value: e })),
          )
        ).values(),
      );
      const reminders = messages.rows.filter(
        (r) => abandonedIds.has(r.profile_id) && r.label !== 'Order Confirmation Email',
      );
      assert.equal(
        reminders.length,
        abandoned.length,
        'one reminder per abandoned cart: each timeout fired once',
      );
      const perMail = new Map<string, number>();
      for (const m of mails) {
        const k = `${m.to.join(',')}|${m.subject}`;
        perMail.set(k, (perMail.get(k) ?? 0) + 1);
      }
      const twice = [...perMail].filter(([, n]) => n > 1);
      if (twice.length > 0) {
        for (const en of engines)
          if (en.proc.exitCode === null && en.proc.signalCode === null)
            process.stderr.write(`${en.id}: ${JSON.stringify(await en.stats())}\n`);
        for (const en of engines)
          process.stderr.write(
            `--- ${en.id}\n${en.stderr
              .filter((l) => /lost|fenced|resending/.test(l))
              .slice(-6)
              .join('\n')}\n`,
          );
      }
      assert.deepEqual(twice, [], 'no mail twice over SMTP');
      assert.equal(perMail.size, expectedCalls, 'the SMTP server received every confirmation');
      // Stitched: both emails name one profile.
      const ids = await reader.findProfileIds('prod', [
        { namespace: 'Email', value: stitchA },
        { namespace: 'Email', value: stitchB },
      ]);
      assert.equal(new Set(ids.values()).size, 1, 'the two identities name one profile');
      const instances = await reader.pool.query<{ status: string; n: string }>(
        "SELECT status, COUNT(*) AS n FROM instances WHERE sandbox = 'prod' GROUP BY status",
      );
      process.stdout.write(`# instances by status: ${JSON.stringify(instances.rows)}\n`);
      process.stdout.write(
        `# fleet: ${SHOPPERS} shoppers, takeover ${takeoverSeconds.toFixed(1)} s, LoyaltyService calls ${loyalty.calls.length} (${resent} resent under their key after the crash), mails ${mails.length}\n`,
      );
    } finally {
      for (const e of engines) await e.kill('SIGTERM').catch(() => undefined);
      await reader.close();
      await loyalty.close();
      await providers.close();
      await smtp.close();
      await dropSchema(schema);
      await dropRouteStream(schema);
    }
  },
);
