// Connection settings of the embedded store (also applied by the raw SQLite benchmark baseline).
// WAL with synchronous=NORMAL: a commit survives a crash of the process; the WAL is synced at each
// checkpoint. A file store checkpoints on a background thread (checkpointer.ts), so commits rarely
// wait for one; the writer's own checkpoint, every 10,000 pages (about 80 MiB) rather than SQLite's
// 1,000, bounds the WAL under sustained load (it then copies only what the thread has not); the
// WAL file is truncated back to 64 MiB afterwards. New databases use 8 KiB pages (journey
// instances and outbox rows are 1-2 KiB each; measured 1.3-1.6 times the write rate of 4 KiB pages);
// an existing database keeps the page size it was created with. A 64 MiB page cache keeps the indexes of
// the hot tables (identities, instances by profile, timers) in memory.
export const sqlitePragmas: readonly string[] = [
  'page_size = 8192',
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  'cache_size = -65536',
  'wal_autocheckpoint = 10000',
  'journal_size_limit = 67108864',
  'temp_store = MEMORY',
];
