// Cap counters: which durable counter an offer's cap reads, for a profile at an instant. Pure.
// A counter is keyed by (offer, scope, profile for per-profile caps, period window); periods reset at
// 00:00 UTC, weeks start on Sunday (src/rules/windows.ts), a cap without a period never resets.
import type { Cap, Offer, PeriodUnit } from '../model/offer.ts';
import type { CappingPeriod } from '../model/rule-set.ts';
import { windowAt } from '../rules/windows.ts';

export interface CapKey {
  readonly offerId: string;
  readonly scope: Cap['scope'];
  /** '' for a total cap. */
  readonly profileId: string;
  /** `all`, or `<unit>/<every>/<window start ISO>`. */
  readonly period: string;
  /** The cap's limit. */
  readonly limit: number;
}

function periodOf(unit: PeriodUnit): CappingPeriod {
  switch (unit) {
    case 'day':
      return 'daily';
    case 'week':
      return 'weekly';
    case 'month':
      return 'monthly';
    default: {
      const never: never = unit;
      return never;
    }
  }
}

export function capPeriodKey(cap: Cap, now: number): string {
  if (cap.period === undefined) return 'all';
  const w = windowAt(periodOf(cap.period.unit), cap.period.every, now);
  return `${cap.period.unit}/${cap.period.every}/${new Date(w.start).toISOString()}`;
}

export function capKeys(offer: Offer, profileId: string, now: number): readonly CapKey[] {
  return offer.caps.map((cap) => ({
    offerId: offer.id,
    scope: cap.scope,
    profileId: cap.scope === 'profile' ? profileId : '',
    period: capPeriodKey(cap, now),
    limit: cap.count,
  }));
}

/** A string form of a counter key, for maps. */
export function capKeyString(k: Omit<CapKey, 'limit'>): string {
  return `${k.offerId}\u0000${k.scope}\u0000${k.profileId}\u0000${k.period}`;
}
