import { toEpochMillis, toJson, type EvaluationContext } from '../expr/index.ts';
import { channelOfKind, isMessageNode, type JourneyNode } from '../model/journey.ts';
import { answers, type MessageReaction } from './reaction.ts';
import { capDecision, profileValue, withAttribute } from './step-activities.ts';
import {
  capChoice,
  conditionZone,
  expressionChoice,
  splitChoice,
  windowChoice,
  type ConditionOutcome,
} from './step-conditions.ts';
import type { CompiledJourney } from './compile.ts';
import { lifetimeLabel } from './duration.ts';
import { DRY_PATH_PREFIX, Metric, type CounterDelta, type Effect } from './effects.ts';
import {
  ExitReason,
  globalTimerId,
  INSTANCE_STATE_VERSION,
  type InstanceContext,
  type InstanceState,
  type PathStep,
  type Waiting,
} from './instance.ts';
import { seededRandom } from './random.ts';
import type { TraceEntry } from './trace.ts';

export interface ReceivedEvent {
  readonly name: string;
  readonly payload: unknown;
}

export type ActionResult =
  | { readonly ok: true; readonly status: number; readonly body: unknown }
  | {
      readonly ok: false;
      readonly code: string;
      readonly message: string;
      readonly errorResponse?: unknown;
    };

/** The outcome of a send, for a message activity that waits for it (one with an error path). */
export type MessageResult =
  { readonly ok: true } | { readonly ok: false; readonly code: string; readonly message: string };

export type StepInput =
  /** `event` is the entry event of an event journey; audience entries (qualification, read audience) come without one. */
  | {
      readonly kind: 'enter';
      readonly instanceId: string;
      readonly profileId: string;
      readonly event?: ReceivedEvent;
      /**
       * The end of a wait reached while entering, given by the caller instead of the wait's own
       * (a campaign timed in each profile's zone: src/campaign/profile-time.ts).
       */
      readonly waitUntil?: number;
      /**
       * A jump from another journey: its context is carried, and the entry event is passed over,
       * taking the payload of the source's entry event (AJO: the target's event gets the source's data).
       */
      readonly jump?: { readonly context: InstanceContext; readonly payload: unknown };
      /** A business event journey's run: the business event's payload is in the context from the start. */
      readonly business?: ReceivedEvent;
    }
  /** The profile left an audience: an exit criterion on that audience makes it leave the journey. */
  | { readonly kind: 'audienceExit'; readonly audience: string }
  /** Feedback on a message this instance sent (a reaction activity may wait for it). */
  | { readonly kind: 'reaction'; readonly reaction: MessageReaction }
  | { readonly kind: 'event'; readonly event: ReceivedEvent }
  | { readonly kind: 'timer'; readonly timerId: string }
  | { readonly kind: 'actionResult'; readonly callId: string; readonly result: ActionResult }
  | { readonly kind: 'messageResult'; readonly messageId: string; readonly result: MessageResult }
  | { readonly kind: 'stop' };

export interface StepEnv {
  readonly now: number;
  readonly profile: unknown;
  readonly audiences: Readonly<Record<string, 'realized' | 'exited'>>;
  /**
   * Profile caps: how many profiles took the first path of each profile-cap condition of this
   * version so far, by node id (counted in the step's unit of work). Absent: such a condition fails.
   */
  readonly capsTaken?: Readonly<Record<string, number>>;
}

export interface StepResult {
  readonly instance: InstanceState;
  readonly effects: readonly Effect[];
  readonly counters: readonly CounterDelta[];
  /** False when the input did not apply to this instance (an event it does not wait for, a stale timer). */
  readonly applied: boolean;
  /** Test mode only: what happened at each activity crossed in this step (the test-run debugger). */
  readonly trace?: readonly TraceEntry[];
}

/** Activities a profile may cross in one step before the step gives up: a guard against runaway graphs. */
const MAX_HOPS = 500;

/**
 * Advances one instance by one input. Pure: everything it needs comes in, everything it wants done
 * goes out as effects. The same function runs the server, the simulator and the tests.
 */
export function step(
  journey: CompiledJourney,
  instance: InstanceState | null,
  input: StepInput,
  env: StepEnv,
): StepResult {
  if (input.kind === 'enter') return enter(journey, input, env);
  if (!instance) throw new Error(`step: input ${input.kind} needs an instance`);
  if (instance.status !== 'active') return unchanged(instance);
  const run = new Run(journey, instance, env);
  switch (input.kind) {
    case 'event':
      return run.onEvent(input.event);
    case 'reaction':
      return run.onReaction(input.reaction);
    case 'timer':
      return run.onTimer(input.timerId);
    case 'actionResult':
      return run.onActionResult(input.callId, input.result);
    case 'messageResult':
      return run.onMessageResult(input.messageId, input.result);
    case 'audienceExit':
      return run.onAudienceExit(input.audience);
    case 'stop':
      run.exit(ExitReason.JourneyStopped);
      return run.result();
    default: {
      const never: never = input;
      throw new Error(`unhandled input ${JSON.stringify(never)}`);
    }
  }
}

function unchanged(instance: InstanceState): StepResult {
  return { instance, effects: [], counters: [], applied: false };
}

function enter(
  journey: CompiledJourney,
  input: Extract<StepInput, { kind: 'enter' }>,
  env: StepEnv,
): StepResult {
  const start = journey.nodes.get(journey.definition.start)!;
  const fresh: InstanceState = {
    v: INSTANCE_STATE_VERSION,
    id: input.instanceId,
    journeyId: journey.journeyId,
    version: journey.version,
    profileId: input.profileId,
    status: 'active',
    waiting: { kind: 'listening', nodes: [start.id], since: env.now },
    context: input.jump?.context ?? {
      events: input.business ? { [input.business.name]: input.business.payload } : {},
      actions: {},
    },
    path: [],
    enteredAt: env.now,
    seq: 0,
  };
  const run = new Run(journey, fresh, env);
  run.entering = true;
  run.waitUntil = input.waitUntil;
  run.counters.push({ node: null, metric: Metric.Entered });
  run.effects.push({
    kind: 'scheduleTimer',
    timerId: globalTimerId(fresh.id),
    dueAt: env.now + journey.lifetimeMs,
  });
  if (input.event) return run.onEvent(input.event);
  if (input.jump && start.kind === 'event')
    return run.jumpedIn(start.id, start.event, input.jump.payload, start.next);
  return run.start(start.id);
}

class Run {
  readonly effects: Effect[] = [];
  readonly counters: CounterDelta[] = [];
  /** Kept in test mode only: production steps pay nothing for the debugger. */
  readonly trace: TraceEntry[] | null;
  entering = false;
  waitUntil: number | undefined;
  private state: { -readonly [K in keyof InstanceState]: InstanceState[K] };
  private path: PathStep[];
  private hops = 0;
  /** The profile's attributes as this step changed them (update profile). */
  private profile: unknown;
  /** Profiles sent down the first path of each profile cap within this step. */
  private readonly capsHere = new Map<string, number>();

  constructor(
    private readonly journey: CompiledJourney,
    instance: InstanceState,
    private readonly env: StepEnv,
  ) {
    this.state = { ...instance };
    this.path = [...instance.path];
    this.trace = journey.test ? [] : null;
    this.profile = env.profile;
  }

  result(applied = true): StepResult {
    const base = {
      instance: { ...this.state, path: this.path },
      effects: this.effects,
      counters: this.counters,
      applied,
    };
    return this.trace && applied ? { ...base, trace: this.trace } : base;
  }

  /** An entry without an event: the profile goes straight to the first activity. */
  start(first: string): StepResult {
    this.state.waiting = null;
    this.go([first]);
    return this.result();
  }

  /** A jump into this journey: the entry event is passed over, its context carried from the source. */
  jumpedIn(start: string, event: string, payload: unknown, next: readonly string[]): StepResult {
    this.state.waiting = null;
    this.state.context = {
      ...this.state.context,
      events: { ...this.state.context.events, [event]: payload },
    };
    this.trace?.push({ kind: 'event', node: start, event, payload, entry: true });
    this.leave(start, 'jumped in');
    this.go(next);
    return this.result();
  }

  /** Feedback on a message: a reaction activity the profile waits at, for this message's activity and kind. */
  onReaction(r: MessageReaction): StepResult {
    const w = this.state.waiting;
    if (w?.kind !== 'listening') return this.result(false);
    const node = w.nodes
      .map((id) => this.node(id))
      .find((n) => n.kind === 'reaction' && answers(n, r, this.state.id));
    if (!node || node.kind !== 'reaction') return this.result(false);
    if (w.timer) this.effects.push({ kind: 'cancelTimer', timerId: w.timer.id });
    this.state.waiting = null;
    this.trace?.push({
      kind: 'event',
      node: node.id,
      event: `message.${r.reaction}`,
      payload: { messageId: r.messageId, activity: r.activity },
      entry: false,
    });
    this.closeParallel(w.nodes, node.id);
    this.leave(node.id, r.reaction);
    this.go(node.next);
    return this.result();
  }

  onEvent(event: ReceivedEvent): StepResult {
    // Exit criteria apply from any activity (validation keeps the entry event out of them).
    if (this.journey.definition.exitCriteria?.some((c) => 'event' in c && c.event === event.name)) {
      this.exit(ExitReason.ExitCriteria);
      return this.result();
    }
    const w = this.state.waiting;
    if (w?.kind !== 'listening') return this.result(false);
    const node = w.nodes
      .map((id) => this.node(id))
      .find((n) => n.kind === 'event' && n.event === event.name);
    if (!node || node.kind !== 'event') return this.result(false);
    if (w.timer) this.effects.push({ kind: 'cancelTimer', timerId: w.timer.id });
    this.state.waiting = null;
    this.state.context = {
      ...this.state.context,
      events: { ...this.state.context.events, [event.name]: event.payload },
    };
    this.trace?.push({
      kind: 'event',
      node: node.id,
      event: event.name,
      payload: event.payload,
      entry: this.entering,
    });
    if (this.pendingAt(node.id) < 0) this.arrive(node.id);
    this.closeParallel(w.nodes, node.id);
    this.leave(node.id, event.name);
    this.go(node.next);
    return this.result();
  }

  /** Exit criteria with a data condition: leaving one of the listed audiences ends the journey, from any activity. */
  onAudienceExit(audience: string): StepResult {
    if (
      !this.journey.definition.exitCriteria?.some(
        (c) => 'audienceExit' in c && c.audienceExit === audience,
      )
    )
      return this.result(false);
    this.exit(ExitReason.ExitCriteria);
    return this.result();
  }

  onTimer(timerId: string): StepResult {
    if (timerId === globalTimerId(this.state.id)) {
      this.exit(ExitReason.InstanceTimeout);
      return this.result();
    }
    const w = this.state.waiting;
    if (w?.kind !== 'listening' || w.timer?.id !== timerId) return this.result(false);
    const node = this.node(w.timer.node);
    this.state.waiting = null;
    this.trace?.push({ kind: 'timerFired', node: node.id, reason: w.timer.reason });
    this.closeParallel(w.nodes, node.id);
    if (w.timer.reason === 'wait' && node.kind === 'wait') {
      this.leave(node.id, 'waited');
      this.go(node.next);
    } else if (node.kind === 'event' || node.kind === 'reaction') {
      this.counters.push({ node: node.id, metric: Metric.Timeout });
      if (node.timeout?.next) {
        this.leave(node.id, 'timeout');
        this.go(node.timeout.next);
      } else {
        // Without a timeout path the timeout acts as a wait: the profile goes on along the event's path.
        this.leave(node.id, 'timeout');
        this.go(node.next);
      }
    }
    return this.result();
  }

  onMessageResult(messageId: string, result: MessageResult): StepResult {
    const w = this.state.waiting;
    if (w?.kind !== 'message' || w.messageId !== messageId) return this.result(false);
    const node = this.node(w.node);
    if (!isMessageNode(node)) return this.result(false);
    this.state.waiting = null;
    if (result.ok) {
      this.leave(node.id, 'sent');
      this.go(node.next);
    } else {
      this.fail(node, result.code, result.message, node.errorPath?.next);
    }
    return this.result();
  }

  onActionResult(callId: string, result: ActionResult): StepResult {
    const w = this.state.waiting;
    if (w?.kind !== 'action' || w.callId !== callId) return this.result(false);
    const node = this.node(w.node);
    if (node.kind !== 'action') return this.result(false);
    this.state.waiting = null;
    if (result.ok) {
      this.state.context = {
        ...this.state.context,
        actions: { ...this.state.context.actions, [node.action]: result.body },
      };
      this.leave(node.id, 'ok');
      this.go(node.next);
      return this.result();
    }
    this.state.context = {
      ...this.state.context,
      actions: {
        ...this.state.context.actions,
        [node.action]: { jo_status_code: result.code, errorResponse: result.errorResponse ?? null },
      },
    };
    this.fail(node, result.code, result.message, node.errorPath?.next);
    return this.result();
  }

  exit(reason: ExitReason): void {
    const w = this.state.waiting;
    if (w?.kind === 'listening' && w.timer)
      this.effects.push({ kind: 'cancelTimer', timerId: w.timer.id });
    if (reason !== ExitReason.InstanceTimeout)
      this.effects.push({ kind: 'cancelTimer', timerId: globalTimerId(this.state.id) });
    this.state.status = 'exited';
    this.state.waiting = null;
    // AJO shows a journey's in-app messages and code-based experiences only while the profile is
    // in the journey.
    if (this.journey.definition.nodes.some((n) => n.kind === 'inApp' || n.kind === 'codeBased'))
      this.effects.push({ kind: 'withdrawInApp', instanceId: this.state.id });
    this.state.exitedAt = this.env.now;
    this.state.exitReason = reason;
    this.trace?.push({ kind: 'exit', reason });
    // The product deletes instances at the global timeout without counting an exit.
    if (reason !== ExitReason.InstanceTimeout)
      this.counters.push({
        node: null,
        metric: reason === ExitReason.Error ? Metric.Error : Metric.Exited,
      });
  }

  private node(id: string): JourneyNode {
    const n = this.journey.nodes.get(id);
    if (!n)
      throw new Error(
        `journey ${this.journey.journeyId} v${this.journey.version} has no node ${id}`,
      );
    return n;
  }

  private arrive(id: string): void {
    this.path.push({ node: id, at: this.env.now });
    this.counters.push({ node: id, metric: Metric.Entered });
  }

  /** Index of the path step where the profile arrived at `id` and has not left yet, or -1. */
  private pendingAt(id: string): number {
    for (let i = this.path.length - 1; i >= 0; i--) {
      const p = this.path[i]!;
      if (p.node === id && p.outcome === undefined) return i;
    }
    return -1;
  }

  private leave(id: string, outcome: string): void {
    const i = this.pendingAt(id);
    // Written out rather than spread: spreading a step parsed from stored JSON cost a tenth of the
    // timer burst's time (BENCHMARKS.md, 2026-12-06 16:00).
    if (i >= 0) this.path[i] = { node: id, at: this.path[i]!.at, outcome, left: this.env.now };
    else this.path.push({ node: id, at: this.env.now, outcome, left: this.env.now });
    this.counters.push({ node: id, metric: Metric.Exited });
    // Dry run: the paths taken at each activity are counted for its report.
    if (this.journey.dryRun)
      this.counters.push({ node: id, metric: `${DRY_PATH_PREFIX}${outcome}` });
  }

  /** Parallel activities the profile did not go through are closed without counting an exit. */
  private closeParallel(nodes: readonly string[], taken: string): void {
    for (const id of nodes) {
      if (id === taken) continue;
      const i = this.pendingAt(id);
      if (i >= 0)
        this.path[i] = { node: id, at: this.path[i]!.at, outcome: 'not taken', left: this.env.now };
    }
  }

  private nextId(): string {
    this.state.seq += 1;
    return `${this.state.id}:${this.state.seq}`;
  }

  private fail(
    node: JourneyNode,
    code: string,
    message: string,
    errorPath: readonly string[] | undefined,
  ): void {
    this.counters.push({ node: node.id, metric: Metric.Error });
    this.state.lastError = { node: node.id, nodeKind: node.kind, code, message, at: this.env.now };
    if (errorPath) {
      this.leave(node.id, 'error');
      this.go(errorPath);
    } else {
      this.leave(node.id, `error: ${code}`);
      this.exit(ExitReason.Error);
    }
  }

  private evalContext(): EvaluationContext {
    return {
      events: this.state.context.events,
      actions: this.state.context.actions,
      profile: this.profile,
      audiences: this.env.audiences,
      now: this.env.now,
      random: seededRandom(`${this.state.id}:${this.state.seq}`),
      timeZone: this.journey.definition.timeZone,
    };
  }

  /** Moves the profile to the activities of a path and on, until it must wait or exits. */
  private go(next: readonly string[]): void {
    if (this.state.status !== 'active') return;
    if (++this.hops > MAX_HOPS) {
      this.state.lastError = {
        node: next[0] ?? '',
        nodeKind: 'journey',
        code: 'loop_limit',
        message: `crossed more than ${MAX_HOPS} activities in one step`,
        at: this.env.now,
      };
      this.exit(ExitReason.Error);
      return;
    }
    if (next.length === 0) return this.exit(ExitReason.Completed);
    const first = this.node(next[0]!);
    if (
      next.length > 1 ||
      first.kind === 'event' ||
      first.kind === 'wait' ||
      first.kind === 'reaction'
    )
      return this.listen(next);
    this.arrive(first.id);
    switch (first.kind) {
      case 'condition':
        return this.condition(first);
      case 'action':
        return this.callAction(first);
      case 'email':
      case 'push':
      case 'sms':
      case 'inApp':
      case 'codeBased': {
        if (this.journey.dryRun) {
          // Dry run: nothing is sent; the activity counts what it would have sent and goes on.
          this.counters.push({ node: first.id, metric: Metric.WouldSend });
          this.leave(first.id, 'would send');
          return this.go(first.next);
        }
        const messageId = this.nextId();
        this.trace?.push({
          kind: 'message',
          node: first.id,
          messageId,
          channel: channelOfKind(first.kind),
          label: first.label ?? first.id,
        });
        this.effects.push({
          kind: 'sendMessage',
          messageId,
          node: first.id,
          channel: channelOfKind(first.kind),
          label: first.label ?? first.id,
          configuration: first.configuration,
          ...(first.ruleSet ? { ruleSet: first.ruleSet } : {}),
          category: first.category,
          context: this.state.context,
        });
        if (first.errorPath) {
          this.state.waiting = { kind: 'message', node: first.id, messageId, since: this.env.now };
          return;
        }
        this.leave(first.id, 'sent');
        return this.go(first.next);
      }
      case 'updateProfile':
        return this.updateProfile(first);
      case 'jump':
        if (this.journey.dryRun) {
          // Dry run: no other journey is entered (AJO: jump ignores dry runs).
          this.counters.push({ node: first.id, metric: Metric.WouldJump });
          this.leave(first.id, `would jump to ${first.journey}`);
          return this.go(first.next);
        }
        this.effects.push({
          kind: 'jump',
          node: first.id,
          profileId: this.state.profileId,
          targetJourneyId: first.journey,
          context: this.state.context,
          payload: this.state.context.events[this.journey.entryEvent] ?? null,
        });
        this.counters.push({ node: first.id, metric: Metric.Jumped });
        this.leave(first.id, `jumped to ${first.journey}`);
        return this.go(first.next);
      case 'end':
        this.leave(first.id, 'end');
        return this.exit(ExitReason.Completed);
      default: {
        const never: never = first;
        throw new Error(`unhandled node ${JSON.stringify(never)}`);
      }
    }
  }

  private listen(ids: readonly string[]): void {
    let timer: Extract<Waiting, { kind: 'listening' }>['timer'];
    for (const id of ids) {
      const n = this.node(id);
      this.arrive(id);
      let due: number | null = null;
      let reason: 'wait' | 'timeout' = 'wait';
      if (n.kind === 'wait') {
        due = this.waitDue(n);
        if (due === null) return;
      } else if ((n.kind === 'event' || n.kind === 'reaction') && this.journey.timeouts.has(id)) {
        due = this.env.now + this.journey.timeouts.get(id)!;
        reason = 'timeout';
      }
      // The earliest wait wins; on equal times the upper path wins.
      if (due !== null && (!timer || due < timer.dueAt))
        timer = { id: '', dueAt: due, node: id, reason };
    }
    if (timer) {
      if (timer.dueAt > this.state.enteredAt + this.journey.lifetimeMs) {
        const n = this.node(timer.node);
        return this.fail(
          n,
          'exceeds_instance_lifetime',
          `the wait would end after the journey's timeout of ${lifetimeLabel(this.journey.lifetimeMs)}`,
          undefined,
        );
      }
      timer = { ...timer, id: this.nextId() };
      this.effects.push({ kind: 'scheduleTimer', timerId: timer.id, dueAt: timer.dueAt });
      if (this.trace) this.trace.push(this.timerTrace(timer.node, timer.reason, timer.dueAt));
    }
    this.state.waiting = {
      kind: 'listening',
      nodes: ids,
      since: this.env.now,
      ...(timer ? { timer } : {}),
    };
  }

  private timerTrace(id: string, reason: 'wait' | 'timeout', dueAt: number): TraceEntry {
    const n = this.node(id);
    const configured =
      n.kind === 'wait'
        ? n.duration !== undefined
          ? String(n.duration)
          : (n.until ?? null)
        : (n.kind === 'event' || n.kind === 'reaction') && n.timeout
          ? String(n.timeout.duration)
          : null;
    return { kind: 'timer', node: id, reason, dueAt, configured, shortened: this.journey.test };
  }

  private waitDue(n: Extract<JourneyNode, { kind: 'wait' }>): number | null {
    if (this.entering && this.waitUntil !== undefined)
      return Math.max(this.waitUntil, this.env.now);
    const ms = this.journey.durations.get(n.id);
    if (ms !== undefined) return this.env.now + ms;
    if (n.at !== undefined) return Math.max(Date.parse(n.at), this.env.now);
    const until = this.journey.expressions.waitUntil.get(n.id);
    const r = until?.evaluate(this.evalContext());
    const at = r?.ok ? toEpochMillis(r.value, this.journey.definition.timeZone) : null;
    if (at === null) {
      this.fail(
        n,
        'wait_expression',
        r && !r.ok ? r.error.message : 'the wait expression gave no date',
        undefined,
      );
      return null;
    }
    return Math.max(at, this.env.now);
  }

  private condition(n: Extract<JourneyNode, { kind: 'condition' }>): void {
    const tracing = this.trace !== null;
    let outcome: ConditionOutcome;
    if (n.mode === 'split') {
      const roll = seededRandom(`${this.state.id}:${n.id}:${this.state.seq}`)() * 100;
      outcome = splitChoice(n, roll, tracing);
    } else if (n.mode === 'time' || n.mode === 'date') {
      const zone = conditionZone(n, this.journey.definition.timeZone, this.env.profile);
      outcome = windowChoice(n, this.env.now, zone);
    } else if (n.mode === 'profileCap') {
      const d = capDecision(n, this.env.capsTaken?.[n.id], this.capsHere.get(n.id) ?? 0);
      if (d.kind === 'first') {
        this.capsHere.set(n.id, (this.capsHere.get(n.id) ?? 0) + 1);
        this.counters.push({ node: n.id, metric: Metric.ProfileCap });
      }
      outcome = capChoice(n, d);
    } else {
      const compiled = this.journey.expressions.conditions.get(n.id) ?? [];
      outcome = expressionChoice(n, compiled, this.evalContext(), tracing);
    }
    if (outcome.trace) this.trace?.push(outcome.trace);
    const c = outcome.choice;
    switch (c.kind) {
      case 'path':
        this.leave(n.id, c.label);
        return this.go(c.next);
      case 'noMatch':
        this.leave(n.id, 'no path matched');
        return this.exit(ExitReason.NoPathMatched);
      case 'error':
        return this.fail(n, c.code, c.message, undefined);
      default: {
        const never: never = c;
        throw new Error(`unhandled condition choice ${JSON.stringify(never)}`);
      }
    }
  }

  /** Update profile: the attribute is set in this step's view at once and written with the step. */
  private updateProfile(n: Extract<JourneyNode, { kind: 'updateProfile' }>): void {
    const v = profileValue(this.journey.expressions.profileValues.get(n.id), this.evalContext());
    if (!v.ok) return this.fail(n, 'update_profile', v.message, undefined);
    if (this.journey.dryRun) {
      // Dry run: the profile is not changed; the update is counted.
      this.counters.push({ node: n.id, metric: Metric.WouldUpdate });
      this.leave(n.id, 'would update');
      return this.go(n.next);
    }
    this.profile = withAttribute(this.profile, n.attribute, v.value);
    this.effects.push({
      kind: 'updateProfile',
      node: n.id,
      profileId: this.state.profileId,
      attribute: n.attribute,
      value: v.value,
    });
    this.trace?.push({
      kind: 'event',
      node: n.id,
      event: 'profile.updated',
      payload: { [n.attribute]: v.value },
      entry: false,
    });
    this.leave(n.id, 'updated');
    return this.go(n.next);
  }

  private callAction(n: Extract<JourneyNode, { kind: 'action' }>): void {
    const compiled = this.journey.expressions.parameters.get(n.id) ?? {};
    const ctx = this.evalContext();
    const parameters: Record<string, unknown> = {};
    for (const [name, expr] of Object.entries(compiled)) {
      const r = expr.evaluate(ctx);
      if (!r.ok)
        return this.fail(
          n,
          'parameter_error',
          `parameter ${name}: ${r.error.message}`,
          n.errorPath?.next,
        );
      parameters[name] = toJson(r.value);
    }
    if (this.journey.dryRun) {
      // Dry run: the action is not called; its response is null (AJO).
      this.counters.push({ node: n.id, metric: Metric.WouldCall });
      this.state.context = {
        ...this.state.context,
        actions: { ...this.state.context.actions, [n.action]: null },
      };
      this.leave(n.id, 'would call');
      return this.go(n.next);
    }
    const callId = this.nextId();
    this.trace?.push({ kind: 'actionCall', node: n.id, action: n.action, callId, parameters });
    this.effects.push({
      kind: 'callAction',
      callId,
      node: n.id,
      action: n.action,
      parameters,
      timeoutMs: this.journey.actionTimeoutMs,
    });
    this.state.waiting = { kind: 'action', node: n.id, callId, since: this.env.now };
  }
}
