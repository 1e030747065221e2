// `waymark simulate`: run a package's journeys against a timeline on a virtual clock, no server.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { lumaPackage } from '../../../examples/luma/index.ts';
import { offerFor } from '../../../examples/luma/loyalty-service.ts';
import { formatSimulation, parseTimeline, simulate } from '../../runtime/simulate.ts';
import { print } from '../client.ts';

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description(
      "run journeys against a scripted timeline of events on a virtual clock and print each profile's path",
    )
    .requiredOption(
      '--timeline <file>',
      'JSON lines (or a JSON array) of {"at": "PT1M", "event": {type, payload}} or, for reaction activities, {"at": "PT2H", "feedback": {"identity": "Email:…", "activity": "<message activity>", "kind": "opened" | "clicked"}}',
    )
    .option('--package <file>', 'the package to run (JSON or YAML)')
    .option(
      '--demo',
      'run the Luma demo package (its LoyaltyService answers are computed locally)',
      false,
    )
    .option(
      '--actions <file>',
      'canned custom-action answers: {"ActionName": {...}} or {"ActionName": {"$error": "http_500"}}',
    )
    .option('--horizon <duration>', 'how long to run after the last event', 'P1D')
    .option('--json', 'print JSON', false)
    .action(
      async (o: {
        timeline: string;
        package?: string;
        demo: boolean;
        actions?: string;
        horizon: string;
        json: boolean;
      }) => {
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
      },
    );
}
