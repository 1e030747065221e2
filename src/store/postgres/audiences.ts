// Audiences on PostgreSQL: memberships, batch evaluation reads, audience jobs, sandbox settings.
import type { IdentityRef } from '../../model/profile.ts';
import { placeSubtree } from '../attribute-subtrees.ts';
import type { AudienceRepository, MembershipRow } from '../ports.ts';
import type { PostgresContext } from './context.ts';
import { toMember, toMembership, type MembershipDbRow } from './rows.ts';
import type pg from 'pg';

/** Writes a sandbox setting (also used by a version change that carries one, journeys.ts). */
export const PUT_SETTING_SQL =
  'INSERT INTO sandbox_settings (sandbox, key, value) VALUES ($1, $2, $3::json) ON CONFLICT (sandbox, key) DO UPDATE SET value = excluded.value';

export class PostgresAudiences implements AudienceRepository {
  constructor(private readonly db: PostgresContext) {}

  async profileMemberships(sandbox: string, profileId: string): Promise<MembershipRow[]> {
    return (
      await this.db.rows<MembershipDbRow>(
        'SELECT profile_id, audience, status, realized_at, exited_at FROM memberships WHERE sandbox = $1 AND profile_id = $2 ORDER BY audience',
        [sandbox, profileId],
      )
    ).map((r) => toMembership(sandbox, r));
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
  ): Promise<Member[]> {
    const rows = await this.db.rows<MembershipDbRow & { identities: IdentityRef[] | null }>(
      `SELECT m.profile_id, m.audience, m.status, m.realized_at, m.exited_at, p.identities FROM memberships m
      LEFT JOIN profiles p ON p.sandbox = m.sandbox AND p.id = m.profile_id
      WHERE m.sandbox = $1 AND m.audience = $2 AND m.profile_id > $3 AND ($4::text IS NULL OR m.status = $4) AND ($5::bigint IS NULL OR m.realized_at > $5)
      AND ($7::int IS NULL OR m.partition = $7)
      ORDER BY m.profile_id LIMIT $6`,
      [
        sandbox,
        audience,
        o.afterProfileId ?? '',
        o.status ?? null,
        o.realizedAfter === undefined ? null : Math.floor(o.realizedAfter),
        o.limit,
        o.partition ?? null,
      ],
    );
    return rows.map((r) => toMember(sandbox, r));
  }
  async audienceSample(sandbox: string, audience: string, limit: number): Promise<Member[]> {
    // A uniform sample: the `limit` rows with the smallest random keys among the audience's realized rows.
    const rows = await this.db.rows<MembershipDbRow & { identities: IdentityRef[] | null }>(
      `SELECT m.profile_id, m.audience, m.status, m.realized_at, m.exited_at, p.identities FROM
      (SELECT * FROM memberships WHERE sandbox = $1 AND audience = $2 AND status = 'realized' ORDER BY random() LIMIT $3) m
      LEFT JOIN profiles p ON p.sandbox = m.sandbox AND p.id = m.profile_id ORDER BY m.profile_id`,
      [sandbox, audience, limit],
    );
    return rows.map((r) => toMember(sandbox, r));
  }
  async audienceSize(
    sandbox: string,
    audience: string,
  ): Promise<{ realized: number; exited: number }> {
    const rows = await this.db.rows<{ status: string; n: number }>(
      'SELECT status, COUNT(*) AS n FROM memberships WHERE sandbox = $1 AND audience = $2 GROUP BY status',
      [sandbox, audience],
    );
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
      return this.db.rows<{ id: string; attributes: Record<string, unknown> }>(
        'SELECT id, attributes FROM profiles WHERE sandbox = $1 AND id > $2 ORDER BY id LIMIT $3',
        [sandbox, o.afterId ?? '', o.limit],
      );
    }
    // PostgreSQL extracts the subtrees as JSON text (NULL when absent, 'null' for a stored null), so JavaScript parses a few bytes a profile, not the profile.
    const columns = paths.map((p, i) => `, ${subtree(p, 4 + i)} AS s${i}`).join('');
    let result: pg.QueryResult<Array<string | null>>;
    try {
      result = await this.db.pool.query<Array<string | null>>({
        text: `SELECT id${columns} FROM profiles WHERE sandbox = $1 AND id > $2 ORDER BY id LIMIT $3`,
        values: [sandbox, o.afterId ?? '', o.limit, ...paths.map((p) => [...p])],
        rowMode: 'array',
      });
    } catch (error) {
      // A page holding a \u0000 escape cannot go through PostgreSQL's JSON operators: that page is read whole.
      if ((error as { code?: unknown }).code !== UNTRANSLATABLE_CHARACTER) throw error;
      const whole = await this.scanAttributes(sandbox, {
        ...(o.afterId === undefined ? {} : { afterId: o.afterId }),
        limit: o.limit,
      });
      return whole.map((r) => ({ id: r.id, attributes: pickSubtrees(r.attributes, paths) }));
    }
    return result.rows.map((r) => {
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
    const rows = await this.db.rows<{
      profile_id: string;
      status: 'realized' | 'exited';
      realized_at: number | null;
    }>(
      'SELECT profile_id, status, realized_at FROM memberships WHERE sandbox = $1 AND audience = $2 AND profile_id > $3 AND profile_id <= $4 ORDER BY profile_id',
      [sandbox, audience, o.afterProfileId, o.toProfileId],
    );
    return rows.map((r) => ({
      profileId: r.profile_id,
      status: r.status,
      realizedAt: r.realized_at,
    }));
  }
  async audienceJobs(
    sandbox?: string,
  ): Promise<Array<{ sandbox: string; id: string; state: unknown }>> {
    return sandbox === undefined
      ? this.db.rows('SELECT sandbox, id, state FROM audience_jobs ORDER BY sandbox, id')
      : this.db.rows(
          'SELECT sandbox, id, state FROM audience_jobs WHERE sandbox = $1 ORDER BY id',
          [sandbox],
        );
  }
  async getSetting(sandbox: string, key: string): Promise<unknown> {
    const [r] = await this.db.rows<{ value: unknown }>(
      'SELECT value FROM sandbox_settings WHERE sandbox = $1 AND key = $2',
      [sandbox, key],
    );
    return r === undefined ? undefined : r.value;
  }
  async putSetting(sandbox: string, key: string, value: unknown): Promise<void> {
    await this.db.pool.query(PUT_SETTING_SQL, [sandbox, key, JSON.stringify(value)]);
  }
}

type Member = MembershipRow & { identities: IdentityRef[] };

/** SQLSTATE 22P05: a \u0000 escape met by a JSON operator. */
const UNTRANSLATABLE_CHARACTER = '22P05';

/** The subtrees at `paths`, as the query of scanAttributes extracts them: each key names an own member of an object. */
function pickSubtrees(
  source: Readonly<Record<string, unknown>>,
  paths: ReadonlyArray<readonly string[]>,
): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const path of paths) {
    let cur: unknown = source;
    for (const key of path) {
      cur =
        cur !== null && typeof cur === 'object' && !Array.isArray(cur) && Object.hasOwn(cur, key)
          ? (cur as Record<string, unknown>)[key]
          : undefined;
      if (cur === undefined) break;
    }
    placeSubtree(attributes, path, cur);
  }
  return attributes;
}

/**
 * The JSON text at `path` (parameter $n, a text[]), as SQLite's `attributes -> '$."a"."b"'` gives it:
 * keys name object members only. `#>` would also index arrays with a step such as "0", so such a
 * step applies only where an object stands.
 */
function subtree(path: readonly string[], n: number): string {
  const guards: string[] = [];
  for (let i = 1; i < path.length; i++) {
    if (/^-?\d+$/.test(path[i]!))
      guards.push(`json_typeof(attributes #> ($${n}::text[])[1:${i}]) = 'object'`);
  }
  const value = `(attributes #> $${n}::text[])::text`;
  return guards.length === 0 ? value : `CASE WHEN ${guards.join(' AND ')} THEN ${value} END`;
}
