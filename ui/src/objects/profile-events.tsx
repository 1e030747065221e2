// A profile's latest experience events and message feedback (GET /v1/profiles/{ns}/{id}/events),
// newest first, each payload a click away: the history audiences read.
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { profileEventsAnswer } from '@waymark/shared/api/profiles.ts';
import { useApi } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';

export function ProfileEvents(p: { namespace: string; id: string }) {
  const api = useApi();
  const r = useLoad(
    () =>
      api.get<Answer<typeof profileEventsAnswer>>(
        `/v1/profiles/${encodeURIComponent(p.namespace)}/${encodeURIComponent(p.id)}/events?limit=20`,
      ),
    [api, p.namespace, p.id],
  );
  return (
    <section className="extras" aria-label="Events of the profile">
      <h3>Recent events</h3>
      {r.error && (
        <p className="error" role="alert">
          {r.error}
        </p>
      )}
      {r.data && r.data.items.length === 0 && <p className="muted">No events.</p>}
      {r.data && r.data.items.length > 0 && (
        <>
          <ul className="plain" aria-label="Events">
            {r.data.items.map((e, i) => (
              <li key={`${e.at}:${i}`}>
                <details>
                  <summary>
                    <span className="muted small">{new Date(e.at).toLocaleString()}</span> {e.type}
                  </summary>
                  <pre className="code">{JSON.stringify(e.payload, null, 2)}</pre>
                </details>
              </li>
            ))}
          </ul>
          <p className="muted small">
            {r.data.items.length} of {r.data.total}, newest first.
          </p>
        </>
      )}
    </section>
  );
}
