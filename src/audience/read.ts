// Pure parts of audience-driven journeys: who a read-audience run takes, at what pace, and which
// audience-qualification journeys a membership change triggers. The runtime does the I/O.
import type { AudienceQualification, MembershipStatus } from '../model/audience.ts';
import type { MembershipChange } from './types.ts';

export interface AudienceMember {
  readonly profileId: string;
  readonly status: MembershipStatus;
  /** Epoch ms of the last time the membership became realized. */
  readonly realizedAt: number;
  /** The profile's identities by namespace. */
  readonly identities: Readonly<Record<string, string>>;
}

export interface ReadSelection {
  readonly namespace: string;
  /** Incremental read: members realized after the previous run's start only. */
  readonly realizedAfter?: number;
}

/** The members a read-audience run takes: realized, with an identity in the journey's namespace (and new, when incremental). */
export function* selectReadAudience(
  members: Iterable<AudienceMember>,
  sel: ReadSelection,
): Generator<{ readonly profileId: string; readonly identity: string }> {
  const after = sel.realizedAfter;
  for (const m of members) {
    if (m.status !== 'realized') continue;
    if (after !== undefined && m.realizedAt <= after) continue;
    const id = Object.hasOwn(m.identities, sel.namespace) ? m.identities[sel.namespace] : undefined;
    if (id === undefined || id === '') continue;
    yield { profileId: m.profileId, identity: id };
  }
}

/** When the `index`-th profile (0-based) of a read may enter, in ms after the run's start, at `ratePerSecond`. */
export function readOffsetMs(index: number, ratePerSecond: number): number {
  return Math.floor((index * 1000) / ratePerSecond);
}

/** How many profiles may have entered `elapsedMs` after the run's start: the inverse of readOffsetMs. */
export function readAllowance(elapsedMs: number, ratePerSecond: number): number {
  return elapsedMs < 0 ? 0 : Math.ceil(((Math.floor(elapsedMs) + 1) * ratePerSecond) / 1000);
}

/** The audience-qualification journeys that the changes of one evaluation trigger, in change order. */
export function qualificationTriggers<J extends { readonly entry: AudienceQualification }>(
  changes: readonly MembershipChange[],
  journeys: readonly J[],
): { readonly journey: J; readonly change: MembershipChange }[] {
  const out: { journey: J; change: MembershipChange }[] = [];
  for (const change of changes) {
    for (const journey of journeys) {
      if (journey.entry.audience === change.audience && journey.entry.on === change.status)
        out.push({ journey, change });
    }
  }
  return out;
}
