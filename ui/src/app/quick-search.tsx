// Quick search across journeys and every object kind by name (and key), loaded once per sandbox and
// filtered locally. Names are read from the spec here rather than through the form engine, so the
// shell's bundle stays small.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { JourneySummary, StoredObject } from '../api/types.ts';
import { OBJECT_KINDS } from './menu.ts';
import { navigate } from './router.ts';
import { useSession } from './session.tsx';

interface Hit { label: string; kind: string; path: string; key?: string }

/** An object's name as people know it: its name or label when it has one, else its key. */
function objectName(o: StoredObject): string {
  for (const f of ['name', 'label', 'title']) { const v = o.spec[f]; if (typeof v === 'string' && v.trim()) return v; }
  return o.key;
}

export function QuickSearch() {
  const { api, sandbox } = useSession();
  const [all, setAll] = useState<Hit[]>([]);
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const loaded = useRef('');

  async function load() {
    // Names change as people work: loaded again when older than 20 seconds.
    const stamp = `${sandbox}@${Math.floor(Date.now() / 20_000)}`;
    if (loaded.current === stamp) return;
    loaded.current = stamp;
    const hits: Hit[] = [];
    const journeys = await api.get<{ items: JourneySummary[] }>('/v1/journeys').catch(() => ({ items: [] }));
    for (const j of journeys.items) hits.push({ label: j.name, kind: 'Journey', path: `/journeys/${encodeURIComponent(j.id)}` });
    await Promise.all(Object.entries(OBJECT_KINDS).map(async ([kind, title]) => {
      const r = await api.get<{ items: StoredObject[] }>(`/v1/${kind}`).catch(() => ({ items: [] }));
      for (const o of r.items) hits.push({ label: objectName(o), key: o.key, kind: title, path: `/objects/${kind}/${encodeURIComponent(o.key)}` });
    }));
    setAll(hits);
  }
  useEffect(() => { loaded.current = ''; }, [sandbox]);

  const results = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return needle ? all.filter((h) => h.label.toLowerCase().includes(needle) || !!h.key?.toLowerCase().includes(needle)).slice(0, 12) : [];
  }, [q, all]);

  function go(h: Hit | undefined) {
    if (!h) return;
    setOpen(false);
    setQ('');
    void navigate(h.path);
  }

  return (
    <div className="quick-search">
      <input
        type="search" placeholder="Search everything (/)" aria-label="Quick search" value={q}
        onFocus={() => { void load(); setOpen(true); }}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onChange={(e) => { setQ(e.target.value); setActive(0); setOpen(true); }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => Math.min(a + 1, results.length - 1)); }
          if (e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => Math.max(a - 1, 0)); }
          if (e.key === 'Enter') go(results[active]);
          if (e.key === 'Escape') setOpen(false);
        }}
      />
      {open && results.length > 0 && (
        <ul className="search-results" role="listbox">
          {results.map((h, i) => (
            <li key={h.path} role="option" aria-selected={i === active} className={i === active ? 'active' : ''} onMouseDown={() => go(h)}>
              <span>{h.label}{h.key && h.key !== h.label && <small className="muted"> {h.key}</small>}</span><small>{h.kind}</small>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
