// An ingest worker thread (started by pool.ts through tsx): checks and fingerprints the events of
// each request it is sent, against the catalog named by its token (sent along the first time).
import { parentPort } from 'node:worker_threads';
import type { CheckCatalog } from '../ingest.ts';
import { checkAhead, compileCheckCatalog } from './event-checks.ts';
import type { WorkerAnswer, WorkerRequest } from './protocol.ts';

/** Catalogs compiled here, by token; a few are kept (one per sandbox in use, and the one before a change). */
const CATALOGS_KEPT = 64;
const catalogs = new Map<number, CheckCatalog>();

const port = parentPort;
if (!port) throw new Error('check-worker.ts runs as a worker thread');

port.on('message', (req: WorkerRequest) => {
  let answer: WorkerAnswer;
  try {
    let catalog = catalogs.get(req.token);
    if (!catalog && req.spec) {
      catalog = compileCheckCatalog(req.spec);
      catalogs.set(req.token, catalog);
      if (catalogs.size > CATALOGS_KEPT) catalogs.delete(catalogs.keys().next().value!);
    }
    answer = catalog
      ? { id: req.id, kind: 'checked', checks: checkAhead(req.raws, catalog) }
      : { id: req.id, kind: 'needsCatalog' };
  } catch (e) {
    answer = { id: req.id, kind: 'failed', message: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(answer);
});
port.postMessage({ id: 0, kind: 'ready' } satisfies WorkerAnswer);
