// The parts of offers and decision policies the generic form draws poorly, edited as a marketer thinks
// of them (shown in the Form tab below the schema form, which leaves these fields out: see
// editedApart in ui/src/forms/kinds.ts): an offer's attributes (name, type, value) and eligibility
// (offer-extras.tsx), a policy's selection strategies (which offers: by tags or listed; ranked by
// priority or by a formula in the expression editor).
import type { ObjectKind } from '../app/menu.ts';
import { ExpressionEditor } from '../expr/expression-editor.tsx';
import type { ReferenceLookup } from './form-engine.ts';
import { OfferEligibility } from './offer-extras.tsx';

type Spec = Record<string, unknown>;
type Scalar = string | number | boolean;

export function FormApart(p: {
  kind: ObjectKind;
  value: Spec;
  onChange(v: Spec): void;
  references: ReferenceLookup;
  readOnly: boolean;
}) {
  switch (p.kind) {
    case 'offers':
      return (
        <>
          <OfferAttributes {...p} />
          <OfferEligibility
            spec={p.value}
            audiences={p.references('audiences').map((r) => r.key)}
            readOnly={p.readOnly}
            onChange={p.onChange}
          />
        </>
      );
    case 'decision-policies':
      return <PolicyStrategies {...p} />;
    default:
      return null;
  }
}

const typeOf = (v: Scalar): 'text' | 'number' | 'boolean' =>
  typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'text';

function OfferAttributes(p: { value: Spec; onChange(v: Spec): void; readOnly: boolean }) {
  const attrs = (p.value['attributes'] ?? {}) as Record<string, Scalar>;
  const rows = Object.entries(attrs);
  const write = (next: ReadonlyArray<readonly [string, Scalar]>) =>
    p.onChange({ ...p.value, attributes: Object.fromEntries(next) });
  const at = (i: number, row: readonly [string, Scalar]) =>
    write(rows.map((r, k) => (k === i ? row : r)));
  return (
    <section className="extras offer-attributes" aria-label="Attributes">
      <h3>Attributes</h3>
      <p className="muted small">
        {'Ranking formulas and rules read them as '}
        <code>{'@event{offer.attributes.name}'}</code>
        {'; content as '}
        <code>offer.attributes.name</code>.
      </p>
      {rows.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>Name</th>
              <th>Type</th>
              <th>Value</th>
              <th aria-label="Remove" />
            </tr>
          </thead>
          <tbody>
            {rows.map(([name, v], i) => (
              <tr key={i}>
                <td>
                  <input
                    aria-label={`Attribute ${i + 1} name`}
                    value={name}
                    disabled={p.readOnly}
                    onChange={(e) => at(i, [e.target.value, v])}
                  />
                </td>
                <td>
                  <select
                    aria-label={`Attribute ${i + 1} type`}
                    value={typeOf(v)}
                    disabled={p.readOnly}
                    onChange={(e) =>
                      at(i, [
                        name,
                        e.target.value === 'number'
                          ? Number(v) || 0
                          : e.target.value === 'boolean'
                            ? v === true || v === 'true'
                            : String(v),
                      ])
                    }
                  >
                    <option value="text">Text</option>
                    <option value="number">Number</option>
                    <option value="boolean">Yes / no</option>
                  </select>
                </td>
                <td>
                  {typeof v === 'boolean' ? (
                    <input
                      type="checkbox"
                      aria-label={`Attribute ${i + 1} value`}
                      checked={v}
                      disabled={p.readOnly}
                      onChange={(e) => at(i, [name, e.target.checked])}
                    />
                  ) : (
                    <input
                      aria-label={`Attribute ${i + 1} value`}
                      type={typeof v === 'number' ? 'number' : 'text'}
                      value={String(v)}
                      disabled={p.readOnly}
                      onChange={(e) =>
                        at(i, [
                          name,
                          typeof v === 'number' ? Number(e.target.value) : e.target.value,
                        ])
                      }
                    />
                  )}
                </td>
                <td>
                  <button
                    type="button"
                    className="link"
                    aria-label={`Remove attribute ${name || i + 1}`}
                    disabled={p.readOnly}
                    onClick={() => write(rows.filter((_, k) => k !== i))}
                  >
                    ✕
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button
        type="button"
        className="sf-add"
        disabled={p.readOnly || rows.some(([n]) => n === '')}
        onClick={() => write([...rows, ['', '']])}
      >
        + Add attribute
      </button>
    </section>
  );
}

interface Strategy {
  collection?: { tags: { any: string[] } | { all: string[] } };
  offers?: string[];
  ranking?: 'priority' | { formula: string } | { scoringAction: string };
}

type RankingKind = 'priority' | 'formula' | 'scoringAction';
const rankingKind = (r: Strategy['ranking']): RankingKind =>
  r === undefined || r === 'priority' ? 'priority' : 'formula' in r ? 'formula' : 'scoringAction';

const tagsText = (s: Strategy): string => {
  const t = s.collection?.tags;
  return t === undefined ? '' : ('all' in t ? t.all : t.any).join(', ');
};
const parseTags = (text: string): string[] =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');

function PolicyStrategies(p: {
  value: Spec;
  onChange(v: Spec): void;
  references: ReferenceLookup;
  readOnly: boolean;
}) {
  const list = (Array.isArray(p.value['strategies']) ? p.value['strategies'] : []) as Strategy[];
  const offers = p.references('offers');
  const actions = p.references('actions');
  const write = (next: Strategy[]) => p.onChange({ ...p.value, strategies: next });
  const at = (i: number, s: Strategy) => write(list.map((x, k) => (k === i ? s : x)));
  return (
    <section className="extras policy-strategies" aria-label="Selection strategies">
      <h3>Selection strategies</h3>
      <p className="muted small">
        Run in order until the policy has its offers: each picks offers, keeps the eligible ones and
        ranks them. The fallback offer is proposed when none qualifies.
      </p>
      {list.map((s, i) => {
        const pick =
          s.offers !== undefined
            ? 'offers'
            : s.collection && 'all' in s.collection.tags
              ? 'all'
              : 'any';
        const formula =
          typeof s.ranking === 'object' && 'formula' in s.ranking ? s.ranking.formula : null;
        const scorer =
          typeof s.ranking === 'object' && 'scoringAction' in s.ranking
            ? s.ranking.scoringAction
            : null;
        return (
          <fieldset key={i} className="policy-strategy" disabled={p.readOnly}>
            <legend>Strategy {i + 1}</legend>
            <label>
              Offers
              <select
                value={pick}
                onChange={(e) => {
                  const v = e.target.value;
                  const ranking = s.ranking ?? 'priority';
                  const tags = parseTags(tagsText(s));
                  at(
                    i,
                    v === 'offers'
                      ? { offers: s.offers ?? [], ranking }
                      : {
                          collection: { tags: v === 'all' ? { all: tags } : { any: tags } },
                          ranking,
                        },
                  );
                }}
              >
                <option value="any">with any of these tags</option>
                <option value="all">with all of these tags</option>
                <option value="offers">chosen one by one</option>
              </select>
            </label>
            {pick === 'offers' ? (
              <div
                className="offer-audience-list"
                role="group"
                aria-label={`Strategy ${i + 1} offers`}
              >
                {offers.length === 0 && <p className="muted small">No offer yet.</p>}
                {offers.map((o) => (
                  <label key={o.key} className="check">
                    <input
                      type="checkbox"
                      checked={(s.offers ?? []).includes(o.key)}
                      onChange={(e) =>
                        at(i, {
                          ...s,
                          offers: e.target.checked
                            ? [...(s.offers ?? []), o.key]
                            : (s.offers ?? []).filter((k) => k !== o.key),
                        })
                      }
                    />
                    {o.label}
                  </label>
                ))}
              </div>
            ) : (
              <label>
                Tags (separated by commas)
                <input
                  defaultValue={tagsText(s)}
                  placeholder="spring, email"
                  onChange={(e) => {
                    const tags = parseTags(e.target.value);
                    at(i, {
                      ...s,
                      collection: { tags: pick === 'all' ? { all: tags } : { any: tags } },
                    });
                  }}
                />
              </label>
            )}
            <label>
              Ranking
              <select
                value={rankingKind(s.ranking)}
                onChange={(e) => {
                  const v = e.target.value as RankingKind;
                  at(i, {
                    ...s,
                    ranking:
                      v === 'formula'
                        ? { formula: '@event{offer.priority}' }
                        : v === 'scoringAction'
                          ? { scoringAction: actions[0]?.key ?? '' }
                          : 'priority',
                  });
                }}
              >
                <option value="priority">By priority (highest first)</option>
                <option value="formula">By a formula (highest score first)</option>
                <option value="scoringAction">By a scoring endpoint (a custom action)</option>
              </select>
            </label>
            {scorer !== null && (
              <>
                <label>
                  Scoring action
                  <select
                    value={scorer}
                    onChange={(e) => at(i, { ...s, ranking: { scoringAction: e.target.value } })}
                  >
                    {scorer === '' && <option value="">Choose a custom action</option>}
                    {actions.map((a) => (
                      <option key={a.key} value={a.key}>
                        {a.label}
                      </option>
                    ))}
                  </select>
                </label>
                <p className="muted small">
                  {'Sent the eligible offers (payload field '}
                  <code>offers</code>
                  {'), '}
                  <code>profileId</code>
                  {' and '}
                  <code>profile.…</code>
                  {' attributes; answers '}
                  <code>{'{"scores": {"offerId": 12.5}}'}</code>
                  {'. When it fails or times out, the offers are ranked by priority.'}
                </p>
              </>
            )}
            {formula !== null && (
              <ExpressionEditor
                label={`Strategy ${i + 1} ranking formula`}
                value={formula}
                expect="any"
                scope={{ events: {}, actions: {} }}
                onChange={(v) => at(i, { ...s, ranking: { formula: v } })}
              />
            )}
            {list.length > 1 && (
              <button
                type="button"
                className="link"
                onClick={() => write(list.filter((_, k) => k !== i))}
              >
                Remove strategy {i + 1}
              </button>
            )}
          </fieldset>
        );
      })}
      <button
        type="button"
        className="sf-add"
        disabled={p.readOnly || list.length >= 10}
        onClick={() => write([...list, { collection: { tags: { any: [] } }, ranking: 'priority' }])}
      >
        + Add strategy
      </button>
    </section>
  );
}
