// Batching changes nothing: a random script of Luma events (checkouts and purchases of known and new
// shoppers, resent events, ids reused by other events, events without an id, refused events) and clock moves, played twice: once
// with each event in an ingest call of its own, once with the script's batches in one call each
// (read ahead, group commit). Every event gets the same answer, and every shopper ends with the same
// journey paths and messages. Runs on both stores (npm test plays the journey suites on PostgreSQL);
// the same script, batched, also ends the same on SQLite and on PostgreSQL. Batched, every request
// is checked and fingerprinted on an ingest worker thread (src/runtime/workers); alone, on the
// writer's thread: the answers and paths do not tell them apart either.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../src/shared/seeded-random.ts';
import { cart, lumaEvent, lumaWorld, PUBLIC_URL, T0, TRACKING_SECRET } from '../support/luma.ts';
import { lumaImages, lumaPackage } from '../../examples/luma/index.ts';
import { startLoyaltyService } from '../../examples/luma/loyalty-service.ts';
import { createWaymark, type Waymark } from '../../src/runtime/app.ts';
import { ManualClock } from '../../src/runtime/clock.ts';
import { startDevProviders } from '../../src/runtime/dev-providers.ts';
import { startFleet, type Fleet } from '../../src/runtime/fleet/fleet.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL } from '../support/test-store.ts';
import { dropRouteStream } from '../fleet/fleet-harness.ts';

type Op =
  | { readonly kind: 'send'; readonly events: readonly Record<string, unknown>[] }
  | { readonly kind: 'advance'; readonly ms: number };

const KNOWN = ['sarah.miller@luma.example', 'jean.dupont@luma.example', 'tom.baker@luma.example'];

function script(seed: number, ops: number): { ops: Op[]; emails: string[] } {
  const random = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const emails = [
    ...KNOWN,
    ...Array.from({ length: 9 }, (_, i) => `shopper-${seed}-${i}@luma.example`),
  ];
  const out: Op[] = [];
  let id = 0;
  /** What was sent under each id, so that a producer can send the same event again. */
  const sentAs = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < ops; i++) {
    if (random() < 0.2) {
      out.push({ kind: 'advance', ms: pick([5_000, 30_000, 65_000, 310_000]) });
      continue;
    }
    const events = Array.from({ length: 1 + Math.floor(random() * 6) }, () => {
      const roll = random();
      const type = random() < 0.55 ? 'LumaCheckoutEvent_Email' : 'LumaPurchaseEvent_Email';
      // An id used before (a producer sending the same event again, or another event under it:
      // a conflict), none at all, or a new one.
      const eventId = roll < 0.15 && id > 0 ? `e-${Math.floor(random() * id)}` : `e-${id++}`;
      const before = sentAs.get(eventId);
      if (roll < 0.1 && before) return structuredClone(before);
      const e = lumaEvent(type, pick(emails), cart, eventId);
      if (roll > 0.9) delete e['id'];
      if (roll > 0.85 && roll <= 0.9) e['payload'] = { commerce: {} };
      if (!before && e['id'] !== undefined) sentAs.set(eventId, structuredClone(e));
      return e;
    });
    out.push({ kind: 'send', events });
  }
  return { ops: out, emails };
}

/** What a script leaves for each shopper: journey paths and messages. */
async function shoppersOf(
  app: Waymark,
  emails: readonly string[],
): Promise<Record<string, unknown>> {
  const shoppers: Record<string, unknown> = {};
  for (const email of emails) {
    const profileId = await app.reads.findProfileId('prod', 'Email', email);
    if (!profileId) {
      shoppers[email] = null;
      continue;
    }
    const instances = (await app.reads.instances('prod', { profileId, limit: 100 })).sort(
      (a, b) => a.enteredAt - b.enteredAt,
    );
    const messages = (await app.reads.messages('prod', { profileId, limit: 100 })).sort(
      (a, b) => a.createdAt - b.createdAt,
    );
    shoppers[email] = {
      instances: instances.map((i) => ({
        journey: i.journeyId,
        status: i.status,
        exit: i.exitReason ?? null,
        path: i.path.map((p) => `${p.node}:${p.outcome ?? '…'}`),
      })),
      messages: messages.map((m) => `${m.label}:${m.status}`),
    };
  }
  return shoppers;
}

/**
 * The script on a fleet of three engines (in this process, one clock) on one PostgreSQL schema and
 * NATS: each event sent, in order, to the next engine, which ingests it or routes it to its
 * partition's owner; the next waits until it is committed. Clock moves settle every engine.
 */
async function playOnFleet(
  ops: readonly Op[],
  emails: readonly string[],
): Promise<Record<string, unknown>> {
  const schema = freshSchemaName('waymark_equiv3');
  const loyalty = await startLoyaltyService();
  const providers = await startDevProviders({ smtpPort: 0 });
  const clock = new ManualClock(T0);
  const apps: Waymark[] = [];
  const fleets: Fleet[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const store = await openPostgresStore({
        connectionString: POSTGRES_TEST_URL,
        schema,
        maxConnections: 4,
      });
      const app = createWaymark({
        store,
        clock,
        allowHosts: { prod: ['127.0.0.1'] },
        tracking: { secret: TRACKING_SECRET, baseUrl: PUBLIC_URL },
      });
      apps.push(app);
      if (i === 0) {
        await app.packages.apply(
          'prod',
          lumaPackage({
            loyaltyUrl: loyalty.url,
            devSmtpPort: providers.smtp.port,
            push: providers.pushSettings,
            publicUrl: PUBLIC_URL,
          }),
        );
        for (const image of lumaImages())
          await app.assets.storeImage('prod', image.id, 1, image.bytes);
      }
      fleets.push(
        await startFleet({
          app,
          store,
          connectionString: POSTGRES_TEST_URL,
          schema,
          nats: 'nats://127.0.0.1:4222',
          id: `equiv-${i}`,
          heartbeatMs: 200,
          // Short leases, as the in-process fleet tests use: a joiner's share is freed by the others'
          // heartbeats, so the fleet settles sooner.
          leaseMs: 2000,
        }),
      );
    }
    const held = (): number[] => fleets.map((f) => f.leases.held.size);
    for (let t = 0; held().reduce((a, b) => a + b, 0) !== 256 || Math.max(...held()) > 86; t++) {
      assert.ok(t < 200, `the partitions settle between the engines (${held().join('/')})`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const settled = async (): Promise<void> => {
      for (let t = 0; ; t++) {
        const out = fleets.reduce((n, f) => n + f.router.stats.publishedOut, 0);
        const acked = fleets.reduce((n, f) => n + f.router.stats.acked, 0);
        if (out === acked) break;
        assert.ok(
          t < 1000,
          `routed events are committed by their owners: ${JSON.stringify(fleets.map((f) => ({ ...f.router.stats, held: f.leases.held.size })))}`,
        );
        await new Promise((r) => setTimeout(r, 10));
      }
      await Promise.all(
        apps.map((app) =>
          app.engine.settle().catch((e: Error) => {
            throw new Error(`settle: ${e.message}`);
          }),
        ),
      );
    };
    let next = 0;
    for (const op of ops) {
      if (op.kind === 'advance') {
        for (let t = 0; t < op.ms; t += 1000) {
          clock.advance(Math.min(1000, op.ms - t));
          // The engines own disjoint partitions: each fires its own timers, side by side.
          await Promise.all(
            apps.map((app) =>
              app.engine.settle().catch((e: Error) => {
                throw new Error(`advance settle: ${e.message}`);
              }),
            ),
          );
        }
        continue;
      }
      for (const e of op.events) {
        await apps[next++ % apps.length]!.router!.ingest('prod', [e]).catch((err: Error) => {
          throw new Error(`ingest ${JSON.stringify(e).slice(0, 200)}: ${err.message}`);
        });
        await settled();
      }
    }
    await settled();
    return await shoppersOf(apps[0]!, emails);
  } finally {
    for (const f of fleets) await f.stop().catch(() => undefined);
    for (const app of apps) await app.close().catch(() => undefined);
    await loyalty.close();
    await providers.close();
    await dropSchema(schema);
    await dropRouteStream(schema);
  }
}

async function play(
  ops: readonly Op[],
  emails: readonly string[],
  alone: boolean,
  store?: 'sqlite' | 'postgres',
): Promise<{ answers: unknown[]; shoppers: Record<string, unknown> }> {
  const w = await lumaWorld({
    ...(store ? { store } : {}),
    workers: alone ? { size: 0, minEvents: 1 } : { size: 1, minEvents: 1 },
  });
  const checkedBefore = w.app.engine.workers?.checkedByWorkers ?? 0;
  try {
    const answers: unknown[] = [];
    for (const op of ops) {
      if (op.kind === 'advance') {
        await w.advance(op.ms);
        continue;
      }
      // Alone: each call waits for the one before, so each event is its own unit of work and commit.
      const results = [];
      if (alone)
        for (const e of op.events) results.push(...(await w.app.engine.ingest('prod', [e])));
      else results.push(...(await w.app.engine.ingest('prod', op.events)));
      await w.app.engine.settle();
      for (const r of results)
        answers.push(
          r.status === 'accepted'
            ? ['accepted', r.journeys]
            : r.status === 'rejected'
              ? ['rejected', r.code]
              : [r.status],
        );
    }
    if (!alone)
      assert.ok(
        (w.app.engine.workers?.checkedByWorkers ?? 0) > checkedBefore,
        'the batches were checked on the worker thread',
      );
    const shoppers: Record<string, unknown> = {};
    for (const email of emails) {
      const profileId = await w.app.reads.findProfileId('prod', 'Email', email);
      if (!profileId) {
        shoppers[email] = null;
        continue;
      }
      const instances = (await w.app.reads.instances('prod', { profileId, limit: 100 })).sort(
        (a, b) => a.enteredAt - b.enteredAt,
      );
      const messages = (await w.app.reads.messages('prod', { profileId, limit: 100 })).sort(
        (a, b) => a.createdAt - b.createdAt,
      );
      shoppers[email] = {
        instances: instances.map((i) => ({
          journey: i.journeyId,
          status: i.status,
          exit: i.exitReason ?? null,
          path: i.path.map((p) => `${p.node}:${p.outcome ?? '…'}`),
        })),
        messages: messages.map((m) => `${m.label}:${m.status}`),
      };
    }
    return { answers, shoppers };
  } finally {
    await w.close();
  }
}

test(
  'a random script of events answers the same, and leaves the same journeys and messages, whether each event is sent alone or in batches',
  { timeout: 240_000 },
  async () => {
    // Every play is a world of its own (store, clock, providers): the four run side by side, as
    // most of each is waiting on commits.
    const seed = async (seed: number): Promise<void> => {
      const { ops, emails } = script(seed, 70);
      const sent = ops.reduce((k, op) => k + (op.kind === 'send' ? op.events.length : 0), 0);
      assert.ok(sent > 120, `the script sends enough events (${sent})`);
      const [batched, aloneInOrder] = await Promise.all([
        play(ops, emails, false),
        play(ops, emails, true),
      ]);
      const statuses = new Set(batched.answers.map((a) => (a as string[])[0]));
      assert.deepEqual(
        [...statuses].sort(),
        ['accepted', 'conflict', 'duplicate', 'rejected'],
        `seed ${seed}: the script covers every answer`,
      );
      assert.deepEqual(
        batched.answers,
        aloneInOrder.answers,
        `seed ${seed}: the same answer for every event`,
      );
      assert.deepEqual(
        batched.shoppers,
        aloneInOrder.shoppers,
        `seed ${seed}: the same journeys and messages for every shopper`,
      );
    };
    await Promise.all([seed(7), seed(2026)]);
  },
);

test(
  'the same random script ends the same on SQLite and on PostgreSQL',
  { timeout: 240_000 },
  async () => {
    const { ops, emails } = script(31, 70);
    // Two worlds of their own (store, clock, providers): played side by side.
    const [onSqlite, onPostgres] = await Promise.all([
      play(ops, emails, false, 'sqlite'),
      play(ops, emails, false, 'postgres'),
    ]);
    assert.deepEqual(onPostgres.answers, onSqlite.answers);
    assert.deepEqual(onPostgres.shoppers, onSqlite.shoppers);
  },
);

test(
  'the same random script ends the same on one engine and on a fleet of three',
  { timeout: 300_000 },
  async () => {
    const { ops, emails } = script(47, 60);
    // Separate schemas, clocks and providers: the one engine plays while the fleet does.
    const [oneEngine, threeEngines] = await Promise.all([
      play(ops, emails, false, 'postgres'),
      playOnFleet(ops, emails),
    ]);
    assert.deepEqual(
      threeEngines,
      oneEngine.shoppers,
      'the same journeys and messages for every shopper',
    );
  },
);
