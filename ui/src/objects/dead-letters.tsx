// Dead letters: events that failed their schema, with the reason, and replay.
import { useState } from 'react';
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { deadLetterListAnswer } from '@waymark/shared/api/events.ts';
import { errorText } from '../api/client.ts';
import { useApi } from '../app/session.tsx';
import { usePageTitle } from '../app/page-title.ts';
import { useLoad } from '../app/use-load.ts';
import { HelpLink } from '../app/help-link.tsx';

export function DeadLetters() {
  const api = useApi();
  const r = useLoad(
    () => api.get<Answer<typeof deadLetterListAnswer>>('/v1/dead-letters').then((x) => x.items),
    [api],
  );
  const [msg, setMsg] = useState<string | null>(null);
  usePageTitle('Dead letters');
  return (
    <section className="page">
      <div className="page-head">
        <h1>Dead letters</h1>
        <HelpLink topic="deadLetters" />
      </div>
      {(r.error || msg) && (
        <p className="error" role="alert">
          {r.error ?? msg}
        </p>
      )}
      <table className="grid">
        <thead>
          <tr>
            <th>#</th>
            <th>Reason</th>
            <th>Event</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(r.data ?? []).map((d) => (
            <tr key={d.id}>
              <td>{d.id}</td>
              <td>
                {d.errors.message}
                {d.errors.issues.map((i, k) => (
                  <div key={k}>
                    <code>{i.path}</code>: {i.message}
                  </div>
                ))}
              </td>
              <td>
                <pre className="code small">{JSON.stringify(d.body, null, 1).slice(0, 400)}</pre>
              </td>
              <td>
                {d.replayedAt ? (
                  'replayed'
                ) : (
                  <button
                    type="button"
                    onClick={() =>
                      void api.post(`/v1/dead-letters/${d.id}/replay`).then(
                        () => r.reload(),
                        (e: unknown) => setMsg(errorText(e)),
                      )
                    }
                  >
                    Replay
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
