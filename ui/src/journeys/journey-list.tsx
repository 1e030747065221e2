// Journey list: name, status, version, last modified, entries (one request for all: see
// journey-rows.ts); search, status filter and sort; create, duplicate, delete drafts.
import { useMemo, useState } from 'react';
import { errorText } from '../api/client.ts';
import type { JourneySummary } from '../api/types.ts';
import { useDialogs } from '../app/dialog.tsx';
import { usePageTitle } from '../app/page-title.ts';
import { navigate } from '../app/router.ts';
import { useApi } from '../app/session.tsx';
import { useCan } from '../app/permissions.tsx';
import { Link } from '../app/shell.tsx';
import { useLoad } from '../app/use-load.ts';
import { CreateJourney } from './create-journey.tsx';
import { loadJourneyRows, modifiedText, searchAndSort } from './journey-rows.ts';
import type { JourneyRow, Sort, SortKey } from './journey-rows.ts';
import { HelpLink } from '../app/help-link.tsx';

export function StatusBadge(props: { status: string }) {
  return (
    <span className={`badge status-${props.status}`}>
      {props.status === 'dryRun' ? 'dry run' : props.status}
    </span>
  );
}

/** A column heading that sorts the table: a second click reverses. */
export function SortHeader(p: { label: string; k: SortKey; sort: Sort; onSort(s: Sort): void }) {
  const on = p.sort.key === p.k;
  return (
    <th aria-sort={on ? (p.sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <button
        type="button"
        className="sort"
        onClick={() =>
          p.onSort({
            key: p.k,
            dir:
              on && p.sort.dir === 'asc'
                ? 'desc'
                : on
                  ? 'asc'
                  : p.k === 'updated' || p.k === 'entered'
                    ? 'desc'
                    : 'asc',
          })
        }
      >
        {p.label}
        {on ? (p.sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );
}

export function JourneyList() {
  usePageTitle('Journeys');
  const api = useApi();
  const dialogs = useDialogs();
  const list = useLoad(() => loadJourneyRows(api), [api]);
  const [filter, setFilter] = useState('');
  const [status, setStatus] = useState('');
  const [sort, setSort] = useState<Sort>({ key: 'updated', dir: 'desc' });
  const [creating, setCreating] = useState(false);
  const canManage = useCan('journeys.manage');
  const canDelete = useCan('journeys.delete');
  const [error, setError] = useState<string | null>(null);

  const rows = useMemo(
    () => searchAndSort(list.data ?? [], filter, status, sort),
    [list.data, filter, status, sort],
  );

  async function duplicate(row: JourneyRow) {
    setError(null);
    try {
      const j = await api.get<JourneySummary>(`/v1/journeys/${encodeURIComponent(row.id)}`);
      const taken = new Set((list.data ?? []).map((x) => x.id));
      let id = `${j.id}-copy`;
      for (let n = 2; taken.has(id); n++) id = `${j.id}-copy-${n}`;
      await api.post('/v1/journeys', { ...j.latest.definition, id, name: `${j.name} (copy)` });
      list.reload();
    } catch (err) {
      setError(errorText(err));
    }
  }
  async function remove(j: JourneyRow) {
    const yes = await dialogs.confirm({
      title: `Delete the draft of ${j.name}?`,
      body: (
        <p>The draft version v{j.version} and its activities are deleted. This cannot be undone.</p>
      ),
      confirmLabel: 'Delete the draft',
      danger: true,
    });
    if (!yes) return;
    setError(null);
    try {
      await api.del(`/v1/journeys/${encodeURIComponent(j.id)}`);
      list.reload();
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <section className="page">
      <div className="page-head">
        <h1>Journeys</h1>
        <HelpLink topic="journeys" />
        {canManage && (
          <button className="primary" type="button" onClick={() => setCreating(true)}>
            Create journey
          </button>
        )}
      </div>
      {creating && canManage && (
        <CreateJourney
          existing={(list.data ?? []).map((j) => j.id)}
          onCancel={() => setCreating(false)}
          onCreate={(id, name) =>
            void navigate(`/journeys/${encodeURIComponent(id)}?new=${encodeURIComponent(name)}`)
          }
        />
      )}
      <div className="filters">
        <input
          type="search"
          aria-label="Filter journeys"
          placeholder="Search by name"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">All statuses</option>
          {['draft', 'test', 'dryRun', 'live', 'paused', 'closed', 'finished', 'stopped'].map(
            (s) => (
              <option key={s}>{s}</option>
            ),
          )}
        </select>
        <span className="muted small count">
          {list.data ? `${rows.length} of ${list.data.length}` : ''}
        </span>
      </div>
      {list.error && (
        <p className="error" role="alert">
          {list.error}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <table className="grid list" aria-label="Journeys">
        <thead>
          <tr>
            <SortHeader label="Name" k="name" sort={sort} onSort={setSort} />
            <SortHeader label="Status" k="status" sort={sort} onSort={setSort} />
            <SortHeader label="Version" k="version" sort={sort} onSort={setSort} />
            <SortHeader label="Last modified" k="updated" sort={sort} onSort={setSort} />
            <SortHeader label="Entries" k="entered" sort={sort} onSort={setSort} />
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((j) => (
            <tr key={j.id}>
              <td>
                <Link to={`/journeys/${encodeURIComponent(j.id)}`}>{j.name}</Link>
              </td>
              <td>
                <StatusBadge status={j.status} />
              </td>
              <td>
                v{j.version}
                {j.liveVersion && j.liveVersion !== j.version ? ` (live v${j.liveVersion})` : ''}
              </td>
              <td title={new Date(j.updatedAt).toLocaleString()}>{modifiedText(j.updatedAt)}</td>
              <td>{j.counts?.entered ?? '–'}</td>
              <td>
                <div className="row-actions">
                  <Link to={`/journeys/${encodeURIComponent(j.id)}/report`}>Report</Link>
                  {canManage && (
                    <button type="button" onClick={() => void duplicate(j)}>
                      Duplicate
                    </button>
                  )}
                  {j.status === 'draft' && canDelete && (
                    <button type="button" className="danger" onClick={() => void remove(j)}>
                      Delete
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
          {!list.loading && rows.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                {list.data?.length ? 'No journey matches.' : 'No journeys yet.'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
