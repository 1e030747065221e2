// An offer decision in push and SMS content: pick a decision policy and the field, and the panel
// inserts the `decide` helper there. At send time each profile gets the offers the policy proposes
// (recorded with the message, counted against caps); a preview decides without recording.
import { useState } from 'react';
import type { MessageNode } from '@waymark/shared/model/journey.ts';
import { decisionSnippet } from '@waymark/shared/content/decisions.ts';
import type { Catalog } from '../catalog.ts';

/** The fields of a push or SMS message an offer decision may go in, and what it writes there. */
const TARGETS = {
  push: [
    { field: 'body', label: 'Body', shows: 'text' },
    { field: 'title', label: 'Title', shows: 'text' },
    { field: 'deepLink', label: 'Deep link', shows: 'link' },
  ],
  sms: [{ field: 'text', label: 'Text', shows: 'text' }],
} as const;

export function DecisionInsert(p: {
  node: MessageNode;
  catalog: Catalog;
  readOnly?: boolean;
  onChange(n: MessageNode): void;
}) {
  const n = p.node;
  const policies = p.catalog.decisionPolicies ?? [];
  const [policy, setPolicy] = useState('');
  const [field, setField] = useState('');
  if (n.kind !== 'push' && n.kind !== 'sms') return null;
  const targets = TARGETS[n.kind];
  const target = targets.find((t) => t.field === field) ?? targets[0];
  const chosen = policy || policies[0]?.key || '';
  const insert = () => {
    const before = typeof n.content[target.field] === 'string' ? n.content[target.field] : '';
    const snippet = decisionSnippet(chosen, target.shows);
    const joined = before === '' ? snippet : `${String(before)} ${snippet}`;
    p.onChange({ ...n, content: { ...n.content, [target.field]: joined } });
  };
  return (
    <fieldset className="decision-insert" aria-label="Offer decision">
      <legend>Offer decision</legend>
      {policies.length === 0 ? (
        <p className="muted small">
          No decision policy yet: create one under Decisioning to show offers in this message.
        </p>
      ) : (
        <>
          <div className="row">
            {/* Named by aria-label, not a wrapping <label>: a label's text would take in the
                options' (a field named "Title" would match the panel's own Title input). */}
            <select
              aria-label="Decision policy of the offer"
              value={chosen}
              onChange={(e) => setPolicy(e.target.value)}
            >
              {policies.map((x) => (
                <option key={x.key} value={x.key}>
                  {x.spec.name} ({x.spec.placement})
                </option>
              ))}
            </select>
            <span className="muted small">into</span>
            <select
              aria-label="Field the offer goes in"
              value={target.field}
              onChange={(e) => setField(e.target.value)}
            >
              {targets.map((t) => (
                <option key={t.field} value={t.field}>
                  {t.label}
                </option>
              ))}
            </select>
            <button type="button" disabled={p.readOnly === true} onClick={insert}>
              Insert offer
            </button>
          </div>
          <p className="muted small">
            {'Adds '}
            <code>{decisionSnippet(chosen, target.shows)}</code>
            {': each profile gets the offers the policy proposes, recorded with the message.'}
          </p>
        </>
      )}
    </fieldset>
  );
}
