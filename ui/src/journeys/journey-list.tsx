// Journey list: status, version, last change, entries; create, duplicate, delete drafts; filter.
import { useMemo, useState } from 'react';
import { errorText } from '../api/client.ts';
import type { JourneyReport, JourneySummary } from '../api/types.ts';
import { navigate } from '../app/router.ts';
import { useApi } from '../app/session.tsx';
import { Link } from '../app/shell.tsx';
import { useLoad } from '../app/use-load.ts';
import { CreateJourney } from './create-journey.tsx';



export function StatusBadge(props: { status: string }) {
  return <span className={`badge status-${props.status}`}>{props.status}</span>;
}

export function JourneyList() {
  const api = useApi();
  const list = useLoad(async () => {
    const r = await api.get<{ items: JourneySummary[] }>('/v1/journeys');
    const entries = await Promise.all(r.items.map((j) => api.get<JourneyReport>(`/v1/journeys/${encodeURIComponent(j.id)}/report`).then((x) => x.total.entered, () => null)));
    return r.items.map((j, i) => ({ ...j, entered: entries[i] ?? null }));
  }, [api]);
  const [filter, setFilter] = useState('');
  const [status, setStatus] = useState('');
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const rows = useMemo(() => (list.data ?? []).filter((j) =>
    (!filter || j.name.toLowerCase().includes(filter.toLowerCase()) || j.id.includes(filter.toLowerCase())) && (!status || j.latest.status === status)), [list.data, filter, status]);

  async function duplicate(j: JourneySummary) {
    setError(null);
    try {
      const taken = new Set((list.data ?? []).map((x) => x.id));
      let id = `${j.id}-copy`;
      for (let n = 2; taken.has(id); n++) id = `${j.id}-copy-${n}`;
      await api.post('/v1/journeys', { ...j.latest.definition, id, name: `${j.name} (copy)` });
      list.reload();
    } catch (err) { setError(errorText(err)); }
  }
  async function remove(j: JourneySummary) {
    if (!confirm(`Delete the draft of "${j.name}"?`)) return;
    setError(null);
    try { await api.del(`/v1/journeys/${encodeURIComponent(j.id)}`); list.reload(); } catch (err) { setError(errorText(err)); }
  }

  return (
    <section className="page">
      <div className="page-head">
        <h1>Journeys</h1>
        <button className="primary" type="button" onClick={() => setCreating(true)}>Create journey</button>
      </div>
      {creating && <CreateJourney existing={(list.data ?? []).map((j) => j.id)} onCancel={() => setCreating(false)} onCreate={(id, name) => navigate(`/journeys/${encodeURIComponent(id)}?new=${encodeURIComponent(name)}`)} />}
      <div className="filters">
        <input type="search" aria-label="Filter journeys" placeholder="Filter by name" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">All statuses</option>
          {['draft', 'test', 'live', 'paused', 'closed', 'stopped'].map((s) => <option key={s}>{s}</option>)}
        </select>
      </div>
      {list.error && <p className="error" role="alert">{list.error}</p>}
      {error && <p className="error" role="alert">{error}</p>}
      <table className="grid">
        <thead><tr><th>Name</th><th>Status</th><th>Version</th><th>Last change</th><th>Entries</th><th /></tr></thead>
        <tbody>
          {rows.map((j) => (
            <tr key={j.id}>
              <td><Link to={`/journeys/${encodeURIComponent(j.id)}`}>{j.name}</Link><br /><small className="muted">{j.id}</small></td>
              <td><StatusBadge status={j.latest.status} /></td>
              <td>v{j.latest.version}{j.live && j.live.version !== j.latest.version ? ` (live v${j.live.version})` : ''}</td>
              <td>{new Date(j.latest.updatedAt).toLocaleString()}</td>
              <td>{j.entered ?? '–'}</td>
              <td className="actions">
                <Link to={`/journeys/${encodeURIComponent(j.id)}/report`}>Report</Link>
                <button type="button" onClick={() => void duplicate(j)}>Duplicate</button>
                {j.latest.status === 'draft' && <button type="button" className="danger" onClick={() => void remove(j)}>Delete</button>}
              </td>
            </tr>
          ))}
          {!list.loading && rows.length === 0 && <tr><td colSpan={6} className="muted">No journeys.</td></tr>}
        </tbody>
      </table>
    </section>
  );
}
