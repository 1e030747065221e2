// The single writer: the only way to commit. Work runs in a unit of work on one queue, alone or
// grouped with work that arrives while the writer is busy (group commit: one transaction for
// many requests). The commit hooks (the audience runtime) are a typed list the writer owns, and
// the background loop is not known here: it is handed in as a wake() callback.
import type { SentMark, Store } from '../../store/ports.ts';
import type { Clock } from '../clock.ts';
import { Serial } from './serial.ts';
import { sealedBatch, UnitOfWork, type EventsAhead } from './unit-of-work.ts';

/** What runs around every commit: the audience runtime evaluates touched profiles before, and updates caches after. */
export interface CommitHook {
  before(uow: UnitOfWork): Promise<void>;
  after(uow: UnitOfWork): void;
}

/** What a task on the writer's queue may do: units of work committed in order, and the store's queued writes (purges, erasure). */
export interface WriterTurn {
  /** A new unit of work at `now` (the clock's now when absent). */
  unit(now?: number): UnitOfWork;
  /** Commits a unit of work (hooks around it); wakes the loop when it queued outbox items. */
  commit(uow: UnitOfWork): Promise<void>;
  /** The store, for writes that are not a unit of work (settings, purges, sandbox erasure), while nothing else writes. */
  readonly store: Store;
}

/** What a completed send left on its outbox item (recorded before the journey takes it). */
export type SentRecord = Parameters<Store['markOutboxSent']>[2];

/**
 * What a piece of work will read, said before it runs so that its group reads it for all of its
 * pieces at once: one read transaction (or round trip) for the group instead of one per piece.
 */
export interface ReadAhead {
  /** Instances the work will step (their profiles are read with them). */
  readonly instanceIds?: readonly string[];
  /** Asked when the group starts (checking the events may need the catalog, hence a promise). */
  readonly events?: () => Promise<EventsAhead | null>;
}

interface GroupItem {
  readonly work: (uow: UnitOfWork) => Promise<unknown>;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
  readonly ahead: ReadAhead;
}
interface Group {
  readonly items: GroupItem[];
  weight: number;
  started: boolean;
  queuedAt: number;
}

/** At most this many events (or other pieces of work) share one transaction. */
export const MAX_GROUP_WEIGHT = 2000;

/** The writer's queue, counting what was queued so that a group knows whether it is still last. */
class CountingSerial extends Serial {
  queued = 0;
  override run<T>(task: () => Promise<T>): Promise<T> {
    this.queued++;
    return super.run(task);
  }
}

export interface WriterDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly hooks?: readonly CommitHook[];
  /** Called after a commit that queued outbox items (the loop dispatches them at once). */
  readonly wake?: () => void;
  /**
   * Prepare the next group while a group's commit is in flight (default: when the store says its
   * commits do not hold this thread, `store.asyncCommits()`). A group prepared so reads the store
   * as it was before that commit: a group that depends on what it writes is prepared again once it
   * is done (UnitOfWork.dependsOn).
   */
  readonly pipelined?: boolean;
  /**
   * How many groups' commits may be in flight at once when pipelined (default: the store's
   * `commitsInFlight()`, else 1). The store applies them in the order sent; a group prepared
   * behind several reads the store as it was before all of them, and is prepared again, once they
   * are done, if it depends on any of them.
   */
  readonly pipelineDepth?: number;
}

/** A group's commit under way while the next group is prepared: settles with whether it committed. */
interface InFlight {
  readonly uow: UnitOfWork;
  readonly done: Promise<boolean>;
}

export class Writer {
  private readonly serial = new CountingSerial();
  private openGroup: Group | null = null;
  private readonly sentMarks: Array<{
    mark: SentMark;
    resolve: () => void;
    reject: (e: unknown) => void;
  }> = [];
  private readonly hooks: CommitHook[];
  private wake: () => void;
  private readonly turn: WriterTurn;
  private readonly pipelined: boolean;
  private readonly depth: number;
  /** Commits in flight, oldest first (at most `depth`). */
  private inFlight: InFlight[] = [];

  constructor(private readonly deps: WriterDeps) {
    this.hooks = [...(deps.hooks ?? [])];
    this.wake = deps.wake ?? (() => undefined);
    this.pipelined = deps.pipelined ?? deps.store.asyncCommits?.() ?? false;
    this.depth = Math.max(1, deps.pipelineDepth ?? deps.store.commitsInFlight?.() ?? 1);
    this.turn = {
      unit: (now) => this.unit(now),
      commit: (uow) => this.commit(uow),
      store: deps.store,
    };
  }

  /** Adds a commit hook (run in the order added; `first`: before the others, for work that makes more changes, such as jumps). */
  addHook(hook: CommitHook, first = false): void {
    if (first) this.hooks.unshift(hook);
    else this.hooks.push(hook);
  }

  /** Hands in the loop's wake-up (the loop is built after the writer). */
  onWake(wake: () => void): void {
    this.wake = wake;
  }

  private unit(now?: number): UnitOfWork {
    return new UnitOfWork(this.deps.store, now ?? this.deps.clock.now());
  }

  /** A commit the caller waits for before anything else runs on the queue. */
  private async commit(uow: UnitOfWork): Promise<void> {
    for (const hook of this.hooks) await hook.before(uow);
    await this.deps.store.commit(sealedBatch(uow), { waited: true });
    this.committed(uow);
  }

  /** After a commit: the hooks' after, and the loop woken when outbox items were queued. */
  private committed(uow: UnitOfWork): void {
    for (const hook of this.hooks) hook.after(uow);
    if (uow.outboxAdded > 0) this.wake();
  }

  /** Runs one piece of work in its own unit of work, after everything queued before it, and commits it. */
  run<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    return this.serial.run(() => this.alone(work));
  }

  /** Runs a task on the writer's queue: it may commit several units of work in order (stopping a version, paging a batch run). */
  exclusive<T>(task: (turn: WriterTurn) => Promise<T>): Promise<T> {
    return this.serial.run(async () => {
      await this.settled();
      return task(this.turn);
    });
  }

  /** Waits until everything queued so far has run and committed. */
  async drain(): Promise<void> {
    await this.serial.run(() => this.settled());
  }

  /** Waits for the commits in flight, if any (work other than a group starts on the committed state). */
  private async settled(): Promise<void> {
    const last = this.inFlight.at(-1);
    if (last) await last.done;
  }

  /**
   * Group commit: work that arrives while the writer is busy joins one unit of work, committed in
   * one transaction, as long as nothing else was queued on the writer in between (order is kept).
   * If any piece throws, the shared unit of work is dropped and each piece runs alone, so a
   * failure only fails its own caller, as without grouping.
   */
  grouped<T>(work: (uow: UnitOfWork) => Promise<T>, weight = 1, ahead: ReadAhead = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const item: GroupItem = {
        work,
        resolve: resolve as (v: unknown) => void,
        reject,
        ahead,
      };
      const open = this.openGroup;
      if (
        open &&
        !open.started &&
        open.queuedAt === this.serial.queued &&
        open.weight + weight <= MAX_GROUP_WEIGHT
      ) {
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

  /**
   * Marks outbox items as being attempted, at once (outside the queue): a restart that finds an
   * item still marked knows a crash cut its attempt.
   */
  markAttempting(ids: readonly string[], at: number): Promise<void> {
    return this.deps.store.markOutboxAttempting(ids, at);
  }

  /**
   * Records a completed send at once (outside the queue), so that a restart need not send again.
   * Sends that complete in the same turn of the event loop are recorded together, in one
   * transaction: a campaign's sends finish by the dozen, and one commit each was a fifth of its cost.
   */
  markSent(id: string, at: number, outcome: SentRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.sentMarks.push({ mark: { id, at, outcome }, resolve, reject });
      if (this.sentMarks.length === 1) setImmediate(() => void this.flushSentMarks());
    });
  }

  private async flushSentMarks(): Promise<void> {
    const due = this.sentMarks.splice(0);
    try {
      await this.deps.store.markOutboxSentMany(due.map((d) => d.mark));
      for (const d of due) d.resolve();
    } catch (e) {
      for (const d of due) d.reject(e);
    }
  }

  private async alone<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    await this.settled();
    const uow = this.unit();
    const r = await work(uow);
    await this.commit(uow);
    return r;
  }

  private async runGroup(group: Group): Promise<void> {
    group.started = true;
    if (this.openGroup === group) this.openGroup = null;
    if (this.pipelined) return this.runPipelined(group);
    if (group.items.length > 1) {
      const prepared = await this.prepare(group);
      if (prepared) {
        try {
          await this.commit(prepared.uow);
        } catch (e) {
          for (const item of group.items) item.reject(e);
          return;
        }
        group.items.forEach((item, i) => item.resolve(prepared.results[i]));
        return;
      }
    }
    await this.oneByOne(group);
  }

  /**
   * A group prepared while the commits of the groups before it are in flight, then committed
   * behind them (at most `depth` commits in flight: it waits for the oldest when there are): its
   * commit is sent here and the queue goes on to the next group at once. A group that depends on
   * what one of them writes is prepared again once they are done; if any piece throws, each runs
   * alone on the committed state.
   */
  private async runPipelined(group: Group): Promise<void> {
    let prior = this.inFlight.slice();
    if (prior.length > 0 && (await this.readsWhatIsInFlight(group, prior))) {
      await this.settled();
      prior = [];
    }
    let prepared = await this.prepare(group);
    const first = prepared?.uow;
    if (first && prior.some((p) => first.dependsOn(p.uow))) {
      await this.settled();
      prepared = await this.prepare(group);
    }
    if (!prepared) return this.oneByOne(group);
    while (this.inFlight.length >= this.depth) await this.inFlight[0]!.done;
    const { uow, results } = prepared;
    try {
      for (const hook of this.hooks) await hook.before(uow);
    } catch (e) {
      for (const item of group.items) item.reject(e);
      return;
    }
    const done = this.deps.store.commit(sealedBatch(uow)).then(
      () => {
        try {
          this.committed(uow);
        } catch (e) {
          for (const item of group.items) item.reject(e);
          return true;
        }
        group.items.forEach((item, i) => item.resolve(results[i]));
        return true;
      },
      (e: unknown) => {
        for (const item of group.items) item.reject(e);
        return false;
      },
    );
    const flight: InFlight = { uow, done };
    this.inFlight.push(flight);
    void done.then(() => {
      const at = this.inFlight.indexOf(flight);
      if (at >= 0) this.inFlight.splice(at, 1);
    });
  }

  /**
   * Whether the group's read-ahead names what a commit in flight writes (the shopper whose
   * checkout commits now sends the purchase): it is then prepared once, after those commits, rather
   * than twice. A read-ahead that fails is left to prepare() to report.
   */
  private async readsWhatIsInFlight(group: Group, inFlight: readonly InFlight[]): Promise<boolean> {
    try {
      for (const item of group.items) {
        const events = (await item.ahead.events?.()) ?? null;
        const ids = item.ahead.instanceIds ?? [];
        if (inFlight.some((f) => f.uow.writesWhatIsAhead(events, ids))) return true;
      }
    } catch {
      return true;
    }
    return false;
  }

  /** Runs every piece of a group in one unit of work; null when one of them threw. */
  private async prepare(group: Group): Promise<{ uow: UnitOfWork; results: unknown[] } | null> {
    const uow = this.unit();
    const results: unknown[] = [];
    try {
      if (group.items.length > 1) await readAhead(uow, group.items);
      for (const item of group.items) results.push(await item.work(uow));
    } catch {
      return null;
    }
    return { uow, results };
  }

  /** Each piece alone, so that a failure fails only its own caller. */
  private async oneByOne(group: Group): Promise<void> {
    for (const item of group.items) {
      try {
        item.resolve(await this.alone(item.work));
      } catch (e) {
        item.reject(e);
      }
    }
  }
}

/** Reads what the group's pieces said they will read, together (each piece then finds it read). */
async function readAhead(uow: UnitOfWork, items: readonly GroupItem[]): Promise<void> {
  await uow.prefetchInstances(items.flatMap((item) => item.ahead.instanceIds ?? []));
  const events = await Promise.all(items.map((item) => item.ahead.events?.() ?? null));
  const bySandbox = new Map<
    string,
    { eventIds: string[]; identities: EventsAhead['identities'][number][] }
  >();
  for (const e of events) {
    if (!e) continue;
    let s = bySandbox.get(e.sandbox);
    if (!s) {
      s = { eventIds: [], identities: [] };
      bySandbox.set(e.sandbox, s);
    }
    s.eventIds.push(...e.eventIds);
    s.identities.push(...e.identities);
  }
  for (const [sandbox, s] of bySandbox) await uow.prefetchEvents(sandbox, s.eventIds, s.identities);
}
