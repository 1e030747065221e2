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
runStoreContract(
  'sqlite on disk, commits on their own thread',
  async () =>
    new SqliteStore(join(mkdtempSync(join(tmpdir(), 'waymark-store-')), 'waymark.db'), {
      commitThread: true,
    }),
);
