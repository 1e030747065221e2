// A `waymark serve` process spawned ahead of its start (bench/warm-serve.ts): it loads its code
// while another server runs, and starts serving when told. bench/crash-safety.ts keeps one ready
// for each restart, so that a restart costs what recovery costs, not Node loading the code again.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ServerProcess } from '../test/support/process.ts';

export const CODE_LOADED = 'waymark: code loaded, waiting for the word to start';

export interface WarmServer {
  /** Resolves once the code is loaded (nothing opened yet); fails if the process exits first. */
  readonly loaded: Promise<void>;
  /** Starts `waymark serve` and resolves when it prints that it is running. */
  start(timeoutMs?: number): Promise<ServerProcess>;
  output(): string;
  /** Ends the process (a spare never started, or a server at the end). */
  stop(): Promise<void>;
}

const repo = fileURLToPath(new URL('..', import.meta.url));

export function spawnWarmServer(
  args: readonly string[],
  dataDir: string,
  port: number,
): WarmServer {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/warm-serve.ts',
      'serve',
      '--data',
      dataDir,
      '--port',
      String(port),
      ...args,
    ],
    {
      cwd: repo,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, WAYMARK_LOG_LEVEL: 'warn' },
    },
  );
  let out = '';
  const waiters = new Set<() => void>();
  const heard = (d: Buffer): void => {
    out += d.toString();
    for (const w of waiters) w();
  };
  child.stdout.on('data', heard);
  child.stderr.on('data', heard);
  child.stdin.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
      for (const w of waiters) w();
    });
  });
  const gone = (): boolean => child.exitCode !== null || child.signalCode !== null;
  /** Resolves when the output holds `text` (woken by output, not polled); fails on exit or time out. */
  const printed = (text: string, timeoutMs: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (out.includes(text)) {
          done();
          resolve();
        } else if (gone()) {
          done();
          reject(new Error(`the server exited before printing "${text}": ${out.slice(-4000)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `the server did not print "${text}" within ${timeoutMs} ms: ${out.slice(-4000)}`,
          ),
        );
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  const stop = async (): Promise<void> => {
    if (gone()) return;
    child.kill('SIGKILL');
    await exited;
  };
  const loaded = printed(CODE_LOADED, 180_000);
  loaded.catch(() => undefined);
  return {
    loaded,
    output: () => out,
    stop,
    start: async (timeoutMs = 120_000) => {
      await loaded;
      child.stdin.end('start\n');
      await printed('Waymark is running at', timeoutMs);
      return {
        url: `http://127.0.0.1:${port}`,
        key: readFileSync(`${dataDir}/admin.key`, 'utf8').trim(),
        child,
        output: () => out,
        kill: async (signal: NodeJS.Signals = 'SIGTERM') => {
          if (gone()) return;
          child.kill(signal);
          await exited;
        },
      };
    },
  };
}
