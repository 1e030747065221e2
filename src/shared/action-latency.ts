// Custom-action calls as report counters: each call the outbox finishes counts on its action
// activity (journey, version, node) as `action.calls`, `action.errors` (the call failed: an error
// answer, a timeout, a refused host), `action.ms` (the total of the durations) and one bucket of a
// fixed histogram, `action.ms.le_<bound>` (`action.ms.le_inf` above the last bound). Counters only
// add, so the p95 and the slowest call are read from the histogram: each is the upper bound of its
// bucket (the slowest above the last bound reads as that bound, "more than").

export const ACTION_METRIC_PREFIX = 'action.';
export const ACTION_BUCKETS_MS = [50, 100, 250, 500, 1000, 2500, 5000, 10_000] as const;

/** The metric of the histogram bucket a duration falls in. */
export function actionBucketMetric(ms: number): string {
  const bound = ACTION_BUCKETS_MS.find((b) => ms <= b);
  return `action.ms.le_${bound ?? 'inf'}`;
}

/** The counters one call adds (metric → delta). */
export function actionCallCounters(ms: number, ok: boolean): Array<[string, number]> {
  const d = Math.max(0, Math.round(ms));
  return [
    ['action.calls', 1],
    ...(ok ? [] : [['action.errors', 1] as [string, number]]),
    ['action.ms', d],
    [actionBucketMetric(d), 1],
  ];
}

export interface ActionLatency {
  calls: number;
  errors: number;
  totalMs: number;
  /** The mean duration, rounded; null without calls. */
  meanMs: number | null;
  /** Upper bound of the bucket holding the 95th percentile; null without calls. */
  p95Ms: number | null;
  /** Upper bound of the slowest call's bucket; null without calls. */
  maxMs: number | null;
  /** True when the slowest calls took longer than the last bound (p95Ms / maxMs then read "more than"). */
  overLastBound: boolean;
  /** Calls per bucket, by upper bound (null: above the last). */
  buckets: Array<{ leMs: number | null; calls: number }>;
}

export const emptyActionLatency = (): ActionLatency => ({
  calls: 0,
  errors: 0,
  totalMs: 0,
  meanMs: null,
  p95Ms: null,
  maxMs: null,
  overLastBound: false,
  buckets: [...ACTION_BUCKETS_MS, null].map((leMs) => ({ leMs, calls: 0 })),
});

/** Adds one counter row (an `action.*` metric) to the aggregate; false for any other metric. */
export function addActionCounter(a: ActionLatency, metric: string, value: number): boolean {
  if (!metric.startsWith(ACTION_METRIC_PREFIX)) return false;
  if (metric === 'action.calls') a.calls += value;
  else if (metric === 'action.errors') a.errors += value;
  else if (metric === 'action.ms') a.totalMs += value;
  else if (metric.startsWith('action.ms.le_')) {
    const raw = metric.slice('action.ms.le_'.length);
    const leMs = raw === 'inf' ? null : Number(raw);
    const b = a.buckets.find((x) => x.leMs === leMs);
    if (b) b.calls += value;
  }
  return true;
}

/** Fills in the figures read from the histogram (mean, p95, slowest). */
export function finishActionLatency(a: ActionLatency): ActionLatency {
  const inHistogram = a.buckets.reduce((n, b) => n + b.calls, 0);
  const last = ACTION_BUCKETS_MS[ACTION_BUCKETS_MS.length - 1]!;
  const bound = (b: { leMs: number | null }) => b.leMs ?? last;
  let p95: number | null = null;
  let max: number | null = null;
  let seen = 0;
  for (const b of a.buckets) {
    if (b.calls === 0) continue;
    seen += b.calls;
    if (p95 === null && seen >= Math.ceil(inHistogram * 0.95)) p95 = bound(b);
    max = bound(b);
  }
  return {
    ...a,
    meanMs: a.calls > 0 ? Math.round(a.totalMs / a.calls) : null,
    p95Ms: p95,
    maxMs: max,
    overLastBound: (a.buckets[a.buckets.length - 1]?.calls ?? 0) > 0,
  };
}

/** Merges aggregates (one action used by several journeys). */
export function mergeActionLatency(into: ActionLatency, from: ActionLatency): void {
  into.calls += from.calls;
  into.errors += from.errors;
  into.totalMs += from.totalMs;
  for (const [i, b] of from.buckets.entries()) into.buckets[i]!.calls += b.calls;
}
