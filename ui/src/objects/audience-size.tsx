// An audience's size and sample as the server stores them (GET /v1/audiences/{name}/size), with
// "Evaluate now" (POST /v1/audiences/{name}/evaluate) to refresh the memberships from every profile.
import { useState } from 'react';
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { audienceSizeAnswer } from '@waymark/shared/api/audiences.ts';
import { errorText } from '../api/client.ts';
import { useApi } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';

export type AudienceSize = Answer<typeof audienceSizeAnswer>;
export type AudienceMember = AudienceSize['sample'][number];

const who = (m: AudienceMember) =>
  m.identities[0] ? `${m.identities[0].id} (${m.identities[0].namespace})` : m.profileId;

export function AudienceServerSize(p: { name: string; evaluable?: boolean }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const path = `/v1/audiences/${encodeURIComponent(p.name)}`;
  const r = useLoad(() => api.get<AudienceSize>(`${path}/size?sample=20`), [api, path]);

  async function evaluate() {
    setBusy(true);
    setProblem(null);
    try {
      await api.post(`${path}/evaluate`);
      r.reload();
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="extras" aria-label="Members on the server">
      <h3>Members on the server</h3>
      {(r.error ?? problem) && (
        <p className="error" role="alert">
          {problem ?? r.error}
        </p>
      )}
      {r.data && (
        <div role="status" aria-label="Server audience size">
          <p>
            <strong data-testid="audience-realized">{r.data.realized}</strong> members (
            {r.data.exited} exited).
          </p>
          {r.data.sample.length > 0 && (
            <ul aria-label="Sample of members">
              {r.data.sample.map((m) => (
                <li key={m.profileId}>
                  {who(m)}
                  {m.realizedAt && (
                    <span className="muted small">
                      {' '}
                      since {new Date(m.realizedAt).toLocaleString()}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="row">
        <button type="button" onClick={r.reload} disabled={r.loading}>
          Refresh
        </button>
        {p.evaluable !== false && (
          <button type="button" onClick={() => void evaluate()} disabled={busy}>
            {busy ? 'Evaluating…' : 'Evaluate now'}
          </button>
        )}
      </div>
    </section>
  );
}
