// Packages: export the sandbox (or one journey with its dependencies) and import a package with a
// choice per conflict: use the existing object or replace it with the package's.
import { useEffect, useState } from 'react';
import { errorText } from '../api/client.ts';
import { useApi } from '../app/session.tsx';
import { CodeEditor } from '../expr/code-editor.tsx';

interface PkgObject { kind: string; key?: string; id?: string; spec: Record<string, unknown>; publish?: boolean }
interface Pkg { format: string; name?: string; objects: PkgObject[] }

const LIST_ROUTE: Record<string, string> = { eventType: 'event-types', action: 'actions', channelConfiguration: 'channel-configurations', ruleSet: 'rule-sets', audience: 'audiences', fragment: 'fragments', contentTemplate: 'content-templates', namespace: 'namespaces', languageSettings: 'language-settings', asset: 'assets', profileSchema: 'profile-schemas' };
/** The field that keys each kind (src/runtime/object-kinds.ts). */
const KEY_FIELD: Record<string, string> = { namespace: 'code', fragment: 'id', contentTemplate: 'id', asset: 'id', languageSettings: 'id' };

export function objectKey(o: PkgObject): string {
  if (o.kind === 'journey') return o.id ?? String(o.spec['name'] ?? '');
  if (o.kind === 'profile') return `${String(o.spec['namespace'] ?? '')}:${String(o.spec['id'] ?? '')}`;
  return o.key ?? String(o.spec[KEY_FIELD[o.kind] ?? 'name'] ?? o.spec['name'] ?? '');
}

/** Whether the object already exists in the current sandbox. */
async function exists(api: ReturnType<typeof useApi>, o: PkgObject, journeys: ReadonlySet<string>): Promise<boolean> {
  const key = objectKey(o);
  if (o.kind === 'journey') return journeys.has(key);
  const ok = (path: string) => api.get(path).then(() => true, () => false);
  if (o.kind === 'profile') {
    const [ns, ...id] = key.split(':');
    return ok(`/v1/profiles/${encodeURIComponent(ns ?? '')}/${encodeURIComponent(id.join(':'))}`);
  }
  const route = LIST_ROUTE[o.kind];
  return route ? ok(`/v1/${route}/${encodeURIComponent(key)}`) : false;
}


function download(name: string, text: string) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

export function Packages() {
  const api = useApi();
  const [pkg, setPkg] = useState<Pkg | null>(null);
  const [journey, setJourney] = useState('');
  const [text, setText] = useState('');
  const [conflicts, setConflicts] = useState<Array<{ kind: string; key: string; choice: 'existing' | 'replace' }> | null>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);

  // The server computes what a journey uses (fragments inside fragments, assets with their images, ...).
  const [closure, setClosure] = useState<Pkg | null>(null);
  useEffect(() => {
    setClosure(null);
    if (!journey) return;
    let live = true;
    api.get<Pkg>(`/v1/packages/export?journey=${encodeURIComponent(journey)}`).then((p) => { if (live) setClosure(p); }, (err: unknown) => { if (live) setMsg({ ok: false, text: errorText(err) }); });
    return () => { live = false; };
  }, [api, journey]);
  const exported = journey ? closure : pkg;

  async function loadExport() {
    setMsg(null);
    try { setPkg(await api.get<Pkg>('/v1/packages/export')); } catch (err) { setMsg({ ok: false, text: errorText(err) }); }
  }

  function parsed(): Pkg | null {
    try { return JSON.parse(text) as Pkg; } catch (e) { setMsg({ ok: false, text: `The package is not valid JSON: ${e instanceof Error ? e.message : String(e)}` }); return null; }
  }

  async function check() {
    setMsg(null);
    const p = parsed();
    if (!p) return;
    try {
      await api.post('/v1/packages/validate', p);
      const found: Array<{ kind: string; key: string; choice: 'existing' | 'replace' }> = [];
      const journeys = new Set((await api.get<{ items: Array<{ id: string }> }>('/v1/journeys')).items.map((j) => j.id));
      const there = await Promise.all(p.objects.map((o) => exists(api, o, journeys)));
      p.objects.forEach((o, i) => { if (there[i]) found.push({ kind: o.kind, key: objectKey(o), choice: 'existing' }); });
      setConflicts(found);
      setMsg({ ok: true, text: `${p.objects.length} object(s), ${found.length} already in this sandbox.` });
    } catch (err) { setMsg({ ok: false, text: errorText(err) }); }
  }

  async function apply() {
    const p = parsed();
    if (!p || !conflicts) return;
    const skip = new Set(conflicts.filter((c) => c.choice === 'existing').map((c) => `${c.kind}:${c.key}`));
    try {
      const r = await api.post<{ objects: Array<{ kind: string; key: string; status: string; message?: string }> }>('/v1/packages/apply', { ...p, objects: p.objects.filter((o) => !skip.has(`${o.kind}:${objectKey(o)}`)) });
      setMsg({ ok: true, text: `Imported: ${r.objects.map((o) => `${o.kind} ${o.key} ${o.status}${o.message ? ` (${o.message})` : ''}`).join('; ') || 'nothing to change'}` });
      setConflicts(null);
    } catch (err) { setMsg({ ok: false, text: errorText(err) }); }
  }

  return (
    <section className="page">
      <h1>Packages</h1>
      <div className="two-cols">
        <div className="card">
          <h2>Export</h2>
          <button type="button" onClick={() => void loadExport()}>Export this sandbox</button>
          {pkg && (
            <>
              <label>Only a journey and what it uses
                <select aria-label="Journey to export" value={journey} onChange={(e) => setJourney(e.target.value)}>
                  <option value="">Everything</option>
                  {pkg.objects.filter((o) => o.kind === 'journey').map((o) => <option key={o.id} value={o.id}>{String(o.spec['name'] ?? o.id)}</option>)}
                </select>
              </label>
              <h3>Dependencies ({exported?.objects.length ?? 0})</h3>
              <ul className="deps" aria-label="Package contents">{exported?.objects.map((o) => <li key={`${o.kind}:${objectKey(o)}`}><small className="muted">{o.kind}</small> <span>{objectKey(o)}</span></li>)}</ul>
              <div className="row">
                <button type="button" className="primary" onClick={() => download(`${exported?.name ?? 'package'}.json`, JSON.stringify(exported, null, 2))}>Download</button>
                <button type="button" onClick={() => { setText(JSON.stringify(exported, null, 2)); setConflicts(null); }}>Copy to import</button>
              </div>
            </>
          )}
        </div>
        <div className="card">
          <h2>Import</h2>
          <label>Package file<input type="file" accept=".json,application/json" onChange={(e) => { const f = e.target.files?.[0]; if (f) void f.text().then((t) => { setText(t); setConflicts(null); }); }} /></label>
          <CodeEditor label="Package (JSON)" language="json" value={text} onChange={(v) => { setText(v); setConflicts(null); }} minHeight={180} />
          <button type="button" onClick={() => void check()}>Check</button>
          {conflicts && conflicts.length > 0 && (
            <table className="grid" aria-label="Conflicts">
              <thead><tr><th>Object</th><th>Already exists: use</th></tr></thead>
              <tbody>{conflicts.map((c, i) => (
                <tr key={`${c.kind}:${c.key}`}><td><small className="muted">{c.kind}</small> {c.key}</td><td>
                  <select aria-label={`Conflict ${c.key}`} value={c.choice} onChange={(e) => setConflicts(conflicts.map((x, j) => (j === i ? { ...x, choice: e.target.value as 'existing' | 'replace' } : x)))}>
                    <option value="existing">Use existing</option>
                    <option value="replace">Create new from the package (replace)</option>
                  </select></td></tr>
              ))}</tbody>
            </table>
          )}
          {conflicts && <button type="button" className="primary" onClick={() => void apply()}>Import</button>}
        </div>
      </div>
      {msg && <pre className={msg.ok ? 'ok' : 'error'} role={msg.ok ? 'status' : 'alert'}>{msg.text}</pre>}
    </section>
  );
}
