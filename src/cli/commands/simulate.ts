// `waymark simulate`: run a package's journeys against a timeline on a virtual clock, no server.
// Its options and help; simulate-run.ts, loaded when it runs, simulates.
import type { Command } from 'commander';
import type { SimulateOptions } from './simulate-run.ts';

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
    .action(async (o: SimulateOptions) => {
      const { runSimulate } = await import('./simulate-run.ts');
      await runSimulate(o);
    });
}
