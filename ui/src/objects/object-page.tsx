// One page per object kind: the list on the left, the selected object's spec as JSON (CodeMirror) on
// the right with save, create and delete; each API error shown next to the editor, field by field.
import { useEffect, useRef, useState } from 'react';
import { ApiError, errorText, issueText } from '../api/client.ts';
import type { ApiIssue } from '../api/client.ts';
import type { StoredObject } from '../api/types.ts';
import { OBJECT_KINDS } from '../app/menu.ts';
import type { ObjectKind } from '../app/menu.ts';
import { navigate } from '../app/router.ts';
import { useApi } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';
import { CodeEditor } from '../expr/code-editor.tsx';
import { ObjectExtras } from './object-extras.tsx';

function parsedDraft(text: string): Record<string, unknown> | null {
  try { const v = JSON.parse(text) as unknown; return typeof v === 'object' && v && !Array.isArray(v) ? (v as Record<string, unknown>) : null; } catch { return null; }
}

export function ObjectPage(p: { kind: ObjectKind; selected?: string }) {
  const api = useApi();
  const list = useLoad(() => api.get<{ items: StoredObject[] }>(`/v1/${p.kind}`).then((r) => r.items), [api, p.kind]);
  const [filter, setFilter] = useState('');
  const [creating, setCreating] = useState(false);
  const selected = (list.data ?? []).find((o) => o.key === p.selected) ?? null;
  const [text, setText] = useState('');
  const [error, setError] = useState<{ message: string; issues: readonly ApiIssue[] } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  // A new revision of the same object (our own save, reloaded) keeps the "Saved" note; another object clears it.
  const shownKey = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (selected?.key !== shownKey.current) { setError(null); setSaved(null); }
    shownKey.current = selected?.key;
    if (selected) { setText(JSON.stringify(selected.spec, null, 2)); setCreating(false); }
    else if (!creating) setText('');
  }, [selected?.key, selected?.revision]); // eslint-disable-line react-hooks/exhaustive-deps

  async function save() {
    setError(null);
    setSaved(null);
    let spec: unknown;
    try { spec = JSON.parse(text); } catch (e) { setError({ message: `The JSON is not valid: ${e instanceof Error ? e.message : String(e)}`, issues: [] }); return; }
    try {
      const key = (spec as { name?: string; key?: string; id?: string }).name ?? (spec as { key?: string }).key ?? (spec as { id?: string }).id;
      if (creating) {
        await api.post(`/v1/${p.kind}`, spec);
        list.reload();
        setCreating(false);
        if (key) navigate(`/objects/${p.kind}/${encodeURIComponent(key)}`);
      } else if (selected) {
        await api.put(`/v1/${p.kind}/${encodeURIComponent(selected.key)}`, spec);
        list.reload();
      }
      setSaved('Saved');
    } catch (err) {
      setError(err instanceof ApiError ? { message: err.message, issues: err.issues } : { message: errorText(err), issues: [] });
    }
  }
  async function remove() {
    if (!selected || !confirm(`Delete ${selected.key}?`)) return;
    try { await api.del(`/v1/${p.kind}/${encodeURIComponent(selected.key)}`); list.reload(); navigate(`/objects/${p.kind}`); } catch (err) { setError({ message: errorText(err), issues: [] }); }
  }

  const rows = (list.data ?? []).filter((o) => !filter || o.key.toLowerCase().includes(filter.toLowerCase()));
  return (
    <section className="page objects">
      <div className="page-head">
        <h1>{OBJECT_KINDS[p.kind]}</h1>
        <button type="button" className="primary" onClick={() => { setCreating(true); navigate(`/objects/${p.kind}`); setText('{\n  "name": ""\n}'); }}>Create</button>
      </div>
      {list.error && <p className="error" role="alert">{list.error}</p>}
      <div className="split">
        <div className="object-list">
          <input type="search" aria-label={`Filter ${OBJECT_KINDS[p.kind]}`} placeholder="Filter" value={filter} onChange={(e) => setFilter(e.target.value)} />
          <ul>
            {rows.map((o) => (
              <li key={o.key}><a href={`/objects/${p.kind}/${encodeURIComponent(o.key)}`} className={o.key === p.selected ? 'active' : ''}
                onClick={(e) => { e.preventDefault(); navigate(`/objects/${p.kind}/${encodeURIComponent(o.key)}`); }}>
                {o.key}<small className="muted"> r{o.revision}</small></a></li>
            ))}
            {!list.loading && rows.length === 0 && <li className="muted">None in this sandbox.</li>}
          </ul>
        </div>
        <div className="object-detail">
          {(selected || creating) ? (
            <>
              <h2>{creating ? `New ${OBJECT_KINDS[p.kind].replace(/s$/, '').toLowerCase()}` : selected!.key}</h2>
              <CodeEditor label={`${OBJECT_KINDS[p.kind]} definition`} language="json" value={text} onChange={setText} minHeight={300} />
              {error && (
                <div className="error" role="alert">
                  <p>{error.message}</p>
                  {error.issues.length > 0 && <ul>{error.issues.map((i, k) => <li key={k}><code>{i.path}</code>: {issueText(i)}</li>)}</ul>}
                </div>
              )}
              {saved && <p className="ok" role="status">{saved}</p>}
              <div className="row">
                <button type="button" className="primary" onClick={() => void save()}>{creating ? 'Create' : 'Save'}</button>
                {selected && <button type="button" className="danger" onClick={() => void remove()}>Delete</button>}
              </div>
              {selected && <ObjectExtras kind={p.kind} object={selected} draft={parsedDraft(text)} names={(list.data ?? []).map((o) => o.key)} onDraft={(spec) => setText(JSON.stringify(spec, null, 2))} onReload={list.reload} />}
            </>
          ) : <p className="muted">Select an item, or create one.</p>}
        </div>
      </div>
    </section>
  );
}
