// Latency from an event accepted to its effects committed, at a fixed offered load (open loop: each
// event is offered at its scheduled time whether or not earlier ones are done, and its latency is
// measured from that time, so a stall counts against every event it delays). Each event is its
// own ingest call, as one HTTP request per event would be; the engine's loop runs timers and the
// outbox in the same process meanwhile, on the real clock.
import { figure, percentile, type Figure } from './figures.ts';
import { offerOpenLoop } from './open-loop.ts';
import { benchWorld, lumaEvent, type LoyaltyMode } from './world.ts';

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
    const run = `lat${Date.now().toString(36)}`;
    const total = Math.max(10, Math.round(opts.rate * opts.seconds));
    // Per 3 events: checkouts of shoppers 2k and 2k+1, then the purchase of shopper 2k.
    const events = Array.from({ length: total }, (_, j) => {
      const k = Math.floor(j / 3);
      const r = j % 3;
      return r === 2 ? lumaEvent('purchase', 2 * k, run) : lumaEvent('checkout', 2 * k + r, run);
    });
    const {
      latencies,
      failed,
      seconds: offeredSeconds,
    } = await offerOpenLoop(world.app, events, opts.rate);
    const done = total - failed;
    await world.app.engine.stop();
    if (failed > 0) throw new Error(`${failed} latency events were not accepted`);
    const samples = latencies;
    const note = `${total} events offered at ${opts.rate}/s for ${opts.seconds}s (one ingest call per event, in process; LoyaltyService ${world.loyalty}); ${done} committed in ${offeredSeconds.toFixed(1)}s`;
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
    ];
  } finally {
    await world.close();
  }
}
