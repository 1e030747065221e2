// Runs `waymark serve` as a real process, as a user would.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `node --import TS_LOADER file.ts`: a child process that runs the repository's TypeScript. */
export const TS_LOADER = fileURLToPath(
  new URL('../../scripts/ts-loader/register.mjs', import.meta.url),
);

export interface ServerProcess {
  readonly url: string;
  readonly key: string;
  readonly child: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startServer(
  args: string[],
  dataDir: string,
  port: number,
  timeoutMs = 60_000,
): Promise<ServerProcess> {
  return (await spawnServer(args, dataDir, port)).ready(timeoutMs);
}

/** A `waymark serve` process that may not be ready yet (a standby): its output so far, and a wait for a line of it. */
export interface SpawnedServer {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves when the output holds `text`; fails if the process exits first or the time runs out. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  ready(timeoutMs?: number): Promise<ServerProcess>;
}

export async function spawnServer(
  args: string[],
  dataDir: string,
  port: number,
  env: Record<string, string> = {},
  bin = 'bin/waymark.js',
): Promise<SpawnedServer> {
  const child = spawn(
    process.execPath,
    [bin, 'serve', '--data', dataDir, '--port', String(port), ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WAYMARK_LOG_LEVEL: 'warn', ...env },
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const waitFor = async (text: string, timeoutMs = 60_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!out.includes(text)) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`server exited: ${out}`);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`server did not print "${text}": ${out}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    child,
    output: () => out,
    waitFor,
    ready: async (timeoutMs = 60_000) => {
      await waitFor('Waymark is running at', timeoutMs);
      return running(
        child,
        env['WAYMARK_ADMIN_KEY'] ?? readFileSync(join(dataDir, 'admin.key'), 'utf8').trim(),
        port,
        () => out,
      );
    },
  };
}

function running(child: ChildProcess, key: string, port: number, out: () => string): ServerProcess {
  return {
    url: `http://127.0.0.1:${port}`,
    key,
    child,
    output: out,
    kill: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

export async function api(
  s: { url: string; key: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${s.key}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Polls `fn` (sync or async) every `pollMs` until it gives a value; fails naming what it waited for. */
export async function until<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 30_000,
  pollMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * A port nothing listens on right now, so tests never collide with local services. Picked at
 * random below the kernel's ephemeral range (32768 and up on Linux), where the source ports of the
 * other test processes' connections cannot take it between this check and the bind that follows;
 * the kernel's pick when none is found there.
 */
// The kernel may also hand the same ephemeral port to two successive listen(0) calls once the first
// is closed; a test that asks for three ports (server, SMTP, loyalty) then binds two things to one.
const portsHandedOut = new Set<number>();

export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (portsHandedOut.has(port) || !(await canListen(port))) continue;
    portsHandedOut.add(port);
    return port;
  }
  for (;;) {
    const port = await kernelPort();
    if (portsHandedOut.has(port)) continue;
    portsHandedOut.add(port);
    return port;
  }
}

async function canListen(port: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function kernelPort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
