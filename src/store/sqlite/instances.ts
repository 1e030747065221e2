// Journey instances on the embedded store (table instances).
import type Database from 'better-sqlite3';
import type { InstanceState } from '../../journey/instance.ts';
import type { InstanceRepository } from '../ports.ts';
import { readTransaction, type ReadTransaction } from './read-transaction.ts';
import { toInstance } from './rows.ts';

export class SqliteInstances implements InstanceRepository {
  private readonly stmts: ReturnType<typeof prepare>;
  private readonly read: ReadTransaction;

  constructor(db: Database.Database) {
    this.stmts = prepare(db);
    this.read = readTransaction(db);
  }

  async activeInstances(sandbox: string, profileId: string): Promise<InstanceState[]> {
    return (this.stmts.activeInstances.all(sandbox, profileId) as string[]).map((state) =>
      toInstance({ state }),
    );
  }
  async activeInstancesOf(
    sandbox: string,
    profileIds: readonly string[],
  ): Promise<InstanceState[]> {
    const out: InstanceState[] = [];
    this.read(() => {
      for (const profileId of new Set(profileIds))
        for (const state of this.stmts.activeInstances.all(sandbox, profileId) as string[])
          out.push(toInstance({ state }));
    });
    return out;
  }
  async activeInstancesOfVersion(
    sandbox: string,
    journeyId: string,
    version: number,
    limit: number,
    partition?: number,
  ): Promise<InstanceState[]> {
    const rows =
      partition === undefined
        ? this.stmts.activeOfVersion.all(sandbox, journeyId, version, limit)
        : this.stmts.activeOfVersionIn.all(sandbox, journeyId, version, partition, limit);
    return (rows as Array<{ state: string }>).map(toInstance);
  }
  async getInstance(id: string): Promise<{ sandbox: string; state: InstanceState } | null> {
    const r = this.stmts.getInstance.get(id) as { sandbox: string; state: string } | undefined;
    return r ? { sandbox: r.sandbox, state: toInstance(r) } : null;
  }
  async getInstances(
    ids: readonly string[],
  ): Promise<Array<{ sandbox: string; state: InstanceState }>> {
    const out: Array<{ sandbox: string; state: InstanceState }> = [];
    this.read(() => {
      for (const id of new Set(ids)) {
        const r = this.stmts.getInstance.get(id) as { sandbox: string; state: string } | undefined;
        if (r) out.push({ sandbox: r.sandbox, state: toInstance(r) });
      }
    });
    return out;
  }
  async lastExit(sandbox: string, journeyId: string, profileId: string): Promise<number | null> {
    return (
      (this.stmts.lastExit.get(sandbox, journeyId, profileId) as number | null | undefined) ?? null
    );
  }
}

function prepare(db: Database.Database) {
  return {
    activeInstances: db
      .prepare(
        "SELECT state FROM instances WHERE sandbox = ? AND profile_id = ? AND status = 'active'",
      )
      .pluck(),
    activeOfVersion: db.prepare(
      "SELECT state FROM instances WHERE sandbox = ? AND journey_id = ? AND version = ? AND status = 'active' LIMIT ?",
    ),
    activeOfVersionIn: db.prepare(
      "SELECT state FROM instances WHERE sandbox = ? AND journey_id = ? AND version = ? AND status = 'active' AND partition = ? LIMIT ?",
    ),
    getInstance: db.prepare('SELECT sandbox, state FROM instances WHERE id = ?'),
    lastExit: db
      .prepare(
        'SELECT MAX(exited_at) AS at FROM instances WHERE sandbox = ? AND journey_id = ? AND profile_id = ? AND exited_at IS NOT NULL',
      )
      .pluck(),
  };
}
