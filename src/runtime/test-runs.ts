// Test runs (test mode as a journey debugger): each test profile's run of a journey version, kept
// with what happened at each step after test mode is left; events sent from test mode; replays.
import { ErrorCode, notFound, validationFailed, WaymarkError } from '../errors.ts';
import type { TraceEntry } from '../journey/trace.ts';
import { JourneyStatus } from '../model/journey.ts';
import type { TestTraceRow } from '../store/ports.ts';
import type { IngestResult } from './engine/ingest.ts';
import type { RuntimeParts } from './runtime-parts.ts';
import type { StoreReads } from './unit-of-work/index.ts';
import type { JourneyService } from './journeys.ts';

export interface TestRunSummary {
  readonly id: string;
  readonly journeyId: string;
  readonly version: number;
  readonly profileId: string;
  /** The profile's first identity, `namespace:id`, as it was when the run started (null when unknown). */
  readonly profile: string | null;
  readonly startedAt: number;
  readonly updatedAt: number;
  readonly status: 'active' | 'exited';
  /** Activities the profile waits at now (none once it exited). */
  readonly current: readonly string[];
  /** When the running wait or timeout is due (test mode: shortened). */
  readonly dueAt: number | null;
  readonly exitReason: string | null;
  readonly steps: number;
}

export interface TestRunStep {
  readonly at: number;
  readonly entry: TraceEntry;
}
export interface TestRun extends TestRunSummary {
  readonly trace: readonly TestRunStep[];
}

/** An event sent from test mode: the payload names the profile through the event type's identity. */
export interface TestEvent {
  readonly type: string;
  readonly payload: unknown;
  readonly id?: string;
  readonly timestamp?: string;
}

function summarize(
  rows: readonly TestTraceRow[],
  profiles: ReadonlyMap<string, string>,
): TestRunSummary {
  const first = rows[0]!;
  let status: 'active' | 'exited' = 'active';
  let current: readonly string[] = [];
  let dueAt: number | null = null;
  let exitReason: string | null = null;
  for (const r of rows) {
    const e = r.entry as TraceEntry;
    if (e.kind === 'state') {
      status = e.status;
      current = e.current;
      dueAt = e.dueAt;
    }
    if (e.kind === 'exit') exitReason = e.reason;
  }
  return {
    id: first.runId,
    journeyId: first.journeyId,
    version: first.version,
    profileId: first.profileId,
    profile: profiles.get(first.profileId) ?? null,
    startedAt: first.at,
    updatedAt: rows[rows.length - 1]!.at,
    status,
    current,
    dueAt,
    exitReason,
    steps: rows.filter((r) => (r.entry as TraceEntry).kind !== 'state').length,
  };
}

const ended = (r: TestRunSummary): TestRunSummary => ({
  ...r,
  status: 'exited',
  current: [],
  dueAt: null,
  exitReason: 'test_mode_left',
});

export class TestRunService {
  constructor(
    private readonly rt: { readonly engine: RuntimeParts['engine']; readonly reads: StoreReads },
    private readonly journeys: JourneyService,
  ) {}

  /** The runs of a version, newest first. */
  async list(sandbox: string, journeyId: string, version: number): Promise<TestRunSummary[]> {
    await this.journeys.get(sandbox, journeyId);
    const rows = await this.rt.reads.testTrace(sandbox, journeyId, version);
    const byRun = new Map<string, TestTraceRow[]>();
    for (const r of rows) {
      let list = byRun.get(r.runId);
      if (!list) {
        list = [];
        byRun.set(r.runId, list);
      }
      list.push(r);
    }
    const profiles = await this.identities(sandbox, [...new Set(rows.map((r) => r.profileId))]);
    const runs = [...byRun.values()].map((r) => summarize(r, profiles));
    const gone = await this.leftTestMode(runs);
    return runs
      .map((r) => (gone.has(r.id) ? ended(r) : r))
      .sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : -1));
  }

  /** Runs the trace shows active whose instance is gone: test mode was left (its instances are cleared) while they ran. */
  private async leftTestMode(runs: readonly TestRunSummary[]): Promise<Set<string>> {
    const active = runs.filter((r) => r.status === 'active').map((r) => r.id);
    if (active.length === 0) return new Set();
    const found = new Set((await this.rt.reads.getInstances(active)).map((i) => i.state.id));
    return new Set(active.filter((id) => !found.has(id)));
  }

  async get(sandbox: string, journeyId: string, runId: string): Promise<TestRun> {
    const rows = await this.rt.reads.testRunTrace(sandbox, runId);
    if (rows.length === 0 || rows[0]!.journeyId !== journeyId) throw notFound('test run', runId);
    const profiles = await this.identities(sandbox, [rows[0]!.profileId]);
    const run = summarize(rows, profiles);
    return {
      ...((await this.leftTestMode([run])).size > 0 ? ended(run) : run),
      trace: rows.map((r) => ({ at: r.at, entry: r.entry as TraceEntry })),
    };
  }

  /**
   * Sends an event from test mode: it moves the test profile only in the journey's version under
   * test (never a live version, never another journey).
   */
  async send(
    sandbox: string,
    journeyId: string,
    event: TestEvent,
  ): Promise<{ version: number; result: IngestResult }> {
    const latest = (await this.journeys.get(sandbox, journeyId)).latest;
    if (latest.status !== JourneyStatus.Test)
      throw new WaymarkError(
        ErrorCode.Conflict,
        `journey "${journeyId}" is not in test mode (its latest version v${latest.version} is ${latest.status}): turn test mode on first`,
      );
    const [result] = await this.rt.engine.ingest(sandbox, [event], {
      test: { journeyId, version: latest.version },
    });
    return { version: latest.version, result: result! };
  }

  /**
   * Replays a run: the same profile and the same events, in order, against the version under test
   * now. A run still active is stopped first (a profile is in a version once at a time). An event
   * that came after a wait or timeout had fired is sent once the replay's own timer fired as many
   * times (test waits are short), so that a timeout path replays as a timeout path: the answer comes
   * after the events that need no wait, the others follow (`pending`).
   */
  async replay(
    sandbox: string,
    journeyId: string,
    runId: string,
  ): Promise<{ version: number; runId: string | null; results: IngestResult[]; pending: number }> {
    const run = await this.get(sandbox, journeyId, runId);
    const plan: Array<{ event: TestEvent; timersBefore: number }> = [];
    let fired = 0;
    for (const { entry } of run.trace) {
      if (entry.kind === 'timerFired') fired++;
      if (entry.kind === 'event')
        plan.push({ event: { type: entry.event, payload: entry.payload }, timersBefore: fired });
    }
    if (plan.length === 0)
      throw validationFailed(`test run ${runId} received no event to replay`, [
        { path: 'runId', message: 'the run has no event', received: runId },
      ]);
    const latest = (await this.journeys.get(sandbox, journeyId)).latest;
    if (latest.status !== JourneyStatus.Test)
      throw new WaymarkError(
        ErrorCode.Conflict,
        `journey "${journeyId}" is not in test mode (its latest version v${latest.version} is ${latest.status}): turn test mode on to replay`,
      );
    const target = { journeyId, version: latest.version };
    for (const i of await this.rt.reads.activeInstances(sandbox, run.profileId)) {
      if (i.journeyId === journeyId && i.version === latest.version)
        await this.rt.engine.stopInstance(sandbox, i.id);
    }
    const results = await this.rt.engine.ingest(sandbox, [plan[0]!.event], { test: target });
    const started =
      (await this.rt.reads.activeInstances(sandbox, run.profileId)).find(
        (i) => i.journeyId === journeyId && i.version === latest.version,
      )?.id ??
      (await this.list(sandbox, journeyId, latest.version)).find(
        (r) => r.profileId === run.profileId && r.id !== runId,
      )?.id ??
      null;
    let next = 1;
    for (; next < plan.length && plan[next]!.timersBefore === 0; next++)
      results.push(
        ...(await this.rt.engine.ingest(sandbox, [plan[next]!.event], { test: target })),
      );
    const rest = plan.slice(next);
    // The trace shows how far the replay got if a wait never fires (test mode left, run stopped).
    if (rest.length > 0 && started)
      void this.afterTimers(sandbox, target, started, rest).catch(() => undefined);
    return { version: latest.version, runId: started, results, pending: started ? rest.length : 0 };
  }

  /** Sends each event once the run's timers fired as often as before it in the original run; gives up when the run ends or after 15 minutes. */
  private async afterTimers(
    sandbox: string,
    target: { journeyId: string; version: number },
    runId: string,
    rest: ReadonlyArray<{ event: TestEvent; timersBefore: number }>,
  ): Promise<void> {
    const deadline = Date.now() + 15 * 60_000;
    for (const step of rest) {
      for (;;) {
        const trace = await this.rt.reads.testRunTrace(sandbox, runId);
        const fired = trace.filter((r) => (r.entry as TraceEntry).kind === 'timerFired').length;
        const last = [...trace].reverse().find((r) => (r.entry as TraceEntry).kind === 'state')
          ?.entry as Extract<TraceEntry, { kind: 'state' }> | undefined;
        if (fired >= step.timersBefore) break;
        if (last?.status === 'exited' || Date.now() > deadline) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      await this.rt.engine.ingest(sandbox, [step.event], { test: target });
    }
  }

  private async identities(sandbox: string, ids: readonly string[]): Promise<Map<string, string>> {
    const profiles = ids.length > 0 ? await this.rt.reads.getProfiles(sandbox, ids) : [];
    return new Map(
      profiles.flatMap((p) =>
        p.identities[0]
          ? [[p.id, `${p.identities[0].namespace}:${p.identities[0].id}`] as const]
          : [],
      ),
    );
  }
}
