// Who uses an object in a sandbox, what blocks its deletion, and archive marks. The edges come from
// the parsed objects (dependency-graph.ts); this module loads them from the store.
//
// Archive marks live in the objects table under their own kind (`archived`, keyed `kind:key`), so
// both stores hold them with no migration and no new port method; nothing resolves objects through
// them, so an archived object stays usable by whatever uses it.
import { ErrorCode, WaymarkError } from '../errors.ts';
import type { JourneyDefinition } from '../model/journey.ts';
import type { ServiceStore, StoreReads } from './unit-of-work/index.ts';
import {
  closureOf,
  journeyUses,
  objectUses,
  refId,
  usersOf,
  type GraphNode,
  type KnownNames,
  type ObjectRef,
  type User,
} from './dependency-graph.ts';
import { objectKinds } from './object-kinds.ts';
import { isLabelledKind, journeyLabels, labelsOf } from '../model/labels.ts';

export const ARCHIVE_KIND = 'archived';

/** Journey version statuses that keep what they use in use (closed ones too while profiles are still in them). */
const ACTIVE_STATUSES = new Set(['draft', 'test', 'live', 'paused']);

export interface ArchiveMark {
  readonly kind: string;
  readonly key: string;
  readonly archivedAt: string;
}

/** A user as answered: `usedBy` entries and `/references` items. */
export interface Reference extends User {
  /** Whether this user keeps the object from being deleted. */
  readonly blocking: boolean;
}

const nameOf = (kind: string, body: Record<string, unknown>, key: string): string =>
  typeof body.name === 'string' && body.name !== '' ? body.name : key;

/** Every object and journey version of a sandbox as graph nodes. */
export async function loadGraph(store: StoreReads, sandbox: string): Promise<GraphNode[]> {
  const stored = await Promise.all(
    objectKinds.map(async (k) => ({
      kind: k.kind,
      objects: await store.listObjects<Record<string, unknown>>(sandbox, k.kind),
    })),
  );
  const known: KnownNames = {
    audiences: stored.find((s) => s.kind === 'audience')?.objects.map((o) => o.key) ?? [],
    eventTypes: stored.find((s) => s.kind === 'eventType')?.objects.map((o) => o.key) ?? [],
  };
  const nodes: GraphNode[] = [];
  for (const s of stored)
    for (const o of s.objects) {
      let uses: ObjectRef[] = [];
      try {
        uses = objectUses(s.kind, o.body, known);
      } catch {
        uses = [];
      }
      nodes.push({ kind: s.kind, key: o.key, name: nameOf(s.kind, o.body, o.key), uses });
    }
  for (const v of await store.listJourneys(sandbox)) {
    let uses: ObjectRef[] = [];
    try {
      uses = journeyUses(v.definition as JourneyDefinition);
    } catch {
      uses = [];
    }
    nodes.push({
      kind: 'journey',
      key: v.journeyId,
      name: v.definition.name,
      version: v.version,
      status: v.status,
      uses,
    });
  }
  return nodes;
}

/** Who uses the object, transitively, each marked blocking or not. */
export async function referencesTo(
  store: StoreReads,
  sandbox: string,
  target: ObjectRef,
): Promise<Reference[]> {
  return markBlocking(store, sandbox, usersOf(await loadGraph(store, sandbox), target), new Map());
}

/** Journey versions block while active, or closed with profiles still in them (asked once per version). */
async function markBlocking(
  store: StoreReads,
  sandbox: string,
  users: readonly User[],
  closedHolding: Map<string, boolean>,
): Promise<Reference[]> {
  const out: Reference[] = [];
  for (const u of users) {
    let blocking = true;
    if (u.kind === 'journey') {
      blocking = ACTIVE_STATUSES.has(u.status ?? '');
      if (!blocking && u.status === 'closed' && u.version !== undefined) {
        const id = `${u.key}@${u.version}`;
        let holding = closedHolding.get(id);
        if (holding === undefined) {
          holding = (await store.activeInstancesOfVersion(sandbox, u.key, u.version, 1)).length > 0;
          closedHolding.set(id, holding);
        }
        blocking = holding;
      }
    }
    out.push({ ...u, blocking });
  }
  return out;
}

/** The keys of a kind's objects that something uses (what a delete would refuse), from one read of the sandbox. */
export async function keysInUse(
  store: StoreReads,
  sandbox: string,
  kind: string,
  keys: readonly string[],
): Promise<Set<string>> {
  const graph = await loadGraph(store, sandbox);
  const closedHolding = new Map<string, boolean>();
  const out = new Set<string>();
  for (const key of keys) {
    const refs = await markBlocking(store, sandbox, usersOf(graph, { kind, key }), closedHolding);
    if (refs.some((r) => r.blocking)) out.add(key);
  }
  return out;
}

/** "Purchase Journey v1 (live)", "fragment Promo code", for messages. */
export function describeUser(u: User): string {
  if (u.kind === 'journey') return `${u.name} v${u.version ?? '?'} (${u.status ?? 'unknown'})`;
  return `${u.kind} ${u.name}`;
}

/** Refuses to delete an object that something still uses (409 `in_use`, the users in `details.usedBy`). */
export async function assertNotInUse(
  store: StoreReads,
  sandbox: string,
  target: ObjectRef,
  title: string,
): Promise<void> {
  const blocking = (await referencesTo(store, sandbox, target)).filter((r) => r.blocking);
  if (blocking.length === 0) return;
  const usedBy = blocking.map(({ blocking: _b, ...u }) => u);
  throw new WaymarkError(
    ErrorCode.InUse,
    `the ${title} "${target.key}" is in use and cannot be deleted; archive it instead. Used by: ${usedBy.map(describeUser).join(', ')}`,
    {
      issues: usedBy.map((u) => ({
        path: refId(u),
        message: `used by ${describeUser(u)}${u.via.length > 0 ? ` through ${u.via.map(refId).join(' > ')}` : ''}`,
      })),
      details: { kind: target.kind, key: target.key, usedBy },
    },
  );
}

/** `roots` and everything they use, as stored in the sandbox (what is not stored is left out). */
export async function dependencyClosure(
  store: StoreReads,
  sandbox: string,
  roots: readonly ObjectRef[],
): Promise<ObjectRef[]> {
  return closureOf(await loadGraph(store, sandbox), roots);
}

export async function archiveMarks(
  store: StoreReads,
  sandbox: string,
): Promise<Map<string, ArchiveMark>> {
  const marks = await store.listObjects<ArchiveMark>(sandbox, ARCHIVE_KIND);
  return new Map(marks.map((m) => [m.key, m.body] as const));
}

export async function setArchived(
  store: ServiceStore,
  sandbox: string,
  target: ObjectRef,
  archived: boolean,
  now: string,
): Promise<ArchiveMark | null> {
  const key = refId(target);
  if (!archived) {
    await store.deleteObject(sandbox, ARCHIVE_KIND, key);
    return null;
  }
  const existing = await store.getObject<ArchiveMark>(sandbox, ARCHIVE_KIND, key);
  if (existing) return existing.body;
  const mark: ArchiveMark = { kind: target.kind, key: target.key, archivedAt: now };
  await store.putObject(sandbox, ARCHIVE_KIND, key, mark, now);
  return mark;
}

/**
 * The access labels of each object or journey (keyed `kind:key`; a journey carries every label of
 * any of its versions), read from the store: what OLAC filters references and exports with.
 */
export async function labelsOfRefs(
  store: StoreReads,
  sandbox: string,
  refs: readonly ObjectRef[],
): Promise<Map<string, readonly string[]>> {
  const out = new Map<string, readonly string[]>();
  for (const r of refs) {
    const id = refId(r);
    if (out.has(id)) continue;
    if (r.kind === 'journey') {
      out.set(id, journeyLabels(await store.getJourneyVersions(sandbox, r.key)));
    } else if (isLabelledKind(r.kind)) {
      out.set(id, labelsOf((await store.getObject(sandbox, r.kind, r.key))?.body));
    } else {
      out.set(id, []);
    }
  }
  return out;
}
