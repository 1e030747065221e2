// The engine: a thin façade over the services it is made of. Ingest routes events, timers fire
// what is due, the outbox carries out effects, the loop runs the last two in the background. Each
// writes only through the unit-of-work module (src/runtime/unit-of-work: the writer, the stepper)
// and none imports another: they are composed here.
import type { Profile } from '../../model/profile.ts';
import type { CatalogCache } from '../catalog.ts';
import type { Clock } from '../clock.ts';
import type { ActionInvoker, MembershipReader, MessageSender } from '../ports.ts';
import {
  Stepper,
  type EngineAudiences,
  type Memberships,
  type StoreReads,
  type UnitOfWork,
  type Writer,
} from '../unit-of-work/index.ts';
import { timeOrderedId } from './ids.ts';
import { IngestService, type IngestResult, type TestTarget } from './ingest.ts';
import { Loop } from './loop.ts';
import { OutboxService, type EngineLog } from './outbox.ts';
import { TimerService } from './timers.ts';
import { JumpHook } from './jumps.ts';
import { instanceOfMessage, type MessageReaction } from '../../journey/reaction.ts';
import type { EngineObserver } from '../observability/engine-observer.ts';
import type { IngestWorkers } from '../workers/pool.ts';

export type { IngestResult, TestTarget } from './ingest.ts';
export type { EngineAudiences } from '../unit-of-work/index.ts';
export { timeOrderedId } from './ids.ts';

export interface EngineDeps {
  /** The only way to commit (src/runtime/unit-of-work/writer.ts). */
  readonly writer: Writer;
  readonly reads: StoreReads;
  readonly catalogs: CatalogCache;
  readonly clock: Clock;
  readonly invokeAction: ActionInvoker;
  readonly sendMessage: MessageSender;
  readonly memberships?: MembershipReader;
  /** Stored audience memberships (src/runtime/audiences): evaluated in the unit of work, with their own timers. */
  readonly audiences?: EngineAudiences;
  readonly newId?: () => string;
  readonly log?: EngineLog;
  /** How many outbox items run at once (bounded concurrency). */
  readonly dispatchConcurrency?: number;
  /** Told of each timer fired (steps are reported by a commit hook on the writer). */
  readonly observer?: EngineObserver;
  /** Threads that check and fingerprint large ingest requests off the writer's thread (src/runtime/workers). */
  readonly workers?: IngestWorkers;
}

export class Engine {
  private readonly writer: Writer;
  private readonly stepper: Stepper;
  private readonly ingestion: IngestService;
  private readonly timers: TimerService;
  private readonly outbox: OutboxService;
  private readonly loop: Loop;

  constructor(private readonly deps: EngineDeps) {
    const { writer, reads, catalogs, clock, audiences } = deps;
    this.writer = writer;
    this.stepper = new Stepper({
      catalogs,
      ...(deps.memberships ? { memberships: deps.memberships } : {}),
      ...(audiences ? { audiences } : {}),
    });
    const common = {
      writer,
      stepper: this.stepper,
      reads,
      catalogs,
      ...(audiences ? { audiences } : {}),
    };
    this.ingestion = new IngestService({
      ...common,
      newId: deps.newId ?? timeOrderedId,
      ...(deps.workers ? { workers: deps.workers } : {}),
    });
    this.timers = new TimerService({
      ...common,
      clock,
      ...(deps.observer ? { observer: deps.observer } : {}),
    });
    this.outbox = new OutboxService({
      writer,
      stepper: this.stepper,
      reads,
      catalogs,
      clock,
      invokeAction: deps.invokeAction,
      sendMessage: deps.sendMessage,
      ...(deps.log ? { log: deps.log } : {}),
      ...(deps.dispatchConcurrency !== undefined
        ? { dispatchConcurrency: deps.dispatchConcurrency }
        : {}),
    });
    this.loop = new Loop({
      fireDueTimers: (limit) => this.timers.fireDueTimers(limit),
      dispatchOutbox: () => this.outbox.dispatch(),
      drain: () => writer.drain(),
      nextTimerDue: () => reads.nextTimerDue(),
      now: () => clock.now(),
      stuckOutbox: () => this.outbox.stuck(30_000).slice(0, 5),
      ...(deps.log ? { log: deps.log } : {}),
    });
    writer.onWake(() => this.loop.wake());
    // Jumps enter their target in the unit of work of the step that jumped, before the other hooks.
    // It runs again last, for jumps of steps the other hooks made (audience-qualification entries).
    const jumps = new JumpHook({
      catalogs,
      reads,
      stepper: this.stepper,
      newId: deps.newId ?? timeOrderedId,
    });
    writer.addHook(jumps, true);
    writer.addHook(jumps);
  }

  /** Outbox items in flight for longer than `ms`, with where each waits. */
  stuckOutbox(ms: number): ReturnType<OutboxService['stuck']> {
    return this.outbox.stuck(ms);
  }

  /** Outbox items resent because a crash cut their attempt, and items finished from a send recorded before a crash (since start). */
  get delivery(): { readonly resentAfterCrash: number; readonly finishedFromRecord: number } {
    return this.outbox.delivery;
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
    return this.ingestion.ingest(sandbox, raws, opts);
  }

  /** The ingest worker threads (null: events are checked on the writer's thread only). */
  get workers(): IngestWorkers | null {
    return this.deps.workers ?? null;
  }

  /** Fires every timer due now; each fires once, removed in the same transaction as its step. */
  fireDueTimers(limit = 1000): Promise<number> {
    return this.timers.fireDueTimers(limit);
  }

  /** Runs the outbox items that are due, at most `dispatchConcurrency` at a time. */
  dispatchOutbox(limit = 200): Promise<number> {
    return this.outbox.dispatch(limit);
  }

  /** A profile's stored audience memberships (outside a unit of work). */
  memberships(sandbox: string, profile: Profile | null): Promise<Memberships> {
    return this.stepper.memberships(sandbox, profile);
  }

  /**
   * Feedback on a message (an open, a click, a bounce) in the caller's unit of work: the instance
   * that sent it moves on if a reaction activity waits for it. False when nothing waited.
   */
  react(uow: UnitOfWork, sandbox: string, reaction: MessageReaction): Promise<boolean> {
    const instanceId = instanceOfMessage(reaction.messageId);
    if (!instanceId) return Promise.resolve(false);
    return this.stepper.feed(uow, sandbox, instanceId, { kind: 'reaction', reaction });
  }

  /** Makes one active instance exit now (a test run replayed, or stopped from the debugger); false when it is not active. */
  stopInstance(sandbox: string, instanceId: string): Promise<boolean> {
    return this.writer.run((uow) => this.stepper.feed(uow, sandbox, instanceId, { kind: 'stop' }));
  }

  /** Makes every active instance of a version exit now (journey stopped). */
  stopVersion(sandbox: string, journeyId: string, version: number): Promise<number> {
    return this.writer.exclusive(async (turn) => {
      let total = 0;
      for (;;) {
        const batch = await this.deps.reads.activeInstancesOfVersion(
          sandbox,
          journeyId,
          version,
          500,
        );
        if (batch.length === 0) return total;
        const uow = turn.unit();
        for (const inst of batch) await this.stepper.feed(uow, sandbox, inst.id, { kind: 'stop' });
        await turn.commit(uow);
        total += batch.length;
      }
    });
  }

  /**
   * Makes up to `limit` active instances of a version (of one partition when given: fleet mode)
   * exit in the caller's unit of work (a dry run ended by its job); returns how many did. Called
   * again until none is left.
   */
  async stopActiveIn(
    uow: UnitOfWork,
    sandbox: string,
    journeyId: string,
    version: number,
    limit: number,
    partition?: number,
  ): Promise<number> {
    const batch = await this.deps.reads.activeInstancesOfVersion(
      sandbox,
      journeyId,
      version,
      limit,
      partition,
    );
    let stopped = 0;
    for (const inst of batch)
      if (await this.stepper.feed(uow, sandbox, inst.id, { kind: 'stop' })) stopped++;
    return stopped;
  }

  /** Runs a task while the writer commits nothing else (a sandbox erased or reset under a running engine). */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.writer.exclusive(() => task());
  }

  /** Runs due timers and the outbox until nothing more is due now (tests, simulator, demo). */
  settle(maxRounds = 100): Promise<void> {
    return this.loop.settle(maxRounds);
  }

  /** Starts the background loop: timers fire when they come due (looked at every 100 ms at the latest). */
  start(intervalMs = 100): void {
    this.loop.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
