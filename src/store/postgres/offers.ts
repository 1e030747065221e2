// Decisioning on PostgreSQL (tables offer_counters, offer_propositions). Each counter is one
// conditional upsert (INSERT … ON CONFLICT DO UPDATE … WHERE count < limit RETURNING): a concurrent
// increment of the same row waits for its lock and re-checks the limit, so a cap is never exceeded,
// across engines too. The proposition and its counters commit together or not at all.
import type { OfferCounter, OfferRepository, PropositionRow } from '../ports.ts';
import { capKeyString } from '../../offers/caps.ts';
import type { PostgresContext } from './context.ts';

class CapReached extends Error {}

export class PostgresOffers implements OfferRepository {
  constructor(private readonly db: PostgresContext) {}

  async offerCounts(
    sandbox: string,
    counters: readonly OfferCounter[],
  ): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (counters.length === 0) return out;
    const rows = await this.db.rows<{
      offer_id: string;
      scope: string;
      profile_id: string;
      period: string;
      count: string;
    }>(
      `SELECT c.offer_id, c.scope, c.profile_id, c.period, c.count FROM offer_counters c
       JOIN unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS k(offer_id, scope, profile_id, period)
         ON c.offer_id = k.offer_id AND c.scope = k.scope AND c.profile_id = k.profile_id AND c.period = k.period
       WHERE c.sandbox = $1`,
      [
        sandbox,
        counters.map((c) => c.offerId),
        counters.map((c) => c.scope),
        counters.map((c) => c.profileId),
        counters.map((c) => c.period),
      ],
    );
    for (const c of counters) out.set(capKeyString(c), 0);
    for (const r of rows)
      out.set(
        capKeyString({
          offerId: r.offer_id,
          scope: r.scope as OfferCounter['scope'],
          profileId: r.profile_id,
          period: r.period,
        }),
        Number(r.count),
      );
    return out;
  }

  async recordProposition(
    sandbox: string,
    p: PropositionRow,
    counters: readonly OfferCounter[],
  ): Promise<boolean> {
    try {
      await this.db.inTransaction(async (client) => {
        for (const c of counters) {
          const r = await client.query(
            `INSERT INTO offer_counters (sandbox, offer_id, scope, profile_id, period, count) VALUES ($1, $2, $3, $4, $5, 1)
             ON CONFLICT (sandbox, offer_id, scope, profile_id, period) DO UPDATE SET count = offer_counters.count + 1
             WHERE offer_counters.count < $6 RETURNING count`,
            [sandbox, c.offerId, c.scope, c.profileId, c.period, c.limit],
          );
          if (r.rowCount === 0) throw new CapReached();
        }
        await client.query(
          'INSERT INTO offer_propositions (sandbox, offer_id, policy_id, profile_id, message_id, fallback, at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [sandbox, p.offerId, p.policyId, p.profileId, p.messageId, p.fallback, p.at],
        );
      });
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
    const rows = await this.db.rows<{
      offer_id: string;
      policy_id: string;
      profile_id: string;
      message_id: string | null;
      fallback: boolean;
      at: string;
    }>(
      `SELECT offer_id, policy_id, profile_id, message_id, fallback, at FROM offer_propositions
       WHERE sandbox = $1 AND ($2::text IS NULL OR offer_id = $2) AND ($3::text IS NULL OR profile_id = $3) AND ($4::text IS NULL OR policy_id = $4)
       ORDER BY id DESC LIMIT $5`,
      [sandbox, filter.offerId ?? null, filter.profileId ?? null, filter.policyId ?? null, limit],
    );
    return rows.map((r) => ({
      offerId: r.offer_id,
      policyId: r.policy_id,
      profileId: r.profile_id,
      messageId: r.message_id,
      fallback: r.fallback,
      at: Number(r.at),
    }));
  }
}
