// The engine: the single writer that routes events and timers to journey instances, runs the pure
// step function and commits state, effects and counters together; dispatchers then carry out the
// effects (custom actions, messages) from the outbox.
import { randomUUID } from 'node:crypto';
import { decideEntry, step, type ActionResult, type CompiledJourney, type StepInput } from '../journey/index.ts';
import type { InstanceState } from '../journey/instance.ts';
import { Metric, type Effect } from '../journey/effects.ts';
import { instancesMove } from '../journey/lifecycle.ts';
import type { Profile } from '../model/profile.ts';
import type { MessageRecord, OutboxItem, Store, TimerRow } from '../store/ports.ts';
import { bounceFeedback } from '../channels/tracking/index.ts';
import { ErrorCode, toWaymarkError, WaymarkError, type ErrorIssue } from '../errors.ts';
import { versionKey, type CatalogCache, type SandboxCatalog } from './catalog.ts';
import type { Clock } from './clock.ts';
import { checkEvent, eventFingerprint, type EnvelopeCheck } from './ingest.ts';
import type { ActionInvoker, MembershipReader, MessageSender } from './ports.ts';
import { Serial } from './serial.ts';
import { journeyCapDecision } from './journey-caps.ts';
import { nextRetryAt, retryScheduleFor, type RetrySchedule } from './retry-policy.ts';
import { UnitOfWork } from './unit-of-work.ts';
import { withDetails } from './messages.ts';
import { tracedRequest } from './test-trace.ts';
import type { TracedRequest } from '../journey/trace.ts';

export interface EngineDeps {
  readonly store: Store;
  readonly catalogs: CatalogCache;
  readonly clock: Clock;
  readonly invokeAction: ActionInvoker;
  readonly sendMessage: MessageSender;
  readonly memberships?: MembershipReader;
  /** Stored audience memberships (src/runtime/audiences): evaluated in the unit of work, with their own timers. */
  readonly audiences?: EngineAudiences;
  readonly newId?: () => string;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;
  /** How many outbox items run at once (bounded concurrency). */
  readonly dispatchConcurrency?: number;
}

export interface EngineAudiences {
  /** The profile's memberships after re-evaluating what this unit changed (entering audience-qualification journeys). */
  refresh(uow: UnitOfWork, sandbox: string, profile: Profile): Promise<Readonly<Record<string, 'realized' | 'exited'>>>;
  /** Runs a timer that belongs to no instance (audience windows, read-audience runs); false when it is an instance's. */
  onTimer(uow: UnitOfWork, timer: TimerRow): Promise<boolean>;
  /** Before due timers are read: schedules what catalog changes call for (read-audience runs). */
  poll(now: number): Promise<void>;
  /** Identity stitching: merges the profiles owning other identities the event links; returns the resulting profile. */
  stitch(uow: UnitOfWork, catalog: SandboxCatalog, profile: Profile, payload: unknown): Promise<Profile>;
}

export type IngestResult =
  | { readonly index: number; readonly id: string; readonly status: 'accepted'; readonly profileId: string; readonly journeys: readonly string[] }
  | { readonly index: number; readonly id: string; readonly status: 'duplicate' }
  /** The id was taken by a different event (type, payload or timestamp differ): refused, not dead-lettered. */
  | { readonly index: number; readonly id: string; readonly status: 'conflict'; readonly message: string; readonly issues: readonly ErrorIssue[] }
  | { readonly index: number; readonly id: string | null; readonly status: 'rejected'; readonly code: number; readonly message: string; readonly issues: readonly unknown[]; readonly deadLetter: true };

/** An event sent from test mode: it moves only the named journey version (in test mode), never a live one. */
export interface TestTarget { readonly journeyId: string; readonly version: number }

const TIMER_BATCH = 1000;

interface GroupItem {
  readonly work: (uow: UnitOfWork) => Promise<unknown>;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
  /** Instances the work will step: the group reads them (and their profiles) ahead, all at once. */
  readonly instanceIds: readonly string[];
}
interface Group { readonly items: GroupItem[]; weight: number; started: boolean; queuedAt: number }

/** At most this many events (or other pieces of work) share one transaction. */
const MAX_GROUP_WEIGHT = 2000;

/** The writer's queue, counting what was queued so that a group knows whether it is still last. */
class CountingSerial extends Serial {
  queued = 0;
  override run<T>(task: () => Promise<T>): Promise<T> {
    this.queued++;
    return super.run(task);
  }
}

/** The id an event without one gets, while checking ahead; replaced by a generated id in order. */
const ID_LATER = '\u0000later';

const idConflict = (index: number, id: string): IngestResult => ({
  index, id, status: 'conflict',
  message: `the event id "${id}" was already used by a different event (its type, payload or timestamp differ); a new event needs a new id`,
  issues: [{ path: `events[${index}].id`, message: 'already used by a different event', expected: 'a new id, or the same event as before', received: id }],
});

const withId = (check: EnvelopeCheck, id: string): EnvelopeCheck => (check.ok ? { ...check, event: { ...check.event, id } } : { ...check, eventId: id });

export class Engine {
  readonly serial = new CountingSerial();
  private openGroup: Group | null = null;
  private readonly newId: () => string;
  private readonly inFlight = new Set<string>();
  /** Outbox items resent because a crash cut their attempt, and items finished from a send recorded before a crash (since start). */
  readonly delivery = { resentAfterCrash: 0, finishedFromRecord: 0 };
  private loop: NodeJS.Timeout | null = null;
  private ticking = false;

  constructor(private readonly deps: EngineDeps) {
    this.newId = deps.newId ?? timeOrderedId;
  }

  get store(): Store { return this.deps.store; }
  get catalogs(): CatalogCache { return this.deps.catalogs; }
  get clock(): Clock { return this.deps.clock; }

  /**
   * Ingests events (one request's worth); answers for each one once they are committed. Requests
   * that arrive while the writer is busy share one transaction (group commit).
   */
  ingest(sandbox: string, raws: readonly unknown[], opts: { replayOf?: number; test?: TestTarget } = {}): Promise<IngestResult[]> {
    if (opts.replayOf !== undefined) return this.serial.run(() => this.alone((uow) => this.ingestInto(uow, sandbox, raws, opts)));
    return this.grouped((uow) => this.ingestInto(uow, sandbox, raws, opts), raws.length);
  }

  private async ingestInto(uow: UnitOfWork, sandbox: string, raws: readonly unknown[], opts: { replayOf?: number; test?: TestTarget }): Promise<IngestResult[]> {
    const catalog = await this.deps.catalogs.get(sandbox);
    const results: IngestResult[] = [];
    // Checked first, to read ahead in one go what the events need (stored duplicates, profiles,
    // their instances). An event without an id gets its id below, in the order it always did.
    const checks = raws.map((raw, index) => checkEvent(raw, index, catalog, () => ID_LATER));
    const ahead = checks.filter((c): c is Extract<EnvelopeCheck, { ok: true }> => c.ok);
    await uow.prefetchEvents(sandbox, ahead.filter((c) => c.event.id !== ID_LATER).map((c) => c.event.id), ahead.map((c) => c.identity));
    for (const [index, raw] of raws.entries()) {
      // An id the engine generates (the event came without one) cannot have been seen before.
      const generatedId = typeof raw === 'object' && raw !== null && !Array.isArray(raw) && (raw as { id?: unknown }).id === undefined;
      const check = generatedId ? withId(checks[index]!, this.newId()) : checks[index]!;
      if (!check.ok) {
        if (opts.replayOf === undefined) uow.batch.deadLetters.push({ sandbox, eventId: check.eventId, eventType: check.eventType, body: raw, errors: { message: check.message, issues: check.issues }, receivedAt: uow.now });
        results.push({ index, id: check.eventId, status: 'rejected', code: check.status, message: check.message, issues: check.issues, deadLetter: true });
        continue;
      }
      const fingerprint = generatedId ? undefined : eventFingerprint(check.event);
      const seen = generatedId ? null : await uow.seenEvent(sandbox, check.event.id);
      if (seen) {
        // Stored before fingerprints were kept: a resend, as far as anyone can tell.
        if (seen.fingerprint === null || seen.fingerprint === fingerprint) results.push({ index, id: check.event.id, status: 'duplicate' });
        else results.push(idConflict(index, check.event.id));
        continue;
      }
      let profile = await this.resolveProfile(uow, sandbox, check.identity.namespace, check.identity.value);
      if (this.deps.audiences) profile = await this.deps.audiences.stitch(uow, catalog, profile, check.event.payload);
      uow.recordEvent({ sandbox, eventId: check.event.id, type: check.event.type, profileId: profile.id, payload: check.event.payload, receivedAt: uow.now, ...(fingerprint !== undefined ? { fingerprint } : {}) });
      const event = { name: check.event.type, payload: check.event.payload };
      const journeys = opts.test ? await this.routeTest(uow, catalog, profile, event, opts.test) : await this.route(uow, catalog, profile, event);
      results.push({ index, id: check.event.id, status: 'accepted', profileId: profile.id, journeys });
    }
    if (opts.replayOf !== undefined && results[0]?.status !== 'rejected') uow.batch.deadLettersReplayed.push({ id: opts.replayOf, at: uow.now });
    return results;
  }

  /** Runs one piece of work in its own unit of work and commits it. */
  private async alone<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    const uow = new UnitOfWork(this.deps.store, this.deps.clock.now());
    const r = await work(uow);
    await uow.commit();
    if (uow.outboxAdded > 0) this.kick();
    return r;
  }

  /**
   * Group commit: work that arrives while the writer is busy joins one unit of work, committed in
   * one transaction, as long as nothing else was queued on the writer in between (order is kept).
   * If any piece throws, the shared unit of work is dropped and each piece runs alone, so a
   * failure only fails its own caller, as without grouping.
   */
  private grouped<T>(work: (uow: UnitOfWork) => Promise<T>, weight = 1, instanceIds: readonly string[] = []): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const item: GroupItem = { work, resolve: resolve as (v: unknown) => void, reject, instanceIds };
      const open = this.openGroup;
      if (open && !open.started && open.queuedAt === this.serial.queued && open.weight + weight <= MAX_GROUP_WEIGHT) {
        open.items.push(item);
        open.weight += weight;
        return;
      }
      const group: Group = { items: [item], weight, started: false, queuedAt: 0 };
      this.openGroup = group;
      void this.serial.run(() => this.runGroup(group));
      group.queuedAt = this.serial.queued;
    });
  }

  private async runGroup(group: Group): Promise<void> {
    group.started = true;
    if (this.openGroup === group) this.openGroup = null;
    if (group.items.length > 1) {
      const uow = new UnitOfWork(this.deps.store, this.deps.clock.now());
      const results: unknown[] = [];
      let ok = true;
      try {
        await uow.prefetchInstances(group.items.flatMap((item) => item.instanceIds));
        for (const item of group.items) results.push(await item.work(uow));
      } catch {
        ok = false;
      }
      if (ok) {
        try {
          await uow.commit();
        } catch (e) {
          for (const item of group.items) item.reject(e);
          return;
        }
        if (uow.outboxAdded > 0) this.kick();
        group.items.forEach((item, i) => item.resolve(results[i]));
        return;
      }
    }
    for (const item of group.items) {
      try { item.resolve(await this.alone(item.work)); } catch (e) { item.reject(e); }
    }
  }

  private async resolveProfile(uow: UnitOfWork, sandbox: string, namespace: string, value: string): Promise<Profile> {
    const id = await uow.findProfileId(sandbox, namespace, value);
    const existing = id ? await uow.profile(sandbox, id) : null;
    if (existing) return existing;
    const at = new Date(uow.now).toISOString();
    const created: Profile = { id: this.newId(), identities: [{ namespace, id: value }], attributes: {}, testProfile: false, createdAt: at, updatedAt: at };
    uow.createProfile(sandbox, created);
    return created;
  }

  /** Routes one event of a profile: to instances waiting for it, then to journeys it starts. */
  private async route(uow: UnitOfWork, catalog: SandboxCatalog, profile: Profile, event: { name: string; payload: unknown }): Promise<string[]> {
    const touched: string[] = [];
    // Instances first: a journey this event qualifies the profile for starts without this event.
    const active = await uow.activeInstances(catalog.sandbox, profile.id);
    const audiences = await this.membershipsIn(uow, catalog.sandbox, profile);
    const env = { now: uow.now, profile: profile.attributes, audiences };
    for (const inst of active) {
      const entry = catalog.versions.get(versionKey(inst.journeyId, inst.version));
      if (!entry?.compiled) continue;
      if (!instancesMove(entry.version.status)) {
        if (waitsFor(entry.compiled, inst, event.name)) uow.count(catalog.sandbox, inst.journeyId, inst.version, { node: null, metric: Metric.Discarded });
        continue;
      }
      const r = step(entry.compiled, inst, { kind: 'event', event }, env);
      if (r.applied) { uow.apply(catalog.sandbox, r); touched.push(inst.journeyId); }
    }
    const entries = catalog.entryJourneys.get(event.name) ?? [];
    for (const journey of entries) {
      // A profile already in this journey (on any version) does not enter it again with the same event.
      if (active.some((i) => i.journeyId === journey.journeyId)) continue;
      if (journey.test && !profile.testProfile) continue;
      // A test profile enters the version under test, not the live one beside it: one version per event.
      if (!journey.test && profile.testProfile && entries.some((j) => j.test && j.journeyId === journey.journeyId)) continue;
      const decision = decideEntry(journey, null, await uow.lastExit(catalog.sandbox, journey.journeyId, profile.id), uow.now);
      if (!decision.enter) continue;
      if ((await journeyCapDecision(this.deps.store, catalog, journey, profile.id, active, uow.now)).excluded) {
        uow.count(catalog.sandbox, journey.journeyId, journey.version, { node: null, metric: Metric.Capped });
        continue;
      }
      const r = step(journey, null, { kind: 'enter', instanceId: this.newId(), profileId: profile.id, event }, env);
      uow.apply(catalog.sandbox, r);
      touched.push(journey.journeyId);
    }
    return [...new Set(touched)];
  }

  /**
   * Routes an event sent from test mode: only to the test profile's instance in the version under
   * test, or into that version. Live versions, and other journeys, never see it.
   */
  private async routeTest(uow: UnitOfWork, catalog: SandboxCatalog, profile: Profile, event: { name: string; payload: unknown }, target: TestTarget): Promise<string[]> {
    const entry = catalog.versions.get(versionKey(target.journeyId, target.version));
    const journey = entry?.compiled;
    if (!journey || !journey.test) throw new WaymarkError(ErrorCode.Conflict, `journey "${target.journeyId}" v${target.version} is not in test mode`);
    if (!profile.testProfile) throw new WaymarkError(ErrorCode.Conflict, `the profile ${profile.identities[0] ? `${profile.identities[0].namespace}:${profile.identities[0].id}` : profile.id} is not a test profile: only test profiles take part in test mode`);
    const audiences = await this.membershipsIn(uow, catalog.sandbox, profile);
    const env = { now: uow.now, profile: profile.attributes, audiences };
    const mine = (await uow.activeInstances(catalog.sandbox, profile.id)).filter((i) => i.journeyId === target.journeyId && i.version === target.version);
    let moved = false;
    for (const inst of mine) {
      const r = step(journey, inst, { kind: 'event', event }, env);
      if (r.applied) { uow.apply(catalog.sandbox, r); moved = true; }
    }
    if (mine.length === 0 && journey.entryEvent === event.name) {
      uow.apply(catalog.sandbox, step(journey, null, { kind: 'enter', instanceId: this.newId(), profileId: profile.id, event }, env));
      moved = true;
    }
    return moved ? [target.journeyId] : [];
  }

  async memberships(sandbox: string, profile: Profile | null): Promise<Readonly<Record<string, 'realized' | 'exited'>>> {
    return this.deps.memberships ? this.deps.memberships(sandbox, profile) : {};
  }

  /** Feeds one input to one stored instance, in its own unit of work (timers, action results, stop). */
  private async feed(uow: UnitOfWork, sandbox: string, instanceId: string, input: StepInput): Promise<boolean> {
    const found = await uow.instance(instanceId);
    if (!found) return false;
    return this.feedState(uow, sandbox, await this.deps.catalogs.get(sandbox), found.state, input);
  }

  private async feedState(uow: UnitOfWork, sandbox: string, catalog: SandboxCatalog, state: InstanceState, input: StepInput): Promise<boolean> {
    if (state.status !== 'active') return false;
    const entry = catalog.versions.get(versionKey(state.journeyId, state.version));
    if (!entry?.compiled) return false;
    const profile = await uow.profile(sandbox, state.profileId);
    const env = { now: uow.now, profile: profile?.attributes ?? {}, audiences: await this.membershipsIn(uow, sandbox, profile) };
    const r = step(entry.compiled, state, input, env);
    if (r.applied) uow.apply(sandbox, r);
    return r.applied;
  }

  /** Memberships of a profile as read in this unit of work: evaluated once per profile version. */
  private membershipsIn(uow: UnitOfWork, sandbox: string, profile: Profile | null): Promise<Readonly<Record<string, 'realized' | 'exited'>>> {
    if (profile && this.deps.audiences) return this.deps.audiences.refresh(uow, sandbox, profile);
    if (!profile || !this.deps.memberships) return this.memberships(sandbox, profile);
    let m = uow.memberships.get(profile);
    if (!m) { m = this.memberships(sandbox, profile); uow.memberships.set(profile, m); }
    return m;
  }

  /** Fires every timer due now; each fires once, removed in the same transaction as its step. */
  fireDueTimers(limit = 1000): Promise<number> {
    return this.serial.run(async () => {
      const now = this.deps.clock.now();
      await this.deps.audiences?.poll(now);
      const due = await this.deps.store.dueTimers(now, limit);
      if (due.length === 0) return 0;
      const uow = new UnitOfWork(this.deps.store, now);
      await uow.prefetchInstances(due.map((t) => t.instanceId));
      let catalog: SandboxCatalog | null = null;
      for (const t of due) {
        if (this.deps.audiences && await this.deps.audiences.onTimer(uow, t)) continue;
        const found = await uow.instance(t.instanceId);
        if (catalog?.sandbox !== t.sandbox) catalog = await this.deps.catalogs.get(t.sandbox);
        const entry = found ? catalog.versions.get(versionKey(found.state.journeyId, found.state.version)) : undefined;
        if (entry && entry.version.status === 'paused') {
          // Held while paused: looked at again shortly, fired once the journey resumes.
          uow.batch.timersAdd.push({ ...t, dueAt: now + 1000 });
          continue;
        }
        uow.batch.timersRemove.push(t.id);
        if (found) await this.feedState(uow, t.sandbox, catalog, found.state, { kind: 'timer', timerId: t.id });
      }
      await uow.commit();
      if (uow.outboxAdded > 0) this.kick();
      return due.length;
    });
  }

  /** Runs the outbox items that are due, at most `dispatchConcurrency` at a time. */
  async dispatchOutbox(limit = 200): Promise<number> {
    const now = this.deps.clock.now();
    const items = (await this.deps.store.pendingOutbox(now, limit)).filter((i) => !this.inFlight.has(i.id));
    if (items.length === 0) return 0;
    for (const i of items) this.inFlight.add(i.id);
    // Marked durably before any send: a restart that finds an item still marked knows a crash cut
    // its attempt (it may have reached the provider), resends it under the same idempotency key and
    // counts it. Items whose send completed are finished from their recorded outcome, not resent.
    try {
      await this.deps.store.markOutboxAttempting(items.filter((i) => !i.sent).map((i) => i.id), now);
    } catch (e) {
      for (const i of items) this.inFlight.delete(i.id);
      throw e;
    }
    const width = this.deps.dispatchConcurrency ?? 16;
    let next = 0;
    // The instances and profiles the messages render from, read ahead in two reads by a unit of work
    // used for reading only (never committed); what it could not read ahead it reads on demand.
    const ahead = new UnitOfWork(this.deps.store, now);
    await ahead.prefetchInstances(items.filter((i) => i.kind === 'sendMessage').map((i) => i.instanceId)).catch(() => undefined);
    const worker = async (): Promise<void> => {
      while (next < items.length) {
        const item = items[next++]!;
        try { await this.dispatchOne(item, ahead); } finally { this.inFlight.delete(item.id); }
      }
    };
    await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
    return items.length;
  }

  private async dispatchOne(item: OutboxItem, ahead: UnitOfWork): Promise<void> {
    const effect = item.payload as { kind: string; callId?: string; messageId?: string };
    if (item.sent) {
      this.delivery.finishedFromRecord++;
      await this.finish(item, item.sent.outcome as SendOutcome);
      return;
    }
    if (item.attemptStartedAt !== null && item.attemptStartedAt !== undefined) {
      this.delivery.resentAfterCrash++;
      this.deps.log?.('warn', 'resending an outbox item whose attempt a crash cut (it may have reached the provider)', { id: item.id, kind: item.kind, idempotencyKey: effect.callId ?? effect.messageId, attemptStartedAt: item.attemptStartedAt });
    }
    try {
      if (effect.kind === 'callAction') await this.runAction(item);
      else if (effect.kind === 'sendMessage') await this.runMessage(item, ahead);
      else throw new Error(`unknown outbox item ${effect.kind}`);
    } catch (thrown) {
      const err = toWaymarkError(thrown);
      this.deps.log?.('warn', 'outbox item failed', { id: item.id, kind: item.kind, code: err.code, message: err.message, attempts: item.attempts + 1 });
      const schedule = await this.retryScheduleOf(item);
      await this.serial.run(async () => {
        const uow = new UnitOfWork(this.deps.store, this.deps.clock.now());
        const retryAfterMs = typeof err.details['retryAfterMs'] === 'number' ? err.details['retryAfterMs'] : undefined;
        const retryAt = err.retryable ? nextRetryAt(schedule, { failures: item.attempts + 1, queuedAt: item.createdAt, now: uow.now, retryAfterMs }) : null;
        if (retryAt !== null) {
          uow.batch.outboxRetry.push({ id: item.id, nextAttemptAt: retryAt, error: err.message });
        } else if (item.kind === 'callAction') {
          uow.batch.outboxDone.push(item.id);
          const callId = (item.payload as { callId: string }).callId;
          await this.feed(uow, item.sandbox, item.instanceId, { kind: 'actionResult', callId, result: { ok: false, code: 'internalError', message: err.message } });
        } else {
          uow.batch.outboxDone.push(item.id);
          uow.message(failedMessage(item, err, uow.now, err.retryable ? 'the retry window is over' : null));
          const messageId = (item.payload as { messageId: string }).messageId;
          await this.feed(uow, item.sandbox, item.instanceId, { kind: 'messageResult', messageId, result: { ok: false, code: 'failed', message: err.message } });
        }
        await uow.commit();
      });
    }
  }

  /** The retry schedule of an item: its channel's, with its channel configuration's window. */
  private async retryScheduleOf(item: OutboxItem): Promise<RetrySchedule> {
    if (item.kind === 'callAction') return retryScheduleFor('action');
    const effect = item.payload as Extract<Effect, { kind: 'sendMessage' }>;
    const catalog = await this.deps.catalogs.get(item.sandbox).catch(() => null);
    return retryScheduleFor(effect.channel, catalog?.configurations.get(effect.configuration)?.retry?.windowMs);
  }

  private async runAction(item: OutboxItem): Promise<void> {
    const effect = item.payload as Extract<Effect, { kind: 'callAction' }>;
    const catalog = await this.deps.catalogs.get(item.sandbox);
    const action = catalog.actions.get(effect.action);
    const started = Date.now();
    const result: ActionResult = action
      ? await this.deps.invokeAction({ sandbox: item.sandbox, action, parameters: effect.parameters, timeoutMs: effect.timeoutMs, idempotencyKey: effect.callId })
      : { ok: false, code: 'internalError', message: `the custom action "${effect.action}" no longer exists` };
    // Test mode: the debugger shows the request (secrets redacted) and how long the call took.
    const test = catalog.versions.get(versionKey(item.journeyId, item.version))?.compiled?.test === true;
    const traced = test ? { request: action ? tracedRequest(action, effect.parameters, effect.callId) : null, durationMs: Date.now() - started } : undefined;
    await this.recordSent(item, { kind: 'actionResult', result, ...(traced ? { traced } : {}) });
  }

  /** Records a completed send at once (outside the writer's queue), then lets the journey take it. */
  private async recordSent(item: OutboxItem, outcome: SendOutcome): Promise<void> {
    await this.deps.store.markOutboxSent(item.id, this.deps.clock.now(), outcome);
    await this.finish(item, outcome);
  }

  /** Commits a send's outcome: the item done, the message logged, the journey fed. */
  private finish(item: OutboxItem, outcome: SendOutcome): Promise<void> {
    if (outcome.kind === 'actionResult') {
      const effect = item.payload as Extract<Effect, { kind: 'callAction' }>;
      const callId = effect.callId;
      return this.grouped(async (uow) => {
        uow.batch.outboxDone.push(item.id);
        if (outcome.traced) await this.traceOf(uow, item, actionResultEntry(effect, outcome.result, outcome.traced));
        await this.feed(uow, item.sandbox, item.instanceId, { kind: 'actionResult', callId, result: outcome.result });
      }, 1, [item.instanceId]);
    }
    const record = outcome.record;
    return this.grouped(async (uow) => {
      uow.batch.outboxDone.push(item.id);
      uow.message(record);
      const catalog = await this.deps.catalogs.get(item.sandbox);
      if (catalog.versions.get(versionKey(item.journeyId, item.version))?.compiled?.test) {
        await this.traceOf(uow, item, {
          kind: 'messageResult', node: record.node ?? '', messageId: record.id, channel: record.channel, status: record.status, reason: record.reason,
          recipient: record.recipient, subject: record.subject, html: record.channel === 'email' ? record.body : null, text: record.text ?? (record.channel === 'email' ? null : record.body), payload: record.payload,
        });
      }
      if (record.status === 'bounced') {
        // One event per message (its id keys the event), like the feedback of tracked opens and clicks.
        uow.recordEvent({ sandbox: item.sandbox, eventId: `bounce:${record.id}`, type: 'message.bounced', profileId: record.profileId, payload: bounceFeedback(record, uow.now), receivedAt: uow.now });
      }
      // A message activity with an error path waits for this outcome (feed ignores it otherwise).
      const sent = record.status === 'sent' || record.status === 'delivered';
      await this.feed(uow, item.sandbox, item.instanceId, { kind: 'messageResult', messageId: record.id, result: sent ? { ok: true } : { ok: false, code: record.reason ?? record.status, message: `the message was ${record.status}${record.reason ? `: ${record.reason}` : ''}` } });
    }, 1, [item.instanceId]);
  }

  private async runMessage(item: OutboxItem, ahead: UnitOfWork): Promise<void> {
    const effect = item.payload as Extract<Effect, { kind: 'sendMessage' }>;
    const found = await ahead.instance(item.instanceId);
    if (!found) throw new WaymarkError('not_found', `instance ${item.instanceId} is gone`);
    const catalog = await this.deps.catalogs.get(item.sandbox);
    const profile = await ahead.profile(item.sandbox, found.state.profileId);
    const record = await this.deps.sendMessage({ sandbox: item.sandbox, catalog, effect, instance: found.state, profile, audiences: await this.memberships(item.sandbox, profile), now: this.deps.clock.now() })
      .catch((e: unknown) => { throw withDetails(e, { profileId: found.state.profileId }); });
    // A resend after a crash says so in the delivery log (the provider may have the message twice).
    const resent = item.attemptStartedAt !== null && item.attemptStartedAt !== undefined;
    await this.recordSent(item, { kind: 'message', record: resent ? { ...record, payload: { ...(record.payload as object), resentAfterCrash: true } } : record });
  }

  /** Appends a line to the test run of the outbox item's instance. */
  private async traceOf(uow: UnitOfWork, item: OutboxItem, entry: Parameters<UnitOfWork['trace']>[2]): Promise<void> {
    const found = await uow.instance(item.instanceId);
    if (found) uow.trace(item.sandbox, found.state, entry);
  }

  /** Makes one active instance exit now (a test run replayed, or stopped from the debugger); false when it is not active. */
  stopInstance(sandbox: string, instanceId: string): Promise<boolean> {
    return this.serial.run(() => this.alone((uow) => this.feed(uow, sandbox, instanceId, { kind: 'stop' })));
  }

  /** Makes every active instance of a version exit now (journey stopped). */
  stopVersion(sandbox: string, journeyId: string, version: number): Promise<number> {
    return this.serial.run(async () => {
      let total = 0;
      for (;;) {
        const batch = await this.deps.store.activeInstancesOfVersion(sandbox, journeyId, version, 500);
        if (batch.length === 0) return total;
        const uow = new UnitOfWork(this.deps.store, this.deps.clock.now());
        for (const inst of batch) await this.feed(uow, sandbox, inst.id, { kind: 'stop' });
        await uow.commit();
        total += batch.length;
      }
    });
  }

  /** Runs due timers and the outbox until nothing more is due now (tests, simulator, demo). */
  async settle(maxRounds = 100): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      const fired = await this.fireDueTimers();
      const sent = await this.dispatchOutbox();
      if (fired === 0 && sent === 0) return;
    }
  }

  /** Starts the background loop: timers are looked at every 100 ms, so each fires within a second. */
  start(intervalMs = 100): void {
    if (this.loop) return;
    this.loop = setInterval(() => void this.tick(), intervalMs);
    this.loop.unref?.();
  }

  async stop(): Promise<void> {
    if (this.loop) clearInterval(this.loop);
    this.loop = null;
    await this.serial.run(async () => undefined);
  }

  private kick(): void {
    if (this.loop) setImmediate(() => void this.tick());
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      // A full batch of timers means more are due: go on at once rather than at the next interval,
      // but let requests in between batches (the store is synchronous: without this a backlog of
      // timers would hold the event loop, and /healthz, until it is drained).
      for (let fired = TIMER_BATCH; fired >= TIMER_BATCH && this.loop;) {
        fired = await this.fireDueTimers(TIMER_BATCH);
        await this.dispatchOutbox();
        if (fired >= TIMER_BATCH) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } catch (e) {
      this.deps.log?.('error', 'engine tick failed', { message: toWaymarkError(e).message });
    } finally {
      this.ticking = false;
    }
  }
}

let lastMs = 0;
let seq = 0;

/**
 * A UUID (version 7 layout) that sorts by creation time: new instances, profiles and the timers
 * and outbox rows keyed by them append to the end of their indexes instead of dirtying a random
 * page each, which is most of what a commit costs on the embedded store.
 */
export function timeOrderedId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    ms = lastMs;
    seq++;
    if (seq > 0xfff) { ms = ++lastMs; seq = 0; }
  } else {
    lastMs = ms;
    seq = 0;
  }
  const t = ms.toString(16).padStart(12, '0');
  const r = randomUUID();
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${seq.toString(16).padStart(3, '0')}-${r.slice(19)}`;
}

/** What a completed send left: recorded before the journey takes it, so that a restart need not send again. */
type SendOutcome =
  /** `traced`: test mode only, what the debugger shows of the call. */
  | { readonly kind: 'actionResult'; readonly result: ActionResult; readonly traced?: { readonly request: TracedRequest | null; readonly durationMs: number } }
  | { readonly kind: 'message'; readonly record: MessageRecord };

function actionResultEntry(effect: Extract<Effect, { kind: 'callAction' }>, result: ActionResult, traced: { readonly request: TracedRequest | null; readonly durationMs: number }): Parameters<UnitOfWork['trace']>[2] {
  return {
    kind: 'actionResult', node: effect.node, action: effect.action, callId: effect.callId, request: traced.request, durationMs: traced.durationMs,
    response: result.ok ? { status: result.status, body: result.body } : result.errorResponse !== undefined ? { status: statusOf(result.code), body: result.errorResponse } : null,
    error: result.ok ? null : { code: result.code, message: result.message },
  };
}

/** The HTTP status an action error code names ("http_503"), 0 when it names none. */
const statusOf = (code: string): number => { const m = /(\d{3})/.exec(code); return m ? Number(m[1]) : 0; };

function waitsFor(journey: CompiledJourney, inst: InstanceState, eventName: string): boolean {
  const w = inst.waiting;
  return w?.kind === 'listening' && w.nodes.some((id) => { const n = journey.nodes.get(id); return n?.kind === 'event' && n.event === eventName; });
}

/** A message that could not be delivered, with whom it was for (as far as the attempt got) and why. */
function failedMessage(item: OutboxItem, err: WaymarkError, now: number, gaveUp: string | null): MessageRecord {
  const e = item.payload as Extract<Effect, { kind: 'sendMessage' }>;
  const known = (key: string): string | null => (typeof err.details[key] === 'string' ? err.details[key] : null);
  return {
    id: e.messageId, sandbox: item.sandbox, journeyId: item.journeyId, version: item.version, node: e.node, label: e.label,
    instanceId: item.instanceId, profileId: known('profileId') ?? '', channel: e.channel, recipient: known('recipient'), status: 'failed',
    reason: gaveUp ? `${gaveUp} (${item.attempts + 1} attempts): ${err.message}` : err.message,
    subject: known('subject'), body: null, text: null, payload: { attempts: item.attempts + 1 }, createdAt: now, updatedAt: now,
  };
}
