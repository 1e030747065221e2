// Ingest: checks events, resolves (and creates) profiles, records the events and routes each to
// the instances waiting for it and the journeys it starts, all in a unit of work that the writer
// commits, grouped with other requests that arrive while it is busy.
import { decideEntry, step, type CompiledJourney } from '../../journey/index.ts';
import type { InstanceState } from '../../journey/instance.ts';
import { DISCARD_REASON_PREFIX, Metric } from '../../journey/effects.ts';
import { instancesMove } from '../../journey/lifecycle.ts';
import type { Profile } from '../../model/profile.ts';
import { ErrorCode, WaymarkError, type ErrorIssue } from '../../errors.ts';
import { versionKey, type CatalogCache, type SandboxCatalog } from '../catalog.ts';
import {
  checkBusinessEvent,
  checkEvent,
  eventFingerprint,
  isBusinessEvent,
  TEST_BUSINESS_FINGERPRINT,
  type EnvelopeCheck,
} from '../ingest.ts';
import { checkOf, ID_LATER, type CheckedAhead } from '../workers/event-checks.ts';
import type { IngestWorkers } from '../workers/pool.ts';
import { journeyCapDecision } from '../journey-caps.ts';
import {
  withCaps,
  type EngineAudiences,
  type Stepper,
  type StoreReads,
  type EventsAhead,
  type UnitOfWork,
  type Writer,
} from '../unit-of-work/index.ts';

export type IngestResult =
  | {
      readonly index: number;
      readonly id: string;
      readonly status: 'accepted';
      /** '' for a business event, which belongs to no profile. */
      readonly profileId: string;
      readonly journeys: readonly string[];
    }
  | { readonly index: number; readonly id: string; readonly status: 'duplicate' }
  /** The id was taken by a different event (type, payload or timestamp differ): refused, not dead-lettered. */
  | {
      readonly index: number;
      readonly id: string;
      readonly status: 'conflict';
      readonly message: string;
      readonly issues: readonly ErrorIssue[];
    }
  | {
      readonly index: number;
      readonly id: string | null;
      readonly status: 'rejected';
      readonly code: number;
      readonly message: string;
      readonly issues: readonly unknown[];
      readonly deadLetter: true;
    };

/** An event sent from test mode: it moves only the named journey version (in test mode), never a live one. */
export interface TestTarget {
  readonly journeyId: string;
  readonly version: number;
}

export interface IngestDeps {
  readonly writer: Writer;
  readonly stepper: Stepper;
  readonly reads: StoreReads;
  readonly catalogs: CatalogCache;
  readonly audiences?: EngineAudiences;
  readonly newId: () => string;
  /** Threads that check and fingerprint large requests while the writer is busy (src/runtime/workers). */
  readonly workers?: IngestWorkers;
}

/** A request's events checked by a worker, against this catalog. */
interface CheckedByWorker {
  readonly catalog: SandboxCatalog;
  readonly checks: readonly CheckedAhead[];
}

/** A request's events checked against the catalog, before the unit of work reads for them. */
interface CheckedRequest {
  readonly catalog: SandboxCatalog;
  readonly checks: readonly EnvelopeCheck[];
  /** What a worker checked (with its fingerprints), when it checked against this catalog. */
  readonly byWorker: readonly CheckedAhead[] | null;
  readonly ahead: EventsAhead;
}

const idConflict = (index: number, id: string): IngestResult => ({
  index,
  id,
  status: 'conflict',
  message: `the event id "${id}" was already used by a different event (its type, payload or timestamp differ); a new event needs a new id`,
  issues: [
    {
      path: `events[${index}].id`,
      message: 'already used by a different event',
      expected: 'a new id, or the same event as before',
      received: id,
    },
  ],
});

const withId = (check: EnvelopeCheck, id: string): EnvelopeCheck =>
  check.ok ? { ...check, event: { ...check.event, id } } : { ...check, eventId: id };

export class IngestService {
  private readonly newId: () => string;

  constructor(private readonly deps: IngestDeps) {
    this.newId = deps.newId;
  }

  /**
   * Ingests events (one request's worth); answers for each one once they are committed. Requests
   * that arrive while the writer is busy share one transaction (group commit).
   */
  ingest(
    sandbox: string,
    raws: readonly unknown[],
    opts: { replayOf?: number; test?: TestTarget } = {},
  ): Promise<IngestResult[]> {
    const onWorker = opts.replayOf === undefined ? this.checkOnWorker(sandbox, raws) : null;
    // Checked once, when the group starts (so the group reads ahead for all its requests at once).
    let checked: Promise<CheckedRequest> | null = null;
    const check = (): Promise<CheckedRequest> =>
      (checked ??= this.checkRequest(sandbox, raws, onWorker));
    const work = async (uow: UnitOfWork): Promise<IngestResult[]> =>
      this.ingestInto(uow, sandbox, raws, opts, await check());
    if (opts.replayOf !== undefined) return this.deps.writer.run(work);
    return this.deps.writer.grouped(work, raws.length, {
      events: async () => (await check()).ahead,
    });
  }

  /** Sends a large request's events to a worker at once, to be checked while the writer works on what came before. */
  private checkOnWorker(
    sandbox: string,
    raws: readonly unknown[],
  ): Promise<CheckedByWorker | null> | null {
    const workers = this.deps.workers;
    if (!workers?.wants(raws.length)) return null;
    return this.deps.catalogs.get(sandbox).then(
      async (catalog) => {
        const checks = await workers.check(catalog, raws);
        return checks ? { catalog, checks } : null;
      },
      () => null,
    );
  }

  /** Checks a request's events against the catalog: what the unit of work must read for them follows. */
  private async checkRequest(
    sandbox: string,
    raws: readonly unknown[],
    checkedOnWorker: Promise<CheckedByWorker | null> | null,
  ): Promise<CheckedRequest> {
    const catalog = await this.deps.catalogs.get(sandbox);
    // What a worker checked, if it checked against the catalog this unit sees (else checked again).
    const byWorker = checkedOnWorker ? await checkedOnWorker : null;
    const pre = byWorker?.catalog === catalog ? byWorker.checks : null;
    // An event without an id gets its id in the unit of work, in the order it always did.
    const checks = raws.map((raw, index) =>
      pre ? checkOf(raw, pre[index]!) : checkEvent(raw, index, catalog, () => ID_LATER),
    );
    const ok = checks.filter((c): c is Extract<EnvelopeCheck, { ok: true }> => c.ok);
    return {
      catalog,
      checks,
      byWorker: pre,
      ahead: {
        sandbox,
        eventIds: ok.filter((c) => c.event.id !== ID_LATER).map((c) => c.event.id),
        identities: ok.map((c) => c.identity),
      },
    };
  }

  private async ingestInto(
    uow: UnitOfWork,
    sandbox: string,
    raws: readonly unknown[],
    opts: { replayOf?: number; test?: TestTarget },
    { catalog, checks, byWorker: pre, ahead }: CheckedRequest,
  ): Promise<IngestResult[]> {
    const results: IngestResult[] = [];
    // Read ahead in one go what the events need (stored duplicates, profiles, their instances);
    // nothing is read twice when the group has read it already.
    await uow.prefetchEvents(sandbox, ahead.eventIds, ahead.identities);
    for (const [index, raw] of raws.entries()) {
      // An id the engine generates (the event came without one) cannot have been seen before.
      const generatedId =
        typeof raw === 'object' &&
        raw !== null &&
        !Array.isArray(raw) &&
        (raw as { id?: unknown }).id === undefined;
      if (isBusinessEvent(raw, catalog)) {
        results.push(await this.ingestBusiness(uow, catalog, raw, index, generatedId, opts));
        continue;
      }
      const check = generatedId ? withId(checks[index]!, this.newId()) : checks[index]!;
      if (!check.ok) {
        results.push(rejected(uow, sandbox, raw, index, check, opts));
        continue;
      }
      const fingerprintAhead = pre?.[index];
      const fingerprint = generatedId
        ? undefined
        : fingerprintAhead?.ok && fingerprintAhead.fingerprint !== null
          ? fingerprintAhead.fingerprint
          : eventFingerprint(check.event);
      const seen = generatedId ? null : await uow.seenEvent(sandbox, check.event.id);
      if (seen) {
        // Stored before fingerprints were kept: a resend, as far as anyone can tell.
        if (seen.fingerprint === null || seen.fingerprint === fingerprint)
          results.push({ index, id: check.event.id, status: 'duplicate' });
        else results.push(idConflict(index, check.event.id));
        continue;
      }
      let profile = await this.resolveProfile(
        uow,
        sandbox,
        check.identity.namespace,
        check.identity.value,
      );
      if (this.deps.audiences)
        profile = await this.deps.audiences.stitch(uow, catalog, profile, check.event.payload);
      uow.recordEvent({
        sandbox,
        eventId: check.event.id,
        type: check.event.type,
        profileId: profile.id,
        payload: check.event.payload,
        receivedAt: uow.now,
        ...(fingerprint !== undefined ? { fingerprint } : {}),
      });
      const event = { name: check.event.type, payload: check.event.payload };
      const journeys = opts.test
        ? await this.routeTest(uow, catalog, profile, event, opts.test)
        : await this.route(uow, catalog, profile, event);
      results.push({
        index,
        id: check.event.id,
        status: 'accepted',
        profileId: profile.id,
        journeys,
      });
    }
    if (opts.replayOf !== undefined && results[0]?.status !== 'rejected')
      uow.deadLetterReplayed({ id: opts.replayOf, at: uow.now });
    return results;
  }

  /**
   * A business event: checked like any event but belongs to no profile. It is recorded (for its
   * id's idempotency) and runs the audience read of the business event journeys it starts.
   */
  private async ingestBusiness(
    uow: UnitOfWork,
    catalog: SandboxCatalog,
    raw: unknown,
    index: number,
    generatedId: boolean,
    opts: { replayOf?: number; test?: TestTarget },
  ): Promise<IngestResult> {
    const sandbox = catalog.sandbox;
    const check = checkBusinessEvent(raw, index, catalog, () => this.newId());
    if (!check.ok) return rejected(uow, sandbox, raw, index, check, opts);
    const sent = generatedId ? undefined : eventFingerprint(check.event);
    // One sent from test mode is marked: a fleet's shares run only live business events (runtime.ts).
    const fingerprint = opts.test ? `${TEST_BUSINESS_FINGERPRINT}${sent ?? ''}` : sent;
    const seen = generatedId ? null : await uow.seenEvent(sandbox, check.event.id);
    if (seen)
      return seen.fingerprint === null || seen.fingerprint === fingerprint
        ? { index, id: check.event.id, status: 'duplicate' }
        : idConflict(index, check.event.id);
    uow.recordEvent({
      sandbox,
      eventId: check.event.id,
      type: check.event.type,
      profileId: '',
      payload: check.event.payload,
      receivedAt: uow.now,
      ...(fingerprint !== undefined ? { fingerprint } : {}),
    });
    const journeys = this.deps.audiences?.businessEvent
      ? await this.deps.audiences.businessEvent(
          uow,
          catalog,
          { name: check.event.type, payload: check.event.payload },
          // From test mode: only the version under test reads, never a live one.
          opts.test,
        )
      : [];
    return { index, id: check.event.id, status: 'accepted', profileId: '', journeys };
  }

  /** The profile an identity names, created (in this unit) when there is none. */
  private async resolveProfile(
    uow: UnitOfWork,
    sandbox: string,
    namespace: string,
    value: string,
  ): Promise<Profile> {
    const id = await uow.findProfileId(sandbox, namespace, value);
    const existing = id ? await uow.profile(sandbox, id) : null;
    if (existing) return existing;
    const at = new Date(uow.now).toISOString();
    const created: Profile = {
      id: this.newId(),
      identities: [{ namespace, id: value }],
      attributes: {},
      testProfile: false,
      createdAt: at,
      updatedAt: at,
    };
    uow.createProfile(sandbox, created);
    return created;
  }

  /** Routes one event of a profile: to instances waiting for it, then to journeys it starts. */
  private async route(
    uow: UnitOfWork,
    catalog: SandboxCatalog,
    profile: Profile,
    event: { name: string; payload: unknown },
  ): Promise<string[]> {
    const touched: string[] = [];
    // Instances first: a journey this event qualifies the profile for starts without this event.
    const before = await uow.activeInstances(catalog.sandbox, profile.id);
    const audiences = await this.deps.stepper.membershipsIn(uow, catalog.sandbox, profile);
    // As they are now: leaving an audience may have made some exit (exit criteria), and those that
    // entered on the memberships just evaluated are left out.
    const now = new Map(
      (await uow.activeInstances(catalog.sandbox, profile.id)).map((i) => [i.id, i] as const),
    );
    const active = before.flatMap((i) => now.get(i.id) ?? []);
    const env = { now: uow.now, profile: profile.attributes, audiences };
    for (const inst of active) {
      const entry = catalog.versions.get(versionKey(inst.journeyId, inst.version));
      if (!entry?.compiled) continue;
      if (!instancesMove(entry.version.status)) {
        if (waitsFor(entry.compiled, inst, event.name))
          uow.count(catalog.sandbox, inst.journeyId, inst.version, {
            node: null,
            metric: Metric.Discarded,
          });
        continue;
      }
      const r = step(
        entry.compiled,
        inst,
        { kind: 'event', event },
        await withCaps(uow, catalog.sandbox, entry.compiled, env),
      );
      if (r.applied) {
        uow.apply(catalog.sandbox, r, 'event');
        touched.push(inst.journeyId);
      }
    }
    const entries = catalog.entryJourneys.get(event.name) ?? [];
    for (const journey of entries) {
      // A profile already in this journey (on any version) does not enter it again with the same event.
      if (active.some((i) => i.journeyId === journey.journeyId)) continue;
      if (journey.test && !profile.testProfile) continue;
      // A test profile enters the version under test, not the live one beside it: one version per event.
      if (
        !journey.test &&
        profile.testProfile &&
        entries.some((j) => j.test && j.journeyId === journey.journeyId)
      )
        continue;
      const decision = decideEntry(
        journey,
        null,
        await uow.lastExit(catalog.sandbox, journey.journeyId, profile.id),
        uow.now,
      );
      if (!decision.enter) continue;
      // Entry management by namespace: a profile without an identity in the journey's namespace is discarded.
      if (!hasNamespace(profile, journey)) {
        countDiscarded(uow, catalog.sandbox, journey, 'missing_namespace');
        continue;
      }
      if (
        (await journeyCapDecision(this.deps.reads, catalog, journey, profile.id, active, uow.now))
          .excluded
      ) {
        uow.count(catalog.sandbox, journey.journeyId, journey.version, {
          node: null,
          metric: Metric.Capped,
        });
        continue;
      }
      const r = step(
        journey,
        null,
        { kind: 'enter', instanceId: this.newId(), profileId: profile.id, event },
        await withCaps(uow, catalog.sandbox, journey, env),
      );
      uow.apply(catalog.sandbox, r, 'event');
      touched.push(journey.journeyId);
    }
    return [...new Set(touched)];
  }

  /**
   * Routes an event sent from test mode: only to the test profile's instance in the version under
   * test, or into that version. Live versions, and other journeys, never see it.
   */
  private async routeTest(
    uow: UnitOfWork,
    catalog: SandboxCatalog,
    profile: Profile,
    event: { name: string; payload: unknown },
    target: TestTarget,
  ): Promise<string[]> {
    const entry = catalog.versions.get(versionKey(target.journeyId, target.version));
    const journey = entry?.compiled;
    if (!journey || !journey.test)
      throw new WaymarkError(
        ErrorCode.Conflict,
        `journey "${target.journeyId}" v${target.version} is not in test mode`,
      );
    if (!profile.testProfile)
      throw new WaymarkError(
        ErrorCode.Conflict,
        `the profile ${profile.identities[0] ? `${profile.identities[0].namespace}:${profile.identities[0].id}` : profile.id} is not a test profile: only test profiles take part in test mode`,
      );
    const audiences = await this.deps.stepper.membershipsIn(uow, catalog.sandbox, profile);
    const env = await withCaps(uow, catalog.sandbox, journey, {
      now: uow.now,
      profile: profile.attributes,
      audiences,
    });
    const mine = (await uow.activeInstances(catalog.sandbox, profile.id)).filter(
      (i) => i.journeyId === target.journeyId && i.version === target.version,
    );
    let moved = false;
    for (const inst of mine) {
      const r = step(journey, inst, { kind: 'event', event }, env);
      if (r.applied) {
        uow.apply(catalog.sandbox, r, 'test');
        moved = true;
      }
    }
    if (mine.length === 0 && journey.entryEvent === event.name && !hasNamespace(profile, journey))
      countDiscarded(uow, catalog.sandbox, journey, 'missing_namespace');
    else if (mine.length === 0 && journey.entryEvent === event.name) {
      uow.apply(
        catalog.sandbox,
        step(
          journey,
          null,
          { kind: 'enter', instanceId: this.newId(), profileId: profile.id, event },
          env,
        ),
        'test',
      );
      moved = true;
    }
    return moved ? [target.journeyId] : [];
  }
}

/** Whether the profile has an identity in the journey's namespace (entry management by namespace). */
export const hasNamespace = (profile: Profile, journey: CompiledJourney): boolean =>
  journey.namespace === '' || profile.identities.some((i) => i.namespace === journey.namespace);

/** A discarded entry, with its reason for the report. */
export function countDiscarded(
  uow: UnitOfWork,
  sandbox: string,
  journey: CompiledJourney,
  reason: string,
): void {
  uow.count(sandbox, journey.journeyId, journey.version, { node: null, metric: Metric.Discarded });
  uow.count(sandbox, journey.journeyId, journey.version, {
    node: null,
    metric: `${DISCARD_REASON_PREFIX}${reason}`,
  });
}

function waitsFor(journey: CompiledJourney, inst: InstanceState, eventName: string): boolean {
  const w = inst.waiting;
  return (
    w?.kind === 'listening' &&
    w.nodes.some((id) => {
      const n = journey.nodes.get(id);
      return n?.kind === 'event' && n.event === eventName;
    })
  );
}

/** A refused event: a dead letter (unless it is a replay of one) and its rejected result. */
function rejected(
  uow: UnitOfWork,
  sandbox: string,
  raw: unknown,
  index: number,
  check: Extract<EnvelopeCheck, { ok: false }>,
  opts: { readonly replayOf?: number },
): IngestResult {
  if (opts.replayOf === undefined)
    uow.deadLetter({
      sandbox,
      eventId: check.eventId,
      eventType: check.eventType,
      body: raw,
      errors: { message: check.message, issues: check.issues },
      receivedAt: uow.now,
    });
  return {
    index,
    id: check.eventId,
    status: 'rejected',
    code: check.status,
    message: check.message,
    issues: check.issues,
    deadLetter: true,
  };
}
