// Audience builder: attribute rules joined by all/any, or the text form in the expression editor;
// size and sample estimated in the browser with the server's own audience compiler and batch
// evaluator (src/audience, pure), over the sandbox's profiles (attributes only).
import { useState } from 'react';
import { compileAudience } from '../../../src/audience/compile.ts';
import { evaluateBatch } from '../../../src/audience/batch.ts';
import { errorText } from '../api/client.ts';
import type { Profile, StoredObject } from '../api/types.ts';
import { useApi } from '../app/session.tsx';
import { ExpressionEditor } from '../expr/expression-editor.tsx';

const OPS = ['equals', 'notEquals', 'exists', 'notExists', 'in', 'contains', 'startsWith', 'gt', 'gte', 'lt', 'lte', 'between', 'isTrue', 'isFalse'] as const;
const UNARY = new Set<string>(['exists', 'notExists', 'isTrue', 'isFalse']);

interface AttributeRule { kind: 'attribute'; path: string; op: string; value?: unknown; ignoreCase?: boolean }
type Spec = Record<string, unknown> & { name?: string; definition?: unknown };

function rulesOf(def: unknown): { join: 'and' | 'or'; rules: AttributeRule[] } | null {
  const d = def as { kind?: string; rules?: unknown[] } | undefined;
  if (d?.kind === 'attribute') return { join: 'and', rules: [d as unknown as AttributeRule] };
  if ((d?.kind === 'and' || d?.kind === 'or') && d.rules?.every((r) => (r as { kind?: string }).kind === 'attribute')) return { join: d.kind, rules: d.rules as AttributeRule[] };
  return null;
}

const parseValue = (v: string): unknown => (v === 'true' ? true : v === 'false' ? false : v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v);

export function AudienceBuilder(p: { spec: Spec; onChange(spec: Spec): void; audiences: readonly string[] }) {
  const api = useApi();
  const [estimate, setEstimate] = useState<{ size: number; of: number; sample: string[] } | string | null>(null);
  const def = p.spec.definition;
  const built = rulesOf(def);
  const text = def && typeof def === 'object' && 'text' in def ? String((def as { text: unknown }).text) : null;
  const setRules = (join: 'and' | 'or', rules: AttributeRule[]) => p.onChange({ ...p.spec, definition: rules.length === 1 ? rules[0] : { kind: join, rules } });

  async function estimateSize() {
    setEstimate(null);
    const compiled = compileAudience(p.spec as never, { audiences: p.audiences });
    if (!compiled.ok) { setEstimate(compiled.issues.map((i) => `${i.path}: ${i.message}`).join('\n')); return; }
    try {
      const profiles = (await api.get<{ items: Profile[] }>('/v1/profiles?limit=1000')).items;
      const r = evaluateBatch(compiled.audience, profiles.map((x) => ({ id: x.identities[0]?.id ?? x.id, snapshot: { attributes: x.attributes, events: [], feedback: [], memberships: {} } })), Date.now(), { sampleSize: 10 });
      setEstimate({ size: r.size, of: profiles.length, sample: r.sample });
    } catch (err) { setEstimate(errorText(err)); }
  }

  return (
    <section className="extras audience-builder" aria-label="Audience builder">
      <h3>Builder</h3>
      {built && (
        <>
          <label>Profiles matching
            <select value={built.join} onChange={(e) => setRules(e.target.value as 'and' | 'or', built.rules)}>
              <option value="and">all of these rules</option><option value="or">any of these rules</option>
            </select>
          </label>
          {built.rules.map((r, i) => {
            const set = (patch: Partial<AttributeRule>) => setRules(built.join, built.rules.map((x, j) => (j === i ? { ...x, ...patch } : x)));
            return (
              <div key={i} className="row rule">
                <input aria-label={`Rule ${i + 1} attribute`} value={r.path} placeholder="loyalty.tier" onChange={(e) => set({ path: e.target.value })} />
                <select aria-label={`Rule ${i + 1} operator`} value={r.op} onChange={(e) => { const { value: _v, ...rest } = r; setRules(built.join, built.rules.map((x, j) => (j === i ? (UNARY.has(e.target.value) ? { ...rest, op: e.target.value } : { ...r, op: e.target.value }) : x))); }}>
                  {OPS.map((o) => <option key={o}>{o}</option>)}
                </select>
                {!UNARY.has(r.op) && <input aria-label={`Rule ${i + 1} value`} value={r.value === undefined ? '' : String(r.value)} onChange={(e) => set({ value: parseValue(e.target.value) })} />}
                <button type="button" aria-label={`Remove rule ${i + 1}`} onClick={() => setRules(built.join, built.rules.filter((_, j) => j !== i))} disabled={built.rules.length === 1}>×</button>
              </div>
            );
          })}
          <button type="button" onClick={() => setRules(built.join, [...built.rules, { kind: 'attribute', path: '', op: 'equals', value: '' }])}>Add a rule</button>
        </>
      )}
      {text !== null && (
        <label>Condition (journey expression)
          <ExpressionEditor value={text} expect="boolean" scope={{ events: {}, actions: {}, audiences: [...p.audiences] }} onChange={(v) => p.onChange({ ...p.spec, definition: { text: v } })} />
        </label>
      )}
      {!built && text === null && (
        <p className="muted small">This definition (events, feedback or nested rules) is edited as code above.{' '}
          {def === undefined && <button type="button" className="link" onClick={() => p.onChange({ ...p.spec, definition: { kind: 'attribute', path: '', op: 'equals', value: '' } })}>Start with an attribute rule</button>}</p>
      )}
      <div className="row"><button type="button" onClick={() => void estimateSize()}>Estimate size</button></div>
      {typeof estimate === 'string' && <p className="error" role="alert">{estimate}</p>}
      {estimate && typeof estimate === 'object' && (
        <div role="status" aria-label="Audience size">
          <p><strong>{estimate.size}</strong> of {estimate.of} profiles (attributes only; event and feedback conditions are evaluated by the server).</p>
          {estimate.sample.length > 0 && <ul>{estimate.sample.map((s) => <li key={s}>{s}</li>)}</ul>}
        </div>
      )}
    </section>
  );
}

export type { StoredObject };
