// Batch evaluation: one audience over every profile of a sandbox (on demand, or on a schedule as a
// job), with its size and a sample. Profiles are read in id order, a page at a time; memberships that
// change are written like streaming ones (and trigger audience-qualification journeys).
import {
  attributeProjection,
  evaluateBatch,
  extendSample,
  snapshotNeeds,
  type CompiledAudience,
  type ProfileSnapshot,
} from '../../audience/index.ts';
import { notFound } from '../../errors.ts';
import type { MembershipStatus } from '../../model/audience.ts';
import type { StoreReads } from '../unit-of-work/index.ts';
import type { SandboxCatalog } from '../catalog.ts';
import type { UnitOfWork } from '../unit-of-work/index.ts';
import { loadHistories } from './snapshot.ts';
import type { StreamingAudiences } from './streaming.ts';

export interface BatchRunResult {
  readonly audience: string;
  readonly evaluated: number;
  readonly size: number;
  readonly sample: string[];
  readonly realized: number;
  readonly exited: number;
}

export interface BatchJobState {
  readonly kind: 'batch';
  readonly audience: string;
  /** Between runs; 0: run once (an audience created or changed), then the job goes. */
  readonly everyMs: number;
  readonly nextRunAt: number;
  /** The run in progress: a page of profiles per firing, from after `cursor`. */
  readonly running?: {
    readonly cursor: string;
    readonly startedAt: number;
    readonly result: BatchRunResult;
  };
  readonly lastRun?: BatchRunResult & { readonly at: number };
}

export const batchJobId = (audience: string): string => `batch:${audience}`;
export const PAGE = 5000;

export function compiledAudience(catalog: SandboxCatalog, name: string): CompiledAudience {
  const a = catalog.audiences.find((x) => x.name === name);
  if (!a) throw notFound('audience', name);
  return a;
}

/** A page of a batch run: profiles (ids, and the attributes the audience reads) in id order, after `after`. */
export interface BatchPage {
  readonly after: string;
  readonly profiles: ReadonlyArray<{
    readonly id: string;
    readonly attributes: Readonly<Record<string, unknown>>;
  }>;
}

export async function readPage(
  store: StoreReads,
  sandbox: string,
  audience: CompiledAudience,
  after: string,
  limit = PAGE,
): Promise<BatchPage> {
  const paths = attributeProjection([audience]);
  return {
    after,
    profiles: await store.scanAttributes(sandbox, {
      afterId: after,
      limit,
      ...(paths ? { paths } : {}),
    }),
  };
}

const NO_HISTORY = { events: [], feedback: [] };
const NO_MEMBERSHIPS: Readonly<Record<string, MembershipStatus>> = {};

/** The statuses, in the audiences named, of the profiles with ids in the range: profile → audience → status. */
async function membershipsOfPage(
  store: StoreReads,
  sandbox: string,
  audiences: readonly string[],
  range: { afterProfileId: string; toProfileId: string },
): Promise<ReadonlyMap<string, Record<string, MembershipStatus>>> {
  const out = new Map<string, Record<string, MembershipStatus>>();
  for (const name of audiences) {
    for (const r of await store.audienceStatuses(sandbox, name, range)) {
      let statuses = out.get(r.profileId);
      if (!statuses) {
        statuses = {};
        out.set(r.profileId, statuses);
      }
      statuses[name] = r.status;
    }
  }
  return out;
}

/** What one page of a run found: its members (for the run's sample) and the changes made. */
export interface PageResult {
  readonly evaluated: number;
  readonly members: readonly string[];
  readonly realized: number;
  readonly exited: number;
}

/** Evaluates one page of profiles and records the changes in `uow`; returns the page's result. */
export async function evaluatePage(
  store: StoreReads,
  streaming: StreamingAudiences,
  uow: UnitOfWork,
  catalog: SandboxCatalog,
  audience: CompiledAudience,
  page: BatchPage,
): Promise<PageResult> {
  const needs = snapshotNeeds([audience]);
  const sandbox = catalog.sandbox;
  const profiles = page.profiles;
  if (profiles.length === 0) return { evaluated: 0, members: [], realized: 0, exited: 0 };
  // Statuses for the whole page, one range read per audience (memberships share the profile id
  // order): the audience's own, and those of the audiences it reads.
  const range = { afterProfileId: page.after, toProfileId: profiles[profiles.length - 1]!.id };
  const own = new Map(
    (await store.audienceStatuses(sandbox, audience.name, range)).map(
      (r) => [r.profileId, r] as const,
    ),
  );
  const read = await membershipsOfPage(store, sandbox, audience.dependsOn.audiences, range);
  const noHistory = needs.eventTypes.length === 0 && !needs.feedback;
  const items: { id: string; snapshot: ProfileSnapshot }[] = [];
  const histories = noHistory ? null : await loadHistories(store, sandbox, range, needs, uow.now);
  for (const p of profiles) {
    const history = histories?.get(p.id) ?? NO_HISTORY;
    items.push({
      id: p.id,
      snapshot: {
        attributes: p.attributes,
        events: history.events,
        feedback: history.feedback,
        memberships: read.get(p.id) ?? NO_MEMBERSHIPS,
      },
    });
  }
  const r = evaluateBatch(audience, items, uow.now, { sampleSize: 0 });
  const members = new Set(r.members);
  let realized = 0;
  let exited = 0;
  for (const it of items) {
    const member = members.has(it.id);
    const was = own.get(it.id);
    const change =
      member && was?.status !== 'realized'
        ? 'realized'
        : !member && was?.status === 'realized'
          ? 'exited'
          : null;
    if (change === null) continue;
    if (change === 'realized') realized++;
    else exited++;
    await streaming.setFromBatch(
      uow,
      catalog,
      it.id,
      { audience: audience.name, status: change },
      was,
    );
  }
  return { evaluated: items.length, members: r.members, realized, exited };
}

/** Adds a page to a run; the sample stays uniform over every member found so far. */
export function addPage(
  total: BatchRunResult,
  page: PageResult,
  sampleSize: number,
): BatchRunResult {
  return {
    audience: total.audience,
    evaluated: total.evaluated + page.evaluated,
    size: total.size + page.members.length,
    sample: extendSample(total.sample, total.size, page.members, sampleSize),
    realized: total.realized + page.realized,
    exited: total.exited + page.exited,
  };
}

export const emptyRun = (audience: string): BatchRunResult => ({
  audience,
  evaluated: 0,
  size: 0,
  sample: [],
  realized: 0,
  exited: 0,
});
