// The storage limit: the same rows the engine committed, written straight to SQLite with prepared
// statements, one transaction per engine batch, every value serialized beforehand. No reads, no
// routing, no step: what the disk and SQLite allow for this workload on this machine.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { CommitBatch } from '../src/store/ports.ts';
import { encodeOutboxPayload, encodeTimer } from '../src/store/records/index.ts';
import { sqlitePragmas } from '../src/store/sqlite/pragmas.ts';
import { migrations } from '../src/store/sqlite/schema.ts';
import { registerSqliteFunctions } from '../src/store/sqlite/functions.ts';

const SQL = {
  event:
    'INSERT INTO events (sandbox, event_id, type, profile_id, payload, received_at) VALUES (?, ?, ?, ?, ?, ?)',
  profile: `INSERT INTO profiles (sandbox, id, attributes, identities, test, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (sandbox, id) DO UPDATE SET attributes = excluded.attributes, identities = excluded.identities, test = excluded.test, updated_at = excluded.updated_at`,
  identity:
    'INSERT INTO identities (sandbox, namespace, value, profile_id) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET profile_id = excluded.profile_id',
  instance: `INSERT INTO instances (id, sandbox, journey_id, version, profile_id, status, state, entered_at, exited_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET status = excluded.status, state = excluded.state, exited_at = excluded.exited_at`,
  timerRemove: 'DELETE FROM timers WHERE id = ?',
  timerAdd:
    'INSERT OR REPLACE INTO timers (id, sandbox, instance_id, due_at, record) VALUES (?, ?, ?, ?, ?)',
  outboxAdd:
    'INSERT OR IGNORE INTO outbox (id, sandbox, kind, instance_id, journey_id, version, payload, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  outboxDone: 'DELETE FROM outbox WHERE id = ?',
  counter: `INSERT INTO counters (sandbox, journey_id, version, node, metric, value) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (sandbox, journey_id, version, node, metric) DO UPDATE SET value = value + excluded.value`,
  membership: `INSERT INTO memberships (sandbox, audience, profile_id, status, realized_at, exited_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (sandbox, audience, profile_id) DO UPDATE SET status = excluded.status, realized_at = excluded.realized_at, exited_at = excluded.exited_at`,
  membershipRemove: 'DELETE FROM memberships WHERE sandbox = ? AND audience = ? AND profile_id = ?',
  jobPut:
    'INSERT INTO audience_jobs (sandbox, id, state) VALUES (?, ?, ?) ON CONFLICT (sandbox, id) DO UPDATE SET state = excluded.state',
  jobDelete: 'DELETE FROM audience_jobs WHERE sandbox = ? AND id = ?',
  message: `INSERT INTO messages (id, sandbox, journey_id, version, node, label, instance_id, profile_id, channel, recipient, status, reason, subject, body, text, payload, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`,
} as const;

type Op = readonly [keyof typeof SQL, readonly unknown[]];

const known = new Set([
  'events',
  'deadLetters',
  'deadLettersReplayed',
  'profiles',
  'instances',
  'timersAdd',
  'timersRemove',
  'outboxAdd',
  'outboxDone',
  'outboxRetry',
  'counters',
  'messages',
  'memberships',
  'membershipsRemove',
  'audienceJobs',
]);

/** Kinds of rows in these batches that the baseline does not write (so its figure would flatter it). */
export function unknownKinds(batches: readonly CommitBatch[]): string[] {
  const out = new Set<string>();
  for (const b of batches)
    for (const [k, v] of Object.entries(b))
      if (!known.has(k) && Array.isArray(v) && v.length > 0) out.add(k);
  return [...out].sort();
}

/** The rows of one committed batch, as statement arguments (serialized now, outside the timing). */
export function rowsOf(b: CommitBatch): Op[] {
  const ops: Op[] = [];
  for (const e of b.events ?? [])
    ops.push([
      'event',
      [e.sandbox, e.eventId, e.type, e.profileId, JSON.stringify(e.payload), e.receivedAt],
    ]);
  for (const p of b.profiles ?? []) {
    ops.push([
      'profile',
      [
        p.sandbox,
        p.id,
        JSON.stringify(p.attributes),
        JSON.stringify(p.identities),
        p.testProfile ? 1 : 0,
        p.createdAt,
        p.updatedAt,
      ],
    ]);
    for (const i of p.identities) ops.push(['identity', [p.sandbox, i.namespace, i.id, p.id]]);
  }
  for (const { sandbox, state: i } of b.instances ?? [])
    ops.push([
      'instance',
      [
        i.id,
        sandbox,
        i.journeyId,
        i.version,
        i.profileId,
        i.status,
        JSON.stringify(i),
        i.enteredAt,
        i.exitedAt ?? null,
      ],
    ]);
  for (const id of b.timersRemove ?? []) ops.push(['timerRemove', [id]]);
  for (const t of b.timersAdd ?? []) {
    const e = encodeTimer(t);
    ops.push(['timerAdd', [t.id, t.sandbox, e.instanceId, t.dueAt, JSON.stringify(e.record)]]);
  }
  for (const o of b.outboxAdd ?? [])
    ops.push([
      'outboxAdd',
      [
        o.id,
        o.sandbox,
        o.kind,
        o.instanceId,
        o.journeyId,
        o.version,
        JSON.stringify(encodeOutboxPayload(o)),
        o.attempts,
        o.nextAttemptAt,
        o.createdAt,
      ],
    ]);
  for (const id of b.outboxDone ?? []) ops.push(['outboxDone', [id]]);
  for (const c of b.counters ?? [])
    ops.push(['counter', [c.sandbox, c.journeyId, c.version, c.node ?? '', c.metric, c.delta]]);
  for (const r of b.membershipsRemove ?? [])
    if (r.profileId !== undefined)
      ops.push(['membershipRemove', [r.sandbox, r.audience, r.profileId]]);
  for (const m of b.memberships ?? [])
    ops.push([
      'membership',
      [m.sandbox, m.audience, m.profileId, m.status, m.realizedAt, m.exitedAt],
    ]);
  for (const j of b.audienceJobs ?? [])
    ops.push(
      j.state === null
        ? ['jobDelete', [j.sandbox, j.id]]
        : ['jobPut', [j.sandbox, j.id, JSON.stringify(j.state)]],
    );
  for (const m of b.messages ?? []) {
    ops.push([
      'message',
      [
        m.id,
        m.sandbox,
        m.journeyId,
        m.version,
        m.node,
        m.label,
        m.instanceId,
        m.profileId,
        m.channel,
        m.recipient,
        m.status,
        m.reason,
        m.subject,
        m.body,
        m.text,
        JSON.stringify(m.payload),
        m.createdAt,
        m.updatedAt,
      ],
    ]);
  }
  return ops;
}

export interface RawResult {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly rows: number;
  readonly transactions: number;
}

/**
 * The rows of the batches, in order, cut into equal transactions of `eventsPerTransaction` events'
 * worth of rows: the raw baseline's transactions then do not depend on how the engine grouped its
 * commits (smaller transactions slow the baseline down and would flatter the ratio).
 */
export function rowsInTransactionsOf(
  batches: readonly CommitBatch[],
  eventsPerTransaction: number,
): Op[][] {
  const all = batches.flatMap(rowsOf);
  const events = batches.reduce((n, b) => n + (b.events?.length ?? 0), 0);
  const transactions = Math.max(1, Math.ceil(events / eventsPerTransaction));
  const size = Math.ceil(all.length / transactions);
  const out: Op[][] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size));
  return out;
}

/** Writes the rows (one transaction per batch) into a fresh database in `dir`, with the store's settings; `before`, untimed, first. */
export function writeRaw(
  batches: readonly (readonly Op[])[],
  dir: string,
  before: readonly (readonly Op[])[] = [],
): RawResult {
  const path = join(dir, 'raw-baseline.db');
  rmSync(path, { force: true });
  const db = new Database(path);
  try {
    for (const p of sqlitePragmas) db.pragma(p);
    registerSqliteFunctions(db);
    for (const m of migrations) db.exec(m);
    const stmts = Object.fromEntries(
      Object.entries(SQL).map(([k, sql]) => [k, db.prepare(sql)]),
    ) as Record<keyof typeof SQL, Database.Statement>;
    const tx = db.transaction((ops: readonly Op[]) => {
      for (const [k, args] of ops) stmts[k].run(...args);
    });
    for (const ops of before) tx(ops);
    let rows = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const ops of batches) {
      tx(ops);
      rows += ops.length;
    }
    const cpu = process.cpuUsage(c0);
    return {
      seconds: (performance.now() - t0) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      rows,
      transactions: batches.length,
    };
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  }
}
