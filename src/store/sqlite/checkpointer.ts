// WAL checkpoints off the writer's thread. SQLite's automatic checkpoint runs inside the commit that
// crosses the threshold: that commit copies the whole WAL into the database and fsyncs it, tens of
// milliseconds during which no event is taken (measured: every p99 above 30 ms in the latency
// benchmarks came from it; without it p99 was 2 to 3 ms). Here a worker thread with its own
// connection runs a PASSIVE checkpoint every ACTIVE_MS while the WAL grows (every `intervalMs` once
// it stops): it copies what was committed since the last one while the writer goes on appending,
// and the writer restarts the WAL from the beginning once a checkpoint has caught up. Small, frequent
// checkpoints catch up between two commits often enough that under steady load the WAL restarts
// before the writer's own automatic checkpoint is due; at 250 ms they did not, and that checkpoint
// (the rest of the WAL copied, the database file synced, inside a commit) stalled the writer 20 to
// 60 ms every half second at 5,000 events/s (BENCHMARKS.md, 2026-12-06 13:30). The writer's own
// checkpoint stays on as the bound on the WAL when writes never pause, and is all there is if the
// worker fails.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
let stopping = false;
let timer = null;
let lastLog = -1;
const checkpoint = () => {
  let next = workerData.intervalMs;
  try {
    const row = db.pragma('wal_checkpoint(PASSIVE)')[0];
    if (row && row.log !== lastLog) next = workerData.activeMs;
    if (row) lastLog = row.log;
  } catch (e) {
    if (!stopping) throw e;
  }
  if (!stopping) timer = setTimeout(checkpoint, next);
};
timer = setTimeout(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  stopping = true;
  clearTimeout(timer);
  db.close();
  parentPort.postMessage('stopped');
});
parentPort.postMessage('ready');
`;

/** How often checkpoints run while the WAL grows (`intervalMs` once it stops growing). */
export const ACTIVE_MS = 25;

export interface CheckpointerOptions {
  /** How often a checkpoint runs once the WAL has stopped growing (ACTIVE_MS while it grows). */
  readonly intervalMs: number;
  /** Called once if the worker fails (checkpoints are then left to the writer). */
  readonly onFailure: (error: Error) => void;
}

export class BackgroundCheckpointer {
  private readonly worker: Worker;
  private stopped = false;

  constructor(path: string, opts: CheckpointerOptions) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(workerSource, {
      eval: true,
      workerData: {
        path,
        driver,
        intervalMs: opts.intervalMs,
        activeMs: Math.min(ACTIVE_MS, opts.intervalMs),
      },
    });
    // The worker must not keep a process alive that is otherwise done (CLI commands, tests).
    this.worker.unref();
    const fail = (error: Error): void => {
      if (!this.stopped) {
        this.stopped = true;
        opts.onFailure(error);
      }
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) =>
      fail(new Error(`the checkpoint worker exited with code ${code}`)),
    );
  }

  /** Stops the worker after its current checkpoint; the store's close then checkpoints what is left. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const done = new Promise<void>((resolve) => {
      const timeout = setTimeout(resolve, 2000);
      this.worker.on('message', (m) => {
        if (m === 'stopped') {
          clearTimeout(timeout);
          resolve();
        }
      });
      this.worker.once('exit', () => {
        clearTimeout(timeout);
        resolve();
      });
    });
    this.worker.postMessage('stop');
    await done;
    await this.worker.terminate();
  }
}
