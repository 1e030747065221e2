// SMS short links on PostgreSQL (table short_links): written when a tracked SMS is sent
// (src/runtime/short-links.ts), read by the public redirect; erased with the profile in commit.ts.
import type { ShortLinkRepository, ShortLinkRow } from '../ports.ts';
import {
  SHORT_LINK_COLUMNS,
  shortLinkRowOf,
  shortLinkValues,
  type ShortLinkDbRow,
} from '../sqlite/short-links.ts';
import type { PostgresContext } from './context.ts';

export class PostgresShortLinks implements ShortLinkRepository {
  constructor(private readonly db: PostgresContext) {}

  async putShortLink(row: ShortLinkRow): Promise<boolean> {
    const rows = await this.db.rows<{ code: string }>(
      `INSERT INTO short_links (${SHORT_LINK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (code) DO NOTHING RETURNING code`,
      shortLinkValues(row),
    );
    return rows.length === 1;
  }

  async shortLink(code: string): Promise<ShortLinkRow | null> {
    const [r] = await this.db.rows<ShortLinkDbRow>('SELECT * FROM short_links WHERE code = $1', [
      code,
    ]);
    return r === undefined ? null : shortLinkRowOf(r);
  }

  async shortLinksOfMessage(sandbox: string, messageId: string): Promise<ShortLinkRow[]> {
    const rows = await this.db.rows<ShortLinkDbRow>(
      `SELECT * FROM short_links WHERE sandbox = $1 AND message_id = $2
       ORDER BY length(link_id), link_id, created_at`,
      [sandbox, messageId],
    );
    return rows.map(shortLinkRowOf);
  }

  async purgeExpiredShortLinks(now: number, limit: number): Promise<number> {
    const rows = await this.db.rows<{ n: string }>(
      `WITH gone AS (DELETE FROM short_links WHERE code IN
         (SELECT code FROM short_links WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2)
       RETURNING 1) SELECT count(*) AS n FROM gone`,
      [now, limit],
    );
    return Number(rows[0]?.n ?? 0);
  }
}
