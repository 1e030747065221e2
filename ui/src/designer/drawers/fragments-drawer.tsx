// The fragment drawer of the designer's left rail: visual fragments with a small picture of their
// blocks, to drag onto the email (or Enter to insert where the keyboard user is), and expression
// fragments with their source's first line: those go into text, not onto the canvas ("Insert in
// text" with a text block selected, or "Copy" for pasting anywhere). Drafts and archived fragments
// are listed but marked: a message using one cannot be published.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { errorText } from '../../api/client.ts';
import { navigate } from '../../app/router.ts';
import { useApi } from '../../app/session.tsx';
import { useDesigner, writeDrag } from '../contracts.ts';
import { libraryApi } from './library-api.ts';
import { fragmentInclude } from './personalization-source.ts';
import { appendToText, isTextSelected } from './selected-block.ts';
import { thumbnailDocument } from './fragment-thumbnail.ts';
import { STATUS_TEXT, toListed } from './fragment-list.ts';
import type { Listed } from './fragment-list.ts';
import './drawers.css';

type Load =
  | { state: 'loading' }
  | { state: 'ok'; value: readonly Listed[] }
  | { state: 'error'; message: string };

export function FragmentsDrawer() {
  const d = useDesigner();
  const api = useApi();
  const lib = useMemo(() => libraryApi(api), [api]);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [reload, setReload] = useState(0);
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    let live = true;
    lib.fragments().then(
      (list) => {
        if (live)
          setLoad({
            state: 'ok',
            value: list
              .map(toListed)
              .filter((x): x is Listed => x !== null)
              .sort((a, b) => a.name.localeCompare(b.name)),
          });
      },
      (e: unknown) => {
        if (live) setLoad({ state: 'error', message: errorText(e) });
      },
    );
    return () => {
      live = false;
    };
  }, [lib, reload]);

  const q = query.trim().toLowerCase();
  const all = load.state === 'ok' ? load.value : [];
  const shown = all.filter(
    (f) => !q || `${f.name} ${f.id} ${f.description ?? ''}`.toLowerCase().includes(q),
  );
  const visual = shown.filter((f) => f.kind === 'visual');
  const expression = shown.filter((f) => f.kind === 'expression');
  const textSelected = isTextSelected(d.doc, d.selection);

  const insert = (f: Listed) => {
    d.insert({ type: 'fragment', fragmentId: f.id });
    setStatus({ ok: true, text: `${f.name} added to the email.` });
  };
  const insertInText = async (f: Listed) => {
    const sel = d.selection;
    if (!sel) return;
    const source = await d.personalize({
      initial: fragmentInclude(f.id),
      mode: 'inline',
      title: `${f.name} in the selected text`,
    });
    if (source === null || !source.trim()) return;
    d.update((c) => appendToText(c, d.locale, sel, source), `Add ${f.name}`);
    setStatus({ ok: true, text: `${f.name} added at the end of the selected text.` });
  };
  const copy = async (f: Listed) => {
    const text = fragmentInclude(f.id);
    try {
      await navigator.clipboard.writeText(text);
      setStatus({ ok: true, text: `Copied ${text}: paste it into a text or a field.` });
    } catch {
      setStatus({
        ok: false,
        text: `Copying is not allowed here; type ${text} where it should go.`,
      });
    }
  };

  return (
    <section className="drawer fragments-drawer" aria-label="Fragments">
      <header className="drawer-head">
        <h2>Fragments</h2>
        <a
          href="/objects/fragments"
          onClick={(e) => {
            e.preventDefault();
            void navigate('/objects/fragments');
          }}
        >
          Manage fragments
        </a>
      </header>
      <input
        type="search"
        className="drawer-search"
        aria-label="Search fragments"
        placeholder="Search by name"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {status && (
        <p className={`small ${status.ok ? 'ok' : 'error'}`} role={status.ok ? 'status' : 'alert'}>
          {status.text}
        </p>
      )}
      {load.state === 'loading' && <p className="muted">Loading fragments…</p>}
      {load.state === 'error' && (
        <div className="drawer-empty" role="alert">
          <p>The fragments cannot be loaded right now.</p>
          <p className="small muted">{load.message}</p>
          <button
            type="button"
            onClick={() => {
              setLoad({ state: 'loading' });
              setReload((n) => n + 1);
            }}
          >
            Try again
          </button>
        </div>
      )}
      {load.state === 'ok' && all.length === 0 && (
        <p className="muted drawer-empty">
          No fragments yet. Fragments are content made once and reused in many messages: create one
          under Manage fragments.
        </p>
      )}
      {load.state === 'ok' && all.length > 0 && shown.length === 0 && (
        <p className="muted drawer-empty">No fragment is named “{query.trim()}”.</p>
      )}
      {visual.length > 0 && (
        <>
          <h3 className="drawer-sub">Visual fragments</h3>
          <ul className="fragment-list" aria-label="Visual fragments">
            {visual.map((f) => (
              <VisualCard key={f.id} f={f} onInsert={() => insert(f)} />
            ))}
          </ul>
        </>
      )}
      {expression.length > 0 && (
        <>
          <h3 className="drawer-sub">Expression fragments</h3>
          <p className="small muted">
            These go into text: select a text block, then Insert in text; or copy and paste.
          </p>
          <ul className="fragment-list" aria-label="Expression fragments">
            {expression.map((f) => (
              <li key={f.id} className={`fragment-card expression ${f.status}`} aria-label={f.name}>
                <div className="fragment-name">{f.name}</div>
                {f.status !== 'live' && <span className="badge warn">{STATUS_TEXT[f.status]}</span>}
                <code className="fragment-source" title={f.source}>
                  {f.source.split('\n')[0]}
                </code>
                <div className="row">
                  <button
                    type="button"
                    className="small-button"
                    disabled={!textSelected}
                    title={
                      textSelected ? 'Add to the selected text block' : 'Select a text block first'
                    }
                    onClick={() => void insertInText(f)}
                  >
                    Insert in text
                  </button>
                  <button type="button" className="small-button" onClick={() => void copy(f)}>
                    Copy
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function VisualCard(p: { f: Listed; onInsert(): void }) {
  const { f } = p;
  const doc = useMemo(() => thumbnailDocument(f.blocks), [f.blocks]);
  // The picture is drawn 560 px wide and scaled to the card, whatever the rail's width.
  const box = useRef<HTMLDivElement>(null);
  const [scale, setScale] = useState(0.45);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const fit = () => setScale(Math.max(0.1, el.clientWidth / 560));
    fit();
    const ro = new ResizeObserver(fit);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const onKey = (e: KeyboardEvent) => {
    if (e.target === e.currentTarget && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      p.onInsert();
    }
  };
  return (
    <li className={`fragment-card visual ${f.status}`} aria-label={f.name}>
      <div
        className="fragment-drag"
        role="button"
        tabIndex={0}
        draggable
        aria-label={`Insert ${f.name}`}
        aria-roledescription="draggable fragment"
        title="Drag onto the email, or press Enter to add it where you are"
        onKeyDown={onKey}
        onDoubleClick={p.onInsert}
        onDragStart={(e) => writeDrag(e.dataTransfer, { type: 'fragment', fragmentId: f.id })}
      >
        <div className="fragment-thumb" aria-hidden="true" ref={box}>
          <iframe
            title={`${f.name} thumbnail`}
            sandbox=""
            srcDoc={doc}
            tabIndex={-1}
            loading="lazy"
            style={{ transform: `scale(${scale})`, height: `${Math.ceil(76 / scale)}px` }}
          />
        </div>
        <div className="fragment-name">{f.name}</div>
      </div>
      <span className={`badge ${f.status === 'live' ? 'status-live' : 'warn'}`}>
        {STATUS_TEXT[f.status]}
      </span>
      {f.description && <p className="small muted">{f.description}</p>}
    </li>
  );
}
