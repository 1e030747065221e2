// The report's charts over time, from GET /v1/journeys/{id}/report/timeline: profiles (entered,
// exited, errors) and message outcomes, per minute, hour or day.
import { useState } from 'react';
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { timelineAnswer } from '@waymark/shared/api/reports.ts';
import { useApi } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';
import { LineChart } from './charts.tsx';

/** GET /v1/journeys/{id}/report/timeline. */
export type Timeline = Answer<typeof timelineAnswer>;
export type Bucket = Timeline['bucket'];
export type TimelinePoint = Timeline['points'][number];

const PROFILES = ['entered', 'exited', 'errors', 'timeouts'] as const;
const MESSAGES = [
  'message.sent',
  'message.delivered',
  'message.opened',
  'message.clicked',
  'message.excluded',
  'message.bounced',
  'message.failed',
] as const;
const COLORS: Record<string, string> = {
  entered: '#2680eb',
  exited: '#2d9d78',
  errors: '#e34850',
  timeouts: '#e68619',
  'message.sent': '#2680eb',
  'message.delivered': '#2d9d78',
  'message.opened': '#7e3bd0',
  'message.clicked': '#0d66d0',
  'message.excluded': '#6e6e6e',
  'message.bounced': '#e68619',
  'message.failed': '#e34850',
};
const SPAN: Record<Bucket, number> = {
  minute: 86_400_000,
  hour: 30 * 86_400_000,
  day: 365 * 86_400_000,
};

/** Buckets in time order and one value per bucket for each series (0 where the server has no point). */
export function seriesOf(
  points: readonly TimelinePoint[],
  names: readonly string[],
): { ats: string[]; values: Record<string, number[]> } {
  const ats = [...new Set(points.filter((p) => names.includes(p.series)).map((p) => p.at))].sort();
  const index = new Map(ats.map((a, i) => [a, i]));
  const values: Record<string, number[]> = Object.fromEntries(
    names.map((n) => [n, Array<number>(ats.length).fill(0)]),
  );
  for (const p of points) {
    const row = values[p.series];
    const i = index.get(p.at);
    if (row && i !== undefined) row[i]! += p.value;
  }
  return { ats, values };
}

const labelOf = (at: string, bucket: Bucket) =>
  new Date(at).toLocaleString(
    [],
    bucket === 'day'
      ? { day: '2-digit', month: 'short' }
      : { hour: '2-digit', minute: '2-digit', day: '2-digit', month: 'short' },
  );

export function TimelineCharts(p: { journeyId: string; tick: number }) {
  const api = useApi();
  const [bucket, setBucket] = useState<Bucket>('hour');
  const r = useLoad(async () => {
    const since = new Date(Date.now() - SPAN[bucket]).toISOString();
    return api.get<Timeline>(
      `/v1/journeys/${encodeURIComponent(p.journeyId)}/report/timeline?bucket=${bucket}&since=${encodeURIComponent(since)}`,
    );
  }, [api, p.journeyId, bucket, p.tick]);
  const chart = (title: string, names: readonly string[]) => {
    const s = seriesOf(r.data?.points ?? [], names);
    const present = names.filter((n) => (s.values[n] ?? []).some((v) => v > 0));
    if (!s.ats.length || !present.length)
      return <p className="muted small">{title}: nothing yet.</p>;
    return (
      <LineChart
        title={title}
        labels={s.ats.map((a) => labelOf(a, bucket))}
        series={present.map((n) => ({
          name: n.replace(/^message\./, ''),
          color: COLORS[n] ?? '#444',
          values: s.values[n] ?? [],
        }))}
      />
    );
  };
  return (
    <section aria-label="Over time" className="timeline">
      <div className="row">
        <h2>Over time</h2>
        <label>
          Per{' '}
          <select
            aria-label="Time bucket"
            value={bucket}
            onChange={(e) => setBucket(e.target.value as Bucket)}
          >
            <option value="minute">minute (last 24 h)</option>
            <option value="hour">hour (last 30 days)</option>
            <option value="day">day (last year)</option>
          </select>
        </label>
      </div>
      {r.error && (
        <p className="error" role="alert">
          {r.error}
        </p>
      )}
      {r.data && chart('Profiles over time', PROFILES)}
      {r.data && chart('Messages over time', MESSAGES)}
    </section>
  );
}
