// Decisioning on the embedded store (tables offer_counters, offer_propositions). better-sqlite3 is
// synchronous and one connection serves the process, so a transaction of conditional upserts never
// interleaves with another: a counter at its limit refuses the increment and rolls the proposition back.
import type Database from 'better-sqlite3';
import type { OfferCounter, OfferRepository, PropositionRow } from '../ports.ts';
import { capKeyString } from '../../offers/caps.ts';

class CapReached extends Error {}

export class SqliteOffers implements OfferRepository {
  private readonly stmts: ReturnType<typeof prepare>;
  private readonly record: Database.Transaction<
    (sandbox: string, p: PropositionRow, cs: readonly OfferCounter[]) => void
  >;

  constructor(db: Database.Database) {
    const stmts = prepare(db);
    this.stmts = stmts;
    this.record = db.transaction(
      (sandbox: string, p: PropositionRow, cs: readonly OfferCounter[]) => {
        for (const c of cs) {
          const row = stmts.increment.get({
            sandbox,
            offer: c.offerId,
            scope: c.scope,
            profile: c.profileId,
            period: c.period,
            limit: c.limit,
          });
          if (row === undefined) throw new CapReached();
        }
        stmts.insert.run(
          sandbox,
          p.offerId,
          p.policyId,
          p.profileId,
          p.messageId,
          p.fallback ? 1 : 0,
          p.at,
        );
      },
    );
  }

  async offerCounts(
    sandbox: string,
    counters: readonly OfferCounter[],
  ): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const c of counters) {
      const row = this.stmts.count.get(sandbox, c.offerId, c.scope, c.profileId, c.period) as
        { count: number } | undefined;
      out.set(capKeyString(c), row?.count ?? 0);
    }
    return out;
  }

  async recordProposition(
    sandbox: string,
    proposition: PropositionRow,
    counters: readonly OfferCounter[],
  ): Promise<boolean> {
    try {
      this.record.immediate(sandbox, proposition, counters);
      return true;
    } catch (e) {
      if (e instanceof CapReached) return false;
      throw e;
    }
  }

  async listPropositions(
    sandbox: string,
    filter: { readonly offerId?: string; readonly profileId?: string; readonly policyId?: string },
    limit: number,
  ): Promise<PropositionRow[]> {
    const rows = this.stmts.list.all({
      sandbox,
      offer: filter.offerId ?? null,
      profile: filter.profileId ?? null,
      policy: filter.policyId ?? null,
      limit,
    }) as PropositionDbRow[];
    return rows.map(toRow);
  }
}

function prepare(db: Database.Database) {
  return {
    increment: db.prepare(
      `INSERT INTO offer_counters (sandbox, offer_id, scope, profile_id, period, count) VALUES (@sandbox, @offer, @scope, @profile, @period, 1)
       ON CONFLICT (sandbox, offer_id, scope, profile_id, period) DO UPDATE SET count = count + 1 WHERE count < @limit
       RETURNING count`,
    ),
    count: db.prepare(
      'SELECT count FROM offer_counters WHERE sandbox = ? AND offer_id = ? AND scope = ? AND profile_id = ? AND period = ?',
    ),
    insert: db.prepare(
      'INSERT INTO offer_propositions (sandbox, offer_id, policy_id, profile_id, message_id, fallback, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    list: db.prepare(
      `SELECT offer_id, policy_id, profile_id, message_id, fallback, at FROM offer_propositions
       WHERE sandbox = @sandbox AND (@offer IS NULL OR offer_id = @offer) AND (@profile IS NULL OR profile_id = @profile)
         AND (@policy IS NULL OR policy_id = @policy)
       ORDER BY id DESC LIMIT @limit`,
    ),
  };
}

interface PropositionDbRow {
  offer_id: string;
  policy_id: string;
  profile_id: string;
  message_id: string | null;
  fallback: number;
  at: number;
}
const toRow = (r: PropositionDbRow): PropositionRow => ({
  offerId: r.offer_id,
  policyId: r.policy_id,
  profileId: r.profile_id,
  messageId: r.message_id,
  fallback: r.fallback === 1,
  at: r.at,
});
