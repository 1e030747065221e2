// The simulator: a journey package and a scripted timeline of events run on a virtual clock, in
// memory, with no server. Same engine, same step function as the live server.
import type { ActionResult } from '../journey/index.ts';
import { durationToMillis } from '../journey/duration.ts';
import type { InstanceState } from '../journey/instance.ts';
import type { MessageRecord } from '../store/ports.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { ErrorCode, WaymarkError } from '../errors.ts';
import { findForbiddenKey, forbiddenKeyRefused } from '../shared/forbidden-keys.ts';
import { createWaymark } from './app.ts';
import { ManualClock } from './clock.ts';
import type { ActionInvoker } from './ports.ts';
import { deliverToDevInbox } from './messages.ts';

/**
 * A timeline entry: an event, or a profile's reaction to a message it received (an open or a
 * click of the email an activity sent it), for reaction activities.
 */
export type TimelineEntry =
  | { readonly at: string; readonly event: Record<string, unknown> }
  | {
      readonly at: string;
      readonly feedback: {
        /** The profile, by identity: "Email:sarah@luma.example". */
        readonly identity: string;
        /** The message activity whose email it reacts to. */
        readonly activity: string;
        readonly kind: 'opened' | 'clicked';
      };
    };

export interface SimulationOptions {
  readonly sandbox?: string;
  readonly start?: number;
  /** How long to keep the clock running after the last event (ISO-8601 duration). */
  readonly horizon?: string;
  /** Canned answers of custom actions, by action name: a body, or { "$error": "http_500" }. */
  readonly actions?: Readonly<Record<string, unknown>>;
  /** Answers for actions that have no canned answer. */
  readonly fallbackAction?: (
    action: string,
    parameters: Readonly<Record<string, unknown>>,
  ) => unknown;
}

export interface SimulationResult {
  readonly profiles: ReadonlyArray<{
    readonly profileId: string;
    readonly identities: readonly string[];
    readonly instances: readonly InstanceState[];
    readonly messages: readonly MessageRecord[];
  }>;
  readonly start: number;
}

export function parseTimeline(text: string): TimelineEntry[] {
  const trimmed = text.trim();
  const raw: unknown[] = trimmed.startsWith('[')
    ? (JSON.parse(trimmed) as unknown[])
    : trimmed
        .split('\n')
        .filter((l) => l.trim())
        .map((l, i) => {
          try {
            return JSON.parse(l) as unknown;
          } catch (e) {
            throw new WaymarkError(
              ErrorCode.BadRequest,
              `timeline line ${i + 1} is not JSON: ${(e as Error).message}`,
            );
          }
        });
  const key = findForbiddenKey(raw, 'timeline');
  if (key) throw forbiddenKeyRefused(key);
  return raw.map((e, i) => {
    const entry = e as { at?: unknown; event?: unknown; feedback?: unknown };
    if (
      typeof entry.at !== 'string' ||
      (entry.at !== 'PT0S' && durationToMillis(entry.at) === null)
    )
      throw new WaymarkError(
        ErrorCode.BadRequest,
        `timeline entry ${i + 1}: "at" must be an ISO-8601 duration from the start, such as PT0S or PT2M`,
      );
    if (entry.feedback !== undefined)
      return { at: entry.at, feedback: feedbackOf(entry.feedback, i) };
    if (typeof entry.event !== 'object' || entry.event === null)
      throw new WaymarkError(
        ErrorCode.BadRequest,
        `timeline entry ${i + 1}: "event" must be an event object {type, payload}`,
      );
    return { at: entry.at, event: entry.event as Record<string, unknown> };
  });
}

function feedbackOf(
  f: unknown,
  i: number,
): Extract<TimelineEntry, { feedback: unknown }>['feedback'] {
  const x = (typeof f === 'object' && f !== null ? f : {}) as Record<string, unknown>;
  if (
    typeof x.identity !== 'string' ||
    !x.identity.includes(':') ||
    typeof x.activity !== 'string' ||
    (x.kind !== 'opened' && x.kind !== 'clicked')
  )
    throw new WaymarkError(
      ErrorCode.BadRequest,
      `timeline entry ${i + 1}: "feedback" must be {identity: "Email:…", activity, kind: "opened" | "clicked"}`,
    );
  return { identity: x.identity, activity: x.activity, kind: x.kind };
}

const offset = (at: string): number => (at === 'PT0S' ? 0 : durationToMillis(at)!);

export async function simulate(
  pkg: unknown,
  timeline: readonly TimelineEntry[],
  opts: SimulationOptions = {},
): Promise<SimulationResult> {
  const sandbox = opts.sandbox ?? 'prod';
  const start = opts.start ?? Date.parse('2026-01-01T00:00:00Z');
  const clock = new ManualClock(start);
  const invokeAction: ActionInvoker = async (call): Promise<ActionResult> => {
    const canned = opts.actions?.[call.action.name];
    if (canned && typeof canned === 'object' && '$error' in canned)
      return {
        ok: false,
        code: String((canned as { $error: unknown }).$error),
        message: 'simulated error',
      };
    return {
      ok: true,
      status: 200,
      body: canned ?? opts.fallbackAction?.(call.action.name, call.parameters) ?? {},
    };
  };
  const app = createWaymark({
    store: new SqliteStore(':memory:'),
    clock,
    invokeAction,
    deliver: deliverToDevInbox,
  });
  try {
    const applied = await app.packages.apply(sandbox, pkg);
    const failed = applied.objects.filter((o) => o.status === 'publish_failed');
    if (failed.length > 0)
      throw new WaymarkError(
        ErrorCode.ValidationFailed,
        `the package did not publish: ${failed.map((f) => `${f.key}: ${f.message}`).join('; ')}`,
      );
    const sorted = [...timeline].sort((a, b) => offset(a.at) - offset(b.at));
    const runUntil = async (t: number): Promise<void> => {
      for (;;) {
        await app.engine.settle();
        const next = await app.reads.nextTimerDue();
        if (next === null || next > t) break;
        clock.set(Math.max(clock.now(), next));
      }
      clock.set(Math.max(clock.now(), t));
      await app.engine.settle();
    };
    const profileIds = new Set<string>();
    // An open or a click of the email an activity sent the profile: through the feedback service,
    // as the tracking routes record them.
    const react = async (
      f: Extract<TimelineEntry, { feedback: unknown }>['feedback'],
      at: string,
    ): Promise<void> => {
      const colon = f.identity.indexOf(':');
      const profileId = await app.reads.findProfileId(
        sandbox,
        f.identity.slice(0, colon),
        f.identity.slice(colon + 1),
      );
      const [m] = profileId
        ? (await app.reads.messages(sandbox, { profileId, limit: 1000 })).filter(
            (x) => x.node === f.activity && x.channel === 'email',
          )
        : [];
      if (!m || !profileId)
        throw new WaymarkError(
          ErrorCode.ValidationFailed,
          `timeline feedback at ${at}: ${f.identity} received no email from the activity "${f.activity}"`,
        );
      const context = {
        messageId: m.id,
        profileId,
        sandbox,
        ...(m.journeyId !== null ? { journeyId: m.journeyId } : {}),
        ...(m.version !== null ? { journeyVersion: m.version } : {}),
        activityId: f.activity,
      };
      await app.feedback.record(
        f.kind === 'opened'
          ? { ...context, kind: 'open' }
          : { ...context, kind: 'click', url: 'https://simulated.example/', linkId: '0' },
      );
      await app.engine.settle();
    };
    for (const e of sorted) {
      await runUntil(start + offset(e.at));
      if ('feedback' in e) {
        await react(e.feedback, e.at);
        continue;
      }
      const [r] = await app.engine.ingest(sandbox, [e.event]);
      if (r?.status === 'rejected')
        throw new WaymarkError(
          ErrorCode.ValidationFailed,
          `timeline event at ${e.at} was rejected: ${r.message}`,
          { issues: r.issues as never },
        );
      if (r?.status === 'accepted') profileIds.add(r.profileId);
    }
    const last = sorted.length ? offset(sorted[sorted.length - 1]!.at) : 0;
    await runUntil(start + last + (durationToMillis(opts.horizon ?? 'P1D') ?? 86_400_000));
    const profiles = [];
    for (const id of profileIds) {
      const p = await app.reads.getProfile(sandbox, id);
      profiles.push({
        profileId: id,
        identities: (p?.identities ?? []).map((i) => `${i.namespace}:${i.id}`),
        instances: (await app.reads.instances(sandbox, { profileId: id, limit: 1000 })).reverse(),
        messages: await app.reads.messages(sandbox, { profileId: id, limit: 1000 }),
      });
    }
    return { profiles, start };
  } finally {
    await app.close();
  }
}

/** A readable rendering of a simulation: each profile's path with times from the start. */
export function formatSimulation(r: SimulationResult): string {
  const t = (ms: number): string => {
    const s = Math.round((ms - r.start) / 1000);
    return `+${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  };
  const out: string[] = [];
  for (const p of r.profiles) {
    out.push(p.identities.join(', ') || p.profileId);
    for (const i of p.instances) {
      out.push(
        `  ${i.journeyId} v${i.version}: ${i.status}${i.exitReason ? ` (${i.exitReason})` : ''}`,
      );
      for (const s of i.path)
        out.push(
          `    ${t(s.left ?? s.at)}  ${s.node.padEnd(22)} ${s.outcome ?? `(waiting since ${t(s.at)})`}`,
        );
    }
    for (const m of p.messages)
      out.push(
        `  ${t(m.createdAt)}  ${m.channel.padEnd(5)} ${m.status.padEnd(9)} ${m.label}${m.subject ? `: ${m.subject}` : ''}${m.reason ? ` [${m.reason}]` : ''}`,
      );
  }
  return out.join('\n');
}
