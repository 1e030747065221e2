// Reports: every journey with its totals (one request for all), searchable and sortable, each linking to its report.
import { useMemo, useState } from 'react';
import { usePageTitle } from '../app/page-title.ts';
import { useApi } from '../app/session.tsx';
import { Link } from '../app/shell.tsx';
import { useLoad } from '../app/use-load.ts';
import { SortHeader, StatusBadge } from '../journeys/journey-list.tsx';
import { loadJourneyRows, modifiedText, searchAndSort } from '../journeys/journey-rows.ts';
import type { Sort } from '../journeys/journey-rows.ts';
import { HelpLink } from '../app/help-link.tsx';

export function ReportsIndex() {
  usePageTitle('Reports');
  const api = useApi();
  const r = useLoad(() => loadJourneyRows(api), [api]);
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<Sort>({ key: 'entered', dir: 'desc' });
  const rows = useMemo(() => searchAndSort(r.data ?? [], q, '', sort), [r.data, q, sort]);
  const n = (v: number | undefined) => (v === undefined ? '–' : v.toLocaleString());
  return (
    <section className="page">
      <div className="page-head">
        <h1>Reports</h1>
        <HelpLink topic="reports" />
      </div>
      <div className="filters">
        <input
          type="search"
          aria-label="Filter reports"
          placeholder="Search by journey name"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
      </div>
      {r.error && (
        <p className="error" role="alert">
          {r.error}
        </p>
      )}
      <table className="grid list" aria-label="Reports">
        <thead>
          <tr>
            <SortHeader label="Journey" k="name" sort={sort} onSort={setSort} />
            <SortHeader label="Status" k="status" sort={sort} onSort={setSort} />
            <SortHeader label="Version" k="version" sort={sort} onSort={setSort} />
            <SortHeader label="Last modified" k="updated" sort={sort} onSort={setSort} />
            <SortHeader label="Entered" k="entered" sort={sort} onSort={setSort} />
            <th>Exited</th>
            <th>Errors</th>
            <th>Timeouts</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((j) => (
            <tr key={j.id}>
              <td>
                <Link to={`/journeys/${encodeURIComponent(j.id)}/report`}>{j.name}</Link>
              </td>
              <td>
                <StatusBadge status={j.status} />
              </td>
              <td>v{j.version}</td>
              <td>{modifiedText(j.updatedAt)}</td>
              <td>{n(j.counts?.entered)}</td>
              <td>{n(j.counts?.exited)}</td>
              <td>{n(j.counts?.errors)}</td>
              <td>{n(j.counts?.timeouts)}</td>
            </tr>
          ))}
          {!r.loading && rows.length === 0 && (
            <tr>
              <td colSpan={8} className="muted">
                {r.data?.length ? 'No journey matches.' : 'No journeys yet.'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
