// The suppression list (/suppressions): addresses no message goes to, with the reason (a hard
// bounce or a complaint reported by the email or SMS provider, or added by hand), the source and
// the date. Search by part of an address; add one by hand; remove one so it can receive again.
import { useState } from 'react';
import { errorText } from '../api/client.ts';
import { useDialogs } from '../app/dialog.tsx';
import { usePageTitle } from '../app/page-title.ts';
import { useCan } from '../app/permissions.tsx';
import { useApi } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';
import { FormDialog, itemsOf, when } from './admin-common.tsx';

/** One entry as GET /v1/suppressions answers it (src/api/routes/suppressions.ts). */
export interface SuppressionView {
  readonly channel: 'email' | 'sms';
  readonly address: string;
  readonly reason: 'hard_bounce' | 'complaint' | 'manual';
  readonly source: string;
  readonly detail: string | null;
  readonly createdAt: string;
}

export const REASON_TEXT: Record<SuppressionView['reason'], string> = {
  hard_bounce: 'Hard bounce',
  complaint: 'Complaint',
  manual: 'Manual',
};

/** "SendGrid webhook", "Operator key admin", "alice@luma.example". */
export function sourceText(source: string): string {
  const providers: Record<string, string> = {
    sendgrid: 'SendGrid webhook',
    mailgun: 'Mailgun webhook',
    vonage: 'Vonage receipt',
    twilio: 'Twilio callback',
  };
  if (providers[source]) return providers[source];
  const [kind, ...rest] = source.split(':');
  const name = rest.join(':');
  if (kind === 'user') return name;
  if (kind === 'key') return `API key ${name}`;
  if (kind === 'operator') return `Operator key ${name}`;
  return source;
}

function AddSuppression(p: { onClose(): void; onAdded(): void }) {
  const api = useApi();
  const [channel, setChannel] = useState<'email' | 'sms'>('email');
  const [address, setAddress] = useState('');
  const [reason, setReason] = useState<SuppressionView['reason']>('manual');
  const [detail, setDetail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const add = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/v1/suppressions', {
        channel,
        address: address.trim(),
        reason,
        ...(detail.trim() ? { detail: detail.trim() } : {}),
      });
      p.onAdded();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <FormDialog title="Suppress an address" onClose={p.onClose}>
      <form
        aria-label="Suppress an address"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <label>
          Channel
          <select
            value={channel}
            onChange={(e) => setChannel(e.target.value === 'sms' ? 'sms' : 'email')}
          >
            <option value="email">Email</option>
            <option value="sms">SMS</option>
          </select>
        </label>
        <label>
          {channel === 'email' ? 'Email address' : 'Phone number'}
          <input
            autoFocus
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            placeholder={channel === 'email' ? 'someone@example.com' : '+14155550100'}
          />
        </label>
        <label>
          Reason
          <select
            value={reason}
            onChange={(e) => setReason(e.target.value as SuppressionView['reason'])}
          >
            {Object.entries(REASON_TEXT).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <label>
          Note (optional)
          <input
            value={detail}
            onChange={(e) => setDetail(e.target.value)}
            placeholder="Asked by phone not to be contacted"
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row dialog-actions">
          <button type="button" onClick={p.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !address.trim()}>
            {busy ? 'Adding…' : 'Suppress'}
          </button>
        </div>
      </form>
    </FormDialog>
  );
}

export function SuppressionsPage() {
  const api = useApi();
  const dialogs = useDialogs();
  const canManage = useCan('profiles.manage');
  const [search, setSearch] = useState('');
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  usePageTitle('Suppression list');
  const list = useLoad(
    () =>
      api
        .get<unknown>(
          `/v1/suppressions?limit=500${search.trim() ? `&search=${encodeURIComponent(search.trim())}` : ''}`,
        )
        .then((r) => itemsOf<SuppressionView>(r)),
    [api, search],
  );
  const remove = async (s: SuppressionView) => {
    const yes = await dialogs.confirm({
      title: `Remove ${s.address}?`,
      body: (
        <p>
          Messages can go to this address again. If the provider still refuses it, it comes back
          with its next bounce.
        </p>
      ),
      confirmLabel: 'Remove from the list',
      danger: true,
    });
    if (!yes) return;
    setError(null);
    try {
      await api.del(`/v1/suppressions/${s.channel}/${encodeURIComponent(s.address)}`);
      list.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const rows = list.data ?? [];
  return (
    <section className="page admin suppressions">
      <div className="page-head">
        <h1>Suppression list</h1>
        {canManage && (
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            Suppress an address
          </button>
        )}
      </div>
      <p className="muted page-intro">
        No message of any journey or campaign goes to these addresses. Hard bounces and complaints
        reported by the email and SMS providers add them; you can add or remove one by hand. An
        excluded message shows the reason in its report.
      </p>
      <div className="row toolbar">
        <input
          type="search"
          aria-label="Search addresses"
          placeholder="Search addresses"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <span className="muted small" style={{ whiteSpace: 'nowrap' }}>
          {list.data ? `${rows.length} address${rows.length === 1 ? '' : 'es'}` : ''}
        </span>
      </div>
      {(list.error ?? error) && (
        <p className="error" role="alert">
          {list.error ?? error}
        </p>
      )}
      <table className="grid list admin-table" aria-label="Suppressed addresses">
        <thead>
          <tr>
            <th>Address</th>
            <th>Channel</th>
            <th>Reason</th>
            <th>Source</th>
            <th>Detail</th>
            <th>Since</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={`${s.channel}:${s.address}`}>
              <td>
                <strong>{s.address}</strong>
              </td>
              <td>{s.channel === 'email' ? 'Email' : 'SMS'}</td>
              <td>
                <span className={`badge suppression-${s.reason}`}>{REASON_TEXT[s.reason]}</span>
              </td>
              <td>{sourceText(s.source)}</td>
              <td className="muted small">{s.detail ?? '—'}</td>
              <td>{when(s.createdAt)}</td>
              <td>
                {canManage && (
                  <div className="row-actions">
                    <button type="button" className="danger" onClick={() => void remove(s)}>
                      Remove
                    </button>
                  </div>
                )}
              </td>
            </tr>
          ))}
          {list.data && rows.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                {search.trim()
                  ? `No suppressed address contains “${search.trim()}”.`
                  : 'No suppressed address.'}
              </td>
            </tr>
          )}
          {!list.data && list.loading && (
            <tr>
              <td colSpan={7} className="muted">
                Loading…
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {adding && (
        <AddSuppression
          onClose={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            list.reload();
          }}
        />
      )}
    </section>
  );
}
