// Timers: fires what is due, each once, removed in the same transaction as its step. Timers of no
// instance (audience windows, jobs) go to the audience runtime; a paused journey's are held.
import type { CatalogCache, SandboxCatalog } from '../catalog.ts';
import { versionKey } from '../catalog.ts';
import type { Clock } from '../clock.ts';
import type { TimerRow } from '../../store/ports.ts';
import type { EngineObserver } from '../observability/engine-observer.ts';
import type { EngineAudiences, Stepper, StoreReads, Writer } from '../unit-of-work/index.ts';

export interface TimerDeps {
  readonly writer: Writer;
  readonly stepper: Stepper;
  readonly reads: StoreReads;
  readonly catalogs: CatalogCache;
  readonly clock: Clock;
  readonly audiences?: EngineAudiences;
  readonly observer?: EngineObserver;
}

export class TimerService {
  constructor(private readonly deps: TimerDeps) {}

  /** Fires every timer due now; each fires once, removed in the same transaction as its step. */
  fireDueTimers(limit = 1000): Promise<number> {
    return this.deps.writer.exclusive(async (turn) => {
      const now = this.deps.clock.now();
      await this.deps.audiences?.poll(now, turn);
      const due = await this.deps.reads.dueTimers(now, limit);
      if (due.length === 0) return 0;
      const uow = turn.unit(now);
      await uow.prefetchInstances(
        due.flatMap((t) => (t.kind === 'instance' ? [t.instanceId] : [])),
      );
      let catalog: SandboxCatalog | null = null;
      const fired: TimerRow[] = [];
      for (const t of due) {
        if (t.kind !== 'instance') {
          // Audience windows and jobs belong to the audience runtime; without it they have nothing to do.
          if (this.deps.audiences) await this.deps.audiences.onTimer(uow, t);
          else uow.removeTimer(t.id);
          fired.push(t);
          continue;
        }
        const found = await uow.instance(t.instanceId);
        if (catalog?.sandbox !== t.sandbox) catalog = await this.deps.catalogs.get(t.sandbox);
        const entry = found
          ? catalog.versions.get(versionKey(found.state.journeyId, found.state.version))
          : undefined;
        if (entry && entry.version.status === 'paused') {
          // Held while paused: looked at again shortly, fired once the journey resumes.
          uow.addTimer({ ...t, dueAt: now + 1000 });
          continue;
        }
        uow.removeTimer(t.id);
        fired.push(t);
        if (found)
          await this.deps.stepper.feedState(uow, t.sandbox, catalog, found.state, {
            kind: 'timer',
            timerId: t.id,
          });
      }
      await turn.commit(uow);
      const observer = this.deps.observer;
      if (observer)
        for (const t of fired)
          observer.onTimerFired({ sandbox: t.sandbox, kind: t.kind, dueAt: t.dueAt, firedAt: now });
      return due.length;
    });
  }
}
