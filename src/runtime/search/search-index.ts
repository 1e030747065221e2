// The quick search's index: per sandbox, every journey's and stored object's name, kind, status
// and access labels, held in memory so that a search over 10,000 objects is a scan of short
// strings, not a read of the store. Built on the first search; marked stale when this process
// changes an object or a journey (the catalog cache's invalidation, which every such change
// calls) and built again at once in the background (a search meanwhile waits for it: never an
// answer without the change just made); and refreshed in the background when older than
// `maxAgeMs`, so that other processes' changes show within that time.
import { labelsOf } from '../../model/labels.ts';
import type { StoreReads } from '../unit-of-work/index.ts';
import { objectKinds } from '../object-kinds.ts';
import { ARCHIVE_KIND } from '../references.ts';
import { displayName } from './display-name.ts';

export interface IndexEntry {
  readonly kind: string;
  readonly key: string;
  readonly name: string;
  readonly nameLower: string;
  readonly keyLower: string;
  readonly status?: string;
  readonly labels: readonly string[];
}

export interface SandboxIndex {
  /** Entries per kind (a caller's view permission is per kind). */
  readonly byKind: ReadonlyMap<string, readonly IndexEntry[]>;
  readonly size: number;
  readonly builtAt: number;
}

interface Slot {
  current: SandboxIndex | null;
  stale: boolean;
  building: { readonly promise: Promise<SandboxIndex>; readonly generation: number } | null;
  /** Bumped by each invalidation: a build that started before one is not taken as fresh. */
  generation: number;
  timer: ReturnType<typeof setTimeout> | null;
}

export class SearchIndex {
  private readonly slots = new Map<string, Slot>();

  constructor(
    private readonly store: StoreReads,
    private readonly opts: { maxAgeMs?: number; settleMs?: number; now?: () => number } = {},
  ) {}

  private get now(): number {
    return (this.opts.now ?? Date.now)();
  }
  private get maxAgeMs(): number {
    return this.opts.maxAgeMs ?? 10_000;
  }

  /**
   * Something in the sandbox changed in this process: the next search builds the index again. The
   * build starts now, in the background (after a short pause that gathers a burst of changes, a
   * package applied), so that it is usually done before anyone searches.
   */
  invalidate(sandbox: string): void {
    const slot = this.slots.get(sandbox);
    if (!slot) return;
    slot.stale = true;
    slot.generation++;
    if (slot.timer) return;
    slot.timer = setTimeout(() => {
      slot.timer = null;
      if (slot.stale) void this.build(sandbox, slot).catch(() => undefined);
    }, this.opts.settleMs ?? 50);
    slot.timer.unref?.();
  }

  /** The sandbox's index: built now when missing or stale, refreshed in the background when old. */
  async get(sandbox: string): Promise<SandboxIndex> {
    let slot = this.slots.get(sandbox);
    if (!slot) {
      slot = { current: null, stale: true, building: null, generation: 0, timer: null };
      this.slots.set(sandbox, slot);
    }
    if (slot.current && !slot.stale) {
      if (this.now - slot.current.builtAt > this.maxAgeMs && !slot.building)
        void this.build(sandbox, slot).catch(() => undefined);
      return slot.current;
    }
    return this.build(sandbox, slot);
  }

  private build(sandbox: string, slot: Slot): Promise<SandboxIndex> {
    // A build that started before the latest change would miss it: only a current one is shared.
    if (slot.building && slot.building.generation === slot.generation) return slot.building.promise;
    const generation = slot.generation;
    const promise = buildIndex(this.store, sandbox, this.now)
      .then((index) => {
        if (slot.generation === generation) {
          slot.current = index;
          slot.stale = false;
        }
        return index;
      })
      .finally(() => {
        if (slot.building?.promise === promise) slot.building = null;
      });
    slot.building = { promise, generation };
    return promise;
  }
}

/** Reads every journey and stored object of the sandbox into an index. */
export async function buildIndex(
  store: StoreReads,
  sandbox: string,
  builtAt: number,
): Promise<SandboxIndex> {
  const byKind = new Map<string, IndexEntry[]>();
  const archived = new Set((await store.listObjects(sandbox, ARCHIVE_KIND)).map((o) => o.key));
  const [versions, ...lists] = await Promise.all([
    store.listJourneys(sandbox),
    ...objectKinds.map((k) => store.listObjects<Record<string, unknown>>(sandbox, k.kind)),
  ] as const);
  const journeys = new Map<string, { latest: (typeof versions)[number]; labels: Set<string> }>();
  for (const v of versions) {
    const j = journeys.get(v.journeyId);
    if (!j) journeys.set(v.journeyId, { latest: v, labels: new Set(labelsOf(v.definition)) });
    else {
      if (v.version > j.latest.version) j.latest = v;
      for (const l of labelsOf(v.definition)) j.labels.add(l);
    }
  }
  byKind.set(
    'journey',
    [...journeys].map(([id, j]) =>
      entry('journey', id, j.latest.definition.name || id, j.latest.status, [...j.labels]),
    ),
  );
  let size = journeys.size;
  objectKinds.forEach((k, i) => {
    const objects = lists[i] as Array<{ key: string; body: Record<string, unknown> }>;
    size += objects.length;
    byKind.set(
      k.kind,
      objects.map((o) => {
        const status = archived.has(`${k.kind}:${o.key}`)
          ? 'archived'
          : typeof o.body.status === 'string'
            ? o.body.status
            : undefined;
        return entry(k.kind, o.key, displayName(o.key, o.body), status, labelsOf(o.body));
      }),
    );
  });
  return { byKind, size, builtAt };
}

function entry(
  kind: string,
  key: string,
  name: string,
  status: string | undefined,
  labels: readonly string[],
): IndexEntry {
  return {
    kind,
    key,
    name,
    nameLower: name.toLowerCase(),
    keyLower: key.toLowerCase(),
    ...(status !== undefined ? { status } : {}),
    labels,
  };
}
