// What an offer's page shows below the form: its eligibility, edited as a marketer thinks of it
// (everyone, members of audiences, a decision rule in the expression editor, or both), and how often
// it was proposed (GET /v1/propositions?offer=), by placement policy and by message.
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

interface PropositionRow {
  readonly offerId: string;
  readonly policyId: string;
  readonly profileId: string;
  readonly messageId: string | null;
  readonly fallback: boolean;
  readonly at: string | number;
}

/** How often the offer was proposed, by decision policy; the latest propositions. */
export function OfferPropositions(p: { object: StoredObject }) {
  const api = useApi();
  const r = useLoad(
    () =>
      api
        .get<{
          items: PropositionRow[];
        }>(`/v1/propositions?offer=${encodeURIComponent(p.object.key)}&limit=1000`)
        .then((x) => x.items),
    [api, p.object.key],
  );
  const items = r.data ?? [];
  const byPolicy = new Map<string, { total: number; inMessages: number }>();
  for (const x of items) {
    const row = byPolicy.get(x.policyId) ?? { total: 0, inMessages: 0 };
    row.total++;
    if (x.messageId !== null) row.inMessages++;
    byPolicy.set(x.policyId, row);
  }
  return (
    <section className="extras" aria-label="Propositions">
      <h3>Proposed</h3>
      {r.error && (
        <p className="error" role="alert">
          {r.error}
        </p>
      )}
      {r.data !== undefined && items.length === 0 && <p className="muted">Not proposed yet.</p>}
      {items.length > 0 && (
        <table className="grid" aria-label="Propositions by decision policy">
          <thead>
            <tr>
              <th>Decision policy</th>
              <th>Proposed</th>
              <th>In messages</th>
            </tr>
          </thead>
          <tbody>
            {[...byPolicy].map(([policy, row]) => (
              <tr key={policy}>
                <td>{policy}</td>
                <td data-testid="proposed-count">{row.total}</td>
                <td>{row.inMessages}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {items.length >= 1000 && <p className="muted small">The latest 1,000 are counted.</p>}
    </section>
  );
}
