// Runs `waymark` commands in process against a server's URL, as a terminal would, and returns what
// they print: through the `out` they are given, and what they write to standard output.
import { Command } from 'commander';
import { ADMIN_KEY } from './server.ts';

export type Register = (program: Command, out: (text: string) => void) => void;

export function cliRunner(
  url: string,
  register: Register,
  afterEach: () => Promise<void> = async () => undefined,
): (...args: string[]) => Promise<string> {
  return async (...args) => {
    let printed = '';
    const out = (text: string): void => {
      printed += text;
    };
    const program = new Command('waymark').exitOverride();
    register(program, out);
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      out(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      await program.parseAsync([...args, '--url', url, '--key', ADMIN_KEY], { from: 'user' });
    } finally {
      process.stdout.write = write;
    }
    await afterEach();
    return printed;
  };
}
