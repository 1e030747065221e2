// Streaming evaluation: on each profile change or event (and at nextCheckAt), which memberships
// change, evaluated in dependency order so an audience of audiences sees this pass's answers.
import { ErrorCode, WaymarkError } from '../errors.ts';
import type { AudienceMembership, MembershipStatus } from '../model/audience.ts';
import { topologicalOrder } from './graph.ts';
import type { CompiledAudience, MembershipChange, ProfileSnapshot } from './types.ts';

export interface MembershipResult {
  readonly changes: readonly MembershipChange[];
  /** All memberships after this pass (the input's, when nothing changed). */
  readonly memberships: Readonly<Record<string, MembershipStatus>>;
  /** The earliest instant at which a streaming audience may change with no new input. */
  readonly nextCheckAt: number | null;
}

const plans = new WeakMap<readonly CompiledAudience[], readonly CompiledAudience[]>();

/**
 * The streaming audiences of `audiences`, each after the audiences it reads. Batch and uploaded
 * audiences are left out: their memberships change only by a batch run or an upload. Throws a
 * validation error naming the cycle if the audiences read each other in a loop.
 */
export function streamingOrder(
  audiences: readonly CompiledAudience[],
): readonly CompiledAudience[] {
  const cached = plans.get(audiences);
  if (cached !== undefined) return cached;
  const byName = new Map<string, CompiledAudience>();
  for (const a of audiences) {
    if (byName.has(a.name))
      throw new WaymarkError(ErrorCode.ValidationFailed, `two audiences are named "${a.name}"`, {
        issues: [{ path: a.name, message: 'audience names are unique per sandbox' }],
      });
    byName.set(a.name, a);
  }
  const sorted = topologicalOrder(
    audiences.map((a) => a.name),
    (n) => byName.get(n)?.dependsOn.audiences ?? [],
  );
  if (!sorted.ok) {
    const cycle = sorted.cycle.map((n) => `"${n}"`).join(' → ');
    throw new WaymarkError(ErrorCode.ValidationFailed, `audience dependency cycle: ${cycle}`, {
      issues: [{ path: sorted.cycle[0] ?? '', message: `audience dependency cycle: ${cycle}` }],
      details: { cycle: sorted.cycle },
    });
  }
  const plan = Object.freeze(
    sorted.order
      .map((n) => byName.get(n) as CompiledAudience)
      .filter((a) => a.origin === 'streaming'),
  );
  plans.set(audiences, plan);
  return plan;
}

export function evaluateMemberships(
  audiences: readonly CompiledAudience[],
  profile: ProfileSnapshot,
  now: number,
): MembershipResult {
  const plan = streamingOrder(audiences);
  let memberships: Record<string, MembershipStatus> | undefined;
  let view: ProfileSnapshot = profile;
  const changes: MembershipChange[] = [];
  let nextCheckAt: number | null = null;
  for (const a of plan) {
    const { member, changesAt } = a.evaluate(view, now);
    if (changesAt !== null && (nextCheckAt === null || changesAt < nextCheckAt))
      nextCheckAt = changesAt;
    const current = Object.hasOwn(view.memberships, a.name) ? view.memberships[a.name] : undefined;
    const next: MembershipStatus | undefined = member
      ? 'realized'
      : current === undefined
        ? undefined
        : 'exited';
    if (next === undefined || next === current) continue;
    if (memberships === undefined) {
      memberships = { ...profile.memberships };
      view = { ...profile, memberships };
    }
    memberships[a.name] = next;
    changes.push({ audience: a.name, status: next });
  }
  return { changes, memberships: memberships ?? profile.memberships, nextCheckAt };
}

/** Membership records after a pass: each change stamped with `now` (realizedAt on entry, exitedAt on exit). */
export function stampMemberships(
  previous: Readonly<Record<string, AudienceMembership>>,
  changes: readonly MembershipChange[],
  now: number,
): Readonly<Record<string, AudienceMembership>> {
  if (changes.length === 0) return previous;
  const next: Record<string, AudienceMembership> = { ...previous };
  for (const c of changes) {
    const before = Object.hasOwn(previous, c.audience) ? previous[c.audience] : undefined;
    next[c.audience] =
      c.status === 'realized'
        ? { audience: c.audience, status: 'realized', realizedAt: now }
        : {
            audience: c.audience,
            status: 'exited',
            ...(before?.realizedAt !== undefined ? { realizedAt: before.realizedAt } : {}),
            exitedAt: now,
          };
  }
  return next;
}
