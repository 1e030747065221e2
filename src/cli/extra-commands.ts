// Commands contributed by other modules (expressions, rendering, benchmarks).
import type { Command } from 'commander';

export async function registerExtraCommands(_program: Command): Promise<void> {
  // filled in as modules land
}
