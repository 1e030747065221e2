// An offer's eligibility, edited as a marketer thinks of it (everyone, members of audiences, a
// decision rule in the expression editor, or both; in the Form tab), and its report below the form:
// how often it was proposed, clicked and converted, by decision policy (GET /v1/propositions/report?offer=).
import type { StoredObject } from '../api/types.ts';
import { useApi } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';
import { ExpressionEditor } from '../expr/expression-editor.tsx';

type Spec = Record<string, unknown>;
interface Eligibility {
  audiences?: { all: string[] } | { any: string[] };
  rule?: string;
}

const eligibilityOf = (spec: Spec): Eligibility => {
  const e = spec['eligibility'];
  return typeof e === 'object' && e !== null ? (e as Eligibility) : {};
};

/** The spec with its eligibility replaced; an empty one is removed (everyone is eligible). */
function withEligibility(spec: Spec, e: Eligibility): Spec {
  const { eligibility: _old, ...rest } = spec;
  const clean: Eligibility = {
    ...(e.audiences !== undefined ? { audiences: e.audiences } : {}),
    ...(e.rule !== undefined ? { rule: e.rule } : {}),
  };
  return Object.keys(clean).length === 0 ? rest : { ...rest, eligibility: clean };
}

export function OfferEligibility(p: {
  spec: Spec;
  audiences: readonly string[];
  readOnly: boolean;
  onChange(spec: Spec): void;
}) {
  const e = eligibilityOf(p.spec);
  const fallback = p.spec['fallback'] === true;
  const aud = e.audiences;
  const condition: 'all' | 'any' = aud !== undefined && 'all' in aud ? 'all' : 'any';
  const chosen: readonly string[] = aud === undefined ? [] : 'all' in aud ? aud.all : aud.any;
  const set = (next: Eligibility) => p.onChange(withEligibility(p.spec, next));
  const setAudiences = (names: readonly string[], cond: 'all' | 'any') => {
    const { audiences: _a, ...rest } = e;
    set(
      names.length === 0
        ? rest
        : { ...rest, audiences: cond === 'all' ? { all: [...names] } : { any: [...names] } },
    );
  };
  if (fallback)
    return (
      <section className="extras" aria-label="Eligibility">
        <h3>Eligibility</h3>
        <p className="muted">
          A fallback offer has no eligibility: a decision policy proposes it when nothing else
          qualifies.
        </p>
      </section>
    );
  return (
    <section className="extras offer-eligibility" aria-label="Eligibility">
      <h3>Eligibility</h3>
      <p className="muted small">
        {aud === undefined && e.rule === undefined
          ? 'Every profile is eligible. Narrow it to audiences, a decision rule, or both.'
          : 'A profile is eligible when every condition below holds.'}
      </p>
      <fieldset className="offer-audiences" disabled={p.readOnly}>
        <legend>Audiences</legend>
        <label className="offer-audience-condition">
          Eligible when the profile is a member of
          <select
            value={condition}
            onChange={(ev) => setAudiences(chosen, ev.target.value === 'all' ? 'all' : 'any')}
          >
            <option value="any">any of the audiences ticked</option>
            <option value="all">all of the audiences ticked</option>
          </select>
        </label>
        {p.audiences.length === 0 ? (
          <p className="muted small">No audience in this sandbox yet.</p>
        ) : (
          <div className="offer-audience-list" role="group" aria-label="Eligible audiences">
            {p.audiences.map((name) => (
              <label key={name} className="check">
                <input
                  type="checkbox"
                  checked={chosen.includes(name)}
                  onChange={(ev) =>
                    setAudiences(
                      ev.target.checked ? [...chosen, name] : chosen.filter((n) => n !== name),
                      condition,
                    )
                  }
                />
                {name}
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <fieldset className="offer-rule" disabled={p.readOnly}>
        <legend>Decision rule</legend>
        {e.rule === undefined ? (
          <button
            type="button"
            disabled={p.readOnly}
            onClick={() =>
              set({
                ...e,
                rule: '#{ExperiencePlatform.ProfileFieldGroup.profile.person.name.firstName} != ""',
              })
            }
          >
            Add a decision rule
          </button>
        ) : (
          <>
            <ExpressionEditor
              label="Decision rule"
              value={e.rule}
              expect="boolean"
              scope={{ events: {}, actions: {}, audiences: [...p.audiences] }}
              onChange={(v) => set({ ...e, rule: v })}
            />
            <p className="muted small">
              Profile fields, <code>inAudience("…")</code>, the offer's own fields as{' '}
              <code>
                @event{'{'}offer.priority{'}'}
              </code>{' '}
              and the request's context as{' '}
              <code>
                @event{'{'}context.…{'}'}
              </code>
              .
            </p>
            <button
              type="button"
              className="link"
              disabled={p.readOnly}
              onClick={() => {
                const { rule: _r, ...rest } = e;
                set(rest);
              }}
            >
              Remove the rule
            </button>
          </>
        )}
      </fieldset>
    </section>
  );
}

interface OfferReport {
  readonly proposed: number;
  readonly inMessages: number;
  readonly clicked: number;
  readonly clicks: number;
  readonly converted: number;
  readonly truncated: boolean;
  readonly byPolicy: ReadonlyArray<{
    policy: string;
    proposed: number;
    inMessages: number;
    clicked: number;
    converted: number;
  }>;
}

const rate = (n: number, of: number): string =>
  of === 0 ? '–' : `${((100 * n) / of).toFixed(n === of || n === 0 ? 0 : 1)}%`;

/** How often the offer was proposed, clicked and converted, by decision policy (GET /v1/propositions/report). */
export function OfferPropositions(p: { object: StoredObject }) {
  const api = useApi();
  const r = useLoad(
    () => api.get<OfferReport>(`/v1/propositions/report?offer=${encodeURIComponent(p.object.key)}`),
    [api, p.object.key],
  );
  const d = r.data;
  return (
    <section className="extras" aria-label="Offer report">
      <h3>Report</h3>
      {r.error && (
        <p className="error" role="alert">
          {r.error}
        </p>
      )}
      {d !== undefined && d.proposed === 0 && <p className="muted">Not proposed yet.</p>}
      {d !== undefined && d.proposed > 0 && (
        <>
          <p>
            Proposed <strong data-testid="offer-proposed">{d.proposed}</strong>{' '}
            {d.proposed === 1 ? 'time' : 'times'}
            {d.inMessages === 0 ? (
              ', none of them in a message yet.'
            ) : (
              <>
                , {d.inMessages} in messages; its link was clicked in{' '}
                <strong data-testid="offer-clicked">{d.clicked}</strong> of them (
                {rate(d.clicked, d.inMessages)}, {d.clicks} {d.clicks === 1 ? 'click' : 'clicks'}).
              </>
            )}{' '}
            It brought <strong data-testid="offer-converted">{d.converted}</strong>{' '}
            {d.converted === 1 ? 'conversion' : 'conversions'} ({rate(d.converted, d.proposed)} of
            its propositions).
          </p>
          <table className="grid" aria-label="Report by decision policy">
            <thead>
              <tr>
                <th>Decision policy</th>
                <th>Proposed</th>
                <th>In messages</th>
                <th>Clicked</th>
                <th>Click rate</th>
                <th>Converted</th>
                <th>Conversion rate</th>
              </tr>
            </thead>
            <tbody>
              {d.byPolicy.map((row) => (
                <tr key={row.policy}>
                  <td>{row.policy}</td>
                  <td>{row.proposed}</td>
                  <td>{row.inMessages}</td>
                  <td>{row.clicked}</td>
                  <td>{rate(row.clicked, row.inMessages)}</td>
                  <td>{row.converted}</td>
                  <td>{rate(row.converted, row.proposed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {d.truncated && (
            <p className="muted small">Counted over the newest 5,000 propositions.</p>
          )}
        </>
      )}
      <button type="button" onClick={r.reload} disabled={r.loading}>
        Refresh
      </button>
    </section>
  );
}
