// One rule of the audience builder, of any kind: a profile attribute, experience events counted in
// a time window (with conditions on their payload), message feedback, membership of another
// audience, or a nested group; any of them can be excluded (a `not`). The shapes are
// src/model/audience.ts's; the server validates them again on save.
import type {
  AttributeRule,
  AudienceRule,
  CountOp,
  FeedbackAction,
  TimeUnit,
} from '@waymark/shared/model/audience.ts';
import {
  attributeOps,
  countOps,
  feedbackActions,
  timeUnits,
  unaryAttributeOps,
} from '@waymark/shared/model/audience.ts';

export type Kind = 'attribute' | 'event' | 'feedback' | 'audience' | 'group';
export const KINDS: ReadonlyArray<{ kind: Kind; label: string }> = [
  { kind: 'attribute', label: 'profile attribute' },
  { kind: 'event', label: 'experience events' },
  { kind: 'feedback', label: 'message feedback' },
  { kind: 'audience', label: 'another audience' },
  { kind: 'group', label: 'group of rules' },
];

export interface Choices {
  readonly eventTypes: readonly string[];
  readonly audiences: readonly string[];
}

/** A fresh rule of a kind, valid enough to edit. */
export function blankRule(kind: Kind, c: Choices): AudienceRule {
  switch (kind) {
    case 'attribute':
      return { kind: 'attribute', path: '', op: 'equals', value: '' };
    case 'event':
      return {
        kind: 'event',
        eventType: c.eventTypes[0] ?? '',
        count: { op: 'atLeast', value: 1 },
        within: { amount: 30, unit: 'days' },
      };
    case 'feedback':
      return { kind: 'feedback', action: 'clicked', within: { amount: 30, unit: 'days' } };
    case 'audience':
      return { kind: 'audience', name: c.audiences[0] ?? '' };
    case 'group':
      return { kind: 'and', rules: [blankRule('attribute', c)] };
  }
}

const kindOf = (r: AudienceRule): Kind =>
  r.kind === 'and' || r.kind === 'or' ? 'group' : r.kind === 'not' ? kindOf(r.rule) : r.kind;
const parseValue = (v: string): unknown =>
  v === 'true'
    ? true
    : v === 'false'
      ? false
      : v !== '' && !Number.isNaN(Number(v))
        ? Number(v)
        : v;
const listOf = (v: string): unknown[] => v.split(',').map((x) => parseValue(x.trim()));
const showValue = (v: unknown): string =>
  Array.isArray(v) ? v.map(String).join(', ') : v === undefined || v === null ? '' : String(v);

function AttributeFields(p: {
  rule: AttributeRule;
  label: string;
  onChange(r: AttributeRule): void;
  placeholder: string;
}) {
  const r = p.rule;
  const multi = r.op === 'in' || r.op === 'between';
  return (
    <>
      <input
        aria-label={`${p.label} attribute`}
        value={r.path}
        placeholder={p.placeholder}
        onChange={(e) => p.onChange({ ...r, path: e.target.value })}
      />
      <select
        aria-label={`${p.label} operator`}
        value={r.op}
        onChange={(e) => {
          const op = e.target.value as AttributeRule['op'];
          const { value: _drop, ...rest } = r;
          p.onChange(unaryAttributeOps.has(op) ? { ...rest, op } : { ...r, op });
        }}
      >
        {attributeOps.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
      {!unaryAttributeOps.has(r.op) && (
        <input
          aria-label={`${p.label} value`}
          value={showValue(r.value)}
          placeholder={multi ? 'a, b, c' : ''}
          onChange={(e) =>
            p.onChange({
              ...r,
              value: (multi
                ? listOf(e.target.value)
                : parseValue(e.target.value)) as AttributeRule['value'],
            })
          }
        />
      )}
    </>
  );
}

function Window(p: {
  within: { amount: number; unit: TimeUnit } | undefined;
  label: string;
  onChange(w: { amount: number; unit: TimeUnit } | undefined): void;
}) {
  return (
    <>
      <label className="small">
        in the last{' '}
        <input
          type="number"
          min={1}
          aria-label={`${p.label} window`}
          value={p.within?.amount ?? ''}
          placeholder="all time"
          onChange={(e) =>
            p.onChange(
              e.target.value === ''
                ? undefined
                : {
                    amount: Math.max(1, Math.floor(Number(e.target.value))),
                    unit: p.within?.unit ?? 'days',
                  },
            )
          }
        />
      </label>
      <select
        aria-label={`${p.label} window unit`}
        value={p.within?.unit ?? 'days'}
        onChange={(e) =>
          p.onChange({ amount: p.within?.amount ?? 1, unit: e.target.value as TimeUnit })
        }
      >
        {timeUnits.map((u) => (
          <option key={u}>{u}</option>
        ))}
      </select>
    </>
  );
}

/** The body of one rule (not its kind selector): what a marketer fills in for that kind. */
function RuleBody(p: {
  rule: AudienceRule;
  label: string;
  choices: Choices;
  onChange(r: AudienceRule): void;
}) {
  const r = p.rule;
  switch (r.kind) {
    case 'attribute':
      return (
        <AttributeFields
          rule={r}
          label={p.label}
          placeholder="loyalty.tier"
          onChange={p.onChange}
        />
      );
    case 'event': {
      const where = r.where ?? [];
      return (
        <div className="rule-body">
          <div className="row">
            <select
              aria-label={`${p.label} event type`}
              value={r.eventType}
              onChange={(e) => p.onChange({ ...r, eventType: e.target.value })}
            >
              {[...new Set([r.eventType, ...p.choices.eventTypes])].filter(Boolean).map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
            <select
              aria-label={`${p.label} count`}
              value={r.count.op}
              onChange={(e) =>
                p.onChange({ ...r, count: { ...r.count, op: e.target.value as CountOp } })
              }
            >
              {countOps.map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
            <input
              type="number"
              min={0}
              aria-label={`${p.label} times`}
              value={r.count.value}
              onChange={(e) =>
                p.onChange({
                  ...r,
                  count: { ...r.count, value: Math.max(0, Math.floor(Number(e.target.value))) },
                })
              }
            />
            <span className="small">times</span>
            <Window
              within={r.within}
              label={p.label}
              onChange={(within) => {
                const { within: _w, ...rest } = r;
                p.onChange(within ? { ...rest, within } : rest);
              }}
            />
          </div>
          {where.map((w, i) => (
            <div key={i} className="row rule">
              <span className="small">where</span>
              <AttributeFields
                rule={w}
                label={`${p.label} where ${i + 1}`}
                placeholder="commerce.order.priceTotal"
                onChange={(nw) =>
                  p.onChange({ ...r, where: where.map((x, j) => (j === i ? nw : x)) })
                }
              />
              <button
                type="button"
                aria-label={`Remove ${p.label} where ${i + 1}`}
                onClick={() => {
                  const rest = where.filter((_, j) => j !== i);
                  const { where: _w, ...base } = r;
                  p.onChange(rest.length ? { ...base, where: rest } : base);
                }}
              >
                ×
              </button>
            </div>
          ))}
          <button
            type="button"
            className="link"
            onClick={() =>
              p.onChange({
                ...r,
                where: [...where, { kind: 'attribute', path: '', op: 'equals', value: '' }],
              })
            }
          >
            Add a condition on the event
          </button>
        </div>
      );
    }
    case 'feedback': {
      const text = (
        field: 'messageId' | 'journeyId' | 'node' | 'link',
        label: string,
        placeholder: string,
      ) => (
        <input
          aria-label={`${p.label} ${label}`}
          placeholder={placeholder}
          value={r[field] ?? ''}
          onChange={(e) => {
            const { [field]: _drop, ...rest } = r;
            p.onChange(e.target.value === '' ? rest : { ...rest, [field]: e.target.value });
          }}
        />
      );
      return (
        <div className="rule-body">
          <div className="row">
            <select
              aria-label={`${p.label} action`}
              value={r.action}
              onChange={(e) => p.onChange({ ...r, action: e.target.value as FeedbackAction })}
            >
              {feedbackActions.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
            {text('journeyId', 'journey', 'any journey')}
            {text('node', 'activity', 'any activity')}
            {text('link', 'link', 'any link')}
            <Window
              within={r.within}
              label={p.label}
              onChange={(within) => {
                const { within: _w, ...rest } = r;
                p.onChange(within ? { ...rest, within } : rest);
              }}
            />
          </div>
        </div>
      );
    }
    case 'audience':
      return (
        <>
          <select
            aria-label={`${p.label} audience`}
            value={r.name}
            onChange={(e) => p.onChange({ ...r, name: e.target.value })}
          >
            {[...new Set([r.name, ...p.choices.audiences])].filter(Boolean).map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
          <select
            aria-label={`${p.label} status`}
            value={r.status ?? 'realized'}
            onChange={(e) =>
              p.onChange(
                e.target.value === 'realized'
                  ? { kind: 'audience', name: r.name }
                  : { ...r, status: 'exited' },
              )
            }
          >
            <option value="realized">is a member</option>
            <option value="exited">has left</option>
          </select>
        </>
      );
    case 'and':
    case 'or':
      return <RuleGroup group={r} label={p.label} choices={p.choices} onChange={p.onChange} />;
    case 'not':
      return (
        <RuleBody
          rule={r.rule}
          label={p.label}
          choices={p.choices}
          onChange={(inner) => p.onChange({ kind: 'not', rule: inner })}
        />
      );
  }
}

/** One rule with its kind, its "exclude" switch and its removal. */
export function RuleRow(p: {
  rule: AudienceRule;
  label: string;
  choices: Choices;
  onChange(r: AudienceRule): void;
  onRemove?: () => void;
}) {
  const excluded = p.rule.kind === 'not';
  const inner = p.rule.kind === 'not' ? p.rule.rule : p.rule;
  const wrap = (r: AudienceRule): AudienceRule => (excluded ? { kind: 'not', rule: r } : r);
  return (
    <div className={`rule rule-${kindOf(p.rule)}`} role="group" aria-label={p.label}>
      <div className="row rule-head">
        <span className="small muted">{p.label}</span>
        <select
          aria-label={`${p.label} kind`}
          value={kindOf(p.rule)}
          onChange={(e) => p.onChange(wrap(blankRule(e.target.value as Kind, p.choices)))}
        >
          {KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
        <label className="small">
          <input
            type="checkbox"
            aria-label={`${p.label} excluded`}
            checked={excluded}
            onChange={(e) => p.onChange(e.target.checked ? { kind: 'not', rule: inner } : inner)}
          />{' '}
          exclude
        </label>
        {p.onRemove && (
          <button
            type="button"
            className="remove"
            aria-label={`Remove ${p.label.toLowerCase()}`}
            onClick={p.onRemove}
          >
            ×
          </button>
        )}
      </div>
      <div className="row">
        <RuleBody
          rule={inner}
          label={p.label}
          choices={p.choices}
          onChange={(r) => p.onChange(wrap(r))}
        />
      </div>
    </div>
  );
}

/** Rules joined by all (and) or any (or); a group of one rule is still a group while edited. */
export function RuleGroup(p: {
  group: Extract<AudienceRule, { kind: 'and' | 'or' }>;
  label: string;
  choices: Choices;
  onChange(r: AudienceRule): void;
  top?: boolean;
}) {
  const g = p.group;
  const child = (i: number) => (p.top ? `Rule ${i + 1}` : `${p.label}.${i + 1}`);
  return (
    <div className="rule-group">
      <label>
        {p.top ? 'Profiles matching' : 'Matching'}{' '}
        <select
          aria-label={p.top ? 'Profiles matching' : `${p.label} matching`}
          value={g.kind}
          onChange={(e) => p.onChange({ ...g, kind: e.target.value as 'and' | 'or' })}
        >
          <option value="and">all of these rules</option>
          <option value="or">any of these rules</option>
        </select>
      </label>
      {g.rules.map((r, i) => (
        <RuleRow
          key={i}
          rule={r}
          label={child(i)}
          choices={p.choices}
          onChange={(nr) => p.onChange({ ...g, rules: g.rules.map((x, j) => (j === i ? nr : x)) })}
          {...(g.rules.length > 1
            ? { onRemove: () => p.onChange({ ...g, rules: g.rules.filter((_, j) => j !== i) }) }
            : {})}
        />
      ))}
      <button
        type="button"
        onClick={() => p.onChange({ ...g, rules: [...g.rules, blankRule('attribute', p.choices)] })}
      >
        {p.top ? 'Add a rule' : `Add a rule to ${p.label.toLowerCase()}`}
      </button>
    </div>
  );
}
