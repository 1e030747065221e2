// Decisioning: cap counters and the propositions made (offer, profile, policy, message, at).

/** One counter a proposition increments, with the cap it must stay within. */
export interface OfferCounter {
  readonly offerId: string;
  readonly scope: 'total' | 'profile';
  /** '' for a total cap. */
  readonly profileId: string;
  readonly period: string;
  readonly limit: number;
}

export interface PropositionRow {
  readonly offerId: string;
  readonly policyId: string;
  readonly profileId: string;
  readonly messageId: string | null;
  readonly fallback: boolean;
  /** Epoch milliseconds. */
  readonly at: number;
}

export interface OfferRepository {
  /** The current values of these counters (absent: 0), keyed by capKeyString (src/offers/caps.ts). */
  offerCounts(sandbox: string, counters: readonly OfferCounter[]): Promise<Map<string, number>>;
  /**
   * Records one proposition and increments its counters, all or nothing: when any counter is at its
   * limit nothing changes and the answer is false. Exact under concurrency (one conditional
   * statement per counter inside one transaction).
   */
  recordProposition(
    sandbox: string,
    proposition: PropositionRow,
    counters: readonly OfferCounter[],
  ): Promise<boolean>;
  /** Propositions, newest first. */
  listPropositions(
    sandbox: string,
    filter: { readonly offerId?: string; readonly profileId?: string; readonly policyId?: string },
    limit: number,
  ): Promise<PropositionRow[]>;
}
