// "Edit personalization": the template source in a code editor, and on the left what can go in it:
// profile attributes, audiences, contextual attributes (the journey's events and the responses of
// custom actions upstream of the activity), helper functions (each opens a guided form) and
// expression fragments. Validate asks the server; Save hands the source back, Cancel and Escape
// hand back null. A modal <dialog>: the rest of the page is inert while it is open.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { errorText } from '../../api/client.ts';
import { useApi } from '../../app/session.tsx';
import { useDialogs } from '../../app/dialog.tsx';
import type { DesignerHost, PersonalizationNode, PersonalizeRequest } from '../contracts.ts';
import { EachForm } from './each-form.tsx';
import type { ExpressionFragment } from './each-form.tsx';
import { toListed } from './fragment-list.ts';
import { libraryApi } from './library-api.ts';
import type { Diagnostic, Helper, Where } from './library-api.ts';
import { PersonalizationTree } from './personalization-tree.tsx';
import { fallbackToken, fragmentInclude, helperCall, token } from './personalization-source.ts';
import { tabOf } from './tree-model.ts';
import type { TreeTab } from './tree-model.ts';
import { TemplateEditor } from './template-editor.tsx';
import type { TemplateEditorHandle } from './template-editor.tsx';
import './drawers.css';

const TABS: ReadonlyArray<{ id: TreeTab; label: string }> = [
  { id: 'profile', label: 'Profile attributes' },
  { id: 'audiences', label: 'Audiences' },
  { id: 'context', label: 'Contextual attributes' },
  { id: 'helpers', label: 'Helper functions' },
  { id: 'fragments', label: 'Fragments' },
];

type Load<T> =
  { state: 'loading' } | { state: 'ok'; value: T } | { state: 'error'; message: string };

const CATEGORY_TITLES: Readonly<Record<string, string>> = {
  block: 'Helpers',
  fragment: 'Fragments',
  map: 'Maps',
  object: 'Objects',
  audience: 'Audiences',
  array: 'Arrays',
  date: 'Dates',
  string: 'Strings',
  math: 'Math',
  aggregation: 'Aggregation',
};
const categoryTitle = (c: string): string =>
  CATEGORY_TITLES[c] ?? c.charAt(0).toUpperCase() + c.slice(1);

/** A tree leaf's token: {{path}}, or {%= %} when the path is an expression (inAudience("…")). */
const leafToken = (path: string): string => (/[("\s]/.test(path) ? `{%= ${path} %}` : token(path));

export function PersonalizationDialog(p: {
  request: PersonalizeRequest;
  host: DesignerHost;
  onDone(source: string | null): void;
}) {
  const api = useApi();
  const lib = useMemo(() => libraryApi(api), [api]);
  const dialogs = useDialogs();
  const where: Where =
    p.host.kind === 'journey-activity'
      ? { journeyId: p.host.journeyId, nodeId: p.host.nodeId }
      : {};
  const ref = useRef<HTMLDialogElement>(null);
  const editor = useRef<TemplateEditorHandle>(null);
  const [source, setSource] = useState(p.request.initial);
  const [tab, setTab] = useState<TreeTab>(p.request.mode === 'field' ? 'context' : 'profile');
  const [each, setEach] = useState(false);
  const [tree, setTree] = useState<Load<readonly PersonalizationNode[]>>({ state: 'loading' });
  const [helpers, setHelpers] = useState<Load<readonly Helper[]>>({ state: 'loading' });
  const [fragments, setFragments] = useState<Load<ExpressionFragment[]>>({ state: 'loading' });
  const [helperQuery, setHelperQuery] = useState('');
  const [fragmentQuery, setFragmentQuery] = useState('');
  const [check, setCheck] = useState<
    | { state: 'idle' }
    | { state: 'running' }
    | { state: 'done'; valid: boolean; diagnostics: readonly Diagnostic[] }
    | { state: 'error'; message: string }
  >({ state: 'idle' });
  const [hint, setHint] = useState<string | null>(null);
  const [unavailable, setUnavailable] = useState<string | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    editor.current?.focus();
  }, []);
  useEffect(() => {
    let live = true;
    lib.tree(where).then(
      (v) => {
        if (live) setTree({ state: 'ok', value: v });
      },
      (e: unknown) => {
        if (live) setTree({ state: 'error', message: errorText(e) });
      },
    );
    lib.helpers().then(
      (v) => {
        if (live) setHelpers({ state: 'ok', value: v });
      },
      (e: unknown) => {
        if (live) setHelpers({ state: 'error', message: errorText(e) });
      },
    );
    lib.fragments().then(
      (list) => {
        if (!live) return;
        const out: ExpressionFragment[] = [];
        for (const o of list) {
          const f = toListed(o);
          if (f?.kind === 'expression')
            out.push({ id: f.id, name: f.name, source: f.source, status: f.status });
        }
        setFragments({ state: 'ok', value: out.sort((a, b) => a.name.localeCompare(b.name)) });
      },
      (e: unknown) => {
        if (live) setFragments({ state: 'error', message: errorText(e) });
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lib, where.journeyId, where.nodeId]);

  const add = (text: string, what: string) => {
    editor.current?.insert(text);
    setCheck({ state: 'idle' });
    setHint(`Added ${what}.`);
  };
  const addWithFallback = async (n: PersonalizationNode) => {
    const fb = await dialogs.prompt({
      title: `Fallback for ${n.label}`,
      label: 'Text shown when the value is empty',
      confirmLabel: 'Add',
    });
    if (fb !== null && n.path) add(fallbackToken(n.path, fb), `${n.label} with a fallback`);
  };
  const validate = async () => {
    setCheck({ state: 'running' });
    try {
      const r = await lib.validate(source, where);
      setCheck({ state: 'done', valid: r.valid, diagnostics: r.diagnostics });
    } catch (e) {
      setCheck({ state: 'error', message: errorText(e) });
    }
  };
  const done = (v: string | null) => {
    ref.current?.close();
    p.onDone(v);
  };

  const roots = tree.state === 'ok' ? tree.value : [];
  const inTab = (t: TreeTab) => roots.filter((r) => (tabOf(r) ?? 'context') === t);
  const tabNodes = (t: TreeTab): PersonalizationNode[] => {
    const list = inTab(t);
    // One root per tab ("Profile attributes"): show its children, not the root again.
    return list.length === 1 && list[0]!.children?.length ? [...list[0]!.children] : list;
  };
  const onTabKey = (e: KeyboardEvent, i: number) => {
    const next =
      e.key === 'ArrowDown'
        ? i + 1
        : e.key === 'ArrowUp'
          ? i - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? TABS.length - 1
              : null;
    if (next === null) return;
    e.preventDefault();
    const t = TABS[(next + TABS.length) % TABS.length]!;
    setTab(t.id);
    setEach(false);
    document.getElementById(`p13n-tab-${t.id}`)?.focus();
  };

  const helperGroups = useMemo(() => {
    if (helpers.state !== 'ok') return [];
    const q = helperQuery.trim().toLowerCase();
    const m = new Map<string, Helper[]>();
    for (const h of helpers.value) {
      if (q && !`${h.name} ${h.signature} ${h.help}`.toLowerCase().includes(q)) continue;
      m.set(h.category, [...(m.get(h.category) ?? []), h]);
    }
    // Block helpers (each, if, with) first, named "Helpers" as the lab knows them.
    return [...m.entries()]
      .sort(([a], [b]) => (a === 'block' ? -1 : b === 'block' ? 1 : 0))
      .map(([cat, list]) => [categoryTitle(cat), list] as const);
  }, [helpers, helperQuery]);

  const expressionFragments = fragments.state === 'ok' ? fragments.value : [];
  const shownFragments = expressionFragments.filter((f) =>
    `${f.name} ${f.id}`.toLowerCase().includes(fragmentQuery.trim().toLowerCase()),
  );

  const panel = () => {
    if (each)
      return (
        <EachForm
          tree={roots}
          fragments={expressionFragments}
          onBack={() => setEach(false)}
          onInsert={(s) => {
            add(s, 'the each loop');
            setEach(false);
          }}
        />
      );
    if (tab === 'helpers') {
      if (helpers.state === 'loading') return <p className="muted">Loading helper functions…</p>;
      if (helpers.state === 'error')
        return (
          <p className="error" role="alert">
            The helper functions could not be loaded: {helpers.message}
          </p>
        );
      return (
        <div className="helpers">
          <input
            type="search"
            className="drawer-search"
            aria-label="Search helper functions"
            placeholder="Search"
            value={helperQuery}
            onChange={(e) => setHelperQuery(e.target.value)}
          />
          {helperGroups.length === 0 && (
            <p className="muted">No helper function matches “{helperQuery.trim()}”.</p>
          )}
          {helperGroups.map(([cat, list]) => (
            <section key={cat} aria-label={cat}>
              <h4>{cat}</h4>
              <ul className="helper-list">
                {list.map((h) => (
                  <li key={h.name} aria-label={h.name}>
                    <div className="helper-head">
                      <code className="helper-name">{h.name}</code>
                      <button
                        type="button"
                        className="icon-button"
                        aria-label={`Add ${h.name}`}
                        title={
                          h.name === 'each'
                            ? 'Repeat for each item of a list (guided)'
                            : `Add an example call of ${h.name}`
                        }
                        onClick={() =>
                          h.name === 'each' ? setEach(true) : add(helperCall(h), h.name)
                        }
                      >
                        +
                      </button>
                    </div>
                    <code className="helper-signature">{h.signature}</code>
                    <p className="small">{h.help}</p>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      );
    }
    if (tab === 'fragments') {
      if (fragments.state === 'loading') return <p className="muted">Loading fragments…</p>;
      if (fragments.state === 'error')
        return (
          <p className="error" role="alert">
            The fragments could not be loaded: {fragments.message}
          </p>
        );
      return (
        <div className="p13n-fragments">
          <input
            type="search"
            className="drawer-search"
            aria-label="Search expression fragments"
            placeholder="Search"
            value={fragmentQuery}
            onChange={(e) => setFragmentQuery(e.target.value)}
          />
          {shownFragments.length === 0 && (
            <p className="muted">
              {expressionFragments.length
                ? `No fragment matches “${fragmentQuery.trim()}”.`
                : 'No expression fragments yet.'}
            </p>
          )}
          <ul className="helper-list">
            {shownFragments.map((f) => (
              <li key={f.id} aria-label={f.name}>
                <div className="helper-head">
                  <span className="helper-name">{f.name}</span>
                  {f.status !== 'live' && (
                    <span className="badge warn">
                      {f.status === 'draft'
                        ? 'Draft: blocks publication'
                        : 'Archived: blocks publication'}
                    </span>
                  )}
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Add ${f.name}`}
                    title={`Add {{fragment id='ajo:${f.id}'}}`}
                    onClick={() => add(fragmentInclude(f.id), f.name)}
                  >
                    +
                  </button>
                </div>
                <code className="helper-signature">{f.source.split('\n')[0]}</code>
              </li>
            ))}
          </ul>
        </div>
      );
    }
    if (tree.state === 'loading')
      return <p className="muted">Loading what this message can use…</p>;
    if (tree.state === 'error')
      return (
        <p className="error" role="alert">
          The list of attributes could not be loaded: {tree.message}
        </p>
      );
    const label = TABS.find((t) => t.id === tab)!.label;
    return (
      <PersonalizationTree
        key={tab}
        label={label}
        nodes={tabNodes(tab)}
        onAdd={(n) => n.path && add(leafToken(n.path), n.label)}
        onAddWithFallback={(n) => void addWithFallback(n)}
      />
    );
  };

  return (
    <dialog
      ref={ref}
      className="dialog p13n-dialog"
      aria-label="Edit personalization"
      onCancel={(e) => {
        e.preventDefault();
        done(null);
      }}
    >
      <header className="p13n-header">
        <h2>Edit personalization</h2>
        {p.request.title && <span className="muted">{p.request.title}</span>}
      </header>
      <div className="p13n-body">
        <div
          role="tablist"
          aria-orientation="vertical"
          aria-label="What to add"
          className="p13n-tabs"
        >
          {TABS.map((t, i) => (
            <button
              key={t.id}
              id={`p13n-tab-${t.id}`}
              type="button"
              role="tab"
              aria-selected={tab === t.id && !each}
              aria-controls="p13n-panel"
              tabIndex={tab === t.id ? 0 : -1}
              onClick={() => {
                setTab(t.id);
                setEach(false);
              }}
              onKeyDown={(e) => onTabKey(e, i)}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div
          id="p13n-panel"
          role="tabpanel"
          aria-labelledby={`p13n-tab-${tab}`}
          className="p13n-panel"
        >
          {panel()}
        </div>
        <div className="p13n-source">
          <TemplateEditor
            value={source}
            onChange={(v) => {
              setSource(v);
              setCheck({ state: 'idle' });
            }}
            lib={lib}
            where={where}
            label="Personalization source"
            handle={editor}
            onUnavailable={setUnavailable}
          />
          <div className="small muted" aria-live="polite">
            {hint ??
              (p.request.mode === 'inline'
                ? 'Saved text goes where the cursor was in the text.'
                : 'Saved text is the whole value of the field.')}
          </div>
          {unavailable && <p className="small muted">{unavailable}</p>}
          <div className="p13n-check" aria-live="polite">
            {check.state === 'running' && <p className="muted">Checking…</p>}
            {check.state === 'error' && (
              <p className="error" role="alert">
                Could not check: {check.message}
              </p>
            )}
            {check.state === 'done' &&
              (check.diagnostics.length === 0 ? (
                <p className="ok" role="status">
                  {check.valid ? '✓ No problems found.' : 'Not valid, with no details.'}
                </p>
              ) : (
                <ul className="diagnostics" aria-label="Problems">
                  {check.diagnostics.map((d, i) => (
                    <li key={i} className={d.severity}>
                      <button
                        type="button"
                        className="link"
                        onClick={() =>
                          d.line !== undefined && editor.current?.reveal(d.line, d.column)
                        }
                      >
                        {d.severity === 'error'
                          ? 'Error'
                          : d.severity === 'warning'
                            ? 'Warning'
                            : 'Note'}
                        {d.line !== undefined
                          ? ` (line ${d.line}${d.column !== undefined ? `, column ${d.column}` : ''})`
                          : ''}
                        : {d.message}
                      </button>
                    </li>
                  ))}
                </ul>
              ))}
          </div>
        </div>
      </div>
      <footer className="row dialog-actions">
        <button type="button" onClick={() => void validate()} disabled={check.state === 'running'}>
          Validate
        </button>
        <span className="spacer" />
        <button type="button" onClick={() => done(null)}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={() => done(source)}>
          Save
        </button>
      </footer>
    </dialog>
  );
}
