// Identity stitching: when an event or a profile update links an identity that belongs to another
// profile, the two profiles become one.
//
// The rule (documented in the README of this folder):
// - The survivor is the older profile (earliest createdAt; on a tie the one stored before this
//   unit of work, then the smaller id). Its id stays; the other one is deleted.
// - Attributes are deep-merged with the survivor winning: objects merge key by key, and where both
//   hold a value (a scalar or a list) the survivor's is kept. A profile update that caused the merge
//   is applied on top afterwards, as usual.
// - Identities are the union; testProfile is true if either was a test profile.
// - Histories move to the survivor: experience events (and feedback), messages, journey instances.
//   One instance per journey is kept: where both are in the same journey, the absorbed profile's
//   instance exits (journey_stopped) and the survivor's goes on.
// - Memberships: the absorbed profile's rows go; streaming audiences are re-evaluated on the merged
//   profile; a realized membership of a batch or uploaded audience carries over.
// - Events carry extra identities in an XDM identity map at the payload's root:
//   `identityMap: { ECID: [{ id: "…" }], Email: [{ id: "…" }] }` (namespaces of the sandbox only).
import { step } from '../../journey/index.ts';
import { MAX_IDENTITY_LENGTH, normalizeIdentity } from '../../model/identity.ts';
import type { IdentityRef, Profile } from '../../model/profile.ts';
import type { Store } from '../../store/ports.ts';
import { versionKey, type SandboxCatalog } from '../catalog.ts';
import { deepMerge } from '../paths.ts';
import type { UnitOfWork } from '../unit-of-work/index.ts';
import type { StreamingAudiences } from './streaming.ts';

/** The identities an event payload links (XDM identityMap), normalized, in known namespaces only. */
export function identitiesOf(payload: unknown, catalog: SandboxCatalog): IdentityRef[] {
  if (typeof payload !== 'object' || payload === null || !Object.hasOwn(payload, 'identityMap'))
    return [];
  const map = (payload as Record<string, unknown>)['identityMap'];
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return [];
  const out: IdentityRef[] = [];
  for (const [ns, list] of Object.entries(map as Record<string, unknown>)) {
    const def = catalog.namespaces.get(ns);
    if (!def || !Array.isArray(list)) continue;
    for (const item of list) {
      const id =
        typeof item === 'object' && item !== null
          ? (item as Record<string, unknown>)['id']
          : undefined;
      if (typeof id === 'string' && id.trim() !== '' && id.length <= MAX_IDENTITY_LENGTH)
        out.push({ namespace: ns, id: normalizeIdentity(def.kind, id) });
    }
  }
  return out;
}

export class Stitcher {
  constructor(
    private readonly store: Store,
    private readonly streaming: StreamingAudiences,
  ) {}

  /** Adds `identities` to `profile`, merging in the profiles that own any of them; returns the resulting profile (not yet put when nothing merged and nothing was added). */
  async link(
    uow: UnitOfWork,
    catalog: SandboxCatalog,
    profile: Profile,
    identities: readonly IdentityRef[],
  ): Promise<Profile> {
    let current = profile;
    let changed = false;
    for (const i of identities) {
      if (current.identities.some((x) => x.namespace === i.namespace && x.id === i.id)) continue;
      const owner = await uow.findProfileId(catalog.sandbox, i.namespace, i.id);
      const other =
        owner && owner !== current.id ? await uow.profile(catalog.sandbox, owner) : null;
      if (other) current = await this.merge(uow, catalog, current, other);
      else {
        current = { ...current, identities: [...current.identities, i] };
        changed = true;
      }
    }
    if (changed)
      uow.putProfile(catalog.sandbox, { ...current, updatedAt: new Date(uow.now).toISOString() });
    return current;
  }

  /** Merges two profiles into the older one (see the rule above) and returns the merged profile, already put. */
  async merge(uow: UnitOfWork, catalog: SandboxCatalog, a: Profile, b: Profile): Promise<Profile> {
    const sandbox = catalog.sandbox;
    const [keep, drop] = await this.order(sandbox, a, b);
    const keepActive = await uow.activeInstances(sandbox, keep.id);
    for (const inst of await uow.activeInstances(sandbox, drop.id)) {
      if (!keepActive.some((k) => k.journeyId === inst.journeyId)) {
        // Moved now in this unit too, so an event routed later in it reaches the instance.
        uow.apply(sandbox, {
          instance: { ...inst, profileId: keep.id },
          effects: [],
          counters: [],
          applied: true,
        });
        continue;
      }
      const compiled = catalog.versions.get(versionKey(inst.journeyId, inst.version))?.compiled;
      if (compiled)
        uow.apply(
          sandbox,
          step(
            compiled,
            inst,
            { kind: 'stop' },
            { now: uow.now, profile: drop.attributes, audiences: {} },
          ),
          'stop',
        );
    }
    const dropRows = await this.streaming.rows(uow, sandbox, drop.id);
    const keepRows = await this.streaming.rows(uow, sandbox, keep.id);
    const carried = [...dropRows.values()]
      .filter(
        (r) =>
          r.status === 'realized' &&
          catalog.audienceDefs.get(r.audience)?.origin !== 'streaming' &&
          keepRows.get(r.audience)?.status !== 'realized',
      )
      .map((r) => ({ audience: r.audience, status: 'realized' as const }));
    const identities = [...keep.identities];
    for (const i of drop.identities)
      if (!identities.some((x) => x.namespace === i.namespace && x.id === i.id)) identities.push(i);
    const merged: Profile = {
      id: keep.id,
      identities,
      attributes: deepMerge(drop.attributes, keep.attributes),
      testProfile: keep.testProfile || drop.testProfile,
      createdAt: keep.createdAt < drop.createdAt ? keep.createdAt : drop.createdAt,
      updatedAt: new Date(uow.now).toISOString(),
    };
    this.streaming.forget(uow, sandbox, drop.id);
    uow.mergeProfiles({ sandbox, from: drop.id, into: keep.id });
    uow.putProfile(sandbox, merged);
    await this.streaming.set(uow, sandbox, merged, carried);
    return merged;
  }

  private async order(sandbox: string, a: Profile, b: Profile): Promise<[Profile, Profile]> {
    if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? [a, b] : [b, a];
    const aStored = (await this.store.getProfile(sandbox, a.id)) !== null;
    const bStored = (await this.store.getProfile(sandbox, b.id)) !== null;
    if (aStored !== bStored) return aStored ? [a, b] : [b, a];
    return a.id < b.id ? [a, b] : [b, a];
  }
}
