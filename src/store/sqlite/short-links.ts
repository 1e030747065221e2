// SMS short links on the embedded store (table short_links): written when a tracked SMS is sent
// (src/runtime/short-links.ts), read by the public redirect; erased with the profile in commit.ts.
import type Database from 'better-sqlite3';
import type { ShortLinkRepository, ShortLinkRow } from '../ports.ts';

export interface ShortLinkDbRow {
  code: string;
  sandbox: string;
  message_id: string;
  profile_id: string;
  journey_id: string | null;
  version: number | string | null;
  node: string | null;
  link_id: string;
  url: string;
  created_at: number | string;
  expires_at: number | string;
}

export const SHORT_LINK_COLUMNS =
  'code, sandbox, message_id, profile_id, journey_id, version, node, link_id, url, created_at, expires_at';

export function shortLinkRowOf(r: ShortLinkDbRow): ShortLinkRow {
  return {
    code: r.code,
    sandbox: r.sandbox,
    messageId: r.message_id,
    profileId: r.profile_id,
    journeyId: r.journey_id,
    version: r.version === null ? null : Number(r.version),
    node: r.node,
    linkId: r.link_id,
    url: r.url,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
  };
}

export const shortLinkValues = (r: ShortLinkRow): unknown[] => [
  r.code,
  r.sandbox,
  r.messageId,
  r.profileId,
  r.journeyId,
  r.version,
  r.node,
  r.linkId,
  r.url,
  r.createdAt,
  r.expiresAt,
];

export class SqliteShortLinks implements ShortLinkRepository {
  private readonly put: Database.Statement;
  private readonly byCode: Database.Statement;
  private readonly ofMessage: Database.Statement;
  private readonly purge: Database.Statement;

  constructor(db: Database.Database) {
    this.put = db.prepare(
      `INSERT INTO short_links (${SHORT_LINK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING`,
    );
    this.byCode = db.prepare('SELECT * FROM short_links WHERE code = ?');
    this.ofMessage = db.prepare(
      'SELECT * FROM short_links WHERE sandbox = ? AND message_id = ? ORDER BY CAST(link_id AS INTEGER), created_at',
    );
    this.purge = db.prepare(
      'DELETE FROM short_links WHERE code IN (SELECT code FROM short_links WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)',
    );
  }

  async putShortLink(row: ShortLinkRow): Promise<boolean> {
    return this.put.run(...shortLinkValues(row)).changes === 1;
  }

  async shortLink(code: string): Promise<ShortLinkRow | null> {
    const r = this.byCode.get(code) as ShortLinkDbRow | undefined;
    return r === undefined ? null : shortLinkRowOf(r);
  }

  async shortLinksOfMessage(sandbox: string, messageId: string): Promise<ShortLinkRow[]> {
    return (this.ofMessage.all(sandbox, messageId) as ShortLinkDbRow[]).map(shortLinkRowOf);
  }

  async purgeExpiredShortLinks(now: number, limit: number): Promise<number> {
    return this.purge.run(now, limit).changes;
  }
}
