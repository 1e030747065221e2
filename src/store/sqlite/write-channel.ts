// Where the embedded store's writes run: on the store's own connection, in the caller's thread, or
// on a commit thread with a connection of its own. On the thread, a commit's statements (a third
// of the engine's CPU per event, measured in BENCHMARKS.md) leave the writer's thread, which reads
// and steps the next group meanwhile (the writer's pipelined mode: the store says its commits are
// asynchronous). Both run the same `WriteOp`s in one transaction, in the order they were sent, and
// the outbox's attempt marks take the same way, so that they never wait on the commit's lock.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { WRITE_SQL, type WriteKey, type WriteOp } from './write-sql.ts';

export interface WriteChannel {
  /**
   * Runs the statements in one transaction: all or none. `waited`: the caller does nothing until
   * they are done, so a channel with a thread may run them on the caller's.
   */
  write(ops: readonly WriteOp[], waited?: boolean): Promise<void>;
  /** Whether write() runs on another thread (the caller may prepare more work meanwhile). */
  threaded(): boolean;
  /** Waits for the writes sent and stops taking more. */
  close(): Promise<void>;
}

/** The writes on the store's own connection, in the caller's thread. */
export class InProcessWrites implements WriteChannel {
  readonly #tx: (ops: readonly WriteOp[]) => void;

  constructor(db: Database.Database) {
    const stmts = prepareAll(db);
    this.#tx = db.transaction((ops: readonly WriteOp[]) => {
      for (const op of ops) stmts[op.s].run(...op.a);
    });
  }

  async write(ops: readonly WriteOp[]): Promise<void> {
    if (ops.length > 0) this.#tx(ops);
  }
  threaded(): boolean {
    return false;
  }
  async close(): Promise<void> {}
}

function prepareAll(db: Database.Database): Record<WriteKey, Database.Statement> {
  const out = {} as Record<WriteKey, Database.Statement>;
  for (const key of Object.keys(WRITE_SQL) as WriteKey[]) out[key] = db.prepare(WRITE_SQL[key]);
  return out;
}

// Plain JavaScript, so that the thread starts without a TypeScript loader (as the checkpointer's).
const threadSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
for (const p of workerData.pragmas) db.pragma(p);
const stmts = {};
for (const [key, sql] of Object.entries(workerData.sql)) stmts[key] = db.prepare(sql);
const tx = db.transaction((ops) => { for (const op of ops) stmts[op.s].run(...op.a); });
parentPort.on('message', (m) => {
  if (m === 'stop') { db.close(); parentPort.postMessage({ stopped: true }); return; }
  try { tx(m.ops); parentPort.postMessage({ id: m.id }); }
  catch (e) { parentPort.postMessage({ id: m.id, error: { message: String(e && e.message), code: e && e.code } }); }
});
`;

interface ThreadAnswer {
  readonly id?: number;
  readonly stopped?: true;
  readonly error?: { readonly message: string; readonly code?: string };
}

/**
 * Commits of fewer statements run on the store's own connection when nothing waits on the thread.
 * A small commit (single events arriving one by one) gains little from the thread and pays its
 * costs: the copy to the thread, and the store's connection reading again the pages the thread's
 * commit changed. At 5,000 single-event calls a second that lengthened the latency tail
 * (BENCHMARKS.md, 2026-12-06), while the large groups of a busy writer gained 14%.
 */
export const THREAD_MIN_STATEMENTS = 256;

/**
 * The writes on a commit thread (those of `minStatements` statements or more, and any sent while
 * the thread has writes to answer, so that they stay in order). If the thread fails, the writes
 * waiting on it fail with the reason, and later ones run on the store's connection (`fallback`),
 * with a warning.
 */
export class ThreadWrites implements WriteChannel {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  #next = 0;
  #lost: Error | null = null;
  #closed = false;
  #sentToThread = 0;

  constructor(
    path: string,
    pragmas: readonly string[],
    private readonly fallback: WriteChannel,
    private readonly warn: (message: string) => void,
    private readonly minStatements = THREAD_MIN_STATEMENTS,
  ) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(threadSource, {
      eval: true,
      workerData: { path, driver, pragmas, sql: WRITE_SQL },
    });
    // Like the checkpointer, the thread never keeps a process alive on its own: a write waiting on
    // it is awaited by a caller that does.
    this.#worker.unref();
    this.#worker.on('message', (a: ThreadAnswer) => this.#answer(a));
    this.#worker.on('error', (e: Error) => this.#lose(e));
    this.#worker.on('exit', (code) =>
      this.#lose(new Error(`the commit thread exited with code ${code}`)),
    );
  }

  /** Writes run on the thread so far (the others ran on the store's connection). */
  get sentToThread(): number {
    return this.#sentToThread;
  }

  write(ops: readonly WriteOp[], waited = false): Promise<void> {
    if (this.#closed)
      return Promise.reject(
        new Error('the store is closed: its commit thread takes no more writes'),
      );
    if (this.#lost) return this.fallback.write(ops);
    if (ops.length === 0) return Promise.resolve();
    // A commit the writer waits for (a timer batch, work run alone) gains nothing from the thread
    // and pays the copy, and the store's connection reading again what the thread changed:
    // timers fired 12-20% slower through it (BENCHMARKS.md, 2026-12-06 20:00).
    if ((waited || ops.length < this.minStatements) && this.#pending.size === 0)
      return this.fallback.write(ops);
    this.#sentToThread++;
    const id = this.#next++;
    return new Promise<void>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.ref();
      this.#worker.postMessage({ id, ops });
    });
  }

  threaded(): boolean {
    return this.#lost === null;
  }

  #answer(a: ThreadAnswer): void {
    if (a.id === undefined) return;
    const p = this.#pending.get(a.id);
    if (!p) return;
    this.#pending.delete(a.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (a.error) {
      const e = new Error(a.error.message) as Error & { code?: string };
      if (a.error.code !== undefined) e.code = a.error.code;
      p.reject(e);
    } else p.resolve();
  }

  #lose(e: Error): void {
    if (this.#lost) return;
    this.#lost = e;
    for (const p of this.#pending.values())
      p.reject(new Error(`the commit thread failed before answering: ${e.message}`));
    this.#pending.clear();
    // Terminated by close() once its writes were answered: nothing was lost.
    if (!this.#closed) this.warn(`SQLite commits are back on the writer's thread: ${e.message}`);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#lost) {
      this.#closed = true;
      return;
    }
    // Messages are handled in order: 'stop' comes after every write sent before it.
    const stopped = new Promise<void>((resolve) => {
      const timeout = setTimeout(resolve, 5000);
      this.#worker.on('message', (a: ThreadAnswer) => {
        if (a.stopped) {
          clearTimeout(timeout);
          resolve();
        }
      });
      this.#worker.once('exit', () => {
        clearTimeout(timeout);
        resolve();
      });
    });
    this.#closed = true;
    this.#worker.ref();
    this.#worker.postMessage('stop');
    await stopped;
    await this.#worker.terminate();
  }
}
