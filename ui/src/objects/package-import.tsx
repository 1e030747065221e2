// Import: a package pasted or uploaded (JSON or YAML) → the server's plan (each object new, the same,
// or different from the sandbox's) → a choice for each conflict (use the existing object, replace it,
// or create a copy, whose references inside the package the server rewrites) → apply → the result.
import { useEffect, useRef, useState } from 'react';
import { errorText } from '../api/client.ts';
import { useApi } from '../app/session.tsx';
import { CodeEditor } from '../expr/code-editor.tsx';
import { PackageResult, HostWarnings } from './package-result.tsx';
import { groupByKind, kindTitle, objectKey, objectLabel } from './package-types.ts';
import type { ApplyResult, ConflictChoice, Pkg, Plan } from './package-types.ts';

const STATE_WORDS = {
  new: 'New',
  same: 'Same as here',
  differs: 'Already here, different',
} as const;

/** The package in the text: JSON, or YAML (parsed here so that the choices can travel with it). */
async function parsePackage(text: string): Promise<Pkg> {
  const t = text.trim();
  if (!t) throw new Error('Paste a package, or choose a file.');
  let v: unknown;
  if (t.startsWith('{')) {
    try {
      v = JSON.parse(t);
    } catch (e) {
      throw new Error(
        `The package is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  } else {
    const { parse } = await import('yaml');
    try {
      v = parse(t);
    } catch (e) {
      throw new Error(
        `The package is neither JSON nor valid YAML: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  if (!v || typeof v !== 'object' || !Array.isArray((v as { objects?: unknown }).objects))
    throw new Error('This is not a package: it has no list of objects.');
  return v as Pkg;
}

export function PackageImport(p: { text: string; onText(t: string): void }) {
  const api = useApi();
  const [pkg, setPkg] = useState<Pkg | null>(null);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [choices, setChoices] = useState<Record<string, ConflictChoice>>({});
  const [result, setResult] = useState<ApplyResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [showSame, setShowSame] = useState(false);
  // Only the latest plan asked for is shown: an earlier answer arriving late is dropped.
  const asked = useRef(0);
  // The plan and the result appear below the package: brought into view when they arrive.
  const below = useRef<HTMLDivElement>(null);
  useEffect(() => {
    below.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [plan === null, result]); // eslint-disable-line react-hooks/exhaustive-deps

  // New text: whatever was planned no longer applies.
  useEffect(() => {
    setPlan(null);
    setPkg(null);
    setChoices({});
  }, [p.text]);

  const body = (pk: Pkg, c: Record<string, ConflictChoice>) => ({
    package: pk,
    conflicts: c,
    defaultConflict: 'use-existing' as const,
  });

  async function check(next: Record<string, ConflictChoice> = choices) {
    setError(null);
    setResult(null);
    setBusy(true);
    try {
      const pk = pkg ?? (await parsePackage(p.text));
      setPkg(pk);
      const mine = ++asked.current;
      const answer = await api.post<Plan>('/v1/packages/plan', body(pk, next));
      if (mine === asked.current) setPlan(answer);
    } catch (err) {
      setError(errorText(err));
      setPlan(null);
    } finally {
      setBusy(false);
    }
  }

  function choose(id: string, c: ConflictChoice) {
    const next = { ...choices, [id]: c };
    setChoices(next);
    void check(next);
  }

  async function apply() {
    if (!pkg) return;
    setError(null);
    setBusy(true);
    try {
      setResult(await api.post<ApplyResult>('/v1/packages/apply', body(pkg, choices)));
      setPlan(null);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const labels = new Map<string, string>(
    (pkg?.objects ?? []).map((o) => [`${o.kind}:${objectKey(o)}`, objectLabel(o)] as const),
  );
  const conflicts = plan?.objects.filter((o) => o.state === 'differs').length ?? 0;
  return (
    <div className="card package-card">
      <h2>Import</h2>
      <label>
        Package file (JSON or YAML)
        <input
          type="file"
          accept=".json,.yaml,.yml,application/json,text/yaml"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void f.text().then((t) => p.onText(t));
          }}
        />
      </label>
      <p className="muted small paste-hint">Or paste it here:</p>
      <CodeEditor
        label="Package (JSON)"
        language="json"
        value={p.text}
        onChange={(v) => p.onText(v)}
        minHeight={160}
      />
      <div className="row check-row">
        <button
          type="button"
          className="primary"
          disabled={busy || !p.text.trim()}
          onClick={() => void check()}
        >
          Check
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div ref={below} />
      {plan && (
        <>
          <p role="status" className="ok">
            {plan.objects.length} object{plan.objects.length === 1 ? '' : 's'}:{' '}
            {plan.objects.filter((o) => o.state === 'new').length} new,{' '}
            {plan.objects.filter((o) => o.state === 'same').length} the same as here, {conflicts}{' '}
            already here with other content{conflicts ? ' (choose for each)' : ''}.
          </p>
          {plan.objects.some((o) => o.state === 'same') && (
            <label className="check">
              <input
                type="checkbox"
                checked={showSame}
                onChange={(e) => setShowSame(e.target.checked)}
              />{' '}
              Show the objects that are the same as here
            </label>
          )}
          {!showSame && plan.objects.every((o) => o.state === 'same') && (
            <p className="muted">Nothing to change: every object is the same as here.</p>
          )}
          <table
            className="grid package-plan"
            aria-label="Plan"
            hidden={!showSame && plan.objects.every((o) => o.state === 'same')}
          >
            <thead>
              <tr>
                <th>Object</th>
                <th>In this sandbox</th>
                <th>Import</th>
              </tr>
            </thead>
            {groupByKind(plan.objects.filter((o) => showSame || o.state !== 'same')).map(
              ([kind, objects]) => (
                <tbody key={kind}>
                  <tr className="kind-row">
                    <th colSpan={3}>{kindTitle(kind)}</th>
                  </tr>
                  {objects.map((o) => {
                    const id: string = `${o.kind}:${o.key}`;
                    const label = labels.get(id) ?? o.key;
                    return (
                      <tr key={id} className={`state-${o.state}`}>
                        <td>
                          {label}
                          {label !== o.key && <span className="muted small"> {o.key}</span>}
                        </td>
                        <td>
                          {STATE_WORDS[o.state]}
                          {o.usesCopies && (
                            <span className="muted small"> (now uses the copies)</span>
                          )}
                        </td>
                        <td>
                          {o.state === 'differs' && !o.usesCopies ? (
                            <select
                              aria-label={`Conflict ${o.key}`}
                              value={choices[id] ?? o.choice ?? 'use-existing'}
                              disabled={busy}
                              onChange={(e) => choose(id, e.target.value as ConflictChoice)}
                            >
                              <option value="use-existing">Use the existing one</option>
                              <option value="replace">Replace it with the package's</option>
                              {o.kind !== 'profile' && (
                                <option value="copy">
                                  Create a copy{o.copyAs ? ` (${o.copyAs})` : ''}
                                </option>
                              )}
                            </select>
                          ) : (
                            <span className="muted">
                              {o.state === 'new'
                                ? 'Create'
                                : o.state === 'same'
                                  ? 'Nothing to do'
                                  : 'Replace'}
                            </span>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              ),
            )}
          </table>
          {plan.warnings.length > 0 && <HostWarnings warnings={plan.warnings} before />}
          {plan.needsSecret.length > 0 && (
            <p className="warn-note">
              {plan.needsSecret.length} secret{plan.needsSecret.length === 1 ? '' : 's'} came
              redacted and will have to be set after the import.
            </p>
          )}
          <div className="row">
            <button type="button" className="primary" disabled={busy} onClick={() => void apply()}>
              Import
            </button>
          </div>
        </>
      )}
      {result && <PackageResult result={result} labels={labels} />}
    </div>
  );
}
