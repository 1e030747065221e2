// The ingest workers: threads that check and fingerprint a request's events (event-checks.ts) while
// the writer's thread steps and commits the requests before it, so that the second core takes a
// share of each event's CPU. A request is sent to a worker as soon as it arrives; the writer, when
// the request's turn comes, takes the answer (usually there already) instead of checking in
// process. Anything that goes wrong (a worker not started yet or gone, events that cannot be
// copied to a thread) answers null, and the writer checks in process: the same functions, so
// the same results either way.
import { Worker } from 'node:worker_threads';
import { CHECK_WORKER_ENTRY, RUNS_BUILT } from '../../package-files.ts';
import type { CheckCatalog } from '../ingest.ts';
import { checkCatalogSpec, type CheckedAhead } from './event-checks.ts';
import type { WorkerAnswer, WorkerRequest } from './protocol.ts';

/** Requests with fewer events are checked in process: the trip to a thread would cost more than it saves. */
export const WORKER_MIN_EVENTS = 16;

/**
 * WAYMARK_WORKERS when set, else none: on 2 cores a worker made ingest slower (0.18 of raw SQLite
 * against 0.27 without, BENCHMARKS.md 2026-12-03 18:53), the writer, the checkpoint thread and GC
 * already using both. Turn them on where a measurement shows a gain.
 */
export const defaultWorkerCount = (): number => {
  const env = process.env['WAYMARK_WORKERS'];
  return env !== undefined && env !== '' ? Number(env) : 0;
};

export interface IngestWorkerSettings {
  /** Worker threads (0: everything in process). */
  readonly size: number;
  /** Requests with fewer events are checked in process. */
  readonly minEvents: number;
}

// Loads the worker: the built file as it is, the TypeScript source through tsx (as bin/waymark.js
// loads the server from a clone).
const bootstrap = `
const { workerData } = require('node:worker_threads');
(workerData.tsx
  ? import(workerData.tsx).then(({ register }) => register())
  : Promise.resolve()
).then(() => import(workerData.entry));
`;

interface Thread {
  readonly worker: Worker;
  ready: boolean;
  /** Catalog tokens this thread was sent. */
  readonly catalogs: Set<number>;
}

interface Pending {
  readonly thread: Thread;
  readonly request: WorkerRequest;
  readonly catalog: CheckCatalog;
  readonly resolve: (checks: readonly CheckedAhead[] | null) => void;
  resent: boolean;
}

const tokens = new WeakMap<CheckCatalog, number>();
let lastToken = 0;
const tokenOf = (catalog: CheckCatalog): number => {
  let t = tokens.get(catalog);
  if (t === undefined) {
    t = ++lastToken;
    tokens.set(catalog, t);
  }
  return t;
};

export class IngestWorkers {
  private threads: Thread[] = [];
  private started = false;
  private next = 0;
  private lastId = 0;
  private readonly pending = new Map<number, Pending>();
  private readyWaiters: Array<() => void> = [];
  /** Events checked by a worker (for tests and the benchmark note). */
  checkedByWorkers = 0;

  constructor(readonly settings: IngestWorkerSettings) {}

  /** Whether a request of this many events goes to a worker. */
  wants(events: number): boolean {
    return this.settings.size > 0 && events >= this.settings.minEvents;
  }

  /** Starts the threads (at the first request otherwise) and waits until one can take work; false when there are none. */
  async ready(): Promise<boolean> {
    if (this.settings.size === 0) return false;
    this.start();
    if (this.threads.some((t) => t.ready)) return true;
    if (this.threads.length === 0) return false;
    await new Promise<void>((resolve) => this.readyWaiters.push(resolve));
    return this.threads.some((t) => t.ready);
  }

  /** The checks of these events, from a worker; null when no worker can take them now. */
  check(catalog: CheckCatalog, raws: readonly unknown[]): Promise<readonly CheckedAhead[] | null> {
    this.start();
    const ready = this.threads.filter((t) => t.ready);
    if (ready.length === 0) return Promise.resolve(null);
    const thread = ready[this.next++ % ready.length]!;
    const token = tokenOf(catalog);
    const request: WorkerRequest = {
      id: ++this.lastId,
      token,
      ...(thread.catalogs.has(token) ? {} : { spec: checkCatalogSpec(catalog) }),
      raws,
    };
    return new Promise((resolve) => {
      try {
        thread.worker.postMessage(request);
      } catch {
        resolve(null); // something in the events cannot be copied to a thread
        return;
      }
      thread.catalogs.add(token);
      this.pending.set(request.id, { thread, request, catalog, resolve, resent: false });
    });
  }

  /** Stops the threads; requests waiting on them are checked in process. */
  async close(): Promise<void> {
    const threads = this.threads;
    this.threads = [];
    this.settle(null);
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private start(): void {
    if (this.started || this.settings.size === 0) return;
    this.started = true;
    const workerData = {
      tsx: RUNS_BUILT ? null : import.meta.resolve('tsx/esm/api'),
      entry: CHECK_WORKER_ENTRY,
    };
    for (let i = 0; i < this.settings.size; i++) {
      const thread: Thread = {
        worker: new Worker(bootstrap, { eval: true, workerData }),
        ready: false,
        catalogs: new Set(),
      };
      // The threads never keep a process alive (CLI commands, tests): a request waiting on one is
      // awaited by the writer, whose caller holds the process (a server, a command's own work).
      thread.worker.unref();
      thread.worker.on('message', (a: WorkerAnswer) => this.answer(thread, a));
      thread.worker.on('error', () => this.lose(thread));
      thread.worker.on('exit', () => this.lose(thread));
      this.threads.push(thread);
    }
  }

  private answer(thread: Thread, a: WorkerAnswer): void {
    if (a.kind === 'ready') {
      thread.ready = true;
      this.wakeReadyWaiters();
      return;
    }
    const p = this.pending.get(a.id);
    if (!p) return;
    if (a.kind === 'needsCatalog' && !p.resent) {
      // The thread let this catalog go: the same request again, with it.
      p.resent = true;
      thread.worker.postMessage({ ...p.request, spec: checkCatalogSpec(p.catalog) });
      return;
    }
    this.done(a.id, a.kind === 'checked' ? a.checks : null);
  }

  private done(id: number, checks: readonly CheckedAhead[] | null): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (checks) this.checkedByWorkers += checks.length;
    p.resolve(checks);
  }

  /** A thread that failed or exited: its requests are checked in process, and it takes no more. */
  private lose(thread: Thread): void {
    this.threads = this.threads.filter((t) => t !== thread);
    for (const [id, p] of this.pending) if (p.thread === thread) this.done(id, null);
    if (!this.threads.some((t) => t.ready)) this.wakeReadyWaiters();
  }

  private settle(checks: null): void {
    for (const id of [...this.pending.keys()]) this.done(id, checks);
    this.wakeReadyWaiters();
  }

  private wakeReadyWaiters(): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w();
  }
}

const shared = new Map<string, { pool: IngestWorkers; users: number }>();

/**
 * The process's ingest workers for these settings, shared by the engines in the process that ask
 * for the same (test processes build many), started at their first request; `release` when an
 * engine closes: the threads stop when the last one has.
 */
export function sharedIngestWorkers(settings: IngestWorkerSettings): {
  readonly pool: IngestWorkers;
  release(): Promise<void>;
} {
  const key = `${settings.size}/${settings.minEvents}`;
  let entry = shared.get(key);
  if (!entry) {
    entry = { pool: new IngestWorkers(settings), users: 0 };
    shared.set(key, entry);
  }
  entry.users++;
  const mine = entry;
  let released = false;
  return {
    pool: mine.pool,
    async release() {
      if (released) return;
      released = true;
      if (--mine.users > 0) return;
      if (shared.get(key) === mine) shared.delete(key);
      await mine.pool.close();
    },
  };
}
