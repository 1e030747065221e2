// The guided form of the `each` helper: the array to loop over (array-typed paths of the tree), the
// item's name, and what each item shows: some of its fields (a line per item) or an expression
// fragment (Order Content: table rows, so the loop is wrapped in a table with a header row).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { PersonalizationNode } from '../contracts.ts';
import { arrayNodes, itemFields } from './tree-model.ts';
import { eachLoop, isItemName, itemNamesRead } from './personalization-source.ts';
import type { EachBody } from './personalization-source.ts';

/** "context.journey.events.LumaPurchaseEvent_Email.productListItems" -> "LumaPurchaseEvent_Email › productListItems". */
const listName = (path: string): string =>
  path
    .replace(/^context\.journey\.(events|actions)\./, '')
    .replace(/^profile\./, 'Profile › ')
    .split('.')
    .join(' › ');

export interface ExpressionFragment {
  readonly id: string;
  readonly name: string;
  readonly source: string;
  readonly status: string;
}

export function EachForm(p: {
  tree: readonly PersonalizationNode[];
  fragments: readonly ExpressionFragment[];
  onInsert(source: string): void;
  onBack(): void;
}) {
  const arrays = useMemo(() => arrayNodes(p.tree), [p.tree]);
  const [arrayPath, setArrayPath] = useState(arrays[0]?.path ?? '');
  const [item, setItem] = useState('item');
  const [kind, setKind] = useState<'fields' | 'fragment'>('fields');
  const [fields, setFields] = useState<readonly string[]>([]);
  const [fragmentId, setFragmentId] = useState(p.fragments[0]?.id ?? '');
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    first.current?.focus();
  }, []);
  useEffect(() => {
    if (!arrayPath && arrays[0]?.path) setArrayPath(arrays[0].path);
  }, [arrays, arrayPath]);
  useEffect(() => {
    if (!fragmentId && p.fragments[0]) setFragmentId(p.fragments[0].id);
  }, [p.fragments, fragmentId]);

  const array = arrays.find((a) => a.path === arrayPath);
  const available = useMemo(() => (array ? itemFields(array) : []), [array]);
  const fragment = p.fragments.find((f) => f.id === fragmentId);
  const reads = fragment ? itemNamesRead(fragment.source) : [];
  const body: EachBody | null =
    kind === 'fields'
      ? fields.length
        ? { kind: 'fields', fields: available.filter((f) => fields.includes(f)) }
        : null
      : fragment
        ? { kind: 'fragment', id: fragment.id, source: fragment.source }
        : null;
  const problem = !arrayPath
    ? 'Choose the list to go through.'
    : !isItemName(item)
      ? 'The item name is a word of letters, digits and _ (it cannot start with a digit).'
      : !body
        ? kind === 'fields'
          ? 'Tick the fields to show for each item.'
          : 'Choose a fragment.'
        : null;
  const mismatch =
    kind === 'fragment' && fragment && reads.length > 0 && !reads.includes(item)
      ? `${fragment.name} reads ${reads[0]}.…: name the item “${reads[0]}” so it finds its values.`
      : null;
  const source = !problem && body ? eachLoop({ array: arrayPath, item, body }) : '';

  return (
    <section className="each-form" role="group" aria-labelledby="each-form-title">
      <h3 id="each-form-title">Repeat for each item (each)</h3>
      {arrays.length === 0 ? (
        <p className="muted">
          This message has no list to go through: lists come from the journey’s events (order items)
          and from profile attributes.
        </p>
      ) : (
        <>
          <label>
            List to go through
            <select
              ref={first}
              aria-label="List to go through"
              value={arrayPath}
              onChange={(e) => {
                setArrayPath(e.target.value);
                setFields([]);
              }}
            >
              {arrays.map((a) => (
                <option key={a.path} value={a.path}>
                  {listName(a.path!)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Item name
            <input
              value={item}
              onChange={(e) => setItem(e.target.value.trim())}
              aria-invalid={!isItemName(item) || undefined}
              spellCheck={false}
            />
          </label>
          <fieldset className="each-kind">
            <legend>For each item, show</legend>
            <label className="inline">
              <input
                type="radio"
                name="each-kind"
                checked={kind === 'fields'}
                onChange={() => setKind('fields')}
              />{' '}
              Item fields
            </label>
            <label className="inline">
              <input
                type="radio"
                name="each-kind"
                checked={kind === 'fragment'}
                onChange={() => setKind('fragment')}
              />{' '}
              An expression fragment
            </label>
          </fieldset>
          {kind === 'fields' ? (
            <fieldset className="each-fields">
              <legend>Item fields</legend>
              {available.length === 0 ? (
                <p className="muted small">The list’s items have no known fields.</p>
              ) : (
                available.map((f) => (
                  <label key={f} className="inline">
                    <input
                      type="checkbox"
                      checked={fields.includes(f)}
                      onChange={(e) =>
                        setFields((s) => (e.target.checked ? [...s, f] : s.filter((x) => x !== f)))
                      }
                    />{' '}
                    {f}
                  </label>
                ))
              )}
            </fieldset>
          ) : p.fragments.length === 0 ? (
            <p className="muted">No expression fragments yet: create one under Fragments.</p>
          ) : (
            <label>
              Fragment
              <select
                aria-label="Fragment"
                value={fragmentId}
                onChange={(e) => setFragmentId(e.target.value)}
              >
                {p.fragments.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.name}
                    {f.status !== 'live' ? ` (${f.status})` : ''}
                  </option>
                ))}
              </select>
            </label>
          )}
          {mismatch && (
            <p className="warning small" role="status">
              {mismatch}
            </p>
          )}
          {problem ? (
            <p className="muted small" role="status">
              {problem}
            </p>
          ) : (
            <>
              <span className="small muted" id="each-source-label">
                This is added at the cursor:
              </span>
              <pre className="each-source" aria-labelledby="each-source-label">
                {source}
              </pre>
            </>
          )}
        </>
      )}
      <div className="row">
        <button type="button" onClick={p.onBack}>
          Back
        </button>
        <button
          type="button"
          className="primary"
          disabled={!!problem || arrays.length === 0}
          onClick={() => p.onInsert(source)}
        >
          Insert loop
        </button>
      </div>
    </section>
  );
}
