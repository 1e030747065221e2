// Runs the benchmark suite without the CLI: node --import tsx bench/run.ts [waymark bench flags]
import { Command } from 'commander';
import { registerBenchCommand } from '../src/cli/commands/bench.ts';

const program = new Command('waymark');
registerBenchCommand(program);
await program.parseAsync(['bench', ...process.argv.slice(2)], { from: 'user' });
