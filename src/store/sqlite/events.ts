// Stored experience events and dead letters on the embedded store (tables events, dead_letters).
import type Database from 'better-sqlite3';
import type { BusinessEventRow, DeadLetter, EventRepository, ProfileEventRow } from '../ports.ts';
import { readTransaction, type ReadTransaction } from './read-transaction.ts';
import { toDeadLetter, type DeadLetterRow } from './rows.ts';

export class SqliteEvents implements EventRepository {
  private readonly stmts: ReturnType<typeof prepare>;
  private readonly read: ReadTransaction;

  constructor(db: Database.Database) {
    this.stmts = prepare(db);
    this.read = readTransaction(db);
  }

  async hasEvent(sandbox: string, eventId: string): Promise<boolean> {
    return this.stmts.hasEvent.get(sandbox, eventId) !== undefined;
  }
  async eventFingerprints(
    sandbox: string,
    eventIds: readonly string[],
  ): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    this.read(() => {
      for (const id of eventIds) {
        const row = this.stmts.eventFingerprint.get(sandbox, id) as
          { fingerprint: string | null } | undefined;
        if (row) out.set(id, row.fingerprint);
      }
    });
    return out;
  }
  async seenEvents(sandbox: string, eventIds: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    this.read(() => {
      for (const id of eventIds)
        if (this.stmts.hasEvent.get(sandbox, id) !== undefined) out.add(id);
    });
    return out;
  }
  async profileEvents(
    sandbox: string,
    profileId: string,
    o: { types: readonly string[] | null; since: number | null },
  ): Promise<ProfileEventRow[]> {
    const rows = this.stmts.events.all(
      sandbox,
      profileId,
      o.since ?? Number.MIN_SAFE_INTEGER,
    ) as Array<{ type: string; received_at: number; payload: string }>;
    const types = o.types === null ? null : new Set(o.types);
    const out: ProfileEventRow[] = [];
    for (const r of rows)
      if (types === null || types.has(r.type))
        out.push({ type: r.type, at: r.received_at, payload: JSON.parse(r.payload) as unknown });
    return out;
  }
  async businessEvents(
    sandbox: string,
    o: { types: readonly string[]; since: number; limit: number },
  ): Promise<BusinessEventRow[]> {
    if (o.types.length === 0) return [];
    const types = new Set(o.types);
    const rows = this.stmts.businessEvents.all(sandbox, o.since) as Array<{
      event_id: string;
      type: string;
      received_at: number;
      payload: string;
      fingerprint: string | null;
    }>;
    const out: BusinessEventRow[] = [];
    for (const r of rows) {
      if (!types.has(r.type)) continue;
      out.push({
        eventId: r.event_id,
        type: r.type,
        at: r.received_at,
        payload: JSON.parse(r.payload) as unknown,
        fingerprint: r.fingerprint,
      });
      if (out.length === o.limit) break;
    }
    return out;
  }
  async eventsOfProfiles(
    sandbox: string,
    o: {
      afterProfileId: string;
      toProfileId: string;
      types: readonly string[];
      since: number | null;
    },
  ): Promise<Array<ProfileEventRow & { profileId: string }>> {
    const rows = this.stmts.eventsOfProfiles.all(
      sandbox,
      o.afterProfileId,
      o.toProfileId,
      o.since ?? Number.MIN_SAFE_INTEGER,
    ) as Array<{ profile_id: string; type: string; received_at: number; payload: string }>;
    const types = new Set(o.types);
    const out: Array<ProfileEventRow & { profileId: string }> = [];
    for (const r of rows)
      if (types.has(r.type))
        out.push({
          profileId: r.profile_id,
          type: r.type,
          at: r.received_at,
          payload: JSON.parse(r.payload) as unknown,
        });
    return out;
  }
  async purgeEvents(sandbox: string, before: number): Promise<number> {
    return this.stmts.purgeEvents.run(sandbox, before).changes;
  }
  async getDeadLetter(sandbox: string, id: number): Promise<DeadLetter | null> {
    const r = this.stmts.getDeadLetter.get(sandbox, id) as DeadLetterRow | undefined;
    return r ? toDeadLetter(r) : null;
  }
  async listDeadLetters(sandbox: string, opts: { limit: number }): Promise<DeadLetter[]> {
    return (this.stmts.listDeadLetters.all(sandbox, opts.limit) as DeadLetterRow[]).map(
      toDeadLetter,
    );
  }
}

function prepare(db: Database.Database) {
  return {
    hasEvent: db.prepare('SELECT 1 FROM events WHERE sandbox = ? AND event_id = ?').pluck(),
    eventFingerprint: db.prepare(
      'SELECT fingerprint FROM events WHERE sandbox = ? AND event_id = ?',
    ),
    getDeadLetter: db.prepare('SELECT * FROM dead_letters WHERE sandbox = ? AND id = ?'),
    listDeadLetters: db.prepare(
      'SELECT * FROM dead_letters WHERE sandbox = ? ORDER BY id DESC LIMIT ?',
    ),
    events: db.prepare(
      'SELECT type, received_at, payload FROM events WHERE sandbox = ? AND profile_id = ? AND received_at >= ? ORDER BY received_at',
    ),
    businessEvents: db.prepare(
      "SELECT event_id, type, received_at, payload, fingerprint FROM events WHERE sandbox = ? AND profile_id = '' AND received_at >= ? ORDER BY received_at, event_id",
    ),
    eventsOfProfiles:
      db.prepare(`SELECT profile_id, type, received_at, payload FROM events INDEXED BY events_profile
        WHERE sandbox = ? AND profile_id > ? AND profile_id <= ? AND received_at >= ? ORDER BY profile_id, received_at`),
    purgeEvents: db.prepare('DELETE FROM events WHERE sandbox = ? AND received_at < ?'),
  };
}
