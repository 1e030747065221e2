// What a command that runs locally (`waymark expr`, `waymark render`) reads and writes: the
// process by default, and buffers in tests. Light on purpose: the command modules that register
// these commands import it at start-up.
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';

export interface CommandIo {
  readonly readFile: (path: string) => Promise<string>;
  /** Lines of standard input. */
  readonly stdinLines: () => AsyncIterable<string>;
  readonly write: (line: string) => void;
  readonly setExitCode: (code: number) => void;
  readonly now: () => number;
}

export const processIo: CommandIo = {
  readFile: (path) => readFile(path, 'utf8'),
  stdinLines: () => createInterface({ input: process.stdin, crlfDelay: Infinity }),
  write: (line) => {
    process.stdout.write(`${line}\n`);
  },
  setExitCode: (code) => {
    process.exitCode = code;
  },
  now: () => Date.now(),
};
