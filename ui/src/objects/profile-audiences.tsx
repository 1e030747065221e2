// A profile's audience memberships (GET /v1/profiles/{ns}/{id}/audiences): status and since when.
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { profileAudiencesAnswer } from '@waymark/shared/api/audiences.ts';
import { useApi } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';

const when = (iso: string | null): string => (iso ? new Date(iso).toLocaleString() : '?');

export function ProfileAudiences(p: { namespace: string; id: string }) {
  const api = useApi();
  const r = useLoad(
    () =>
      api
        .get<Answer<typeof profileAudiencesAnswer>>(
          `/v1/profiles/${encodeURIComponent(p.namespace)}/${encodeURIComponent(p.id)}/audiences`,
        )
        .then((x) => x.items),
    [api, p.namespace, p.id],
  );
  return (
    <section className="extras" aria-label="Audiences of the profile">
      <h3>Audiences</h3>
      {r.error && (
        <p className="error" role="alert">
          {r.error}
        </p>
      )}
      {r.data && r.data.length === 0 && <p className="muted">In no audience.</p>}
      {r.data && r.data.length > 0 && (
        <table className="grid" aria-label="Memberships">
          <thead>
            <tr>
              <th>Audience</th>
              <th>Status</th>
              <th>Since</th>
            </tr>
          </thead>
          <tbody>
            {r.data.map((m) => (
              <tr key={m.audience}>
                <td>{m.audience}</td>
                <td>{m.status}</td>
                <td>{m.status === 'realized' ? when(m.realizedAt) : when(m.exitedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
