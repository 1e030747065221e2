// An offer decision in push, SMS, in-app and code-based content: pick a decision policy and the field, and the panel
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
  inApp: [
    { field: 'body', label: 'Body', shows: 'text' },
    { field: 'title', label: 'Title', shows: 'text' },
    { field: 'imageUrl', label: 'Image URL', shows: 'link' },
    { field: 'buttons.0.url', label: 'First button URL', shows: 'link' },
    { field: 'buttons.1.url', label: 'Second button URL', shows: 'link' },
  ],
  codeBased: [{ field: 'payload', label: 'Payload', shows: 'text' }],
} as const;

/** The content with `snippet` added to a field (a dot path: buttons.0.url). */
function withSnippet(
  content: Record<string, unknown>,
  path: string,
  snippet: string,
): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  const key = head!;
  if (rest.length === 0) {
    const before = typeof content[key] === 'string' ? String(content[key]) : '';
    return { ...content, [key]: before === '' ? snippet : `${before} ${snippet}` };
  }
  const inner = content[key];
  if (Array.isArray(inner)) {
    const i = Number(rest[0]);
    const item = (inner[i] ?? {}) as Record<string, unknown>;
    const copy = [...(inner as unknown[])];
    copy[i] = withSnippet(item, rest.slice(1).join('.'), snippet);
    return { ...content, [key]: copy };
  }
  const obj = (typeof inner === 'object' && inner !== null ? inner : {}) as Record<string, unknown>;
  return { ...content, [key]: withSnippet(obj, rest.join('.'), snippet) };
}

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
  if (n.kind === 'email') return null;
  const buttons = Array.isArray(n.content['buttons']) ? n.content['buttons'].length : 0;
  // Button URLs are offered for the buttons the message has.
  const targets: ReadonlyArray<{ field: string; label: string; shows: 'text' | 'link' }> = TARGETS[
    n.kind
  ].filter((t) => !t.field.startsWith('buttons.') || Number(t.field.split('.')[1]) < buttons);
  const target = targets.find((t) => t.field === field) ?? targets[0]!;
  const chosen = policy || policies[0]?.key || '';
  const insert = () => {
    const snippet = decisionSnippet(chosen, target.shows);
    p.onChange({ ...n, content: withSnippet(n.content, target.field, snippet) });
  };
  return (
    <fieldset className="decision-insert field-group" aria-label="Offer decision">
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
