// Stepping inside a unit of work: feeds one input to a stored instance (timers, action and message
// results, stop) with the profile and audience memberships as this unit sees them. Ingest, timers
// and the outbox all step through here, so none of them needs another.
import { step, type CompiledJourney, type StepEnv, type StepInput } from '../../journey/index.ts';
import type { InstanceState } from '../../journey/instance.ts';
import type { Profile } from '../../model/profile.ts';
import type { TimerRow } from '../../store/ports.ts';
import { versionKey, type CatalogCache, type SandboxCatalog } from '../catalog.ts';
import type { MembershipReader } from '../ports.ts';
import type { UnitOfWork } from './unit-of-work.ts';
import type { WriterTurn } from './writer.ts';
import type { StepKind } from '../observability/engine-observer.ts';

export type Memberships = Readonly<Record<string, 'realized' | 'exited'>>;

export interface EngineAudiences {
  /** The profile's memberships after re-evaluating what this unit changed (entering audience-qualification journeys). */
  refresh(uow: UnitOfWork, sandbox: string, profile: Profile): Promise<Memberships>;
  /** Runs a timer that belongs to no instance (audience windows, read-audience runs); false when it is an instance's. */
  onTimer(uow: UnitOfWork, timer: TimerRow): Promise<boolean>;
  /** Before due timers are read, on the writer's queue: schedules what catalog changes call for (read-audience runs). */
  poll(now: number, turn: WriterTurn): Promise<void>;
  /** Identity stitching: merges the profiles owning other identities the event links; returns the resulting profile. */
  stitch(
    uow: UnitOfWork,
    catalog: SandboxCatalog,
    profile: Profile,
    payload: unknown,
  ): Promise<Profile>;
  /** A business event arrived: the read-audience journeys it starts run their read; returns their ids. */
  businessEvent?(
    uow: UnitOfWork,
    catalog: SandboxCatalog,
    event: { readonly name: string; readonly payload: unknown },
    /** Test mode: only this journey version (in test mode) runs its read. */
    only?: { readonly journeyId: string; readonly version: number },
  ): Promise<string[]>;
}

export interface StepperDeps {
  readonly catalogs: CatalogCache;
  readonly memberships?: MembershipReader;
  /** Stored audience memberships (src/runtime/audiences): evaluated in the unit of work. */
  readonly audiences?: EngineAudiences;
}

export class Stepper {
  constructor(private readonly deps: StepperDeps) {}

  /** Feeds one input to one stored instance; false when it is gone, not active, or the input did not apply. */
  async feed(
    uow: UnitOfWork,
    sandbox: string,
    instanceId: string,
    input: StepInput,
  ): Promise<boolean> {
    const found = await uow.instance(instanceId);
    if (!found) return false;
    return this.feedState(uow, sandbox, await this.deps.catalogs.get(sandbox), found.state, input);
  }

  async feedState(
    uow: UnitOfWork,
    sandbox: string,
    catalog: SandboxCatalog,
    state: InstanceState,
    input: StepInput,
  ): Promise<boolean> {
    if (state.status !== 'active') return false;
    const entry = catalog.versions.get(versionKey(state.journeyId, state.version));
    if (!entry?.compiled) return false;
    // A draft does not run: a profile left in one (its test mode or dry run just ended, a fleet
    // engine that had not heard yet) only leaves; nothing else moves it (it would act for real).
    if (entry.version.status === 'draft' && input.kind !== 'stop') return false;
    const profile = await uow.profile(sandbox, state.profileId);
    const capsTaken = await uow.capsTaken(sandbox, entry.compiled);
    const env = {
      now: uow.now,
      profile: profile?.attributes ?? {},
      audiences: await this.membershipsIn(uow, sandbox, profile),
      ...(capsTaken ? { capsTaken } : {}),
    };
    const r = step(entry.compiled, state, input, env);
    if (r.applied) uow.apply(sandbox, r, movedBy(input));
    return r.applied;
  }

  /** A profile's audience memberships as stored (outside a unit of work: rendering a message). */
  memberships(sandbox: string, profile: Profile | null): Promise<Memberships> {
    return this.deps.memberships ? this.deps.memberships(sandbox, profile) : Promise.resolve({});
  }

  /** Memberships of a profile as read in this unit of work: evaluated once per profile version. */
  membershipsIn(uow: UnitOfWork, sandbox: string, profile: Profile | null): Promise<Memberships> {
    if (profile && this.deps.audiences) return this.deps.audiences.refresh(uow, sandbox, profile);
    if (!profile || !this.deps.memberships) return this.memberships(sandbox, profile);
    let m = uow.memberships.get(profile);
    if (!m) {
      m = this.memberships(sandbox, profile);
      uow.memberships.set(profile, m);
    }
    return m;
  }
}

/** What moved an instance, as the engine observer counts it. */
function movedBy(input: StepInput): StepKind {
  switch (input.kind) {
    case 'timer':
      return 'timer';
    case 'actionResult':
    case 'messageResult':
    case 'reaction':
      return 'effect';
    case 'stop':
    case 'audienceExit':
      return 'stop';
    case 'event':
    case 'enter':
      return 'event';
  }
}

/** A step's environment with the version's profile-cap counts, as this unit of work sees them. */
export async function withCaps<E extends StepEnv>(
  uow: UnitOfWork,
  sandbox: string,
  journey: CompiledJourney,
  env: E,
): Promise<E> {
  const capsTaken = await uow.capsTaken(sandbox, journey);
  return capsTaken ? { ...env, capsTaken } : env;
}
