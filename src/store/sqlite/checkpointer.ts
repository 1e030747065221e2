// WAL checkpoints off the writer's thread. SQLite's automatic checkpoint runs inside the commit that
// crosses the threshold: that commit copies the whole WAL into the database and fsyncs it, tens of
// milliseconds during which no event is taken (measured: every p99 above 30 ms in the latency
// benchmarks came from it; without it p99 was 2 to 3 ms). Here a worker thread with its own
// connection runs a PASSIVE checkpoint every `intervalMs`: it copies what was committed since the
// last one while the writer goes on appending, and the writer restarts the WAL from the beginning
// once a checkpoint has caught up. The writer's own automatic checkpoint stays on as the bound on
// the WAL when writes never pause (it then has only the frames this thread has not copied yet),
// and is all there is if the worker fails.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
let stopping = false;
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { if (!stopping) throw e; }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  stopping = true;
  clearInterval(timer);
  db.close();
  parentPort.postMessage('stopped');
});
parentPort.postMessage('ready');
`;

export interface CheckpointerOptions {
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
      workerData: { path, driver, intervalMs: opts.intervalMs },
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
