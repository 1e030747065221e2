// Campaigns: name, type, channel, status, next run, last run (when, and what it sent), sent; search and a status filter;
// create (the wizard), duplicate, delete drafts.
import { useMemo, useState } from 'react';
import { errorText } from '../api/client.ts';
import { useDialogs } from '../app/dialog.tsx';
import { usePageTitle } from '../app/page-title.ts';
import { navigate } from '../app/router.ts';
import { useApi } from '../app/session.tsx';
import { useCan } from '../app/permissions.tsx';
import { Link } from '../app/shell.tsx';
import { useLoad } from '../app/use-load.ts';
import { modifiedText } from '../journeys/journey-rows.ts';
import { CAMPAIGN_PERMISSION, CAMPAIGN_STATUSES, campaignApi } from './campaign-api.ts';
import type { CampaignListEntry } from './campaign-api.ts';
import { CHANNEL_LABEL, STATUS_LABEL, count, when } from './campaign-text.ts';
import { CampaignStatusBadge } from './campaign-status.tsx';
import './campaigns.css';
import { HelpLink } from '../app/help-link.tsx';

/** Where a campaign opens: a draft in its wizard, any other on its review page. */
export const campaignHref = (c: { id: string; status: string }): string =>
  c.status === 'draft'
    ? `/campaigns/${encodeURIComponent(c.id)}/edit`
    : `/campaigns/${encodeURIComponent(c.id)}`;

export function CampaignList() {
  usePageTitle('Campaigns');
  const api = useApi();
  const calls = useMemo(() => campaignApi(api), [api]);
  const dialogs = useDialogs();
  const list = useLoad(() => calls.list(), [calls]);
  const [filter, setFilter] = useState('');
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const canManage = useCan(CAMPAIGN_PERMISSION.manage);
  const canDelete = useCan(CAMPAIGN_PERMISSION.delete);

  const rows = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return [...(list.data ?? [])]
      .filter((c) => !status || c.status === status)
      .filter((c) => !q || c.name.toLowerCase().includes(q) || c.id.includes(q))
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }, [list.data, filter, status]);

  async function duplicate(c: CampaignListEntry) {
    setError(null);
    try {
      const { view } = await calls.read(c.id);
      const taken = new Set((list.data ?? []).map((x) => x.id));
      let id = `${c.id}-copy`;
      for (let n = 2; taken.has(id); n++) id = `${c.id}-copy-${n}`;
      await calls.create({ ...view.definition, id, name: `${c.name} (copy)` });
      list.reload();
    } catch (err) {
      setError(errorText(err));
    }
  }
  async function remove(c: CampaignListEntry) {
    const yes = await dialogs.confirm({
      title: `Delete the draft campaign ${c.name}?`,
      body: <p>The draft and its content are deleted. This cannot be undone.</p>,
      confirmLabel: 'Delete the draft',
      danger: true,
    });
    if (!yes) return;
    setError(null);
    try {
      await calls.remove(c.id);
      list.reload();
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <section className="page campaigns">
      <div className="page-head">
        <h1>Campaigns</h1>
        <HelpLink topic="campaigns" />
        {canManage && (
          <button className="primary" type="button" onClick={() => void navigate('/campaigns/new')}>
            Create campaign
          </button>
        )}
      </div>
      <div className="filters">
        <input
          type="search"
          aria-label="Filter campaigns"
          placeholder="Search by name"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">All statuses</option>
          {CAMPAIGN_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
        <span className="muted small count">
          {list.data ? `${rows.length} of ${list.data.length}` : ''}
        </span>
      </div>
      {(list.error ?? error) && (
        <p className="error" role="alert">
          {error ?? list.error}
        </p>
      )}
      <table className="grid list" aria-label="Campaigns">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Channel</th>
            <th>Status</th>
            <th>Next run</th>
            <th>Last run</th>
            <th>Last modified</th>
            <th className="num">Sent</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id}>
              <td>
                <Link to={campaignHref(c)}>{c.name}</Link>
              </td>
              <td>
                {c.type === 'scheduled' ? 'Scheduled' : 'API-triggered'}
                <span className="muted small"> · {c.mode}</span>
              </td>
              <td>{CHANNEL_LABEL[c.channel]}</td>
              <td>
                <CampaignStatusBadge status={c.status} />
              </td>
              <td>{c.nextRunAt ? when(c.nextRunAt) : '–'}</td>
              <td className="last-run">
                {c.lastRun ? (
                  <>
                    {when(c.lastRun.at)}
                    <div className="muted small">{count(c.lastRun.sent)} sent</div>
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td title={new Date(c.updatedAt).toLocaleString()}>{modifiedText(c.updatedAt)}</td>
              <td className="num">{count(c.counts.sent)}</td>
              <td>
                <div className="row-actions">
                  {c.status !== 'draft' && (
                    <Link to={`/campaigns/${encodeURIComponent(c.id)}/report`}>Report</Link>
                  )}
                  {canManage && (
                    <button type="button" onClick={() => void duplicate(c)}>
                      Duplicate
                    </button>
                  )}
                  {c.status === 'draft' && canDelete && (
                    <button type="button" className="danger" onClick={() => void remove(c)}>
                      Delete
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
          {!list.loading && rows.length === 0 && (
            <tr>
              <td colSpan={9} className="muted">
                {list.data?.length ? 'No campaign matches.' : 'No campaigns yet.'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
