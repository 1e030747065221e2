// Audiences on the embedded store: memberships, batch evaluation reads, audience jobs, sandbox settings.
import type Database from 'better-sqlite3';
import type { IdentityRef } from '../../model/profile.ts';
import { jsonPathOf, placeSubtree } from '../attribute-subtrees.ts';
import type { AudienceRepository, MembershipRow } from '../ports.ts';
import { toMember, toMembership, type MembershipDbRow } from './rows.ts';

/** Writes a sandbox setting (also used by a version change that carries one, journeys.ts). */
export const PUT_SETTING_SQL =
  'INSERT INTO sandbox_settings (sandbox, key, value) VALUES (?, ?, ?) ON CONFLICT (sandbox, key) DO UPDATE SET value = excluded.value';

export class SqliteAudiences implements AudienceRepository {
  private readonly stmts: ReturnType<typeof prepare>;

  constructor(private readonly db: Database.Database) {
    this.stmts = prepare(db);
  }

  async profileMemberships(sandbox: string, profileId: string): Promise<MembershipRow[]> {
    return (this.stmts.profileMemberships.all(sandbox, profileId) as MembershipDbRow[]).map((r) =>
      toMembership(sandbox, r),
    );
  }
  async audienceMembers(
    sandbox: string,
    audience: string,
    o: {
      status?: 'realized' | 'exited';
      afterProfileId?: string;
      realizedAfter?: number;
      partition?: number;
      limit: number;
    },
  ): Promise<Array<MembershipRow & { identities: IdentityRef[] }>> {
    const rows = this.stmts.members.all(
      sandbox,
      audience,
      o.afterProfileId ?? '',
      o.status ?? null,
      o.status ?? null,
      o.realizedAfter ?? null,
      o.realizedAfter ?? null,
      o.partition ?? null,
      o.partition ?? null,
      o.limit,
    ) as Array<MembershipDbRow & { identities: string | null }>;
    return rows.map((r) => toMember(sandbox, r));
  }
  async audienceSample(
    sandbox: string,
    audience: string,
    limit: number,
  ): Promise<Array<MembershipRow & { identities: IdentityRef[] }>> {
    const rows = this.stmts.sample.all(sandbox, audience, limit) as Array<
      MembershipDbRow & { identities: string | null }
    >;
    return rows.map((r) => toMember(sandbox, r));
  }
  async audienceSize(
    sandbox: string,
    audience: string,
  ): Promise<{ realized: number; exited: number }> {
    const rows = this.stmts.size.all(sandbox, audience) as Array<{ status: string; n: number }>;
    return {
      realized: rows.find((r) => r.status === 'realized')?.n ?? 0,
      exited: rows.find((r) => r.status === 'exited')?.n ?? 0,
    };
  }
  async scanAttributes(
    sandbox: string,
    o: { afterId?: string; limit: number; paths?: ReadonlyArray<readonly string[]> },
  ): Promise<Array<{ id: string; attributes: Readonly<Record<string, unknown>> }>> {
    const paths = o.paths;
    if (paths === undefined || paths.some((p) => p.length === 0)) {
      return (
        this.stmts.scanAttributes.all(sandbox, o.afterId ?? '', o.limit) as Array<{
          id: string;
          attributes: string;
        }>
      ).map((r) => ({ id: r.id, attributes: JSON.parse(r.attributes) as Record<string, unknown> }));
    }
    // SQLite extracts the subtrees (`->` gives JSON text, NULL when absent), so JavaScript parses a few bytes a profile, not the profile.
    const rows = this.#subtreeScan(paths.length)
      .raw()
      .all(...paths.map(jsonPathOf), sandbox, o.afterId ?? '', o.limit) as Array<
      Array<string | null>
    >;
    return rows.map((r) => {
      const attributes: Record<string, unknown> = {};
      for (let i = 0; i < paths.length; i++) {
        const text = r[i + 1];
        if (text !== null && text !== undefined)
          placeSubtree(attributes, paths[i]!, JSON.parse(text));
      }
      return { id: r[0] as string, attributes };
    });
  }
  async audienceStatuses(
    sandbox: string,
    audience: string,
    o: { afterProfileId: string; toProfileId: string },
  ): Promise<
    Array<{ profileId: string; status: 'realized' | 'exited'; realizedAt: number | null }>
  > {
    return (
      this.stmts.statuses.all(sandbox, audience, o.afterProfileId, o.toProfileId) as Array<{
        profile_id: string;
        status: 'realized' | 'exited';
        realized_at: number | null;
      }>
    ).map((r) => ({ profileId: r.profile_id, status: r.status, realizedAt: r.realized_at }));
  }
  async audienceJobs(
    sandbox?: string,
  ): Promise<Array<{ sandbox: string; id: string; state: unknown }>> {
    const rows = (
      sandbox === undefined ? this.stmts.allJobs.all() : this.stmts.jobs.all(sandbox)
    ) as Array<{ sandbox: string; id: string; state: string }>;
    return rows.map((r) => ({
      sandbox: r.sandbox,
      id: r.id,
      state: JSON.parse(r.state) as unknown,
    }));
  }
  async getSetting(sandbox: string, key: string): Promise<unknown> {
    const v = this.stmts.getSetting.get(sandbox, key) as string | undefined;
    return v === undefined ? undefined : (JSON.parse(v) as unknown);
  }
  async putSetting(sandbox: string, key: string, value: unknown): Promise<void> {
    this.stmts.putSetting.run(sandbox, key, JSON.stringify(value));
  }

  readonly #subtreeScans = new Map<number, Database.Statement>();
  #subtreeScan(n: number): Database.Statement {
    let st = this.#subtreeScans.get(n);
    if (!st) {
      const columns = Array.from({ length: n }, () => ', attributes -> ?').join('');
      st = this.db.prepare(
        `SELECT id${columns} FROM profiles WHERE sandbox = ? AND id > ? ORDER BY id LIMIT ?`,
      );
      this.#subtreeScans.set(n, st);
    }
    return st;
  }
}

function prepare(db: Database.Database) {
  return {
    // INDEXED BY: without statistics SQLite prefers the primary key's (sandbox) prefix here, a scan
    // of every membership in the sandbox on each event (quadratic under load: bench/journey.ts).
    profileMemberships: db.prepare(
      'SELECT profile_id, audience, status, realized_at, exited_at FROM memberships INDEXED BY memberships_profile WHERE sandbox = ? AND profile_id = ?',
    ),
    members:
      db.prepare(`SELECT m.profile_id, m.audience, m.status, m.realized_at, m.exited_at, p.identities FROM memberships m
        LEFT JOIN profiles p ON p.sandbox = m.sandbox AND p.id = m.profile_id
        WHERE m.sandbox = ? AND m.audience = ? AND m.profile_id > ? AND (? IS NULL OR m.status = ?) AND (? IS NULL OR m.realized_at > ?)
        AND (? IS NULL OR m.partition = ?)
        ORDER BY m.profile_id LIMIT ?`),
    // A uniform sample: SQLite keeps the `limit` smallest random keys while it reads the audience's rows once.
    sample:
      db.prepare(`SELECT m.profile_id, m.audience, m.status, m.realized_at, m.exited_at, p.identities FROM
        (SELECT * FROM memberships WHERE sandbox = ? AND audience = ? AND status = 'realized' ORDER BY random() LIMIT ?) m
        LEFT JOIN profiles p ON p.sandbox = m.sandbox AND p.id = m.profile_id ORDER BY m.profile_id`),
    size: db.prepare(
      'SELECT status, COUNT(*) AS n FROM memberships WHERE sandbox = ? AND audience = ? GROUP BY status',
    ),
    scanAttributes: db.prepare(
      'SELECT id, attributes FROM profiles WHERE sandbox = ? AND id > ? ORDER BY id LIMIT ?',
    ),
    statuses: db.prepare(
      'SELECT profile_id, status, realized_at FROM memberships WHERE sandbox = ? AND audience = ? AND profile_id > ? AND profile_id <= ? ORDER BY profile_id',
    ),
    jobs: db.prepare('SELECT sandbox, id, state FROM audience_jobs WHERE sandbox = ? ORDER BY id'),
    allJobs: db.prepare('SELECT sandbox, id, state FROM audience_jobs ORDER BY sandbox, id'),
    getSetting: db
      .prepare('SELECT value FROM sandbox_settings WHERE sandbox = ? AND key = ?')
      .pluck(),
    putSetting: db.prepare(PUT_SETTING_SQL),
  };
}
