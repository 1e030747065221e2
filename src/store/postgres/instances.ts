// Journey instances on PostgreSQL (table instances).
import type { InstanceState } from '../../journey/instance.ts';
import type { InstanceRepository } from '../ports.ts';
import type { PostgresContext } from './context.ts';
import { toInstance } from './rows.ts';

export class PostgresInstances implements InstanceRepository {
  constructor(private readonly db: PostgresContext) {}

  async activeInstances(sandbox: string, profileId: string): Promise<InstanceState[]> {
    return (
      await this.db.rows<{ state: unknown }>(
        "SELECT state FROM instances WHERE sandbox = $1 AND profile_id = $2 AND status = 'active' ORDER BY id",
        [sandbox, profileId],
      )
    ).map(toInstance);
  }
  async activeInstancesOf(
    sandbox: string,
    profileIds: readonly string[],
  ): Promise<InstanceState[]> {
    if (profileIds.length === 0) return [];
    return (
      await this.db.rows<{ state: unknown }>(
        "SELECT state FROM instances WHERE sandbox = $1 AND profile_id = ANY($2::text[]) AND status = 'active' ORDER BY profile_id, id",
        [sandbox, [...new Set(profileIds)]],
      )
    ).map(toInstance);
  }
  async activeInstancesOfVersion(
    sandbox: string,
    journeyId: string,
    version: number,
    limit: number,
    partition?: number,
  ): Promise<InstanceState[]> {
    return (
      partition === undefined
        ? await this.db.rows<{ state: unknown }>(
            "SELECT state FROM instances WHERE sandbox = $1 AND journey_id = $2 AND version = $3 AND status = 'active' ORDER BY id LIMIT $4",
            [sandbox, journeyId, version, limit],
          )
        : await this.db.rows<{ state: unknown }>(
            "SELECT state FROM instances WHERE sandbox = $1 AND journey_id = $2 AND version = $3 AND status = 'active' AND partition = $5 ORDER BY id LIMIT $4",
            [sandbox, journeyId, version, limit, partition],
          )
    ).map(toInstance);
  }
  async getInstance(id: string): Promise<{ sandbox: string; state: InstanceState } | null> {
    const [r] = await this.db.rows<{ sandbox: string; state: unknown }>(
      'SELECT sandbox, state FROM instances WHERE id = $1',
      [id],
    );
    return r ? { sandbox: r.sandbox, state: toInstance(r) } : null;
  }
  async getInstances(
    ids: readonly string[],
  ): Promise<Array<{ sandbox: string; state: InstanceState }>> {
    if (ids.length === 0) return [];
    return (
      await this.db.rows<{ sandbox: string; state: unknown }>(
        'SELECT sandbox, state FROM instances WHERE id = ANY($1::text[])',
        [[...new Set(ids)]],
      )
    ).map((r) => ({ sandbox: r.sandbox, state: toInstance(r) }));
  }
  async lastExit(sandbox: string, journeyId: string, profileId: string): Promise<number | null> {
    const [r] = await this.db.rows<{ at: number | null }>(
      'SELECT MAX(exited_at) AS at FROM instances WHERE sandbox = $1 AND journey_id = $2 AND profile_id = $3 AND exited_at IS NOT NULL',
      [sandbox, journeyId, profileId],
    );
    return r?.at ?? null;
  }
}
