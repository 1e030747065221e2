// The partition of every row a commit batch writes, and the lease check (fencing) of a fleet engine.
// A profile's partition is fixed at its creation (src/shared/partition.ts): a new profile takes its
// first identity's; an existing one keeps what is stored (read once, then cached: it never changes,
// stitching deletes the absorbed profile). Instances, memberships and audience timers take their
// profile's partition; timers and outbox items their instance's; other timers (jobs) hash their id.
// And the partitions of stored profiles by identity (routing: PostgresPartitions).
import type pg from 'pg';
import { ErrorCode, WaymarkError } from '../../errors.ts';
import { LruMap } from '../../shared/lru.ts';
import { partitionOfKey, partitionOfProfile } from '../../shared/partition.ts';
import type { CommitBatch, PartitionOwnership, PartitionRepository, TimerRow } from '../ports.ts';
import { jobTimerId } from '../records/index.ts';
import type { PostgresContext } from './context.ts';

type Query = (sql: string, params: unknown[]) => Promise<pg.QueryResult>;

/** Partitions of what one batch writes. */
export interface BatchPartitions {
  profile(sandbox: string, id: string): number;
  /** By instance id (instances of the batch and those read for its timers and outbox items). */
  instance(id: string): number;
  timer(t: TimerRow): number;
  /** Every partition the batch adds rows to. */
  readonly touched: ReadonlySet<number>;
}

const pk = (sandbox: string, id: string): string => `${sandbox}\u0000${id}`;

export class PartitionResolver {
  private readonly profiles = new LruMap<string, number>(200_000);
  private instances = new LruMap<string, number>(200_000);

  async resolve(b: CommitBatch, query: Query): Promise<BatchPartitions> {
    // Stitching moves the absorbed profile's instances to the survivor's partition: read them again.
    if (b.profileMerges?.length) this.instances = new LruMap<string, number>(200_000);
    const profileOf = new Map<string, number>();
    const instanceOf = new Map<string, number>();
    // Profiles to read: those written, and the owners of the batch's instances, memberships and audience timers.
    const wanted = new Map<string, { sandbox: string; id: string }>();
    // A profile the batch creates takes its first identity's partition: nothing to read.
    for (const p of b.profiles ?? [])
      if (p.created) profileOf.set(pk(p.sandbox, p.id), partitionOfProfile(p));
    const want = (sandbox: string, id: string): void => {
      const key = pk(sandbox, id);
      if (profileOf.has(key)) return;
      const cached = this.profiles.get(key);
      if (cached !== undefined) profileOf.set(key, cached);
      else wanted.set(key, { sandbox, id });
    };
    for (const p of b.profiles ?? []) want(p.sandbox, p.id);
    for (const i of b.instances ?? []) want(i.sandbox, i.state.profileId);
    for (const m of b.memberships ?? []) want(m.sandbox, m.profileId);
    for (const t of b.timersAdd ?? []) if (t.kind === 'audience') want(t.sandbox, t.profileId);
    for (const m of b.profileMerges ?? []) want(m.sandbox, m.into);
    if (wanted.size > 0) {
      const list = [...wanted.values()];
      const { rows } = await query(
        `SELECT p.sandbox, p.id, p.partition FROM profiles p JOIN unnest($1::text[], $2::text[]) AS u(s, id) ON p.sandbox = u.s AND p.id = u.id`,
        [list.map((x) => x.sandbox), list.map((x) => x.id)],
      );
      for (const r of rows as Array<{ sandbox: string; id: string; partition: number }>)
        profileOf.set(pk(r.sandbox, r.id), r.partition);
    }
    // Profiles not stored yet: created by this batch, from their first identity.
    for (const p of b.profiles ?? []) {
      const key = pk(p.sandbox, p.id);
      if (!profileOf.has(key)) profileOf.set(key, partitionOfProfile(p));
    }
    for (const [key, part] of profileOf) this.profiles.set(key, part);
    // A profile merged away by this batch: its rows (instances stopped or moved, memberships) end in the survivor's partition.
    const mergedInto = new Map((b.profileMerges ?? []).map((m) => [pk(m.sandbox, m.from), m.into]));
    const profile = (sandbox: string, id: string): number => {
      let key = pk(sandbox, id);
      for (let hops = 0; mergedInto.has(key) && hops < 16; hops++)
        key = pk(sandbox, mergedInto.get(key)!);
      return profileOf.get(key) ?? partitionOfKey(key.slice(sandbox.length + 1));
    };
    for (const i of b.instances ?? []) {
      const part = profile(i.sandbox, i.state.profileId);
      instanceOf.set(i.state.id, part);
      this.instances.set(i.state.id, part);
    }
    // Instances of timers and outbox items not in the batch: their stored partition.
    const missing = new Set<string>();
    const needInstance = (id: string): void => {
      if (instanceOf.has(id)) return;
      const cached = this.instances.get(id);
      if (cached !== undefined) instanceOf.set(id, cached);
      else missing.add(id);
    };
    for (const t of b.timersAdd ?? []) if (t.kind === 'instance') needInstance(t.instanceId);
    for (const o of b.outboxAdd ?? []) needInstance(o.instanceId);
    if (missing.size > 0) {
      const { rows } = await query(
        'SELECT id, partition FROM instances WHERE id = ANY($1::text[])',
        [[...missing]],
      );
      for (const r of rows as Array<{ id: string; partition: number }>) {
        instanceOf.set(r.id, r.partition);
        this.instances.set(r.id, r.partition);
      }
    }
    const instance = (id: string): number => instanceOf.get(id) ?? partitionOfKey(id);
    const timer = (t: TimerRow): number => {
      switch (t.kind) {
        case 'instance':
          return instance(t.instanceId);
        case 'audience':
          return profile(t.sandbox, t.profileId);
        case 'job':
          return t.partition ?? partitionOfKey(jobTimerId(t.sandbox, t.jobId));
      }
    };
    const touched = new Set<number>();
    // A profile merged away by this batch is not written in its partition (it is deleted): its lease is fenced instead (checkLeases).
    for (const p of b.profiles ?? [])
      if (!mergedInto.has(pk(p.sandbox, p.id))) touched.add(profile(p.sandbox, p.id));
    for (const i of b.instances ?? []) touched.add(instance(i.state.id));
    for (const m of b.memberships ?? []) touched.add(profile(m.sandbox, m.profileId));
    // Job timers (read-audience runs, batch schedules) are a sandbox's, not a profile's: any engine
    // may (re)schedule one (the same row), and the owner of its partition fires it. A job's share of
    // one partition (fleet mode's read-audience shares) is that partition's, fenced like its rows.
    for (const t of b.timersAdd ?? [])
      if (t.kind !== 'job' || t.partition !== undefined) touched.add(timer(t));
    for (const o of b.outboxAdd ?? []) touched.add(instance(o.instanceId));
    for (const m of b.profileMerges ?? []) touched.add(profile(m.sandbox, m.into));
    return { profile, instance, timer, touched };
  }
}

/**
 * Fencing: inside the commit's transaction, the leases of every partition the batch writes (rows it
 * adds, and the timers and outbox items it removes or retries) are read with FOR SHARE: a change of
 * owner (which updates the lease row) waits for this commit, and a commit after a change of owner
 * sees the new epoch and fails. A stale engine's commit is refused; nobody retries it: the new
 * owner works from what is stored.
 */
export async function checkLeases(
  query: Query,
  b: CommitBatch,
  parts: BatchPartitions,
  own: PartitionOwnership,
): Promise<void> {
  const removed = b.timersRemove ?? [];
  const outbox = [...(b.outboxDone ?? []), ...(b.outboxRetry ?? []).map((r) => r.id)];
  // The partitions of profiles merged away (stitching): fenced below rather than required (their
  // timers and outbox items the batch removes are in them, as long as the merge has not moved them).
  const merges = b.profileMerges ?? [];
  const absorbed =
    merges.length === 0
      ? []
      : (
          (
            await query(
              `SELECT DISTINCT p.partition FROM profiles p JOIN unnest($1::text[], $2::text[]) AS u(s, id) ON p.sandbox = u.s AND p.id = u.id`,
              [merges.map((m) => m.sandbox), merges.map((m) => m.from)],
            )
          ).rows as Array<{ partition: number }>
        )
          .map((r) => r.partition)
          .filter((p) => !parts.touched.has(p) && !own.epochs.has(p));
  const { rows } = await query(
    `SELECT l.partition, l.owner, l.epoch FROM partition_leases l WHERE l.partition IN (
      SELECT unnest($1::smallint[])
      UNION SELECT partition FROM timers WHERE id = ANY($2::text[])
      UNION SELECT partition FROM outbox WHERE id = ANY($3::text[])
    ) AND l.partition <> ALL($4::smallint[]) ORDER BY l.partition FOR SHARE`,
    [[...parts.touched], removed, outbox, absorbed],
  );
  const lost = (rows as Array<{ partition: number; owner: string | null; epoch: number }>)
    .filter((r) => r.owner !== own.owner || own.epochs.get(r.partition) !== Number(r.epoch))
    .map((r) => r.partition);
  if (lost.length > 0) throw leaseLost(lost, own);
  // Stitching across partitions: this engine owns the survivor's partition; the absorbed profile's
  // may be another engine's. Its lease gets a new epoch here (waiting for that engine's commits in
  // progress): whatever the other engine read of the absorbed profile before this merge can no
  // longer commit, and it takes the partition again from what is stored (leases.ts).
  if (absorbed.length > 0) {
    await query(
      'UPDATE partition_leases SET epoch = epoch + 1 WHERE owner IS DISTINCT FROM $2 AND partition = ANY($1::smallint[])',
      [absorbed, own.owner],
    );
  }
}

/** A commit refused because this engine no longer holds these partitions' leases. */
function leaseLost(lost: readonly number[], own: PartitionOwnership): WaymarkError {
  return new WaymarkError(
    ErrorCode.Conflict,
    `this engine no longer holds the lease of partition${lost.length > 1 ? 's' : ''} ${lost.join(', ')}: the commit is refused (the new owner works from what is stored)`,
    {
      // Retryable: work of the partitions still held that shared the commit goes through on its retry; that of the lost ones fails again here.
      // retryAfterMs: an outbox item whose completion shared the refused commit is tried again at once (finished from its recorded send), not after a backoff.
      retryable: true,
      details: { partitions: [...lost], engine: own.owner, retryAfterMs: 200 },
    },
  );
}

/**
 * The lease check as the main query of a commit's one statement (the writes are its CTEs), for a
 * batch that merges no profiles: waymark_fence (schema.ts) locks and checks the same leases as
 * checkLeases, and a lost one raises, rolling the whole statement back. The partitions of the
 * timers and outbox items removed are read here, in the statement's snapshot, which the CTEs'
 * deletes do not change.
 */
export function fenceStatement(
  b: CommitBatch,
  parts: BatchPartitions,
  own: PartitionOwnership,
): { sql: string; params: unknown[] } {
  const held = [...own.epochs.keys()].sort((x, y) => x - y);
  return {
    sql: `SELECT waymark_fence(ARRAY(SELECT unnest($1::smallint[])
      UNION SELECT partition FROM timers WHERE id = ANY($2::text[])
      UNION SELECT partition FROM outbox WHERE id = ANY($3::text[])), $4::text, $5::smallint[], $6::bigint[])`,
    params: [
      [...parts.touched],
      b.timersRemove ?? [],
      [...(b.outboxDone ?? []), ...(b.outboxRetry ?? []).map((r) => r.id)],
      own.owner,
      held,
      held.map((p) => own.epochs.get(p)!),
    ],
  };
}

/** The refusal waymark_fence raised (SQLSTATE WMLST, the lost partitions as its message), as checkLeases throws it. */
export function fenceRefusal(e: unknown, own: PartitionOwnership): WaymarkError | null {
  const err = e as { code?: unknown; message?: unknown } | null;
  if (err?.code !== 'WMLST' || typeof err.message !== 'string') return null;
  return leaseLost(err.message.split(',').map(Number), own);
}

/** Partitions of stored profiles (routing events to the owner of their partition). */
export class PostgresPartitions implements PartitionRepository {
  constructor(private readonly db: PostgresContext) {}

  async identityPartitions(
    sandbox: string,
    identities: ReadonlyArray<{ readonly namespace: string; readonly value: string }>,
  ): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (identities.length === 0) return out;
    const rows = await this.db.rows<{ namespace: string; value: string; partition: number }>(
      `SELECT i.namespace, i.value, p.partition FROM identities i
      JOIN unnest($2::text[], $3::text[]) AS u(n, v) ON i.sandbox = $1 AND i.namespace = u.n AND i.value = u.v
      JOIN profiles p ON p.sandbox = i.sandbox AND p.id = i.profile_id`,
      [sandbox, identities.map((i) => i.namespace), identities.map((i) => i.value)],
    );
    for (const r of rows) out.set(`${r.namespace}\u0000${r.value}`, r.partition);
    return out;
  }
}
