// A decision policy's simulation: pick a profile, see which offers it would get (ranked, with their
// scores) and why every other offer was left out (status, dates, audience, decision rule, cap, rank).
// POST /v1/decisions with `simulate`: nothing is recorded and no cap is counted.
import { useState } from 'react';
import type { ProfileList } from '../api/types.ts';
import { errorText } from '../api/client.ts';
import { useApi } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';

interface SimProposition {
  readonly offerId: string;
  readonly name: string;
  readonly score: number;
  readonly rank: number;
  readonly strategy: number | 'fallback';
  readonly representation: { text?: string; link?: string; imageAsset?: string; html?: string };
}
interface SimAnswer {
  readonly policy: string;
  readonly placement: string;
  readonly fallback: boolean;
  readonly propositions: readonly SimProposition[];
  readonly excluded?: readonly { offerId: string; name: string; kind: string; reason: string }[];
  readonly scoring?: readonly {
    strategy: number;
    action: string;
    rankedBy: 'endpoint' | 'priority';
    message?: string;
  }[];
}

/** What the reason's kind is, in a word for the badge. */
const REASON_LABEL: Readonly<Record<string, string>> = {
  status: 'Not approved',
  notStarted: 'Not started',
  expired: 'Expired',
  noRepresentation: 'No representation',
  audience: 'Audience',
  rule: 'Rule false',
  ruleError: 'Rule error',
  formulaError: 'Formula error',
  notScored: 'Not scored',
  capReached: 'Cap reached',
  duplicate: 'Duplicate',
  outranked: 'Outranked',
  notInStrategy: 'Not in policy',
  fallbackOnly: 'Fallback',
};

const who = (p: ProfileList['items'][number]): string =>
  p.identities[0] ? `${p.identities[0].id} (${p.identities[0].namespace})` : p.id;

export function DecisionSimulation(p: { policy: string }) {
  const api = useApi();
  const profiles = useLoad(() => api.get<ProfileList>('/v1/profiles?limit=200'), [api]);
  const [profileId, setProfileId] = useState('');
  const [result, setResult] = useState<SimAnswer | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function simulate() {
    setBusy(true);
    setProblem(null);
    try {
      setResult(
        await api.post<SimAnswer>('/v1/decisions', {
          policy: p.policy,
          profileId,
          simulate: true,
        }),
      );
    } catch (err) {
      setResult(null);
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const items = profiles.data?.items ?? [];
  return (
    <section className="extras decision-simulation" aria-label="Simulation">
      <h3>Simulation</h3>
      <p className="muted small">
        Which offers a profile would get now, and why the others would not. Nothing is recorded and
        no cap is counted.
      </p>
      <div className="row">
        <label>
          Profile
          <select value={profileId} onChange={(e) => setProfileId(e.target.value)}>
            <option value="">Choose a profile</option>
            {items.map((x) => (
              <option key={x.id} value={x.id}>
                {who(x)}
                {x.testProfile ? ' · test profile' : ''}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="primary"
          disabled={profileId === '' || busy}
          onClick={() => void simulate()}
        >
          {busy ? 'Simulating…' : 'Simulate'}
        </button>
      </div>
      {(problem ?? profiles.error) && (
        <p className="error" role="alert">
          {problem ?? profiles.error}
        </p>
      )}
      {result && (
        <div role="status" aria-label="Simulation result">
          <h4>
            Proposed for placement {result.placement}
            {result.fallback ? ' (the fallback offer: nothing else qualified)' : ''}
          </h4>
          {(result.scoring ?? []).map((n) => (
            <p
              key={n.strategy}
              className={n.rankedBy === 'endpoint' ? 'muted small' : 'warning'}
              data-ranked-by={n.rankedBy}
            >
              {n.rankedBy === 'endpoint'
                ? `Strategy ${n.strategy + 1}: scores from the scoring endpoint ${n.action}.`
                : `Strategy ${n.strategy + 1}: ranked by priority instead of the scoring endpoint ${n.action}: ${n.message ?? 'no answer'}.`}
            </p>
          ))}
          {result.propositions.length === 0 ? (
            <p>No offer: nothing qualifies and the policy has no usable fallback.</p>
          ) : (
            <table className="grid" aria-label="Proposed offers">
              <thead>
                <tr>
                  <th>Rank</th>
                  <th>Offer</th>
                  <th>Score</th>
                  <th>Shows</th>
                </tr>
              </thead>
              <tbody>
                {result.propositions.map((x) => (
                  <tr key={x.offerId}>
                    <td>{x.rank}</td>
                    <td>
                      {x.name} <span className="muted small">{x.offerId}</span>
                      {x.strategy === 'fallback' && <span className="badge">Fallback</span>}
                    </td>
                    <td>{x.score}</td>
                    <td className="small">
                      {x.representation.text ??
                        (x.representation.html ? 'HTML' : (x.representation.imageAsset ?? ''))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h4>Not proposed</h4>
          {(result.excluded ?? []).length === 0 ? (
            <p className="muted">Every offer of the sandbox was proposed.</p>
          ) : (
            <table className="grid" aria-label="Excluded offers">
              <thead>
                <tr>
                  <th>Offer</th>
                  <th>Why</th>
                </tr>
              </thead>
              <tbody>
                {(result.excluded ?? []).map((x) => (
                  <tr key={x.offerId} data-reason={x.kind}>
                    <td>
                      {x.name} <span className="muted small">{x.offerId}</span>
                    </td>
                    <td>
                      <span className="badge">{REASON_LABEL[x.kind] ?? x.kind}</span> {x.reason}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
