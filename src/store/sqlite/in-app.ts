// The in-app inbox on the embedded store (table in_app_inbox): reads here, writes in the commit
// batch (commit.ts, group inApp).
import type Database from 'better-sqlite3';
import type { InAppItemRow, InAppRepository } from '../ports.ts';

export interface InAppDbRow {
  sandbox: string;
  profile_id: string;
  message_id: string;
  channel: string;
  surface: string | null;
  instance_id: string | null;
  journey_id: string | null;
  version: number | string | null;
  node: string | null;
  withdraw_on_exit: number | boolean;
  content: string | unknown;
  displays: number | string;
  created_at: number | string;
  expires_at: number | string | null;
}

export function inAppRowOf(r: InAppDbRow): InAppItemRow {
  return {
    sandbox: r.sandbox,
    profileId: r.profile_id,
    messageId: r.message_id,
    channel: r.channel === 'code' ? 'code' : 'inApp',
    surface: r.surface,
    instanceId: r.instance_id,
    journeyId: r.journey_id,
    version: r.version === null ? null : Number(r.version),
    node: r.node,
    withdrawOnExit: r.withdraw_on_exit === true || Number(r.withdraw_on_exit) === 1,
    content: typeof r.content === 'string' ? (JSON.parse(r.content) as unknown) : r.content,
    displays: Number(r.displays),
    createdAt: Number(r.created_at),
    expiresAt: r.expires_at === null ? null : Number(r.expires_at),
  };
}

export class SqliteInApp implements InAppRepository {
  private readonly inbox: Database.Statement;
  private readonly purge: Database.Statement;

  constructor(db: Database.Database) {
    this.inbox = db.prepare(
      'SELECT * FROM in_app_inbox WHERE sandbox = ? AND profile_id = ? ORDER BY created_at DESC, message_id DESC',
    );
    this.purge = db.prepare(
      `DELETE FROM in_app_inbox WHERE (sandbox, profile_id, message_id) IN
       (SELECT sandbox, profile_id, message_id FROM in_app_inbox WHERE expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?)`,
    );
  }

  async purgeExpiredInApp(now: number, limit: number): Promise<number> {
    return this.purge.run(now, limit).changes;
  }

  async inAppInbox(sandbox: string, profileId: string): Promise<InAppItemRow[]> {
    return (this.inbox.all(sandbox, profileId) as InAppDbRow[]).map(inAppRowOf);
  }
}
