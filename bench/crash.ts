// The crash-safety scenario (bench/crash-safety.ts) at bench size, as figures: a real `waymark
// serve` SIGKILLed several times under a stream of checkouts and purchases, on SQLite (section
// `crash`) or on PostgreSQL (in section `postgres`, skipped when no PostgreSQL answers). Reports
// events, kills, duplicates on the wire and those the server flagged as resent after a crash,
// shoppers lost, broken invariants (targets: none) and the run time.
import { crashInvariants, runCrashSafety, type CrashSafetyFigures } from './crash-safety.ts';
import { figure, type Figure } from './figures.ts';
import { DEFAULT_URL, dropSchemas, reachable } from './postgres.ts';

export interface CrashBenchOptions {
  readonly shoppers: number;
  readonly kills: number;
  /** The abandoned-cart timeout (5 s by default). */
  readonly timeoutSeconds?: number;
  readonly store: 'sqlite' | 'postgres';
  /** The PostgreSQL server (a schema of its own is created and dropped). */
  readonly url?: string;
  readonly log?: (line: string) => void;
}

/** How the stream is paced: events per request, and the pause between requests. */
const PACE = { batch: 5, pauseMs: 20 } as const;

function figuresOf(
  f: CrashSafetyFigures,
  timeoutSeconds: number,
  prefix: string,
  where: string,
): Figure[] {
  const broken = crashInvariants(f)
    .filter((i) => !i.holds)
    .map((i) => i.rule);
  const zero = [{ op: '<=', value: 0, of: 'value' }] as const;
  const run = `${f.shoppers} shoppers (checkout, two in three a purchase) on ${where}, ${f.kills} SIGKILLs and restarts on the same data, abandoned-cart timeout ${timeoutSeconds} s`;
  return [
    figure({
      name: `${prefix}.events`,
      value: f.events,
      unit: 'events',
      note: `${run}; ${f.entered} journey entries, ${f.purchases} purchases (${f.purchasesAfterTimeout} after their timer), ${f.abandoned} abandoned carts, ${f.timeouts} timers fired`,
    }),
    figure({ name: `${prefix}.kills`, value: f.kills, unit: 'kills' }),
    figure({
      name: `${prefix}.duplicates.wire`,
      value: f.duplicates.loyalty + f.duplicates.email,
      unit: 'calls+mails',
      note: `reached their provider more than once: ${f.duplicates.loyalty} LoyaltyService calls (of ${f.loyaltyCalls}, ${f.loyaltyKeys} idempotency keys), ${f.duplicates.email} mails (of ${f.mails}, by Message-ID at the SMTP server)`,
    }),
    figure({
      name: `${prefix}.duplicates.flaggedResends`,
      value: f.resentAfterCrash,
      unit: 'items',
      note: 'outbox items the server resent because a crash cut their attempt (logged; the documented window: each may reach its provider twice)',
    }),
    figure({
      name: `${prefix}.duplicates.outsideWindow`,
      value: f.duplicatesOutsideWindow,
      unit: 'calls+mails',
      targets: zero,
    }),
    figure({
      name: `${prefix}.lost`,
      value: f.lost,
      unit: 'shoppers',
      targets: zero,
      note: 'shoppers with no way out of the journey once everything settled',
    }),
    figure({
      name: `${prefix}.invariantsBroken`,
      value: broken.length,
      unit: 'rules',
      targets: zero,
      ...(broken.length > 0 ? { note: `broken: ${broken.join('; ')}` } : {}),
    }),
    figure({
      name: `${prefix}.seconds`,
      value: f.seconds,
      unit: 's',
      note: "the whole run: servers started (each restart's loaded ahead), demo applied, stream, kills, everything settled",
    }),
  ];
}

export async function benchCrashSafety(o: CrashBenchOptions): Promise<Figure[] | string> {
  const timeoutSeconds = o.timeoutSeconds ?? 5;
  const base = {
    shoppers: o.shoppers,
    kills: o.kills,
    timeoutSeconds,
    ...PACE,
    ...(o.log ? { log: o.log } : {}),
  };
  if (o.store === 'sqlite')
    return figuresOf(
      await runCrashSafety({ ...base, store: { kind: 'sqlite' } }),
      timeoutSeconds,
      'crash',
      'SQLite',
    );
  const url = o.url ?? DEFAULT_URL;
  const down = await reachable(url);
  if (down) return down;
  const schema = `bench_crash_${Date.now().toString(36)}_${process.pid}`;
  try {
    return figuresOf(
      await runCrashSafety({ ...base, store: { kind: 'postgres', url, schema } }),
      timeoutSeconds,
      'postgres.crash',
      `PostgreSQL ${new URL(url).host}`,
    );
  } finally {
    await dropSchemas(url, [schema]);
  }
}
