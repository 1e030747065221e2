// The `waymark` command.
import { toWaymarkError } from '../errors.ts';
import { CliError } from './client.ts';
import { buildProgram } from './program.ts';

const program = await buildProgram();

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const err = e instanceof CliError ? e : toWaymarkError(e);
  process.stderr.write(`error: ${err.message}\n`);
  if (!(e instanceof CliError))
    for (const i of toWaymarkError(e).issues) process.stderr.write(`  ${i.path}: ${i.message}\n`);
  process.exit(1);
}
