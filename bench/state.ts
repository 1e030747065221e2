// Memory with many profiles in flight, and the start-up time of `waymark serve` on that state. The
// state is built by a child process (bench/fill-state.ts) so that its resident memory is its own;
// then `waymark serve` starts on the same data folder, and is timed until it answers /healthz.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runChild } from './child.ts';
import { figure, sleep, type Figure } from './figures.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MiB = 1024 * 1024;
/** How long `waymark serve` gets to answer /healthz before the figure is reported as not ready. */
const READY_TIMEOUT_MS = 120_000;

interface FillReport {
  profiles: number;
  entered: number;
  seconds: number;
  /** Once settled (the process idle, its heap given back). */
  rss: number;
  /** Right after the fill, after a GC. */
  afterFillRss: number;
  settleSeconds: number;
  peakRss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  dbBytes: number;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

/** Starts `waymark serve` on `dir` and times it until /healthz answers; returns its memory once ready. */
async function startServe(
  dir: string,
  holdMs: number,
): Promise<{ readyMs: number | null; listeningMs: number; rss: number; rssAfter: number }> {
  const t0 = performance.now();
  // The embedded development SMTP server, where this version has one, would need a free port.
  const smtp = readFileSync(join(root, 'src/cli/commands/serve.ts'), 'utf8').includes(
    "'--smtp-port",
  )
    ? ['--smtp-port', '0']
    : [];
  const child = spawn(
    process.execPath,
    ['bin/waymark.js', 'serve', '--data', dir, '--port', '0', ...smtp],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        WAYMARK_LOG_LEVEL: 'warn',
        WAYMARK_ADMIN_KEY: 'bench-admin-key-0123456789abcdef',
      },
    },
  );
  try {
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`waymark serve did not start in 60 s: ${err.slice(-2000)}`)),
        60_000,
      );
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /running at (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`waymark serve exited ${code}: ${err.slice(-2000)}`));
      });
    });
    const listeningMs = performance.now() - t0;
    let readyMs: number | null = null;
    while (performance.now() - t0 < READY_TIMEOUT_MS) {
      const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) {
        readyMs = performance.now() - t0;
        break;
      }
      await sleep(5);
    }
    const rss = rssOf(child.pid!);
    await sleep(holdMs);
    return { readyMs, listeningMs, rss, rssAfter: rssOf(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => {
      if (child.exitCode !== null) resolve(null);
      else child.once('exit', resolve);
    });
  }
}

export interface StateBenchOptions {
  readonly profiles: number;
  /** The longest the filling process's resident size is given to settle (30 s when absent). */
  readonly settleSeconds?: number;
  /** When the server's memory is read after /healthz answers (1 s when absent). */
  readonly serveHoldSeconds?: number;
}

export async function benchState(opts: StateBenchOptions): Promise<Figure[]> {
  const settleMs = Math.round((opts.settleSeconds ?? 30) * 1000);
  const holdMs = Math.round((opts.serveHoldSeconds ?? 1) * 1000);
  const dir = mkdtempSync(join(tmpdir(), 'waymark-state-'));
  try {
    const fill = JSON.parse(
      await runChild([
        '--expose-gc',
        '--import',
        'tsx',
        'bench/fill-state.ts',
        dir,
        String(opts.profiles),
        String(settleMs),
      ]),
    ) as FillReport;
    if (fill.entered !== opts.profiles)
      throw new Error(`expected ${opts.profiles} profiles in flight, found ${fill.entered}`);
    const serve = await startServe(dir, holdMs);
    const inFlight = `${fill.profiles} profiles in flight (checked out, waiting on the purchase event), ${(fill.dbBytes / MiB).toFixed(0)} MiB on disk`;
    return [
      figure({
        name: 'memory.rss.inFlight',
        value: fill.rss / MiB,
        unit: 'MiB',
        targets: [{ op: '<=', value: 512, of: 'value' }],
        note: `${inFlight}; resident memory of the process that ingested them, once idle (settled after ${fill.settleSeconds} s; V8 heap ${(fill.heapUsed / MiB).toFixed(0)} MiB used of ${(fill.heapTotal / MiB).toFixed(0)} MiB, external ${(fill.external / MiB).toFixed(0)} MiB); instance state lives in SQLite, not in the heap`,
      }),
      figure({
        name: 'memory.rss.fill',
        value: fill.afterFillRss / MiB,
        unit: 'MiB',
        note: `the same process right after the fill, after a GC, before V8 gave back what the ingest burst grew its heap by (peak during the fill ${(fill.peakRss / MiB).toFixed(0)} MiB)`,
      }),
      figure({
        name: 'memory.fill.throughput',
        value: fill.profiles / fill.seconds,
        unit: 'events/s',
        note: 'checkouts ingested while filling (500 per call)',
      }),
      figure({
        name: 'startup.serve.ready',
        value: serve.readyMs,
        unit: 'ms',
        note: `\`waymark serve\` (bin/waymark.js through tsx) on that data folder, from spawn to /healthz answering; listening after ${serve.listeningMs.toFixed(0)} ms${serve.readyMs === null ? `; /healthz did not answer within ${READY_TIMEOUT_MS / 1000} s (the event loop was busy)` : ''}`,
      }),
      figure({
        name: 'memory.rss.serve',
        value: serve.rssAfter / MiB,
        unit: 'MiB',
        note: `the server ${serve.readyMs === null ? `${READY_TIMEOUT_MS / 1000} s after start (not ready)` : `${holdMs / 1000} s after ready`} on that state (${(serve.rss / MiB).toFixed(0)} MiB ${serve.readyMs === null ? 'then' : 'at ready'})`,
      }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
