// The semantics of a commit batch, written once for both adapters. A batch (../ports/batch.ts) is
// applied all or nothing as an ordered list of writes, one per group of rows; each adapter executes
// the list through its own small executor (sqlite/commit.ts: a prepared statement per row, in one
// transaction; postgres/commit.ts: a multi-row statement per write, the unordered ones together).
//
// What both executors share, decided here:
// - The order of the groups: events, dead letters (added, then marked replayed), profiles, their
//   identities, instances, timers (removed, then added), outbox items (added, done, retried),
//   counters, messages, test-trace lines, then stitching (one merge after the other), erasure,
//   memberships (removed, then upserted) and audience jobs.
// - What writing one row twice within a group leaves (`grouped` plans fold the rows into it, for
//   an executor that writes a group as one statement, which may not touch a row twice): events,
//   dead letters and trace lines are appended; a profile keeps its creation time and takes the
//   rest from its last write; an identity names the last profile written with it; an instance keeps
//   where and when it entered (sandbox, journey, version, profile, entry) and takes its status,
//   state and exit from its last write; a timer is replaced by its last write; an outbox item added
//   twice keeps its first write (add-or-ignore); retries add up their attempts and keep the last
//   time and error; counters add up (a journey-level counter's node is ''); a message keeps where it
//   came from and when it was created and takes its outcome from its last write; a membership and
//   an audience job take their last write (a null job state deletes the job).
// - Which writes must run after the ones before them (`ordered`): a timer removed and added again,
//   an outbox item added and finished in one batch, stitching, erasure, and the membership and job
//   writes of a batch that stitches, erases or empties audiences. The other writes do not depend on
//   one another's effects and may run together (on PostgreSQL: as one statement).
// - The columns each write derives: rows are written in key order in grouped plans (concurrent
//   writers lock rows in the same order); the partition of each row is its profile's (instances,
//   memberships, audience timers) or its instance's (timers, outbox items), see each adapter.
// The dialects differ only in how (SQL text, parameters, the partition lookups, fencing).
import type { InstanceState } from '../../journey/instance.ts';
import type { CommitBatch } from '../ports/batch.ts';
import type { ProfileWrite } from '../ports/profiles.ts';

type Rows<K extends keyof CommitBatch> = NonNullable<CommitBatch[K]>;

/** An identity a profile write names (the identities table). */
export interface IdentityWrite {
  readonly sandbox: string;
  readonly namespace: string;
  readonly value: string;
  readonly profileId: string;
}
/** An instance write: `first` is what an insert writes, `last` what an existing row takes (the same state unless folded). */
export interface InstanceWrite {
  readonly sandbox: string;
  readonly first: InstanceState;
  readonly last: InstanceState;
}
/** A failed attempt: `tries` attempts are added (1 unless folded). */
export interface RetryWrite {
  readonly id: string;
  readonly nextAttemptAt: number;
  readonly error: string;
  readonly tries: number;
}
/** A counter increment; `node` is '' for a journey-level counter. */
export interface CounterWrite {
  readonly sandbox: string;
  readonly journeyId: string;
  readonly version: number;
  readonly node: string;
  readonly metric: string;
  readonly delta: number;
}

/** One write of a batch. `ordered`: it must run after the writes planned before it, on its own. */
export type BatchWrite = { readonly ordered: boolean } & (
  | { readonly kind: 'events'; readonly rows: Rows<'events'> }
  | { readonly kind: 'deadLetters'; readonly rows: Rows<'deadLetters'> }
  | { readonly kind: 'deadLettersReplayed'; readonly rows: Rows<'deadLettersReplayed'> }
  | { readonly kind: 'profiles'; readonly rows: readonly ProfileWrite[] }
  | { readonly kind: 'identities'; readonly rows: readonly IdentityWrite[] }
  | { readonly kind: 'instances'; readonly rows: readonly InstanceWrite[] }
  | { readonly kind: 'timersRemove'; readonly ids: readonly string[] }
  | { readonly kind: 'timersAdd'; readonly rows: Rows<'timersAdd'> }
  | { readonly kind: 'outboxAdd'; readonly rows: Rows<'outboxAdd'> }
  | { readonly kind: 'outboxDone'; readonly ids: readonly string[] }
  | { readonly kind: 'outboxRetry'; readonly rows: readonly RetryWrite[] }
  | { readonly kind: 'counters'; readonly rows: readonly CounterWrite[] }
  | { readonly kind: 'messages'; readonly rows: Rows<'messages'> }
  | { readonly kind: 'testTrace'; readonly rows: Rows<'testTrace'> }
  | { readonly kind: 'profileMerge'; readonly merge: Rows<'profileMerges'>[number] }
  | { readonly kind: 'profileDeletes'; readonly rows: Rows<'profileDeletes'> }
  | { readonly kind: 'membershipsRemove'; readonly rows: Rows<'membershipsRemove'> }
  | { readonly kind: 'memberships'; readonly rows: Rows<'memberships'> }
  | { readonly kind: 'audienceJobs'; readonly rows: Rows<'audienceJobs'> }
  | { readonly kind: 'suppressions'; readonly rows: Rows<'suppressions'> }
  | { readonly kind: 'webhookDeliveries'; readonly rows: Rows<'webhookDeliveries'> }
  | { readonly kind: 'landingPageCounters'; readonly rows: Rows<'landingPageCounters'> }
  | { readonly kind: 'inApp'; readonly rows: Rows<'inApp'> }
);

/**
 * The writes of a batch, in order. `grouped`: the executor writes each group as one statement, so
 * rows written twice are folded (module comment) and put in key order, and `ordered` is computed;
 * otherwise rows stay as the batch gives them (one statement each, in order, gives the same result)
 * and every write is `ordered`.
 */
export function planBatch(b: CommitBatch, opts: { readonly grouped: boolean }): BatchWrite[] {
  const g = opts.grouped;
  const out: BatchWrite[] = [];
  const may = (ordered: boolean): boolean => !g || ordered;
  if (b.events?.length) out.push({ kind: 'events', rows: b.events, ordered: may(false) });
  if (b.deadLetters?.length)
    out.push({ kind: 'deadLetters', rows: b.deadLetters, ordered: may(false) });
  if (b.deadLettersReplayed?.length) {
    const rows = g ? fold(b.deadLettersReplayed, (x) => k(x.id)) : b.deadLettersReplayed;
    out.push({ kind: 'deadLettersReplayed', rows, ordered: may(false) });
  }
  if (b.profiles?.length) {
    const rows = g
      ? fold(
          b.profiles,
          (x) => k(x.sandbox, x.id),
          (prev, next) => ({
            ...prev,
            attributes: next.attributes,
            identities: next.identities,
            testProfile: next.testProfile,
            updatedAt: next.updatedAt,
          }),
        )
      : b.profiles;
    out.push({ kind: 'profiles', rows, ordered: may(false) });
    const identities: IdentityWrite[] = [];
    for (const p of b.profiles)
      for (const i of p.identities)
        identities.push({
          sandbox: p.sandbox,
          namespace: i.namespace,
          value: i.id,
          profileId: p.id,
        });
    if (identities.length > 0) {
      const rows = g ? fold(identities, (x) => k(x.sandbox, x.namespace, x.value)) : identities;
      out.push({ kind: 'identities', rows, ordered: may(false) });
    }
  }
  if (b.instances?.length) {
    const writes = b.instances.map((x) => ({ sandbox: x.sandbox, first: x.state, last: x.state }));
    const rows = g
      ? fold(
          writes,
          (x) => k(x.last.id),
          (prev, next) => ({ ...prev, last: next.last }),
        )
      : writes;
    out.push({ kind: 'instances', rows, ordered: may(false) });
  }
  // A timer removed and added again in one batch: the removal must come first.
  const timersOrdered =
    g &&
    !disjoint(
      b.timersRemove ?? [],
      (b.timersAdd ?? []).map((t) => t.id),
    );
  if (b.timersRemove?.length)
    out.push({ kind: 'timersRemove', ids: b.timersRemove, ordered: may(timersOrdered) });
  if (b.timersAdd?.length) {
    const rows = g ? fold(b.timersAdd, (x) => k(x.id)) : b.timersAdd;
    out.push({ kind: 'timersAdd', rows, ordered: may(timersOrdered) });
  }
  const outboxOrdered =
    g &&
    !disjoint(
      (b.outboxAdd ?? []).map((o) => o.id),
      b.outboxDone ?? [],
      (b.outboxRetry ?? []).map((r) => r.id),
    );
  if (b.outboxAdd?.length) {
    // Add-or-ignore: the first write stays.
    const rows = g
      ? fold(
          b.outboxAdd,
          (x) => k(x.id),
          (prev) => prev,
        )
      : b.outboxAdd;
    out.push({ kind: 'outboxAdd', rows, ordered: may(outboxOrdered) });
  }
  if (b.outboxDone?.length)
    out.push({ kind: 'outboxDone', ids: b.outboxDone, ordered: may(outboxOrdered) });
  if (b.outboxRetry?.length) {
    const writes = b.outboxRetry.map((x) => ({ ...x, tries: 1 }));
    const rows = g
      ? fold(
          writes,
          (x) => k(x.id),
          (prev, next) => ({ ...next, tries: prev.tries + 1 }),
        )
      : writes;
    out.push({ kind: 'outboxRetry', rows, ordered: may(outboxOrdered) });
  }
  if (b.counters?.length) {
    const writes = b.counters.map((x) => ({ ...x, node: x.node ?? '' }));
    const rows = g
      ? fold(
          writes,
          (x) => k(x.sandbox, x.journeyId, x.version, x.node, x.metric),
          (prev, next) => ({ ...prev, delta: prev.delta + next.delta }),
        )
      : writes;
    out.push({ kind: 'counters', rows, ordered: may(false) });
  }
  if (b.messages?.length) {
    const rows = g
      ? fold(
          b.messages,
          (x) => k(x.id),
          (prev, next) => ({
            ...prev,
            status: next.status,
            reason: next.reason,
            recipient: next.recipient,
            subject: next.subject,
            body: next.body,
            text: next.text,
            payload: next.payload,
            updatedAt: next.updatedAt,
          }),
        )
      : b.messages;
    out.push({ kind: 'messages', rows, ordered: may(false) });
  }
  // Appended in the batch's order.
  if (b.testTrace?.length) out.push({ kind: 'testTrace', rows: b.testTrace, ordered: may(false) });
  // Stitching, one merge after the other (a chain a→b, b→c must end on c): the absorbed profile's
  // history, identities and instances (with their timers and outbox items) move to the survivor;
  // its memberships, audience timer and row go.
  for (const merge of b.profileMerges ?? [])
    out.push({ kind: 'profileMerge', merge, ordered: true });
  const audienceOrdered = Boolean(
    b.profileMerges?.length || b.profileDeletes?.length || b.membershipsRemove?.length,
  );
  // Erasure on request: everything keyed by the profile, including its instances' timers and pending effects.
  if (b.profileDeletes?.length)
    out.push({ kind: 'profileDeletes', rows: b.profileDeletes, ordered: may(audienceOrdered) });
  if (b.membershipsRemove?.length)
    out.push({
      kind: 'membershipsRemove',
      rows: b.membershipsRemove,
      ordered: may(audienceOrdered),
    });
  if (b.memberships?.length) {
    const rows = g
      ? fold(b.memberships, (x) => k(x.sandbox, x.audience, x.profileId))
      : b.memberships;
    out.push({ kind: 'memberships', rows, ordered: may(audienceOrdered) });
  }
  if (b.audienceJobs?.length) {
    const rows = g ? fold(b.audienceJobs, (x) => k(x.sandbox, x.id)) : b.audienceJobs;
    out.push({ kind: 'audienceJobs', rows, ordered: may(audienceOrdered) });
  }
  // Suppressions touch no other group's rows; the last write of an address wins.
  if (b.suppressions?.length) {
    const rows = g
      ? fold(b.suppressions, (x) => k(x.sandbox, x.channel, x.address))
      : b.suppressions;
    out.push({ kind: 'suppressions', rows, ordered: may(false) });
  }
  // Webhook deliveries touch no other group's rows; the last write of a delivery wins.
  if (b.webhookDeliveries?.length) {
    const rows = g ? fold(b.webhookDeliveries, (x) => k(x.sandbox, x.id)) : b.webhookDeliveries;
    out.push({ kind: 'webhookDeliveries', rows, ordered: may(false) });
  }
  // Landing pages' counters touch no other group's rows; deltas of one counter add up.
  if (b.landingPageCounters?.length) {
    const rows = g
      ? fold(
          b.landingPageCounters,
          (x) => k(x.sandbox, x.slug, x.subPage, x.metric),
          (prev, next) => ({ ...prev, delta: prev.delta + next.delta }),
        )
      : b.landingPageCounters;
    out.push({ kind: 'landingPageCounters', rows, ordered: may(false) });
  }
  // The in-app inbox: its writes depend on one another (a put, then its withdrawal), so in order, alone.
  if (b.inApp?.length) out.push({ kind: 'inApp', rows: b.inApp, ordered: true });
  return out;
}

/** Folds rows by key in sequence: `merge(previous, next)` is what applying `next` after `previous` leaves. Returned in key order. */
function fold<T>(
  rows: readonly T[],
  key: (r: T) => string,
  merge: (prev: T, next: T) => T = (_p, n) => n,
): T[] {
  const byKey = new Map<string, T>();
  for (const r of rows) {
    const k = key(r);
    const prev = byKey.get(k);
    byKey.set(k, prev === undefined ? r : merge(prev, r));
  }
  return [...byKey.keys()].sort(byteOrder).map((k) => byKey.get(k)!);
}

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
const k = (...parts: unknown[]): string => JSON.stringify(parts);

const disjoint = (...sets: ReadonlyArray<readonly string[]>): boolean => {
  const seen = new Set<string>();
  for (const set of sets) {
    for (const id of new Set(set)) {
      if (seen.has(id)) return false;
      seen.add(id);
    }
  }
  return true;
};
