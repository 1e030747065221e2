// An offer's report: how often it was proposed, in how many messages, in how many of those its link
// was clicked, and how many conversions it brought, by decision policy.
//
// A click counts when the profile's `message.clicked` event (recorded by the tracking server) names a
// message that carried the offer and the URL of one of its representations' links. A conversion is
// a profile's event of the type a decision policy names (`conversion.eventType`), received after a
// proposition of that policy and within its window (`conversion.windowHours`): it is attributed to
// the offer most recently proposed to that profile by such a policy (last touch), so one event
// converts at most one offer.
import { notFound } from '../errors.ts';
import type { DecisionPolicy } from '../model/decision-policy.ts';
import type { Offer } from '../model/offer.ts';
import type { PropositionRow } from '../store/ports/offers.ts';
import type { RuntimeParts } from './runtime-parts.ts';

/** What an offer's report answers. */
export interface OfferReport {
  readonly offerId: string;
  readonly proposed: number;
  /** Propositions made for a message (a send), not through the API. */
  readonly inMessages: number;
  /** Messages carrying the offer in which its link was clicked at least once. */
  readonly clicked: number;
  /** Every click on its link in those messages. */
  readonly clicks: number;
  /** Conversion events attributed to the offer. */
  readonly converted: number;
  readonly byPolicy: readonly {
    policy: string;
    proposed: number;
    inMessages: number;
    clicked: number;
    converted: number;
  }[];
  /** Only the newest propositions are read (REPORT_WINDOW). */
  readonly truncated: boolean;
}

/** The newest propositions a report reads (of the offer, and of each profile for attribution). */
export const REPORT_WINDOW = 5000;

interface Conversion {
  readonly eventType: string;
  readonly windowMs: number;
}

/** The proposition a conversion event is attributed to: the newest one before it within its policy's window. */
export function attribute(
  event: { readonly type: string; readonly at: number },
  newestFirst: readonly PropositionRow[],
  conversions: ReadonlyMap<string, Conversion>,
): PropositionRow | undefined {
  return newestFirst.find((r) => {
    const c = conversions.get(r.policyId);
    return (
      c !== undefined &&
      c.eventType === event.type &&
      r.at < event.at &&
      event.at - r.at <= c.windowMs
    );
  });
}

export async function offerReport(
  rt: RuntimeParts,
  sandbox: string,
  offerId: string,
): Promise<OfferReport> {
  const stored = await rt.store.getObject<Offer>(sandbox, 'offer', offerId);
  if (!stored) throw notFound('offer', offerId);
  const links = new Set(
    stored.body.representations.flatMap((r) => (r.link === undefined ? [] : [r.link])),
  );
  const conversions = new Map<string, Conversion>();
  for (const p of await rt.store.listObjects<DecisionPolicy>(sandbox, 'decisionPolicy')) {
    const c = p.body.conversion;
    if (c !== undefined)
      conversions.set(p.body.id, { eventType: c.eventType, windowMs: c.windowHours * 3_600_000 });
  }
  const conversionTypes = [...new Set([...conversions.values()].map((c) => c.eventType))];
  const rows = await rt.store.listPropositions(sandbox, { offerId }, REPORT_WINDOW);
  const byProfile = new Map<string, { since: number; messages: Map<string, string> }>();
  for (const r of rows) {
    if (r.profileId === '') continue;
    const p = byProfile.get(r.profileId) ?? { since: r.at, messages: new Map() };
    p.since = Math.min(p.since, r.at);
    if (r.messageId !== null) p.messages.set(r.messageId, r.policyId);
    byProfile.set(r.profileId, p);
  }
  const clickedMessages = new Map<string, number>();
  const convertedBy = new Map<string, number>();
  const types = [...(links.size > 0 ? ['message.clicked'] : []), ...conversionTypes];
  if (types.length > 0)
    for (const [profileId, p] of byProfile) {
      const events = await rt.store.profileEvents(sandbox, profileId, { types, since: p.since });
      let touches: readonly PropositionRow[] | null = null;
      for (const e of events) {
        if (e.type === 'message.clicked') {
          const payload = e.payload as { messageId?: unknown; link?: { url?: unknown } } | null;
          const messageId = payload?.messageId;
          const url = payload?.link?.url;
          if (
            typeof messageId === 'string' &&
            p.messages.has(messageId) &&
            typeof url === 'string' &&
            links.has(url)
          )
            clickedMessages.set(messageId, (clickedMessages.get(messageId) ?? 0) + 1);
        }
        if (!conversionTypes.includes(e.type)) continue;
        touches ??= await rt.store.listPropositions(sandbox, { profileId }, REPORT_WINDOW);
        const hit = attribute(e, touches, conversions);
        if (hit !== undefined && hit.offerId === offerId)
          convertedBy.set(hit.policyId, (convertedBy.get(hit.policyId) ?? 0) + 1);
      }
    }
  const policies = new Map<
    string,
    { proposed: number; inMessages: number; clicked: number; converted: number }
  >();
  for (const r of rows) {
    const row = policies.get(r.policyId) ?? {
      proposed: 0,
      inMessages: 0,
      clicked: 0,
      converted: convertedBy.get(r.policyId) ?? 0,
    };
    row.proposed++;
    if (r.messageId !== null) {
      row.inMessages++;
      if (clickedMessages.has(r.messageId)) row.clicked++;
    }
    policies.set(r.policyId, row);
  }
  return {
    offerId,
    proposed: rows.length,
    inMessages: rows.filter((r) => r.messageId !== null).length,
    clicked: clickedMessages.size,
    clicks: [...clickedMessages.values()].reduce((a, b) => a + b, 0),
    converted: [...convertedBy.values()].reduce((a, b) => a + b, 0),
    byPolicy: [...policies].map(([policy, r]) => ({ policy, ...r })),
    truncated: rows.length >= REPORT_WINDOW,
  };
}
