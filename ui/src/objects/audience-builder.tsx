// Audience builder: the JSON form as a tree of rules of every kind (attributes, events in a window,
// message feedback, other audiences, nested groups, exclusions), or the text form in the
// expression editor. For attribute-only audiences, the size and a sample are estimated in the
// browser with the server's own compiler and batch evaluator (src/audience, pure).
import { useState } from 'react';
import type { AudienceRule } from '@waymark/shared/model/audience.ts';
import { compileAudience } from '@waymark/shared/audience/compile.ts';
import { evaluateBatch } from '@waymark/shared/audience/batch.ts';
import { errorText } from '../api/client.ts';
import type { Profile, ProfileList, StoredObject } from '../api/types.ts';
import { useApi } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';
import { ExpressionEditor } from '../expr/expression-editor.tsx';
import { RuleGroup, type Choices } from './audience-rules.tsx';

type Spec = Record<string, unknown> & { name?: string; definition?: unknown };
type Group = Extract<AudienceRule, { kind: 'and' | 'or' }>;

/** The definition as a group of rules (a single rule is a group of one while edited); null for the text form or none. */
function groupOf(def: unknown): Group | null {
  if (
    def === undefined ||
    def === null ||
    typeof def !== 'object' ||
    'text' in def ||
    !('kind' in def)
  )
    return null;
  const r = def as AudienceRule;
  return r.kind === 'and' || r.kind === 'or' ? r : { kind: 'and', rules: [r] };
}

export function AudienceBuilder(p: {
  spec: Spec;
  onChange(spec: Spec): void;
  audiences: readonly string[];
}) {
  const api = useApi();
  const [estimate, setEstimate] = useState<
    { size: number; of: number; sample: string[] } | string | null
  >(null);
  const def = p.spec.definition;
  const group = groupOf(def);
  const text =
    def && typeof def === 'object' && 'text' in def
      ? String((def as { text: unknown }).text)
      : null;
  const eventTypes = useLoad(
    () =>
      api
        .get<{ items: Array<{ key: string }> }>('/v1/event-types')
        .then((r) => r.items.map((x) => x.key)),
    [api],
  );
  const choices: Choices = {
    eventTypes: eventTypes.data ?? [],
    audiences: p.audiences.filter((n) => n !== p.spec.name),
  };
  const setGroup = (g: AudienceRule) =>
    p.onChange({
      ...p.spec,
      definition: (g.kind === 'and' || g.kind === 'or') && g.rules.length === 1 ? g.rules[0] : g,
    });

  async function estimateSize() {
    setEstimate(null);
    const compiled = compileAudience(p.spec as never, { audiences: p.audiences });
    if (!compiled.ok) {
      setEstimate(compiled.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
      return;
    }
    const d = compiled.audience.dependsOn;
    if (d.eventTypes.length > 0 || d.feedback || d.audiences.length > 0) {
      setEstimate(
        'This audience reads events, message feedback or other audiences, which only the server has: save it, then "Evaluate now" below gives the exact size.',
      );
      return;
    }
    try {
      const profiles = (await api.get<ProfileList>('/v1/profiles?limit=1000')).items;
      const r = evaluateBatch(
        compiled.audience,
        profiles.map((x) => ({
          id: x.identities[0]?.id ?? x.id,
          snapshot: { attributes: x.attributes, events: [], feedback: [], memberships: {} },
        })),
        Date.now(),
        { sampleSize: 10 },
      );
      setEstimate({ size: r.size, of: profiles.length, sample: r.sample });
    } catch (err) {
      setEstimate(errorText(err));
    }
  }

  return (
    <section className="extras audience-builder" aria-label="Audience builder">
      <h3>Builder</h3>
      {group && <RuleGroup group={group} label="Rules" choices={choices} onChange={setGroup} top />}
      {text !== null && (
        <label>
          Condition (journey expression)
          <ExpressionEditor
            value={text}
            expect="boolean"
            scope={{ events: {}, actions: {}, audiences: [...p.audiences] }}
            onChange={(v) => p.onChange({ ...p.spec, definition: { text: v } })}
          />
        </label>
      )}
      {!group && text === null && (
        <p className="muted small">
          No definition yet.{' '}
          <button
            type="button"
            className="link"
            onClick={() =>
              p.onChange({
                ...p.spec,
                definition: { kind: 'attribute', path: '', op: 'equals', value: '' },
              })
            }
          >
            Start with rules
          </button>{' '}
          <button
            type="button"
            className="link"
            onClick={() => p.onChange({ ...p.spec, definition: { text: '' } })}
          >
            or write a condition
          </button>
        </p>
      )}
      <div className="row">
        <button type="button" onClick={() => void estimateSize()}>
          Estimate size
        </button>
      </div>
      {typeof estimate === 'string' && (
        <p className="error" role="alert">
          {estimate}
        </p>
      )}
      {estimate && typeof estimate === 'object' && (
        <div role="status" aria-label="Audience size">
          <p>
            <strong>{estimate.size}</strong> of {estimate.of} profiles (attributes only; event and
            feedback conditions are evaluated by the server).
          </p>
          {estimate.sample.length > 0 && (
            <ul>
              {estimate.sample.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

export type { StoredObject };
