// Start-up: `waymark serve --demo` from the built package (dist/, what `npm pack` ships) until
// /healthz answers, on a data folder a first start made (the restart people do every day), against
// the floor of the same machine in the same run: a bare Node process that serves /healthz. The
// clone's start through tsx is reported beside it, so the build's gain is visible.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { figure, percentile, sleep, type Figure } from './figures.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));

export interface StartupOptions {
  /** Measured starts of each kind (the median is reported). */
  readonly runs: number;
  readonly log?: (line: string) => void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Milliseconds from spawning `argv` until GET /healthz on `port` answers 200; the process is then stopped. */
async function timeToHealthy(argv: readonly string[], port: number): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, argv, {
    cwd: repo,
    stdio: ['ignore', 'ignore', 'pipe'],
    // bin/waymark.js runs the sources whatever the caller's WAYMARK_RUN_DIST says.
    env: { ...process.env, WAYMARK_LOG_LEVEL: 'warn', WAYMARK_RUN_DIST: '0' },
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited: ${err}`);
      try {
        const r = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (r.ok) return performance.now() - t0;
      } catch {
        // not listening yet
      }
      if (performance.now() - t0 > 120_000) throw new Error(`no /healthz in 120 s: ${err}`);
      await sleep(5);
    }
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

const floorScript = `require('node:http').createServer((q, s) => s.end('{"ok":true}')).listen(Number(process.argv[1]), '127.0.0.1')`;

export async function benchStartup(opts: StartupOptions): Promise<Figure[]> {
  const log = opts.log ?? (() => undefined);
  // Under `npm test` the test command has just built dist/ and other test files' servers run it:
  // built again in place, it would be gone from under them for a second.
  if (process.env.WAYMARK_RUN_DIST !== '1') {
    const { buildDist } = await import('../scripts/build-dist.mjs');
    await buildDist();
  }
  const data = mkdtempSync(join(tmpdir(), 'waymark-bench-startup-'));
  // The same ports at every start, as a user's restart has: the demo applied is then unchanged.
  const [port, loyaltyPort, smtpPort] = [await freePort(), await freePort(), await freePort()];
  const serve = async (entry: string): Promise<number> => {
    const argv = [entry, 'serve', '--demo', '--data', data, '--port', String(port)];
    return timeToHealthy(
      [...argv, '--loyalty-port', String(loyaltyPort), '--smtp-port', String(smtpPort)],
      port,
    );
  };
  try {
    const first = await serve('dist/waymark.js');
    log(`first start (keys, demo users, demo applied): ${Math.round(first)} ms`);
    const built: number[] = [];
    const sources: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      floor.push(await timeToHealthy(['-e', floorScript, String(port)], port));
      built.push(await serve('dist/waymark.js'));
      sources.push(await serve('bin/waymark.js'));
      log(
        `run ${i + 1}: built ${Math.round(built[i]!)} ms, sources ${Math.round(sources[i]!)} ms, bare node ${Math.round(floor[i]!)} ms`,
      );
    }
    const median = (xs: number[]): number => percentile(xs, 50);
    const baseline = { name: 'bare Node serving /healthz', value: median(floor), unit: 'ms' };
    return [
      figure({
        name: 'startup.serve.ready',
        value: median(built),
        unit: 'ms',
        baseline,
        targets: [{ op: '<=', value: 1000, of: 'value' }],
        note: `median of ${opts.runs} restarts of the built package with --demo on a data folder; the first start took ${Math.round(first)} ms`,
      }),
      figure({
        name: 'startup.serve.ready.fromSources',
        value: median(sources),
        unit: 'ms',
        baseline,
        note: 'the clone: bin/waymark.js compiling src/ through tsx',
      }),
    ];
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}
