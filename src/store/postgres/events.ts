// Stored experience events and dead letters on PostgreSQL (tables events, dead_letters).
import type { BusinessEventRow, DeadLetter, EventRepository, ProfileEventRow } from '../ports.ts';
import { ms } from './commit.ts';
import type { PostgresContext } from './context.ts';
import { toDeadLetter, type DeadLetterRow } from './rows.ts';

export class PostgresEvents implements EventRepository {
  constructor(private readonly db: PostgresContext) {}

  async hasEvent(sandbox: string, eventId: string): Promise<boolean> {
    return (
      (
        await this.db.rows('SELECT 1 FROM events WHERE sandbox = $1 AND event_id = $2', [
          sandbox,
          eventId,
        ])
      ).length > 0
    );
  }
  async eventFingerprints(
    sandbox: string,
    eventIds: readonly string[],
  ): Promise<Map<string, string | null>> {
    if (eventIds.length === 0) return new Map();
    const rows = await this.db.rows<{ event_id: string; fingerprint: string | null }>(
      'SELECT event_id, fingerprint FROM events WHERE sandbox = $1 AND event_id = ANY($2::text[])',
      [sandbox, [...new Set(eventIds)]],
    );
    return new Map(rows.map((r) => [r.event_id, r.fingerprint]));
  }
  async seenEvents(sandbox: string, eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    return new Set(
      (
        await this.db.rows<{ event_id: string }>(
          'SELECT event_id FROM events WHERE sandbox = $1 AND event_id = ANY($2::text[])',
          [sandbox, [...new Set(eventIds)]],
        )
      ).map((r) => r.event_id),
    );
  }
  async profileEvents(
    sandbox: string,
    profileId: string,
    o: { types: readonly string[] | null; since: number | null },
  ): Promise<ProfileEventRow[]> {
    const rows = await this.db.rows<{ type: string; received_at: number; payload: unknown }>(
      `SELECT type, received_at, payload FROM events
      WHERE sandbox = $1 AND profile_id = $2 AND ($3::bigint IS NULL OR received_at >= $3) AND ($4::text[] IS NULL OR type = ANY($4))
      ORDER BY received_at, event_id`,
      [
        sandbox,
        profileId,
        o.since === null ? null : ms(o.since),
        o.types === null ? null : [...o.types],
      ],
    );
    return rows.map((r) => ({ type: r.type, at: r.received_at, payload: r.payload }));
  }
  async businessEvents(
    sandbox: string,
    o: { types: readonly string[]; since: number; limit: number },
  ): Promise<BusinessEventRow[]> {
    if (o.types.length === 0) return [];
    const rows = await this.db.rows<{
      event_id: string;
      type: string;
      received_at: number;
      payload: unknown;
      fingerprint: string | null;
    }>(
      `SELECT event_id, type, received_at, payload, fingerprint FROM events
      WHERE sandbox = $1 AND profile_id = '' AND received_at >= $2 AND type = ANY($3::text[])
      ORDER BY received_at, event_id LIMIT $4`,
      [sandbox, ms(o.since), [...o.types], o.limit],
    );
    return rows.map((r) => ({
      eventId: r.event_id,
      type: r.type,
      at: r.received_at,
      payload: r.payload,
      fingerprint: r.fingerprint,
    }));
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
    const rows = await this.db.rows<{
      profile_id: string;
      type: string;
      received_at: number;
      payload: unknown;
    }>(
      `SELECT profile_id, type, received_at, payload FROM events
      WHERE sandbox = $1 AND profile_id > $2 AND profile_id <= $3 AND ($4::bigint IS NULL OR received_at >= $4) AND type = ANY($5::text[])
      ORDER BY profile_id, received_at, event_id`,
      [
        sandbox,
        o.afterProfileId,
        o.toProfileId,
        o.since === null ? null : ms(o.since),
        [...o.types],
      ],
    );
    return rows.map((r) => ({
      profileId: r.profile_id,
      type: r.type,
      at: r.received_at,
      payload: r.payload,
    }));
  }
  async purgeEvents(sandbox: string, before: number): Promise<number> {
    return (
      (
        await this.db.pool.query('DELETE FROM events WHERE sandbox = $1 AND received_at < $2', [
          sandbox,
          ms(before),
        ])
      ).rowCount ?? 0
    );
  }
  async getDeadLetter(sandbox: string, id: number): Promise<DeadLetter | null> {
    const [r] = await this.db.rows<DeadLetterRow>(
      'SELECT * FROM dead_letters WHERE sandbox = $1 AND id = $2',
      [sandbox, id],
    );
    return r ? toDeadLetter(r) : null;
  }
  async listDeadLetters(sandbox: string, opts: { limit: number }): Promise<DeadLetter[]> {
    return (
      await this.db.rows<DeadLetterRow>(
        'SELECT * FROM dead_letters WHERE sandbox = $1 ORDER BY id DESC LIMIT $2',
        [sandbox, opts.limit],
      )
    ).map(toDeadLetter);
  }
}
