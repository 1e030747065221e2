// Jumps (AJO's "Jump" activity): a step in one journey asks that the profile enter another. The
// entry is made in the same unit of work as the step, just before it commits (a commit hook), in
// the target's newest live version, with the source journey's context carried. A jump the target
// refuses (already in it, re-entrance, a journey cap, no live version) is counted on the jump
// activity and the source journey goes on.
import { decideEntry, step, type CompiledJourney } from '../../journey/index.ts';
import { versionKey, type CatalogCache, type SandboxCatalog } from '../catalog.ts';
import { journeyCapDecision } from '../journey-caps.ts';
import {
  withCaps,
  type CommitHook,
  type PendingJump,
  type Stepper,
  type StoreReads,
  type UnitOfWork,
} from '../unit-of-work/index.ts';

/** Jumps that lead to further jumps are followed this many times within one commit, no more. */
const MAX_JUMP_ROUNDS = 10;

export const JumpOutcome = {
  /** Counted on the jump activity when the target did not take the profile. */
  Refused: 'jump_refused',
} as const;

export interface JumpDeps {
  readonly catalogs: CatalogCache;
  readonly reads: StoreReads;
  readonly stepper: Stepper;
  readonly newId: () => string;
}

export class JumpHook implements CommitHook {
  constructor(private readonly deps: JumpDeps) {}

  async before(uow: UnitOfWork): Promise<void> {
    for (let round = 0; round < MAX_JUMP_ROUNDS; round++) {
      const jumps = uow.takeJumps();
      if (jumps.length === 0) return;
      for (const j of jumps) await this.enter(uow, j);
    }
    for (const j of uow.takeJumps()) refuse(uow, j);
  }

  after(): void {}

  private async enter(uow: UnitOfWork, j: PendingJump): Promise<void> {
    const catalog = await this.deps.catalogs.get(j.sandbox);
    const target = newestLive(catalog, j.effect.targetJourneyId);
    if (!target || target.definition.entry.type !== 'event') return refuse(uow, j);
    const profile = await uow.profile(j.sandbox, j.effect.profileId);
    if (!profile) return refuse(uow, j);
    const active = await uow.activeInstances(j.sandbox, profile.id);
    const already = active.find((i) => i.journeyId === target.journeyId) ?? null;
    const lastExit = await uow.lastExit(j.sandbox, target.journeyId, profile.id);
    if (!decideEntry(target, already, lastExit, uow.now).enter) return refuse(uow, j);
    const cap = await journeyCapDecision(
      this.deps.reads,
      catalog,
      target,
      profile.id,
      active,
      uow.now,
    );
    if (cap.excluded) return refuse(uow, j);
    const env = await withCaps(uow, j.sandbox, target, {
      now: uow.now,
      profile: profile.attributes,
      audiences: await this.deps.stepper.membershipsIn(uow, j.sandbox, profile),
    });
    const r = step(
      target,
      null,
      {
        kind: 'enter',
        instanceId: this.deps.newId(),
        profileId: profile.id,
        jump: { context: j.effect.context, payload: j.effect.payload },
      },
      env,
    );
    uow.apply(j.sandbox, r, 'event');
  }
}

function refuse(uow: UnitOfWork, j: PendingJump): void {
  uow.count(j.sandbox, j.from.journeyId, j.from.version, {
    node: j.effect.node,
    metric: JumpOutcome.Refused,
  });
}

/** The newest live version of a journey, compiled; null when it has none. */
export function newestLive(catalog: SandboxCatalog, journeyId: string): CompiledJourney | null {
  let best: CompiledJourney | null = null;
  for (const v of catalog.versions.values()) {
    if (v.version.journeyId !== journeyId || v.version.status !== 'live' || !v.compiled) continue;
    if (!best || v.version.version > best.version) best = v.compiled;
  }
  return best && catalog.versions.get(versionKey(journeyId, best.version)) ? best : null;
}
