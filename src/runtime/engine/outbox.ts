// The outbox: carries out the effects steps queued (custom actions, messages), at most a few at a
// time; records each completed send at once, then lets the journey take the outcome in a unit of
// work; retries with backoff what failed and may succeed later, and gives up past the window.
import type { ActionResult } from '../../journey/index.ts';
import type { Effect } from '../../journey/effects.ts';
import type { MessageRecord, OutboxItem } from '../../store/ports.ts';
import type { RecordedOutcome, SentOutcome } from '../../store/records/index.ts';
import { actionCallCounters } from '../../shared/action-latency.ts';
import type { Logger } from '../../shared/logger.ts';
import { bounceFeedback } from '../../channels/tracking/index.ts';
import { toWaymarkError, WaymarkError } from '../../errors.ts';
import { versionKey, type CatalogCache } from '../catalog.ts';
import type { Clock } from '../clock.ts';
import type { ActionInvoker, MessageSender } from '../ports.ts';
import { nextRetryAt, retryScheduleFor, type RetrySchedule } from '../retry-policy.ts';
import { UnitOfWork, type Stepper, type StoreReads, type Writer } from '../unit-of-work/index.ts';
import { withDetails } from '../messages.ts';
import { storeInboxItem } from '../in-app.ts';
import { tracedRequest } from '../test-trace.ts';
import type { TracedRequest } from '../../journey/trace.ts';

/** The engine logs through the one Logger seam (src/shared/logger.ts). */
export type EngineLog = Logger;

export interface OutboxDeps {
  readonly writer: Writer;
  readonly stepper: Stepper;
  readonly reads: StoreReads;
  readonly catalogs: CatalogCache;
  readonly clock: Clock;
  readonly invokeAction: ActionInvoker;
  readonly sendMessage: MessageSender;
  readonly log?: EngineLog;
  /** How many outbox items run at once (bounded concurrency). */
  readonly dispatchConcurrency?: number;
}

/** Where an item in flight waits: the send (provider or endpoint), recording its outcome, committing it, or scheduling a retry. */
export type OutboxStage = 'send' | 'record' | 'finish' | 'retry';

export class OutboxService {
  private readonly inFlight = new Set<string>();
  /** The duration of a custom-action call that threw, until its failure is recorded (in the catch of `run`). */
  private readonly failedCallMs = new Map<string, number>();
  /** Where each item in flight is and since when (real time), for the report of items that hang. */
  private readonly stages = new Map<
    string,
    { kind: OutboxItem['kind']; stage: OutboxStage; since: number }
  >();
  /** Outbox items resent because a crash cut their attempt, and items finished from a send recorded before a crash (since start). */
  readonly delivery = { resentAfterCrash: 0, finishedFromRecord: 0 };

  constructor(private readonly deps: OutboxDeps) {}

  /** Runs the outbox items that are due, at most `dispatchConcurrency` at a time. */
  async dispatch(limit = 200): Promise<number> {
    const now = this.deps.clock.now();
    const items = (await this.deps.reads.pendingOutbox(now, limit)).filter(
      (i) => !this.inFlight.has(i.id),
    );
    if (items.length === 0) return 0;
    for (const i of items) this.inFlight.add(i.id);
    const width = this.deps.dispatchConcurrency ?? 16;
    // The instances and profiles the messages render from, read ahead in two reads by a unit of work
    // used for reading only (never committed); what it could not read ahead it reads on demand.
    const ahead = new UnitOfWork(this.deps.reads, now);
    await ahead
      .prefetchInstances(items.filter((i) => i.kind === 'sendMessage').map((i) => i.instanceId))
      .catch(() => undefined);
    // Marked durably before their send, `width` items at a time as the workers reach them: a
    // restart that finds an item still marked knows a crash cut its attempt (it may have reached
    // the provider), resends it under the same idempotency key and counts it; items whose send
    // completed are finished from their recorded outcome, not resent. Marking a window at a time,
    // not the whole round at once, keeps a mark younger than the trust another engine gives it
    // (a round of 200 slow sends outlasts it, and the next owner would send them a second time).
    let marked = 0;
    let marking: Promise<void> | null = null;
    let markFailed: unknown = null;
    const markUpTo = async (index: number): Promise<void> => {
      while (marked <= index && markFailed === null) {
        marking ??= (async () => {
          const to = Math.min(items.length, marked + width);
          const ids = items
            .slice(marked, to)
            .filter((i) => !i.sent)
            .map((i) => i.id);
          await this.deps.writer.markAttempting(ids, this.deps.clock.now());
          marked = to;
        })()
          .catch((e: unknown) => {
            markFailed = e;
          })
          .finally(() => {
            marking = null;
          });
        await marking;
      }
      if (markFailed !== null) throw markFailed;
    };
    // A failure (a commit refused because the partition changed owner) fails its own item only: a
    // worker that stopped at it would leave the items after it in flight for good, marked by this
    // live engine, so that neither it nor the next owner would ever send them. A mark refused (all
    // or none: a partition of the window was lost) ends the round; nothing after it was marked.
    let next = 0;
    const failures: unknown[] = [];
    const worker = async (): Promise<void> => {
      while (next < items.length && markFailed === null) {
        const index = next++;
        const item = items[index]!;
        try {
          await markUpTo(index);
          this.stage(item, 'send');
          await this.dispatchOne(item, ahead);
        } catch (e) {
          if (e !== markFailed) failures.push(e);
        } finally {
          this.inFlight.delete(item.id);
          this.stages.delete(item.id);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
    for (const i of items.slice(next)) this.inFlight.delete(i.id);
    if (markFailed !== null) throw markFailed;
    if (failures.length > 0) throw failures[0];
    return items.length;
  }

  private async dispatchOne(item: OutboxItem, ahead: UnitOfWork): Promise<void> {
    if (item.sent) {
      this.delivery.finishedFromRecord++;
      await this.finishFromRecord(item, item.sent.outcome);
      return;
    }
    if (item.attemptStartedAt !== null && item.attemptStartedAt !== undefined) {
      this.delivery.resentAfterCrash++;
      this.deps.log?.(
        'warn',
        'resending an outbox item whose attempt a crash cut (it may have reached the provider)',
        {
          id: item.id,
          kind: item.kind,
          idempotencyKey: item.kind === 'callAction' ? item.payload.callId : item.payload.messageId,
          attemptStartedAt: item.attemptStartedAt,
        },
      );
    }
    try {
      switch (item.kind) {
        case 'callAction':
          await this.runAction(item);
          break;
        case 'sendMessage':
          await this.runMessage(item, ahead);
          break;
      }
    } catch (thrown) {
      this.stage(item, 'retry');
      const err = toWaymarkError(thrown);
      this.deps.log?.('warn', 'outbox item failed', {
        id: item.id,
        kind: item.kind,
        code: err.code,
        message: err.message,
        attempts: item.attempts + 1,
      });
      const schedule = await this.retryScheduleOf(item);
      const failedMs = this.failedCallMs.get(item.id);
      this.failedCallMs.delete(item.id);
      await this.deps.writer.run(async (uow) => {
        if (failedMs !== undefined && item.kind === 'callAction')
          countCall(uow, item, failedMs, false);
        const retryAfterMs =
          typeof err.details['retryAfterMs'] === 'number' ? err.details['retryAfterMs'] : undefined;
        const retryAt = err.retryable
          ? nextRetryAt(schedule, {
              failures: item.attempts + 1,
              queuedAt: item.createdAt,
              now: uow.now,
              retryAfterMs,
            })
          : null;
        if (retryAt !== null) {
          uow.outboxRetry({ id: item.id, nextAttemptAt: retryAt, error: err.message });
        } else if (item.kind === 'callAction') {
          uow.outboxDone(item.id);
          const callId = item.payload.callId;
          await this.deps.stepper.feed(uow, item.sandbox, item.instanceId, {
            kind: 'actionResult',
            callId,
            result: { ok: false, code: 'internalError', message: err.message },
          });
        } else {
          uow.outboxDone(item.id);
          uow.message(
            failedMessage(item, err, uow.now, err.retryable ? 'the retry window is over' : null),
          );
          const messageId = item.payload.messageId;
          await this.deps.stepper.feed(uow, item.sandbox, item.instanceId, {
            kind: 'messageResult',
            messageId,
            result: { ok: false, code: 'failed', message: err.message },
          });
        }
      });
    }
  }

  /** The retry schedule of an item: its channel's, with its channel configuration's window. */
  private async retryScheduleOf(item: OutboxItem): Promise<RetrySchedule> {
    if (item.kind === 'callAction') return retryScheduleFor('action');
    const effect = item.payload;
    const catalog = await this.deps.catalogs.get(item.sandbox).catch(() => null);
    const config = catalog?.configurations.get(effect.configuration);
    return retryScheduleFor(
      effect.channel,
      config && 'retry' in config ? config.retry?.windowMs : undefined,
    );
  }

  private async runAction(item: ActionItem): Promise<void> {
    const effect = item.payload;
    const catalog = await this.deps.catalogs.get(item.sandbox);
    const action = catalog.actions.get(effect.action);
    const started = Date.now();
    const invoke = async (a: NonNullable<typeof action>): Promise<ActionResult> => {
      try {
        return await this.deps.invokeAction({
          sandbox: item.sandbox,
          action: a,
          parameters: effect.parameters,
          timeoutMs: effect.timeoutMs,
          idempotencyKey: effect.callId,
        });
      } catch (thrown) {
        // A failed attempt (retried or not) is a call too: counted as an error where it is handled.
        this.failedCallMs.set(item.id, Date.now() - started);
        throw thrown;
      }
    };
    const result: ActionResult = action
      ? await invoke(action)
      : {
          ok: false,
          code: 'internalError',
          message: `the custom action "${effect.action}" no longer exists`,
        };
    // Test mode: the debugger shows the request (secrets redacted) and how long the call took.
    const test =
      catalog.versions.get(versionKey(item.journeyId, item.version))?.compiled?.test === true;
    const traced = test
      ? {
          request: action ? tracedRequest(action, effect.parameters, effect.callId) : null,
          durationMs: Date.now() - started,
        }
      : undefined;
    await this.recordSent(item, {
      kind: 'actionResult',
      result,
      ...(traced ? { traced } : {}),
      ...(action ? { durationMs: Date.now() - started } : {}),
    });
  }

  /**
   * Records a completed send at once (outside the writer's queue), then lets the journey take it.
   * The mark writes a message's record into the delivery log: the journey's commit does not again.
   */
  private async recordSent(item: OutboxItem, outcome: SendOutcome): Promise<void> {
    this.stage(item, 'record');
    await this.deps.writer.markSent(item.id, this.deps.clock.now(), outcome);
    this.stage(item, 'finish');
    await this.finish(item, outcome, true);
  }

  /** Finishes an item whose send a crash (or a refused commit) left recorded but not taken. */
  private async finishFromRecord(
    item: OutboxItem,
    outcome: RecordedOutcome<MessageRecord>,
  ): Promise<void> {
    switch (outcome.kind) {
      // A message recorded before the mark wrote the delivery log carries its whole record: written now.
      case 'actionResult':
      case 'message':
        return this.finish(item, outcome, false);
      case 'messageStored': {
        const record = await this.deps.reads.messageById(item.sandbox, outcome.messageId);
        if (record) return this.finish(item, { kind: 'message', record }, true);
        // Its record is gone (its profile erased meanwhile): nothing is left to take.
        this.deps.log?.(
          'warn',
          'the record of a sent message is gone: its outbox item is dropped',
          {
            id: item.id,
            messageId: outcome.messageId,
          },
        );
        return this.deps.writer.run(async (uow) => uow.outboxDone(item.id));
      }
    }
  }

  private stage(item: OutboxItem, stage: OutboxStage): void {
    if (this.inFlight.has(item.id))
      this.stages.set(item.id, { kind: item.kind, stage, since: Date.now() });
  }

  /** Items in flight for longer than `ms` (real time), with the stage each waits in: `waymark status` and the loop's watchdog show them. */
  stuck(
    ms: number,
  ): Array<{ id: string; kind: OutboxItem['kind']; stage: OutboxStage; seconds: number }> {
    const now = Date.now();
    return [...this.stages]
      .filter(([, s]) => now - s.since >= ms)
      .map(([id, s]) => ({
        id,
        kind: s.kind,
        stage: s.stage,
        seconds: Math.round((now - s.since) / 1000),
      }));
  }

  /**
   * Commits a send's outcome: the item done, the message logged (unless `logged`: its mark wrote
   * the record), the journey fed.
   */
  private finish(item: OutboxItem, outcome: SendOutcome, logged: boolean): Promise<void> {
    if (outcome.kind === 'actionResult') {
      if (item.kind !== 'callAction')
        throw new WaymarkError(
          'internal',
          `outbox item ${item.id} is a ${item.kind}, but its recorded outcome is an action result`,
        );
      const effect = item.payload;
      const callId = effect.callId;
      return this.deps.writer.grouped(
        async (uow) => {
          uow.outboxDone(item.id);
          // The call's duration and outcome on its activity's report counters (action.* metrics).
          if (outcome.durationMs !== undefined)
            countCall(uow, item, outcome.durationMs, outcome.result.ok);
          if (outcome.traced)
            await this.traceOf(
              uow,
              item,
              actionResultEntry(effect, outcome.result, outcome.traced),
            );
          await this.deps.stepper.feed(uow, item.sandbox, item.instanceId, {
            kind: 'actionResult',
            callId,
            result: outcome.result,
          });
        },
        1,
        { instanceIds: [item.instanceId] },
      );
    }
    const record = outcome.record;
    return this.deps.writer.grouped(
      async (uow) => {
        uow.outboxDone(item.id);
        if (logged) uow.messageLogged(record);
        else uow.message(record);
        // In-app and code-based messages go to the profile's in-app inbox with their record.
        await storeInboxItem(uow, record);
        const catalog = await this.deps.catalogs.get(item.sandbox);
        if (catalog.versions.get(versionKey(item.journeyId, item.version))?.compiled?.test) {
          await this.traceOf(uow, item, {
            kind: 'messageResult',
            node: record.node ?? '',
            messageId: record.id,
            channel: record.channel,
            status: record.status,
            reason: record.reason,
            recipient: record.recipient,
            subject: record.subject,
            html: record.channel === 'email' ? record.body : null,
            text: record.text ?? (record.channel === 'email' ? null : record.body),
            payload: record.payload,
          });
        }
        if (record.status === 'bounced') {
          // One event per message (its id keys the event), like the feedback of tracked opens and clicks.
          uow.recordEvent({
            sandbox: item.sandbox,
            eventId: `bounce:${record.id}`,
            type: 'message.bounced',
            profileId: record.profileId,
            payload: bounceFeedback(record, uow.now),
            receivedAt: uow.now,
          });
        }
        // A message activity with an error path waits for this outcome (feed ignores it otherwise).
        const sent = record.status === 'sent' || record.status === 'delivered';
        await this.deps.stepper.feed(uow, item.sandbox, item.instanceId, {
          kind: 'messageResult',
          messageId: record.id,
          result: sent
            ? { ok: true }
            : {
                ok: false,
                code: record.reason ?? record.status,
                message: `the message was ${record.status}${record.reason ? `: ${record.reason}` : ''}`,
              },
        });
        // A reaction activity after the message may wait for its delivery (sent) or its bounce.
        const reaction = sent ? 'sent' : record.status === 'bounced' ? 'bounced' : null;
        if (reaction && record.node)
          await this.deps.stepper.feed(uow, item.sandbox, item.instanceId, {
            kind: 'reaction',
            reaction: { messageId: record.id, activity: record.node, reaction },
          });
      },
      1,
      { instanceIds: [item.instanceId] },
    );
  }

  private async runMessage(item: MessageItem, ahead: UnitOfWork): Promise<void> {
    const effect = item.payload;
    const found = await ahead.instance(item.instanceId);
    if (!found) throw new WaymarkError('not_found', `instance ${item.instanceId} is gone`);
    const catalog = await this.deps.catalogs.get(item.sandbox);
    const profile = await ahead.profile(item.sandbox, found.state.profileId);
    const record = await this.deps
      .sendMessage({
        sandbox: item.sandbox,
        catalog,
        effect,
        instance: found.state,
        profile,
        audiences: await this.deps.stepper.memberships(item.sandbox, profile),
        now: this.deps.clock.now(),
      })
      .catch((e: unknown) => {
        throw withDetails(e, { profileId: found.state.profileId });
      });
    // A resend after a crash says so in the delivery log (the provider may have the message twice).
    const resent = item.attemptStartedAt !== null && item.attemptStartedAt !== undefined;
    await this.recordSent(item, {
      kind: 'message',
      record: resent
        ? { ...record, payload: { ...(record.payload as object), resentAfterCrash: true } }
        : record,
    });
  }

  /** Appends a line to the test run of the outbox item's instance. */
  private async traceOf(
    uow: UnitOfWork,
    item: OutboxItem,
    entry: Parameters<UnitOfWork['trace']>[2],
  ): Promise<void> {
    const found = await uow.instance(item.instanceId);
    if (found) uow.trace(item.sandbox, found.state, entry);
  }
}

/** What a completed send left: recorded before the journey takes it, so that a restart need not send again. */
type SendOutcome = SentOutcome<MessageRecord>;
type ActionItem = Extract<OutboxItem, { kind: 'callAction' }>;
type MessageItem = Extract<OutboxItem, { kind: 'sendMessage' }>;

/** One custom-action call's duration and outcome on its activity's report counters (action.* metrics). */
function countCall(uow: UnitOfWork, item: ActionItem, ms: number, ok: boolean): void {
  for (const [metric, delta] of actionCallCounters(ms, ok))
    uow.count(
      item.sandbox,
      item.journeyId,
      item.version,
      { node: item.payload.node, metric },
      delta,
    );
}

function actionResultEntry(
  effect: Extract<Effect, { kind: 'callAction' }>,
  result: ActionResult,
  traced: { readonly request: TracedRequest | null; readonly durationMs: number },
): Parameters<UnitOfWork['trace']>[2] {
  return {
    kind: 'actionResult',
    node: effect.node,
    action: effect.action,
    callId: effect.callId,
    request: traced.request,
    durationMs: traced.durationMs,
    response: result.ok
      ? { status: result.status, body: result.body }
      : result.errorResponse !== undefined
        ? { status: statusOf(result.code), body: result.errorResponse }
        : null,
    error: result.ok ? null : { code: result.code, message: result.message },
  };
}

/** The HTTP status an action error code names ("http_503"), 0 when it names none. */
const statusOf = (code: string): number => {
  const m = /(\d{3})/.exec(code);
  return m ? Number(m[1]) : 0;
};

/** A message that could not be delivered, with whom it was for (as far as the attempt got) and why. */
function failedMessage(
  item: MessageItem,
  err: WaymarkError,
  now: number,
  gaveUp: string | null,
): MessageRecord {
  const e = item.payload;
  const known = (key: string): string | null =>
    typeof err.details[key] === 'string' ? err.details[key] : null;
  return {
    id: e.messageId,
    sandbox: item.sandbox,
    journeyId: item.journeyId,
    version: item.version,
    node: e.node,
    label: e.label,
    instanceId: item.instanceId,
    profileId: known('profileId') ?? '',
    channel: e.channel,
    recipient: known('recipient'),
    status: 'failed',
    reason: gaveUp ? `${gaveUp} (${item.attempts + 1} attempts): ${err.message}` : err.message,
    subject: known('subject'),
    body: null,
    text: null,
    payload: { attempts: item.attempts + 1 },
    createdAt: now,
    updatedAt: now,
  };
}
