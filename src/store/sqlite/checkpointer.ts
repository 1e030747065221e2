// WAL checkpoints off the writer's thread. SQLite's automatic checkpoint runs inside the commit that
// crosses the threshold: that commit copies the whole WAL into the database and fsyncs it, tens of
// milliseconds during which no event is taken (measured: every p99 above 30 ms in the latency
// benchmarks came from it; without it p99 was 2 to 3 ms). Here a worker thread with its own
// connection runs a PASSIVE checkpoint every `intervalMs`: it copies what was committed since the
// last one while the writer goes on appending, and the writer restarts the WAL from the beginning
// once a checkpoint has caught up. The writer's own automatic checkpoint stays on as the bound on
// the WAL when writes never pause (it then has only the frames this thread has not copied yet),
// and is all there is if the worker fails. Under steady load the 250 ms checkpoints never catch up
// (the writer appends while they copy), so that bound is what restarts the WAL, stalling the writer
// 20 to 60 ms every half second at 5,000 single-event requests a second. While commits are small,
// checkpoints therefore run every 25 ms as long as the WAL grows: one catches up between two
// commits often enough that the WAL restarts first. While they are large (bulk loads, timer
// bursts), that cadence cost 13 to 20% of the throughput, so it stays at `intervalMs`
// (BENCHMARKS.md, 2026-12-06).
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
let small = false;
const checkpoint = () => {
  let next = workerData.intervalMs;
  try {
    const row = db.pragma('wal_checkpoint(PASSIVE)')[0];
    if (small && row && row.log !== lastLog) next = workerData.smallCommitsMs;
    if (row) lastLog = row.log;
  } catch (e) {
    if (!stopping) throw e;
  }
  if (!stopping) timer = setTimeout(checkpoint, next);
};
timer = setTimeout(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (typeof m === 'object' && m !== null && 'small' in m) {
    small = m.small === true;
    return;
  }
  if (m !== 'stop') return;
  stopping = true;
  clearTimeout(timer);
  db.close();
  parentPort.postMessage('stopped');
});
parentPort.postMessage('ready');
`;

/** How often checkpoints run while the WAL grows under small commits. */
export const SMALL_COMMITS_MS = 25;
/** Commits of fewer statements than this, on average, are small (about 40 events or fewer). */
export const SMALL_COMMIT_STATEMENTS = 512;
/** How many recent commits the average weighs (an exponential average). */
const AVERAGE_OVER = 16;

/** Whether recent commits are small: an exponential average of their statements. */
export class CommitPace {
  private average = SMALL_COMMIT_STATEMENTS;
  small = false;

  /** Counts a commit in; true when that changed whether commits are small. */
  saw(statements: number): boolean {
    this.average += (statements - this.average) / AVERAGE_OVER;
    const small = this.average < SMALL_COMMIT_STATEMENTS;
    if (small === this.small) return false;
    this.small = small;
    return true;
  }
}

export interface CheckpointerOptions {
  /** How often a checkpoint runs, unless commits are small and the WAL grows (SMALL_COMMITS_MS). */
  readonly intervalMs: number;
  /** Called once if the worker fails (checkpoints are then left to the writer). */
  readonly onFailure: (error: Error) => void;
}

export class BackgroundCheckpointer {
  private readonly worker: Worker;
  private stopped = false;
  private readonly pace = new CommitPace();

  constructor(path: string, opts: CheckpointerOptions) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(workerSource, {
      eval: true,
      workerData: {
        path,
        driver,
        intervalMs: opts.intervalMs,
        smallCommitsMs: Math.min(SMALL_COMMITS_MS, opts.intervalMs),
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

  /**
   * Told of each commit's size. While commits are small (requests answered one by one, where a
   * stall is felt), checkpoints run every SMALL_COMMITS_MS as long as the WAL grows; while they are
   * large (a bulk load, a timer burst), every `intervalMs`, since the frequent ones cost throughput.
   */
  sawCommit(statements: number): void {
    if (this.stopped || !this.pace.saw(statements)) return;
    this.worker.postMessage({ small: this.pace.small });
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
