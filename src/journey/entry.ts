import type { CompiledJourney } from './compile.ts';
import type { InstanceState } from './instance.ts';

export type EntryDecision =
  | { readonly enter: true }
  | {
      readonly enter: false;
      readonly reason: 'already_in_journey' | 'reentrance_disabled' | 'reentrance_wait';
    };

/**
 * Whether a profile may enter: one instance per profile per journey across versions; after an exit,
 * re-entrance is allowed (by default after a 5-minute wait) or not at all.
 */
export function decideEntry(
  journey: CompiledJourney,
  active: InstanceState | null,
  lastExitAt: number | null,
  now: number,
): EntryDecision {
  if (active) return { enter: false, reason: 'already_in_journey' };
  if (lastExitAt === null) return { enter: true };
  const { allowed, waitSeconds } = journey.definition.reentrance;
  if (!allowed) return { enter: false, reason: 'reentrance_disabled' };
  if (now - lastExitAt < waitSeconds * 1000) return { enter: false, reason: 'reentrance_wait' };
  return { enter: true };
}
