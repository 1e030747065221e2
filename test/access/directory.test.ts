// The directory's contract on both stores: SQLite, and PostgreSQL (a fresh schema at 127.0.0.1:5432).
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { openPostgresTestStore } from '../support/test-store.ts';
import { runDirectoryContract } from './directory-contract.ts';

runDirectoryContract('sqlite', async () => new SqliteStore(':memory:'));
runDirectoryContract('postgresql', () => openPostgresTestStore('waymark_directory'));
