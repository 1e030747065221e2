// The development inbox: rendered emails in a sandboxed iframe, push and SMS messages.
import { useState } from 'react';
import type { Message } from '../api/types.ts';
import { useApi } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';

export function Inbox() {
  const api = useApi();
  const [profile, setProfile] = useState('');
  const [query, setQuery] = useState('');
  const r = useLoad(() => api.get<{ items: Message[] }>(`/v1/dev/inbox${query ? `?profile=${encodeURIComponent(query)}` : ''}`).then((x) => x.items), [api, query]);
  const [open, setOpen] = useState<string | null>(null);
  const items = r.data ?? [];
  const sel = items.find((m) => m.id === open) ?? items[0];
  return (
    <section className="page inbox">
      <div className="page-head">
        <h1>Development inbox</h1>
        <form className="row" onSubmit={(e) => { e.preventDefault(); setQuery(profile.trim()); }}>
          <input aria-label="Profile" placeholder="Email:someone@example.com" value={profile} onChange={(e) => setProfile(e.target.value)} />
          <button type="submit">Filter</button>
        </form>
        <button type="button" onClick={r.reload}>Refresh</button>
      </div>
      {r.error && <p className="error" role="alert">{r.error}</p>}
      <div className="split">
        <ul className="message-list" aria-label="Messages">
          {items.map((m) => (
            <li key={m.id}><button type="button" className={sel?.id === m.id ? 'active' : ''} onClick={() => setOpen(m.id)}>
              <span className={`badge ch-${m.channel}`}>{m.channel}</span> <strong>{m.subject ?? String(m.payload?.['title'] ?? m.label ?? '')}</strong>
              <br /><small className="muted">{m.recipient} · {new Date(m.createdAt).toLocaleString()}</small>
            </button></li>
          ))}
          {!r.loading && items.length === 0 && <li className="muted">No messages yet.</li>}
        </ul>
        <div className="message-view">
          {sel && (sel.channel === 'email'
            ? <><h2 data-testid="inbox-subject">{sel.subject}</h2><p className="muted small">To {sel.recipient} · {sel.label}</p><iframe title="Email" sandbox="" srcDoc={sel.body ?? ''} /></>
            : <div className="phone"><p className="muted small">{sel.channel} to {sel.recipient}</p><strong>{sel.subject ?? String(sel.payload?.['title'] ?? '')}</strong><p>{sel.text ?? sel.body ?? JSON.stringify(sel.payload)}</p></div>)}
        </div>
      </div>
    </section>
  );
}
