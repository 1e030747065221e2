// A test run's trace as the debugger shows it: one step per activity crossed (an action's call and
// its result, a message and its rendering, joined), and the path it lights on the canvas.
import type { Answer } from '@waymark/shared/api/answer.ts';
import type {
  testEventAnswer,
  testReplayAnswer,
  testRunListAnswer,
  testRunSchema,
  testRunSummarySchema,
} from '@waymark/shared/api/test-runs.ts';
import type { TraceEntry } from '@waymark/shared/journey/trace.ts';

export type { TraceEntry };

/** One test run of a version, as GET /v1/journeys/:id/test-runs lists it. */
export type TestRunSummary = Answer<typeof testRunSummarySchema>;
/** GET /v1/journeys/:id/test-runs?version=N. */
export type TestRunList = Answer<typeof testRunListAnswer>;
/** A run with its step trace (GET /v1/journeys/:id/test-runs/:runId). */
export type TestRun = Answer<typeof testRunSchema>;
/** POST /v1/journeys/:id/test-runs/events. */
export type TestEventAnswer = Answer<typeof testEventAnswer>;
/** POST /v1/journeys/:id/test-runs/:runId/replay. */
export type TestReplayAnswer = Answer<typeof testReplayAnswer>;

type Of<K extends TraceEntry['kind']> = Extract<TraceEntry, { kind: K }>;

export type RunStep =
  | { key: string; at: number; node: string; kind: 'event'; entry: Of<'event'> }
  | { key: string; at: number; node: string; kind: 'condition'; entry: Of<'condition'> }
  /** `cancelled`: an awaited event came first (the timer was dropped). */
  | {
      key: string;
      at: number;
      node: string;
      kind: 'timer';
      entry: Of<'timer'>;
      fired: { at: number } | null;
      cancelled: { at: number } | null;
    }
  | {
      key: string;
      at: number;
      node: string;
      kind: 'action';
      entry: Of<'actionCall'>;
      result: { at: number; entry: Of<'actionResult'> } | null;
    }
  | {
      key: string;
      at: number;
      node: string;
      kind: 'message';
      entry: Of<'message'>;
      result: { at: number; entry: Of<'messageResult'> } | null;
    }
  | { key: string; at: number; node: string | null; kind: 'exit'; entry: Of<'exit'> };

export function stepsOf(trace: TestRun['trace']): RunStep[] {
  const steps: RunStep[] = [];
  trace.forEach(({ at, entry: e }, i) => {
    const key = String(i);
    switch (e.kind) {
      case 'event':
        // The event resumes the profile: the timer it was waiting with is dropped.
        for (const t of steps)
          if (t.kind === 'timer' && !t.fired && !t.cancelled) t.cancelled = { at };
        steps.push({ key, at, node: e.node, kind: 'event', entry: e });
        return;
      case 'condition':
        steps.push({ key, at, node: e.node, kind: 'condition', entry: e });
        return;
      case 'timer':
        steps.push({
          key,
          at,
          node: e.node,
          kind: 'timer',
          entry: e,
          fired: null,
          cancelled: null,
        });
        return;
      case 'timerFired': {
        const t = [...steps]
          .reverse()
          .find(
            (s): s is Extract<RunStep, { kind: 'timer' }> =>
              s.kind === 'timer' && s.node === e.node && s.fired === null,
          );
        if (t) t.fired = { at };
        return;
      }
      case 'actionCall':
        steps.push({ key, at, node: e.node, kind: 'action', entry: e, result: null });
        return;
      case 'actionResult': {
        const s = steps.find(
          (x): x is Extract<RunStep, { kind: 'action' }> =>
            x.kind === 'action' && x.entry.callId === e.callId,
        );
        if (s) s.result = { at, entry: e };
        return;
      }
      case 'message':
        steps.push({ key, at, node: e.node, kind: 'message', entry: e, result: null });
        return;
      case 'messageResult': {
        const s = steps.find(
          (x): x is Extract<RunStep, { kind: 'message' }> =>
            x.kind === 'message' && x.entry.messageId === e.messageId,
        );
        if (s) s.result = { at, entry: e };
        return;
      }
      case 'exit':
        steps.push({ key, at, node: null, kind: 'exit', entry: e });
        return;
      case 'state':
        return;
      default: {
        const never: never = e;
        return never;
      }
    }
  });
  return steps;
}

export interface LitPath {
  nodes: Set<string>;
  edges: Set<string>;
  current: Set<string>;
}

/** The activities the run crossed, the edges between them in order, and where it waits now. */
export function litOf(run: TestRun): LitPath {
  const order: string[] = [];
  for (const { entry: e } of run.trace) {
    if (e.kind === 'state' || e.kind === 'exit') continue;
    if (order[order.length - 1] !== e.node) order.push(e.node);
  }
  const current = new Set(run.status === 'active' ? run.current : []);
  for (const c of current) if (order[order.length - 1] !== c) order.push(c);
  const edges = new Set<string>();
  order.forEach((n, i) => {
    const prev = order[i - 1];
    if (prev && prev !== n) edges.add(`${prev}->${n}`);
  });
  return { nodes: new Set(order), edges, current };
}

/** What a step says in one line, for the step list. */
export function outcomeOf(s: RunStep): string {
  switch (s.kind) {
    case 'event':
      return s.entry.entry ? `entered with ${s.entry.event}` : `received ${s.entry.event}`;
    case 'condition':
      return `→ ${s.entry.taken}`;
    case 'timer':
      if (s.fired)
        return `${s.entry.reason === 'timeout' ? 'timed out' : 'waited'} at ${time(s.fired.at)}`;
      if (s.cancelled) return `event before the ${s.entry.reason} (due ${time(s.entry.dueAt)})`;
      return `${s.entry.reason} due ${time(s.entry.dueAt)}`;
    case 'action':
      return !s.result
        ? 'calling…'
        : s.result.entry.error
          ? `error: ${s.result.entry.error.code}`
          : `HTTP ${s.result.entry.response?.status ?? '?'}`;
    case 'message':
      return !s.result ? 'sending…' : s.result.entry.status;
    case 'exit':
      return `exit: ${s.entry.reason.replace(/_/g, ' ')}`;
    default: {
      const never: never = s;
      return never;
    }
  }
}

export const time = (ms: number): string => new Date(ms).toLocaleTimeString();
