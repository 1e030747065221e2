// Latency from an event accepted to its effects committed, at a fixed offered load (open loop: each
// event is offered at its scheduled time whether or not earlier ones are done, and its latency is
// measured from that time, so a stall counts against every event it delays). Each event is its
// own ingest call, as one HTTP request per event would be; the engine's loop runs timers and the
// outbox in the same process meanwhile, on the real clock. The figures are those of a server that
// has been taking traffic: one second at the same rate (other shoppers) runs first, and its own
// latencies are reported as `.cold` (a server just started compiles its hot paths under load: the
// first few hundred events wait on V8's JIT).
import { figure, percentile, type Figure } from './figures.ts';
import { offerOpenLoop } from './open-loop.ts';
import { benchWorld, lumaEvent, type LoyaltyMode } from './world.ts';

/** How long the load runs before the measured part: a server that has been taking traffic. */
const WARMUP_SECONDS = 1;

/** Per 3 events: checkouts of shoppers first + 2k and first + 2k + 1, then the purchase of the first. */
function shoppers(run: string, n: number, first: number): unknown[] {
  return Array.from({ length: n }, (_, j) => {
    const s = first + 2 * Math.floor(j / 3);
    const r = j % 3;
    return r === 2 ? lumaEvent('purchase', s, run) : lumaEvent('checkout', s + r, run);
  });
}

export interface LatencyOptions {
  /** Offered load, events a second. */
  readonly rate: number;
  readonly seconds: number;
  readonly loyalty: LoyaltyMode;
}

/** The offered load of the issue, and a fifth of it (latency below saturation). */
export async function benchLatency(opts: LatencyOptions): Promise<Figure[]> {
  const low = Math.max(1, Math.round(opts.rate / 5));
  return [
    ...(await latencyAt(opts, 'latency')),
    ...(await latencyAt({ ...opts, rate: low }, `latency.at${low}`)),
  ];
}

async function latencyAt(opts: LatencyOptions, prefix: string): Promise<Figure[]> {
  const world = await benchWorld({ loyalty: opts.loyalty });
  try {
    world.clock.follow(Date.now());
    world.app.engine.start();
    const total = Math.max(10, Math.round(opts.rate * opts.seconds));
    const warmup = Math.max(10, Math.round(opts.rate * Math.min(WARMUP_SECONDS, opts.seconds)));
    // Other shoppers than the measured ones (who would otherwise be in the journey already).
    const cold = await offerOpenLoop(
      world.app,
      shoppers(`warm${Date.now().toString(36)}`, warmup, total),
      opts.rate,
    );
    const events = shoppers(`lat${Date.now().toString(36)}`, total, 0);
    const {
      latencies,
      failed,
      seconds: offeredSeconds,
    } = await offerOpenLoop(world.app, events, opts.rate);
    const done = total - failed;
    await world.app.engine.stop();
    if (failed + cold.failed > 0)
      throw new Error(`${failed + cold.failed} latency events were not accepted`);
    const samples = latencies;
    const note = `${total} events offered at ${opts.rate}/s for ${opts.seconds}s (one ingest call per event, in process; LoyaltyService ${world.loyalty}), after ${warmup} events at the same rate since the engine started; ${done} committed in ${offeredSeconds.toFixed(1)}s`;
    const coldNote = `the first ${warmup} events after the engine started, at ${opts.rate}/s: what a server just started answers while V8 compiles its hot paths`;
    return [
      figure({ name: `${prefix}.p50`, value: percentile(samples, 50), unit: 'ms', note }),
      figure({
        name: `${prefix}.p99`,
        value: percentile(samples, 99),
        unit: 'ms',
        ...(prefix === 'latency' ? { targets: [{ op: '<=', value: 50, of: 'value' }] } : {}),
        note,
      }),
      figure({ name: `${prefix}.max`, value: percentile(samples, 100), unit: 'ms' }),
      figure({
        name: `${prefix}.cold.p99`,
        value: percentile(cold.latencies, 99),
        unit: 'ms',
        note: coldNote,
      }),
      figure({ name: `${prefix}.cold.max`, value: percentile(cold.latencies, 100), unit: 'ms' }),
    ];
  } finally {
    await world.close();
  }
}
