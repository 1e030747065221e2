// Profiles and their identities on the embedded store (tables profiles, identities).
import type Database from 'better-sqlite3';
import type { Profile } from '../../model/profile.ts';
import type { ProfileRepository } from '../ports.ts';
import { readTransaction, type ReadTransaction } from './read-transaction.ts';
import { toProfile, type ProfileRow } from './rows.ts';

export class SqliteProfiles implements ProfileRepository {
  private readonly stmts: ReturnType<typeof prepare>;
  private readonly read: ReadTransaction;

  constructor(db: Database.Database) {
    this.stmts = prepare(db);
    this.read = readTransaction(db);
  }

  async getProfile(sandbox: string, id: string): Promise<Profile | null> {
    const r = this.stmts.getProfile.get(sandbox, id) as ProfileRow | undefined;
    return r ? toProfile(r) : null;
  }
  async findProfileId(sandbox: string, namespace: string, value: string): Promise<string | null> {
    return (this.stmts.findIdentity.get(sandbox, namespace, value) as string | undefined) ?? null;
  }
  // The batch reads are loops over the prepared statements in one read transaction: in process, a
  // statement costs no round trip, and an IN list would be a new statement to prepare for each size.
  async getProfiles(sandbox: string, ids: readonly string[]): Promise<Profile[]> {
    const out: Profile[] = [];
    this.read(() => {
      for (const id of new Set(ids)) {
        const r = this.stmts.getProfile.get(sandbox, id) as ProfileRow | undefined;
        if (r) out.push(toProfile(r));
      }
    });
    return out;
  }
  async findProfileIds(
    sandbox: string,
    identities: ReadonlyArray<{ readonly namespace: string; readonly value: string }>,
  ): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    this.read(() => {
      for (const i of identities) {
        const id = this.stmts.findIdentity.get(sandbox, i.namespace, i.value) as string | undefined;
        if (id !== undefined) out.set(`${i.namespace}\u0000${i.value}`, id);
      }
    });
    return out;
  }
  async listProfiles(sandbox: string, opts: { limit: number; offset: number }): Promise<Profile[]> {
    return (this.stmts.listProfiles.all(sandbox, opts.limit, opts.offset) as ProfileRow[]).map(
      toProfile,
    );
  }
}

function prepare(db: Database.Database) {
  return {
    getProfile: db.prepare('SELECT * FROM profiles WHERE sandbox = ? AND id = ?'),
    listProfiles: db.prepare(
      'SELECT * FROM profiles WHERE sandbox = ? ORDER BY id LIMIT ? OFFSET ?',
    ),
    findIdentity: db
      .prepare(
        'SELECT profile_id FROM identities WHERE sandbox = ? AND namespace = ? AND value = ?',
      )
      .pluck(),
  };
}
