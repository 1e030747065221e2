// The success metric of a content experiment, counted per treatment from the records of its sends
// and the profiles' events (docs/experiments.md). Pure: the records come in, counts go out.
// - opens, unique clicks: a profile counts once, however often it opened or clicked; exposures are
//   the profiles sent the treatment;
// - clicks: every click event counts (`events`); the successes are the messages clicked at least
//   once, out of the messages sent;
// - conversion: a profile converts when it has an event of the type at or after one of its sends of
//   the treatment and within the window; the holdout converts when it has one within the window
//   after the run's start (and before the rest is sent anything), the baseline of no message.

export type SuccessMetric =
  | { readonly kind: 'opens' }
  | { readonly kind: 'clicks' }
  | { readonly kind: 'uniqueClicks' }
  | { readonly kind: 'conversion'; readonly eventType: string; readonly windowHours: number };

/** A message sent to a profile (sent, delivered or bounced), with the treatment it carried. */
export interface SentMessage {
  readonly id: string;
  readonly profileId: string;
  /** The treatment id. */
  readonly arm: string;
  readonly sentAt: number;
}

/** An event of a profile: feedback (`message.opened`, `message.clicked`, naming its message) or any other. */
export interface ProfileEvent {
  readonly profileId: string;
  readonly type: string;
  readonly at: number;
  readonly messageId?: string;
}

/** A profile the split held out of a run: it counts from the run's start (`from`) up to `until` (the rest's send). */
export interface HoldoutMember {
  readonly profileId: string;
  readonly from: number;
  readonly until?: number;
}

export interface ArmMetric {
  readonly id: string;
  /** Profiles sent the treatment (clicks: messages sent). */
  readonly exposures: number;
  /** Of those, the profiles (clicks: messages) that did the metric. */
  readonly successes: number;
  /** Every event counted: opens, clicks or conversions, repeats included. */
  readonly events: number;
}

export interface HoldoutMetric {
  /** Profiles held out. */
  readonly size: number;
  /** Holdout profiles that converted (conversion metrics); null for opens and clicks (they got no message). */
  readonly successes: number | null;
}

export interface MetricInput {
  readonly metric: SuccessMetric;
  /** The treatment ids, in order (messages of other arms are ignored). */
  readonly arms: readonly string[];
  readonly messages: readonly SentMessage[];
  readonly events: readonly ProfileEvent[];
  readonly holdout?: readonly HoldoutMember[];
}

export interface MetricResult {
  readonly arms: readonly ArmMetric[];
  readonly holdout: HoldoutMetric;
}

export const HOUR_MS = 3_600_000;

const FEEDBACK: Readonly<Record<'opens' | 'clicks' | 'uniqueClicks', string>> = {
  opens: 'message.opened',
  clicks: 'message.clicked',
  uniqueClicks: 'message.clicked',
};

/** The event types a metric reads. */
export function metricEventTypes(metric: SuccessMetric): string[] {
  return [metric.kind === 'conversion' ? metric.eventType : FEEDBACK[metric.kind]];
}

export function computeMetrics(input: MetricInput): MetricResult {
  const { metric } = input;
  const sent = new Map<string, SentMessage[]>(input.arms.map((a) => [a, []]));
  for (const m of input.messages) sent.get(m.arm)?.push(m);
  const arms = input.arms.map((id) => {
    const messages = sent.get(id)!;
    return metric.kind === 'conversion'
      ? conversions(id, messages, input.events, metric)
      : feedback(id, messages, input.events, metric.kind);
  });
  return { arms, holdout: holdoutMetric(metric, input.holdout ?? [], input.events) };
}

function feedback(
  id: string,
  messages: readonly SentMessage[],
  events: readonly ProfileEvent[],
  kind: 'opens' | 'clicks' | 'uniqueClicks',
): ArmMetric {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const type = FEEDBACK[kind];
  const profiles = new Set<string>();
  const messagesHit = new Set<string>();
  let count = 0;
  for (const e of events) {
    if (e.type !== type || e.messageId === undefined) continue;
    const m = byId.get(e.messageId);
    if (!m) continue;
    count++;
    profiles.add(m.profileId);
    messagesHit.add(m.id);
  }
  return kind === 'clicks'
    ? { id, exposures: byId.size, successes: messagesHit.size, events: count }
    : {
        id,
        exposures: new Set(messages.map((m) => m.profileId)).size,
        successes: profiles.size,
        events: count,
      };
}

function conversions(
  id: string,
  messages: readonly SentMessage[],
  events: readonly ProfileEvent[],
  metric: Extract<SuccessMetric, { kind: 'conversion' }>,
): ArmMetric {
  const window = metric.windowHours * HOUR_MS;
  const sends = new Map<string, number[]>();
  for (const m of messages) {
    const s = sends.get(m.profileId) ?? [];
    s.push(m.sentAt);
    sends.set(m.profileId, s);
  }
  const converted = new Set<string>();
  let count = 0;
  for (const e of events) {
    if (e.type !== metric.eventType) continue;
    const at = sends.get(e.profileId);
    if (!at?.some((t) => e.at >= t && e.at <= t + window)) continue;
    count++;
    converted.add(e.profileId);
  }
  return { id, exposures: sends.size, successes: converted.size, events: count };
}

function holdoutMetric(
  metric: SuccessMetric,
  members: readonly HoldoutMember[],
  events: readonly ProfileEvent[],
): HoldoutMetric {
  const spans = new Map<string, Array<{ from: number; to: number }>>();
  const window = metric.kind === 'conversion' ? metric.windowHours * HOUR_MS : 0;
  for (const m of members) {
    const s = spans.get(m.profileId) ?? [];
    s.push({ from: m.from, to: Math.min(m.from + window, m.until ?? Infinity) });
    spans.set(m.profileId, s);
  }
  if (metric.kind !== 'conversion') return { size: spans.size, successes: null };
  const converted = new Set<string>();
  for (const e of events) {
    if (e.type !== metric.eventType) continue;
    if (spans.get(e.profileId)?.some((s) => e.at >= s.from && e.at <= s.to))
      converted.add(e.profileId);
  }
  return { size: spans.size, successes: converted.size };
}
