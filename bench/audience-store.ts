// Audiences end to end on the embedded store (issue 6):
// - batch evaluation throughput: an attribute audience evaluated over every profile of a SQLite
//   file through the audience service (paged reads, the membership changes written and committed),
//   on a first run (every member is new: one membership row each) and on a second run (nothing
//   changes). Baseline, in the same file and run: reading every profile's attributes a page at a
//   time with a prepared statement and JSON.parse, which is what a batch run costs without
//   reading only the subtrees an audience needs.
// - streaming qualification latency: purchase events offered at a fixed rate (open loop), each its
//   own ingest call; the second purchase of a shopper qualifies them for "bought twice in 30 days",
//   and the latency runs from the event's scheduled time to the commit that holds the membership.
//   Baseline: the same events into the same demo without that audience.
import Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import type { ProfileWrite } from '../src/store/ports.ts';
import { figure, percentile, type Figure } from './figures.ts';
import { offerOpenLoop } from './open-loop.ts';
import { benchWorld, emailOf, lumaEvent, T0, type BenchWorld } from './world.ts';

export interface AudienceStoreOptions {
  readonly profiles: number;
  /** Offered load of the streaming run, events a second. */
  readonly rate: number;
  readonly seconds: number;
}

const BATCH_TARGET = 200_000;
const TIERS = ['blue', 'silver', 'gold', 'Blue'];
const BOUGHT_TWICE = 'Bought twice in 30 days';

/** Profiles shaped like Luma's (name, email, app, loyalty, address), a quarter of them blue. */
async function fillProfiles(world: BenchWorld, n: number): Promise<void> {
  const at = new Date(T0).toISOString();
  for (let from = 0; from < n; from += 20_000) {
    const profiles: ProfileWrite[] = [];
    for (let i = from; i < Math.min(n, from + 20_000); i++) {
      const id = `bench-${String(i).padStart(8, '0')}`;
      profiles.push({
        sandbox: 'prod',
        id,
        testProfile: false,
        createdAt: at,
        updatedAt: at,
        identities: [{ namespace: 'Email', id: `${id}@luma.example` }],
        attributes: {
          person: {
            name: { firstName: `First${i}`, lastName: `Last${i}` },
            birthDate: '1990-04-12',
          },
          personalEmail: { address: `${id}@luma.example` },
          mobileApp: { installed: i % 3 === 0 },
          loyalty: { tier: TIERS[i % 4], points: (i * 37) % 5000, id: `LL${i}` },
          homeAddress: { city: 'Portland', countryCode: 'US', postalCode: '97201' },
          consents: { marketing: { email: 'y', push: 'y', sms: 'n' } },
        },
      });
    }
    await world.store.commit({ profiles });
  }
}

/** The baseline: every profile's attributes, a page of 5,000 at a time, parsed whole. */
function rawScan(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    const page = db.prepare(
      'SELECT id, attributes FROM profiles WHERE sandbox = ? AND id > ? ORDER BY id LIMIT 5000',
    );
    let best = Infinity;
    let n = 0;
    for (let round = 0; round < 2; round++) {
      const t = performance.now();
      n = 0;
      for (let after = ''; ;) {
        const rows = page.all('prod', after) as Array<{ id: string; attributes: string }>;
        if (rows.length === 0) break;
        for (const r of rows)
          if ((JSON.parse(r.attributes) as { loyalty?: unknown }).loyalty !== undefined) n++;
        after = rows[rows.length - 1]!.id;
      }
      best = Math.min(best, performance.now() - t);
    }
    return n / (best / 1000);
  } finally {
    db.close();
  }
}

async function benchBatch(profiles: number): Promise<Figure[]> {
  const world = await benchWorld({ loyalty: 'in-process' });
  try {
    await world.app.engine.settle();
    await fillProfiles(world, profiles);
    const baseline = {
      name: 'raw SQLite: read and parse every profile, pages of 5,000',
      value: Math.round(rawScan(world.dbPath)),
      unit: 'profiles/s',
    };
    const audience = 'Luma - Blue Luma+ Members';
    const run = async () => {
      const t = performance.now();
      const r = await world.app.audiences.evaluate('prod', audience);
      return { ...r, ms: performance.now() - t };
    };
    const first = await run();
    const again = await run();
    const evaluated = first.evaluated;
    if (first.realized < profiles / 2 || again.realized + again.exited !== 0)
      throw new Error(`batch run: unexpected changes ${JSON.stringify({ first, again })}`);
    const note = (r: typeof first, what: string) =>
      `${audience} over ${evaluated} profiles (${r.size} members; ${what}) in ${Math.round(r.ms)} ms, through the audience service on a SQLite file`;
    const targets = [{ op: '>=' as const, value: BATCH_TARGET, of: 'value' as const }];
    return [
      figure({
        name: 'audience.batch.store.firstRun',
        value: evaluated / (first.ms / 1000),
        unit: 'profiles/s',
        baseline,
        targets,
        note: note(first, `${first.realized} memberships written`),
      }),
      figure({
        name: 'audience.batch.store.rerun',
        value: evaluated / (again.ms / 1000),
        unit: 'profiles/s',
        baseline,
        targets,
        note: note(again, 'no change to write'),
      }),
    ];
  } finally {
    await world.close();
  }
}

/** Offers each shopper's two purchases at `rate`; returns each event's latency (ms) and the world's realized count. */
async function streamingRun(
  opts: AudienceStoreOptions,
  withAudience: boolean,
): Promise<{ latencies: number[]; qualified: number; shoppers: number }> {
  const world = await benchWorld({ loyalty: 'in-process' });
  try {
    if (withAudience) {
      await world.app.objects.put('prod', 'audience', {
        name: BOUGHT_TWICE,
        origin: 'streaming',
        namespace: 'Email',
        definition: {
          kind: 'event',
          eventType: 'LumaPurchaseEvent_Email',
          count: { op: 'atLeast', value: 2 },
          within: { amount: 30, unit: 'days' },
        },
      });
    }
    world.clock.follow(Date.now());
    world.app.engine.start();
    await world.app.engine.settle();
    const run = `aud${Date.now().toString(36)}`;
    const total = Math.max(4, 2 * Math.round((opts.rate * opts.seconds) / 2));
    const shoppers = total / 2;
    // Purchases come in blocks of a quarter of a second's worth of shoppers: each shopper of the block buys once, then each buys again.
    const block = Math.max(1, Math.min(shoppers, Math.round(opts.rate / 4)));
    const order: Array<{ shopper: number; nth: number }> = [];
    for (let b = 0; b < shoppers; b += block) {
      const end = Math.min(shoppers, b + block);
      for (let k = b; k < end; k++) order.push({ shopper: k, nth: 1 });
      for (let k = b; k < end; k++) order.push({ shopper: k, nth: 2 });
    }
    const events = order.map(({ shopper, nth }) => lumaEvent('purchase', shopper, `${run}-${nth}`));
    const { latencies, failed } = await offerOpenLoop(world.app, events, opts.rate);
    await world.app.engine.stop();
    if (failed > 0) throw new Error(`${failed} purchase events were not accepted`);
    const qualified = withAudience
      ? (await world.app.audiences.size('prod', BOUGHT_TWICE, 0)).realized
      : 0;
    if (withAudience) {
      // Spot check: the last shopper's membership is stored (the latency counted up to its commit).
      const last = await world.app.profiles.get('prod', 'Email', emailOf(shoppers - 1));
      const rows = await world.store.profileMemberships('prod', last.id);
      if (!rows.some((r) => r.audience === BOUGHT_TWICE && r.status === 'realized'))
        throw new Error('the last shopper did not qualify');
    }
    return { latencies, qualified, shoppers };
  } finally {
    await world.close();
  }
}

async function benchStreaming(opts: AudienceStoreOptions): Promise<Figure[]> {
  const base = await streamingRun(opts, false);
  const withAudience = await streamingRun(opts, true);
  if (withAudience.qualified !== withAudience.shoppers)
    throw new Error(`${withAudience.qualified} of ${withAudience.shoppers} shoppers qualified`);
  const note = `${withAudience.latencies.length} purchase events offered at ${opts.rate}/s (one ingest call each, in process); ${withAudience.qualified} shoppers qualified on their second purchase, each membership committed with the event`;
  const baseline = (p: number) => ({
    name: 'the same events without the audience',
    value: percentile(base.latencies, p),
    unit: 'ms',
  });
  return [
    figure({
      name: 'audience.streaming.eventToMembership.p50',
      value: percentile(withAudience.latencies, 50),
      unit: 'ms',
      baseline: baseline(50),
      note,
    }),
    figure({
      name: 'audience.streaming.eventToMembership.p99',
      value: percentile(withAudience.latencies, 99),
      unit: 'ms',
      baseline: baseline(99),
      targets: [{ op: '<=', value: 10, of: 'value' }],
      note,
    }),
    figure({
      name: 'audience.streaming.eventToMembership.max',
      value: percentile(withAudience.latencies, 100),
      unit: 'ms',
      baseline: baseline(100),
    }),
  ];
}

export async function benchAudienceStore(opts: AudienceStoreOptions): Promise<Figure[]> {
  // Streaming first: the batch run leaves hundreds of megabytes for the kernel to write back, which
  // would land on the latency run's commits.
  const streaming = await benchStreaming(opts);
  return [...(await benchBatch(opts.profiles)), ...streaming];
}
