// The engine: the single writer that routes events and timers to journey instances, runs the pure
// step function and commits state, effects and counters together; dispatchers then carry out the
// effects (custom actions, messages) from the outbox.
import { randomUUID } from 'node:crypto';
import { decideEntry, step, type ActionResult, type CompiledJourney, type StepInput } from '../journey/index.ts';
import type { InstanceState } from '../journey/instance.ts';
import { Metric, type Effect } from '../journey/effects.ts';
import { instancesMove } from '../journey/lifecycle.ts';
import type { Profile } from '../model/profile.ts';
import type { MessageRecord, OutboxItem, Store } from '../store/ports.ts';
import { toWaymarkError, WaymarkError } from '../errors.ts';
import { versionKey, type CatalogCache, type SandboxCatalog } from './catalog.ts';
import type { Clock } from './clock.ts';
import { checkEvent } from './ingest.ts';
import type { ActionInvoker, MembershipReader, MessageSender } from './ports.ts';
import { Serial } from './serial.ts';
import { UnitOfWork } from './unit-of-work.ts';

export interface EngineDeps {
  readonly store: Store;
  readonly catalogs: CatalogCache;
  readonly clock: Clock;
  readonly invokeAction: ActionInvoker;
  readonly sendMessage: MessageSender;
  readonly memberships?: MembershipReader;
  readonly newId?: () => string;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;
  /** How many outbox items run at once (bounded concurrency). */
  readonly dispatchConcurrency?: number;
}

export type IngestResult =
  | { readonly index: number; readonly id: string; readonly status: 'accepted'; readonly profileId: string; readonly journeys: readonly string[] }
  | { readonly index: number; readonly id: string; readonly status: 'duplicate' }
  | { readonly index: number; readonly id: string | null; readonly status: 'rejected'; readonly code: number; readonly message: string; readonly issues: readonly unknown[]; readonly deadLetter: true };

const RETRY_BASE_MS = 1000;
const MAX_ATTEMPTS = 8;

export class Engine {
  readonly serial = new Serial();
  private readonly newId: () => string;
  private readonly inFlight = new Set<string>();
  private loop: NodeJS.Timeout | null = null;
  private ticking = false;

  constructor(private readonly deps: EngineDeps) {
    this.newId = deps.newId ?? randomUUID;
  }

  get store(): Store { return this.deps.store; }
  get catalogs(): CatalogCache { return this.deps.catalogs; }
  get clock(): Clock { return this.deps.clock; }

  /** Ingests events (one request's worth) in one transaction; answers for each one. */
  ingest(sandbox: string, raws: readonly unknown[], opts: { replayOf?: number } = {}): Promise<IngestResult[]> {
    return this.serial.run(async () => {
      const catalog = await this.deps.catalogs.get(sandbox);
      const uow = new UnitOfWork(this.deps.store, this.deps.clock.now());
      const results: IngestResult[] = [];
      for (const [index, raw] of raws.entries()) {
        const check = checkEvent(raw, index, catalog, this.newId);
        if (!check.ok) {
          if (opts.replayOf === undefined) uow.batch.deadLetters.push({ sandbox, eventId: check.eventId, eventType: check.eventType, body: raw, errors: { message: check.message, issues: check.issues }, receivedAt: uow.now });
          results.push({ index, id: check.eventId, status: 'rejected', code: check.status, message: check.message, issues: check.issues, deadLetter: true });
          continue;
        }
        if (await uow.seenEvent(sandbox, check.event.id)) {
          results.push({ index, id: check.event.id, status: 'duplicate' });
          continue;
        }
        const profile = await this.resolveProfile(uow, sandbox, check.identity.namespace, check.identity.value);
        uow.recordEvent({ sandbox, eventId: check.event.id, type: check.event.type, profileId: profile.id, payload: check.event.payload, receivedAt: uow.now });
        const journeys = await this.route(uow, catalog, profile, { name: check.event.type, payload: check.event.payload });
        results.push({ index, id: check.event.id, status: 'accepted', profileId: profile.id, journeys });
      }
      if (opts.replayOf !== undefined && results[0]?.status !== 'rejected') uow.batch.deadLettersReplayed.push({ id: opts.replayOf, at: uow.now });
      await uow.commit();
      if (uow.outboxAdded > 0) this.kick();
      return results;
    });
  }

  private async resolveProfile(uow: UnitOfWork, sandbox: string, namespace: string, value: string): Promise<Profile> {
    const id = await uow.findProfileId(sandbox, namespace, value);
    const existing = id ? await uow.profile(sandbox, id) : null;
    if (existing) return existing;
    const at = new Date(uow.now).toISOString();
    const created: Profile = { id: this.newId(), identities: [{ namespace, id: value }], attributes: {}, testProfile: false, createdAt: at, updatedAt: at };
    uow.putProfile(sandbox, created);
    return created;
  }

  /** Routes one event of a profile: to instances waiting for it, then to journeys it starts. */
  private async route(uow: UnitOfWork, catalog: SandboxCatalog, profile: Profile, event: { name: string; payload: unknown }): Promise<string[]> {
    const touched: string[] = [];
    const audiences = await this.memberships(catalog.sandbox, profile);
    const env = { now: uow.now, profile: profile.attributes, audiences };
    const active = await uow.activeInstances(catalog.sandbox, profile.id);
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
    for (const journey of catalog.entryJourneys.get(event.name) ?? []) {
      // A profile already in this journey (on any version) does not enter it again with the same event.
      if (active.some((i) => i.journeyId === journey.journeyId)) continue;
      const decision = decideEntry(journey, null, await uow.lastExit(catalog.sandbox, journey.journeyId, profile.id), uow.now);
      if (!decision.enter) continue;
      const r = step(journey, null, { kind: 'enter', instanceId: this.newId(), profileId: profile.id, event }, env);
      uow.apply(catalog.sandbox, r);
      touched.push(journey.journeyId);
    }
    return [...new Set(touched)];
  }

  async memberships(sandbox: string, profile: Profile | null): Promise<Readonly<Record<string, 'realized' | 'exited'>>> {
    return this.deps.memberships ? this.deps.memberships(sandbox, profile) : {};
  }

  /** Feeds one input to one stored instance, in its own unit of work (timers, action results, stop). */
  private async feed(uow: UnitOfWork, sandbox: string, instanceId: string, input: StepInput): Promise<boolean> {
    const found = await uow.instance(instanceId);
    if (!found || found.state.status !== 'active') return false;
    const catalog = await this.deps.catalogs.get(sandbox);
    const entry = catalog.versions.get(versionKey(found.state.journeyId, found.state.version));
    if (!entry?.compiled) return false;
    const profile = await uow.profile(sandbox, found.state.profileId);
    const env = { now: uow.now, profile: profile?.attributes ?? {}, audiences: await this.memberships(sandbox, profile) };
    const r = step(entry.compiled, found.state, input, env);
    if (r.applied) uow.apply(sandbox, r);
    return r.applied;
  }

  /** Fires every timer due now; each fires once, removed in the same transaction as its step. */
  fireDueTimers(limit = 1000): Promise<number> {
    return this.serial.run(async () => {
      const now = this.deps.clock.now();
      const due = await this.deps.store.dueTimers(now, limit);
      if (due.length === 0) return 0;
      const uow = new UnitOfWork(this.deps.store, now);
      for (const t of due) {
        const found = await uow.instance(t.instanceId);
        const catalog = await this.deps.catalogs.get(t.sandbox);
        const entry = found ? catalog.versions.get(versionKey(found.state.journeyId, found.state.version)) : undefined;
        if (entry && entry.version.status === 'paused') {
          // Held while paused: looked at again shortly, fired once the journey resumes.
          uow.batch.timersAdd.push({ ...t, dueAt: now + 1000 });
          continue;
        }
        uow.batch.timersRemove.push(t.id);
        await this.feed(uow, t.sandbox, t.instanceId, { kind: 'timer', timerId: t.id });
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
    const width = this.deps.dispatchConcurrency ?? 16;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) {
        const item = items[next++]!;
        try { await this.dispatchOne(item); } finally { this.inFlight.delete(item.id); }
      }
    };
    await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
    return items.length;
  }

  private async dispatchOne(item: OutboxItem): Promise<void> {
    const effect = item.payload as { kind: string };
    try {
      if (effect.kind === 'callAction') await this.runAction(item);
      else if (effect.kind === 'sendMessage') await this.runMessage(item);
      else throw new Error(`unknown outbox item ${effect.kind}`);
    } catch (thrown) {
      const err = toWaymarkError(thrown);
      this.deps.log?.('warn', 'outbox item failed', { id: item.id, kind: item.kind, code: err.code, message: err.message, attempts: item.attempts + 1 });
      await this.serial.run(async () => {
        const uow = new UnitOfWork(this.deps.store, this.deps.clock.now());
        if (err.retryable && item.attempts + 1 < MAX_ATTEMPTS) {
          const backoff = RETRY_BASE_MS * 2 ** item.attempts * (0.5 + Math.random());
          uow.batch.outboxRetry.push({ id: item.id, nextAttemptAt: uow.now + backoff, error: err.message });
        } else if (item.kind === 'callAction') {
          uow.batch.outboxDone.push(item.id);
          const callId = (item.payload as { callId: string }).callId;
          await this.feed(uow, item.sandbox, item.instanceId, { kind: 'actionResult', callId, result: { ok: false, code: 'internalError', message: err.message } });
        } else {
          uow.batch.outboxDone.push(item.id);
          uow.message(failedMessage(item, err.message, uow.now));
        }
        await uow.commit();
      });
    }
  }

  private async runAction(item: OutboxItem): Promise<void> {
    const effect = item.payload as Extract<Effect, { kind: 'callAction' }>;
    const catalog = await this.deps.catalogs.get(item.sandbox);
    const action = catalog.actions.get(effect.action);
    const result: ActionResult = action
      ? await this.deps.invokeAction({ sandbox: item.sandbox, action, parameters: effect.parameters, timeoutMs: effect.timeoutMs, idempotencyKey: effect.callId })
      : { ok: false, code: 'internalError', message: `the custom action "${effect.action}" no longer exists` };
    await this.serial.run(async () => {
      const uow = new UnitOfWork(this.deps.store, this.deps.clock.now());
      uow.batch.outboxDone.push(item.id);
      await this.feed(uow, item.sandbox, item.instanceId, { kind: 'actionResult', callId: effect.callId, result });
      await uow.commit();
      if (uow.outboxAdded > 0) this.kick();
    });
  }

  private async runMessage(item: OutboxItem): Promise<void> {
    const effect = item.payload as Extract<Effect, { kind: 'sendMessage' }>;
    const found = await this.deps.store.getInstance(item.instanceId);
    if (!found) throw new WaymarkError('not_found', `instance ${item.instanceId} is gone`);
    const catalog = await this.deps.catalogs.get(item.sandbox);
    const profile = await this.deps.store.getProfile(item.sandbox, found.state.profileId);
    const record = await this.deps.sendMessage({ sandbox: item.sandbox, catalog, effect, instance: found.state, profile, audiences: await this.memberships(item.sandbox, profile), now: this.deps.clock.now() });
    await this.serial.run(async () => {
      const uow = new UnitOfWork(this.deps.store, this.deps.clock.now());
      uow.batch.outboxDone.push(item.id);
      uow.message(record);
      await uow.commit();
    });
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
      await this.fireDueTimers();
      await this.dispatchOutbox();
    } catch (e) {
      this.deps.log?.('error', 'engine tick failed', { message: toWaymarkError(e).message });
    } finally {
      this.ticking = false;
    }
  }
}

function waitsFor(journey: CompiledJourney, inst: InstanceState, eventName: string): boolean {
  const w = inst.waiting;
  return w?.kind === 'listening' && w.nodes.some((id) => { const n = journey.nodes.get(id); return n?.kind === 'event' && n.event === eventName; });
}

function failedMessage(item: OutboxItem, reason: string, now: number): MessageRecord {
  const e = item.payload as Extract<Effect, { kind: 'sendMessage' }>;
  return {
    id: e.messageId, sandbox: item.sandbox, journeyId: item.journeyId, version: item.version, node: e.node, label: e.label,
    instanceId: item.instanceId, profileId: '', channel: e.channel, recipient: null, status: 'failed', reason,
    subject: null, body: null, text: null, payload: {}, createdAt: now, updatedAt: now,
  };
}
