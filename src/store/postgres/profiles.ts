// Profiles and their identities on PostgreSQL (tables profiles, identities).
import type { Profile } from '../../model/profile.ts';
import type { ProfileRepository } from '../ports.ts';
import type { PostgresContext } from './context.ts';
import { toProfile, type ProfileRow } from './rows.ts';

export class PostgresProfiles implements ProfileRepository {
  constructor(private readonly db: PostgresContext) {}

  async getProfile(sandbox: string, id: string): Promise<Profile | null> {
    const [r] = await this.db.rows<ProfileRow>(
      'SELECT * FROM profiles WHERE sandbox = $1 AND id = $2',
      [sandbox, id],
    );
    return r ? toProfile(r) : null;
  }
  async findProfileId(sandbox: string, namespace: string, value: string): Promise<string | null> {
    const [r] = await this.db.rows<{ profile_id: string }>(
      'SELECT profile_id FROM identities WHERE sandbox = $1 AND namespace = $2 AND value = $3',
      [sandbox, namespace, value],
    );
    return r?.profile_id ?? null;
  }
  async getProfiles(sandbox: string, ids: readonly string[]): Promise<Profile[]> {
    if (ids.length === 0) return [];
    return (
      await this.db.rows<ProfileRow>(
        'SELECT * FROM profiles WHERE sandbox = $1 AND id = ANY($2::text[])',
        [sandbox, [...new Set(ids)]],
      )
    ).map(toProfile);
  }
  async findProfileIds(
    sandbox: string,
    identities: ReadonlyArray<{ readonly namespace: string; readonly value: string }>,
  ): Promise<Map<string, string>> {
    if (identities.length === 0) return new Map();
    const rows = await this.db.rows<{ namespace: string; value: string; profile_id: string }>(
      'SELECT i.namespace, i.value, i.profile_id FROM identities i JOIN unnest($2::text[], $3::text[]) AS q(namespace, value) ON i.namespace = q.namespace AND i.value = q.value WHERE i.sandbox = $1',
      [sandbox, identities.map((i) => i.namespace), identities.map((i) => i.value)],
    );
    return new Map(rows.map((r) => [`${r.namespace}\u0000${r.value}`, r.profile_id] as const));
  }
  async listProfiles(sandbox: string, opts: { limit: number; offset: number }): Promise<Profile[]> {
    return (
      await this.db.rows<ProfileRow>(
        'SELECT * FROM profiles WHERE sandbox = $1 ORDER BY id LIMIT $2 OFFSET $3',
        [sandbox, opts.limit, opts.offset],
      )
    ).map(toProfile);
  }
}
