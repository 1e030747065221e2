// The development inbox: emails as received over SMTP (tracked links, open pixel) in a sandboxed
// iframe, push and SMS messages. A click on a link goes through the tracking endpoint like a click
// in a mail client: from the email it opens a new tab (the console stays), from the list of links
// it is recorded in place, so that the report's link clicks and "Create audience" see it.
import { useState } from 'react';
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { devInboxAnswer } from '@waymark/shared/api/messages.ts';
import type { Message } from '../api/types.ts';
import { useApi } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';
import { useRefresh } from '../app/use-refresh.ts';
import { usePageTitle } from '../app/page-title.ts';
import './inbox.css';

interface TrackedLink {
  linkId: string;
  url: string;
  trackedUrl: string;
}
type InboxAnswer = Answer<typeof devInboxAnswer>;

/** The links of a message as its delivery log recorded them (tracked emails only). */
function linksOf(m: Message): TrackedLink[] {
  const links = m.payload['links'];
  if (!Array.isArray(links)) return [];
  return links.filter(
    (l): l is TrackedLink =>
      typeof l === 'object' &&
      l !== null &&
      typeof (l as TrackedLink).trackedUrl === 'string' &&
      typeof (l as TrackedLink).url === 'string',
  );
}

/** The tracking URL on this origin: the console's server answers /t/ itself. */
const sameOrigin = (url: string): string => {
  try {
    const u = new URL(url, location.href);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
};

/** Links in the email open in a new tab (through the tracking redirect); nothing else may leave the frame. */
const inNewTab = (html: string): string =>
  /<head[^>]*>/i.test(html)
    ? html.replace(/<head[^>]*>/i, (h) => `${h}<base target="_blank">`)
    : `<base target="_blank">${html}`;

/** A journey's message reaches the inbox seconds after its step: it shows without a click on Refresh. */
const INBOX_REFRESH_MS = 3000;

export function Inbox() {
  usePageTitle('Development inbox');
  const api = useApi();
  const [profile, setProfile] = useState('');
  const [query, setQuery] = useState('');
  const r = useLoad(
    () =>
      api.get<InboxAnswer>(`/v1/dev/inbox${query ? `?profile=${encodeURIComponent(query)}` : ''}`),
    [api, query],
  );
  useRefresh(true, r.reload, INBOX_REFRESH_MS);
  const [open, setOpen] = useState<string | null>(null);
  const [clicks, setClicks] = useState<Record<string, 'recording' | 'recorded' | string>>({});
  const items = r.data?.items ?? [];
  const sel = items.find((m) => m.id === open) ?? items[0];
  const providerId =
    typeof sel?.payload['providerMessageId'] === 'string' ? sel.payload['providerMessageId'] : null;
  const received = r.data?.email?.find((m) => m.messageId === providerId);
  const links = sel ? linksOf(sel) : [];

  async function click(link: TrackedLink) {
    const key = `${sel?.id}:${link.linkId}`;
    setClicks((c) => ({ ...c, [key]: 'recording' }));
    try {
      // The redirect is not followed: the click is recorded, the console stays where it is.
      const res = await fetch(sameOrigin(link.trackedUrl), {
        redirect: 'manual',
        credentials: 'omit',
      });
      setClicks((c) => ({
        ...c,
        [key]:
          res.type === 'opaqueredirect' || res.ok ? 'recorded' : `not recorded (${res.status})`,
      }));
    } catch (e) {
      setClicks((c) => ({
        ...c,
        [key]: `not recorded: ${e instanceof Error ? e.message : String(e)}`,
      }));
    }
  }

  return (
    <section className="page inbox">
      <div className="page-head">
        <h1>Development inbox</h1>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            setQuery(profile.trim());
          }}
        >
          <input
            aria-label="Profile"
            placeholder="Email:someone@example.com"
            value={profile}
            onChange={(e) => setProfile(e.target.value)}
          />
          <button type="submit">Filter</button>
        </form>
        <button type="button" onClick={r.reload}>
          Refresh
        </button>
      </div>
      {r.error && (
        <p className="error" role="alert">
          {r.error}
        </p>
      )}
      <div className="split">
        <ul className="message-list" aria-label="Messages">
          {items.map((m) => (
            <li key={m.id}>
              <button
                type="button"
                className={sel?.id === m.id ? 'active' : ''}
                onClick={() => setOpen(m.id)}
              >
                <span className={`badge ch-${m.channel}`}>{m.channel}</span>{' '}
                <strong>{m.subject ?? String(m.payload['title'] ?? m.label ?? '')}</strong>
                <br />
                <small className="muted">
                  {m.recipient} · {new Date(m.createdAt).toLocaleString()}
                </small>
              </button>
            </li>
          ))}
          {!r.loading && items.length === 0 && <li className="muted">No messages yet.</li>}
        </ul>
        <div className="message-view">
          {sel &&
            (sel.channel === 'email' ? (
              <>
                <h2 data-testid="inbox-subject">{sel.subject}</h2>
                <p className="muted small">
                  To {sel.recipient} · {sel.label}
                  {received ? ' · as received over SMTP, links tracked' : ''}
                </p>
                {links.length > 0 && (
                  <details className="inbox-links" open>
                    <summary>
                      Links in this email ({links.length}): a click is recorded through the tracking
                      endpoint
                    </summary>
                    <ul aria-label="Links in this email">
                      {links.map((l) => {
                        const state = clicks[`${sel.id}:${l.linkId}`];
                        return (
                          <li key={l.linkId}>
                            <code className="link-url" title={l.url}>
                              {l.url}
                            </code>{' '}
                            <button
                              type="button"
                              onClick={() => void click(l)}
                              disabled={state === 'recording'}
                              aria-label={`Click ${l.url}`}
                            >
                              Click
                            </button>{' '}
                            <a href={l.trackedUrl} target="_blank" rel="noopener noreferrer">
                              Open in a new tab
                            </a>
                            {state && (
                              <span
                                className={state === 'recorded' ? 'ok small' : 'muted small'}
                                role="status"
                              >
                                {' '}
                                {state === 'recorded' ? 'Click recorded' : state}
                              </span>
                            )}
                          </li>
                        );
                      })}
                    </ul>
                  </details>
                )}
                {/* No scripts (no allow-scripts): links open a new tab through the tracking redirect. */}
                <iframe
                  title="Email"
                  sandbox="allow-popups allow-popups-to-escape-sandbox"
                  srcDoc={inNewTab(received?.html ?? sel.body ?? '')}
                />
              </>
            ) : (
              <div className="phone">
                <p className="muted small">
                  {sel.channel} to {sel.recipient}
                </p>
                <strong>{sel.subject ?? String(sel.payload['title'] ?? '')}</strong>
                <p>{sel.text ?? sel.body ?? JSON.stringify(sel.payload)}</p>
              </div>
            ))}
        </div>
      </div>
    </section>
  );
}
