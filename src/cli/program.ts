// The `waymark` program with every command registered, not yet parsed: main.ts runs it, and the
// documentation's CLI reference (scripts/docs-reference.mjs) reads its definitions.
import { Command } from 'commander';
import { registerClientCommands } from './commands/client-commands.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerSimulateCommand } from './commands/simulate.ts';
import { registerExtraCommands } from './extra-commands.ts';
import { registerSandboxCommands } from './commands/sandboxes.ts';
import { VERSION } from '../version.ts';

export async function buildProgram(): Promise<Command> {
  const program = new Command('waymark')
    .description('Waymark: journey orchestration that runs on a laptop')
    .version(VERSION);
  registerServeCommand(program);
  registerClientCommands(program);
  registerSimulateCommand(program);
  await registerExtraCommands(program);
  registerSandboxCommands(program);
  return program;
}
