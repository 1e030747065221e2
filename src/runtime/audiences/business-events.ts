// Fleet mode: business events reach every partition through the store. The engine that takes one
// stores it (the events table: its id once for the fleet) and nothing else; each engine looks,
// every BUSINESS_LOOK_MS and at once after taking one, for the stored business events of the
// business event journeys of its sandboxes, and gives each share of its partitions those it has
// not taken (its `businessSeen`): the share's run starts as a scheduled run does, fired by the
// partition's owner, fenced by its lease, its progress stored. The share's state (what it took)
// and its timer commit together, so a partition changing owner neither loses an event nor runs
// one twice: the new owner reads what the share took. The audience runtime (./runtime.ts) drives it
// from its poll.
import type { Store } from '../../store/ports.ts';
import { versionKey, type CatalogCache, type SandboxCatalog } from '../catalog.ts';
import { TEST_BUSINESS_FINGERPRINT } from '../ingest.ts';
import type { UnitOfWork } from '../unit-of-work/index.ts';
import {
  BUSINESS_LOOKBACK_MS,
  newReadJob,
  readShareId,
  withBusinessEvent,
  type ReadJobState,
} from './read-audience.ts';

/** Fleet mode: how often an engine looks for business events stored by the others. */
export const BUSINESS_LOOK_MS = 500;

type ReadJourney = SandboxCatalog['readAudienceJourneys'][number];

const businessEventOf = (j: ReadJourney): string | undefined =>
  j.definition.entry.type === 'readAudience' ? j.definition.entry.businessEvent : undefined;

const isBusinessJourney = (j: ReadJourney): boolean => businessEventOf(j) !== undefined;

/** Since when a version takes business events: its publication (a version under test: its last change). */
function liveSince(catalog: SandboxCatalog, journeyId: string, version: number): number {
  const v = catalog.versions.get(versionKey(journeyId, version))?.version;
  const at = v ? Date.parse(v.publishedAt ?? v.updatedAt) : NaN;
  return Number.isNaN(at) ? 0 : at;
}

/** What every share took in one look, per sandbox (`<eventId> <journeyId> <version>` → partitions). */
export type BusinessTaken = Map<string, Map<string, string>>;

/** Stores a read share's state and moves its timer (the audience runtime's saveJob). */
export type SaveShare = (
  uow: UnitOfWork,
  sandbox: string,
  id: string,
  state: ReadJobState,
  wakeAt: number,
) => void;

export interface BusinessEventDeps {
  readonly store: Store;
  readonly catalogs: CatalogCache;
}

export class BusinessEventDiscovery {
  /** Sandboxes with business event journeys, whose stored business events the shares look for. */
  private readonly sandboxes = new Set<string>();
  /** When to look for new business events next (at once after one arrived here). */
  private nextLook = 0;
  /**
   * Business events every share of this engine's partitions has taken, per sandbox
   * (`<eventId> <journeyId> <version>` → the partitions owned then): skipped without reading the jobs.
   */
  private readonly taken: BusinessTaken = new Map();

  constructor(
    private readonly deps: BusinessEventDeps,
    private readonly saveShare: SaveShare,
  ) {}

  /** A sandbox was looked at: its stored business events are looked for while it has such journeys. */
  track(catalog: SandboxCatalog): void {
    if (catalog.readAudienceJourneys.some(isBusinessJourney)) this.sandboxes.add(catalog.sandbox);
    else this.sandboxes.delete(catalog.sandbox);
  }

  /** A business event of `sandbox` was stored here: look for it at once. */
  arrived(sandbox: string): void {
    this.sandboxes.add(sandbox);
    this.nextLook = 0;
  }

  /** Partitions taken: their shares look for the business events they have not taken yet. */
  reset(): void {
    this.taken.clear();
    this.nextLook = 0;
  }

  /** Look again at the next poll (a refused commit). */
  lookSoon(): void {
    this.nextLook = 0;
  }

  /** Whether to look for stored business events now (only in fleet mode). */
  due(now: number, fleet: boolean): boolean {
    return fleet && this.sandboxes.size > 0 && now >= this.nextLook;
  }

  /**
   * Gives each share of the `owned` partitions the stored business events it has not taken, in
   * `uow`. Returns what every share took, for `remember` once `uow` is committed.
   */
  async discover(uow: UnitOfWork, now: number, owned: readonly number[]): Promise<BusinessTaken> {
    this.nextLook = now + BUSINESS_LOOK_MS;
    const partitions = [...owned].sort((a, b) => a - b);
    const signature = partitions.join(',');
    const taken: BusinessTaken = new Map();
    if (partitions.length === 0) return taken;
    for (const sandbox of this.sandboxes) {
      const catalog = await this.deps.catalogs.get(sandbox);
      const journeys = catalog.readAudienceJourneys.filter(isBusinessJourney);
      if (journeys.length === 0) continue;
      const types = [...new Set(journeys.flatMap((j) => businessEventOf(j) ?? []))];
      const stored = (
        await this.deps.store.businessEvents(sandbox, {
          types,
          since: now - BUSINESS_LOOKBACK_MS,
          limit: 1000,
        })
      ).filter((e) => !e.fingerprint?.startsWith(TEST_BUSINESS_FINGERPRINT));
      const known = this.taken.get(sandbox);
      const mine = new Map<string, string>();
      const todo: Array<{ journey: ReadJourney; events: typeof stored }> = [];
      for (const j of journeys) {
        const since = liveSince(catalog, j.journeyId, j.version);
        const events = stored.filter((e) => {
          if (e.type !== businessEventOf(j) || e.at < since) return false;
          const key = `${e.eventId} ${j.journeyId} ${j.version}`;
          mine.set(key, signature);
          return known?.get(key) !== signature;
        });
        if (events.length > 0) todo.push({ journey: j, events });
      }
      taken.set(sandbox, mine);
      if (todo.length === 0) continue;
      const reads = new Map<string, ReadJobState>();
      for (const j of await this.deps.store.audienceJobs(sandbox)) {
        const state = j.state as { readonly kind: string };
        if (state.kind === 'read') reads.set(j.id, state as ReadJobState);
      }
      for (const { journey, events } of todo) {
        for (const p of partitions) {
          const id = readShareId(journey.journeyId, journey.version, p);
          let st = reads.get(id) ?? newReadJob(journey, now, p);
          const seen: Record<string, number> = {};
          for (const [e, at] of Object.entries(st.businessSeen ?? {}))
            if (at >= now - BUSINESS_LOOKBACK_MS) seen[e] = at;
          let changed = false;
          for (const e of events) {
            if (Object.hasOwn(seen, e.eventId)) continue;
            seen[e.eventId] = e.at;
            st = withBusinessEvent(st, { name: e.type, payload: e.payload }, now).state;
            changed = true;
          }
          if (!changed) continue;
          // Its timer now (fenced by the partition's lease): a run under way goes on at its pace, the event's run follows it.
          this.saveShare(uow, sandbox, id, { ...st, businessSeen: seen }, now);
        }
      }
    }
    return taken;
  }

  /** What a look's shares took, once its unit of work is committed: skipped by the next looks. */
  remember(taken: BusinessTaken): void {
    for (const [sandbox, keys] of taken) {
      const known = this.taken.get(sandbox) ?? new Map<string, string>();
      for (const [k, v] of keys) known.set(k, v);
      this.taken.set(sandbox, known);
    }
  }
}
