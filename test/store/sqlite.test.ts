import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { runStoreContract } from './contract.ts';

runStoreContract('sqlite in memory', async () => new SqliteStore(':memory:'));
runStoreContract(
  'sqlite on disk (WAL)',
  async () => new SqliteStore(join(mkdtempSync(join(tmpdir(), 'waymark-store-')), 'waymark.db')),
);
// Every commit on the thread, however small (by default only large ones go there).
runStoreContract(
  'sqlite on disk, commits on their own thread',
  async () =>
    new SqliteStore(join(mkdtempSync(join(tmpdir(), 'waymark-store-')), 'waymark.db'), {
      commitThread: { minStatements: 0 },
    }),
);
