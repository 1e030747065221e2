// /campaigns/:id/report: what a campaign did. Totals, the excluded by reason, each run (a recurring
// campaign's runs, an API-triggered campaign's days), each treatment, and the experiment's analysis
// (rate, lift against the control with its interval, probability to be best, the winner).
import { useMemo } from 'react';
import type { ReactNode } from 'react';
import { usePageTitle } from '../app/page-title.ts';
import { useApi } from '../app/session.tsx';
import { Link } from '../app/shell.tsx';
import { useLoad } from '../app/use-load.ts';
import { campaignApi } from './campaign-api.ts';
import type { CampaignCounts, CampaignReport as Report } from './campaign-api.ts';
import {
  COUNT_COLUMNS,
  EXCLUSION_LABEL,
  count,
  percent,
  signedPercent,
  when,
} from './campaign-text.ts';
import { CampaignStatusBadge } from './campaign-status.tsx';
import { ExperimentAnalysis, metricLabel } from './experiment-analysis.tsx';
import { CellCount, isCellOutcome, useCellAudience, type Cell } from './cell-audience.tsx';
import './campaigns.css';

const rate = (part: number, whole: number) => (whole > 0 ? percent(part / whole) : '–');

/** Counts added up (the treatments of every run). */
function sum(a: CampaignCounts, b: CampaignCounts): CampaignCounts {
  const excludedBy = { ...a.excludedBy };
  for (const [k, n] of Object.entries(b.excludedBy) as Array<
    [keyof CampaignCounts['excludedBy'], number]
  >)
    excludedBy[k] = (excludedBy[k] ?? 0) + n;
  return {
    targeted: a.targeted + b.targeted,
    excluded: a.excluded + b.excluded,
    excludedBy,
    sent: a.sent + b.sent,
    delivered: a.delivered + b.delivered,
    bounced: a.bounced + b.bounced,
    opened: a.opened + b.opened,
    clicked: a.clicked + b.clicked,
    unsubscribed: a.unsubscribed + b.unsubscribed,
    errors: a.errors + b.errors,
  };
}

/** Each treatment's counts over every run. */
export function treatmentTotals(r: Report): Array<[string, CampaignCounts]> {
  const out = new Map<string, CampaignCounts>();
  for (const run of r.runs)
    for (const [t, c] of Object.entries(run.treatments)) {
      const had = out.get(t);
      out.set(t, had ? sum(had, c) : c);
    }
  return [...out];
}

export function CampaignReportPage(p: { id: string }) {
  const api = useApi();
  const calls = useMemo(() => campaignApi(api), [api]);
  const view = useLoad(() => calls.read(p.id).then((s) => s.view), [calls, p.id]);
  const report = useLoad(() => calls.report(p.id), [calls, p.id]);
  const name = view.data?.definition.name ?? p.id;
  usePageTitle('Report', name, 'Campaigns');
  const r = report.data;
  const names = new Map(
    (view.data?.definition.experiment?.treatments ?? []).map((t) => [t.id, t.name]),
  );
  const tz = view.data?.definition.timeZone ?? 'UTC';
  const cells = useCellAudience(p.id, name);
  return (
    <section className="page campaign-report">
      <p className="crumbs">
        <Link to="/campaigns">Campaigns</Link> ›{' '}
        <Link to={`/campaigns/${encodeURIComponent(p.id)}`}>{name}</Link> › Report
      </p>
      <div className="page-head">
        <h1>{name}: report</h1>
        {r && <CampaignStatusBadge status={r.status} />}
        <button type="button" onClick={() => report.reload()} disabled={report.loading}>
          Refresh
        </button>
      </div>
      {(report.error ?? view.error) && (
        <p className="error" role="alert">
          {report.error ?? view.error}
        </p>
      )}
      {!r && !report.error && <p className="muted">Loading…</p>}
      {cells.notice}
      {r && (
        <>
          <Kpis c={r.totals} />
          <div className="report-cols">
            <Exclusions c={r.totals} onCreate={cells.create} />
            {r.overTime.length > 0 && <OverTime points={r.overTime} />}
          </div>
          <h2>Runs</h2>
          <CountsTable
            label="Runs"
            first="Run"
            onCreate={cells.create}
            rows={r.runs.map((run, i) => ({
              key: run.runId,
              scope: { body: { run: i + 1 }, words: `run ${i + 1}` },
              head: (
                <>
                  {when(run.startedAt ?? run.scheduledAt, tz)}{' '}
                  <span className={`badge run-${run.status}`}>{run.status}</span>
                </>
              ),
              c: run.counts,
            }))}
            empty="No run yet."
          />
          {treatmentTotals(r).length > 0 && (
            <>
              <h2>Treatments</h2>
              <CountsTable
                label="Treatments"
                first="Treatment"
                onCreate={cells.create}
                rows={treatmentTotals(r).map(([t, c]) => ({
                  key: t,
                  scope:
                    t === 'holdout'
                      ? null
                      : { body: { treatment: t }, words: `treatment ${names.get(t) ?? t}` },
                  head: t === 'holdout' ? 'Holdout' : (names.get(t) ?? t),
                  c,
                }))}
                empty=""
              />
            </>
          )}
          {r.experiment && <ExperimentAnalysis a={r.experiment} />}
        </>
      )}
    </section>
  );
}

function Kpis(p: { c: CampaignCounts }) {
  const c = p.c;
  return (
    <div className="kpis" aria-label="Totals">
      {COUNT_COLUMNS.map(([k, label]) => (
        <div className="kpi" key={k} data-kpi={k}>
          <span>{label}</span>
          <strong>{count(c[k])}</strong>
          {(k === 'delivered' || k === 'bounced') && (
            <em className="small muted">{rate(c[k], c.sent)} of sent</em>
          )}
          {(k === 'opened' || k === 'clicked' || k === 'unsubscribed') && (
            <em className="small muted">{rate(c[k], c.delivered)} of delivered</em>
          )}
        </div>
      ))}
    </div>
  );
}

function Exclusions(p: { c: CampaignCounts; onCreate: ((cell: Cell) => Promise<void>) | null }) {
  const rows = (
    Object.entries(p.c.excludedBy) as Array<[keyof typeof EXCLUSION_LABEL, number]>
  ).filter(([, n]) => n > 0);
  return (
    <section className="card exclusions" aria-label="Excluded by reason">
      <h2>Excluded by reason</h2>
      {rows.length === 0 ? (
        <p className="muted">Nobody was excluded.</p>
      ) : (
        <table className="grid">
          <tbody>
            {rows.map(([k, n]) => (
              <tr key={k}>
                <td>{EXCLUSION_LABEL[k]}</td>
                <td className="num">
                  <CellCount
                    value={n}
                    cell={{
                      body: { outcome: 'excluded', reason: k },
                      words: `excluded (${EXCLUSION_LABEL[k].toLowerCase()})`,
                    }}
                    onCreate={p.onCreate}
                  />
                </td>
                <td className="num muted">{rate(n, p.c.targeted)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function OverTime(p: { points: Report['overTime'] }) {
  const max = Math.max(1, ...p.points.map((x) => x.sent));
  const left = 40;
  const w = 560;
  const h = 120;
  const bw = Math.min(28, Math.max(2, Math.floor((w - left) / p.points.length) - 2));
  const last = p.points[p.points.length - 1];
  return (
    <figure className="chart over-time">
      <figcaption>Sent per hour</figcaption>
      <svg viewBox={`0 0 ${w} ${h + 18}`} role="img" aria-label="Sent per hour">
        <text x={left - 6} y={10} textAnchor="end">
          {count(max)}
        </text>
        <text x={left - 6} y={h} textAnchor="end">
          0
        </text>
        <line x1={left} x2={w} y1={h + 0.5} y2={h + 0.5} stroke="#b3b3b3" />
        {p.points.map((x, i) => {
          const bh = Math.round((x.sent / max) * h);
          return (
            <rect
              key={x.hour}
              x={left + 4 + i * (bw + 2)}
              y={h - bh}
              width={bw}
              height={bh}
              fill="#1473e6"
            >
              <title>{`${when(x.hour)}: ${count(x.sent)} sent`}</title>
            </rect>
          );
        })}
        <text x={left + 4} y={h + 14}>
          {when(p.points[0]?.hour)}
        </text>
        {last && p.points.length > 1 && (
          <text x={w} y={h + 14} textAnchor="end">
            {when(last.hour)}
          </text>
        )}
      </svg>
    </figure>
  );
}

function CountsTable(p: {
  label: string;
  first: string;
  rows: ReadonlyArray<{
    key: string;
    head: ReactNode;
    c: CampaignCounts;
    /** Where the row's cells sit (a run, a treatment), for "Create audience"; null: no action. */
    scope: { body: { run?: number; treatment?: string }; words: string } | null;
  }>;
  empty: string;
  onCreate: ((cell: Cell) => Promise<void>) | null;
}) {
  const cellOf = (
    scope: { body: { run?: number; treatment?: string }; words: string } | null,
    k: keyof CampaignCounts,
    label: string,
  ): Cell | null =>
    scope && isCellOutcome(k)
      ? { body: { ...scope.body, outcome: k }, words: `${label.toLowerCase()}, ${scope.words}` }
      : null;
  return (
    <div className="table-scroll">
      <table className="grid counts" aria-label={p.label}>
        <thead>
          <tr>
            <th>{p.first}</th>
            {COUNT_COLUMNS.map(([k, label]) => (
              <th key={k} className="num">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {p.rows.map((row) => (
            <tr key={row.key}>
              <td>{row.head}</td>
              {COUNT_COLUMNS.map(([k, label]) => (
                <td key={k} className="num">
                  <CellCount
                    value={row.c[k]}
                    cell={cellOf(row.scope, k, label)}
                    onCreate={p.onCreate}
                  />
                </td>
              ))}
            </tr>
          ))}
          {p.rows.length === 0 && (
            <tr>
              <td colSpan={COUNT_COLUMNS.length + 1} className="muted">
                {p.empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
