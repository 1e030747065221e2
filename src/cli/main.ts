// The `waymark` command.
import { Command } from 'commander';
import { toWaymarkError } from '../errors.ts';
import { CliError } from './client.ts';
import { registerClientCommands } from './commands/client-commands.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerSimulateCommand } from './commands/simulate.ts';
import { registerExtraCommands } from './extra-commands.ts';
import { registerSandboxCommands } from './commands/sandboxes.ts';
import { VERSION } from '../version.ts';

const program = new Command('waymark')
  .description('Waymark: journey orchestration that runs on a laptop')
  .version(VERSION);
registerServeCommand(program);
registerClientCommands(program);
registerSimulateCommand(program);
await registerExtraCommands(program);
registerSandboxCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const err = e instanceof CliError ? e : toWaymarkError(e);
  process.stderr.write(`error: ${err.message}\n`);
  if (!(e instanceof CliError))
    for (const i of toWaymarkError(e).issues) process.stderr.write(`  ${i.path}: ${i.message}\n`);
  process.exit(1);
}
