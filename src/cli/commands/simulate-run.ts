// `waymark simulate` when it runs: the package's journeys against the timeline on a virtual clock.
// simulate.ts registers the command and loads this module (the runtime, the Luma demo) only then.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { lumaPackage } from '../../../examples/luma/index.ts';
import { offerFor } from '../../../examples/luma/loyalty-service.ts';
import { formatSimulation, parseTimeline, simulate } from '../../runtime/simulate.ts';
import { print } from '../client.ts';

/** The options of `waymark simulate`, as commander parses them (simulate.ts). */
export interface SimulateOptions {
  timeline: string;
  package?: string;
  demo: boolean;
  actions?: string;
  horizon: string;
  json: boolean;
}

export async function runSimulate(o: SimulateOptions): Promise<void> {
  const pkg = o.demo
    ? lumaPackage({ loyaltyUrl: 'http://loyalty.simulated/loyalty/offers' })
    : o.package
      ? parse(readFileSync(o.package, 'utf8'))
      : null;
  if (!pkg) throw new Error('give --package FILE or --demo');
  const r = await simulate(pkg, parseTimeline(readFileSync(o.timeline, 'utf8')), {
    horizon: o.horizon,
    ...(o.actions
      ? { actions: JSON.parse(readFileSync(o.actions, 'utf8')) as Record<string, unknown> }
      : {}),
    ...(o.demo
      ? {
          fallbackAction: (_name: string, p: Readonly<Record<string, unknown>>) =>
            offerFor(String(p.loyaltyId), Number(p.orderValue)),
        }
      : {}),
  });
  print(o.json ? r : formatSimulation(r));
}
