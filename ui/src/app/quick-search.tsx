// Quick search, keyboard first: '/' from anywhere (except while typing in a field) puts the cursor
// here; arrows move, Enter opens, Escape closes. The server searches (GET /v1/search) every kind the
// person may see, and profiles by identity for those who may read them, so nothing is loaded in
// bulk here and what is hidden from someone never reaches their browser.
import { useEffect, useId, useRef, useState } from 'react';
import type { SearchHit } from '@waymark/shared/api/access.ts';
import { errorText } from '../api/client.ts';
import { navigate } from './router.ts';
import { useSession } from './session.tsx';

const DEBOUNCE_MS = 120;
const LIMIT = 12;

type Answer =
  | { readonly q: string; readonly items: readonly SearchHit[] }
  | { readonly q: string; readonly error: string };

/** '/' focuses the search unless the person is typing somewhere. */
function useSlashKey(input: React.RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    const on = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.key !== '/' || e.metaKey || e.ctrlKey || e.altKey) return;
      if (/INPUT|TEXTAREA|SELECT/.test(t.tagName) || t.isContentEditable) return;
      if (document.querySelector('dialog[open]')) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    addEventListener('keydown', on);
    return () => removeEventListener('keydown', on);
  }, [input]);
}

export function QuickSearch() {
  const { api, sandbox } = useSession();
  const [q, setQ] = useState('');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  useSlashKey(input);

  const needle = q.trim();
  // One request per pause in typing; an answer for older text is dropped when it lands late.
  useEffect(() => {
    if (!needle) {
      setAnswer(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api
        .get<{ items: SearchHit[] }>(`/v1/search?q=${encodeURIComponent(needle)}&limit=${LIMIT}`)
        .then(
          (r) => {
            if (live) {
              setAnswer({ q: needle, items: r.items });
              setActive(0);
            }
          },
          (e: unknown) => {
            if (live) setAnswer({ q: needle, error: errorText(e) });
          },
        );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, needle]);
  useEffect(() => {
    setQ('');
    setAnswer(null);
  }, [sandbox]);

  const items = answer && 'items' in answer ? answer.items : [];
  const waiting = needle !== '' && answer?.q !== needle;

  function go(h: SearchHit | undefined) {
    if (!h) return;
    setOpen(false);
    setQ('');
    input.current?.blur();
    void navigate(h.path);
  }

  const showList = open && needle !== '';
  return (
    <div className="quick-search" role="search">
      <svg className="search-icon" aria-hidden="true" viewBox="0 0 16 16" width="15" height="15">
        <circle cx="6.5" cy="6.5" r="5" fill="none" stroke="currentColor" strokeWidth="1.8" />
        <path d="M10.5 10.5 15 15" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
      </svg>
      <input
        ref={input}
        type="search"
        placeholder="Search everything (/)"
        aria-label="Quick search"
        value={q}
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList && items[active] ? `${listId}-${active}` : undefined}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(a + 1, items.length - 1));
          }
          if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          }
          if (e.key === 'Enter') {
            e.preventDefault();
            if (!waiting) go(items[active]);
          }
          if (e.key === 'Escape') {
            e.preventDefault();
            if (showList) setOpen(false);
            else {
              setQ('');
              input.current?.blur();
            }
          }
        }}
      />
      {!q && (
        <kbd className="slash-hint" aria-hidden="true">
          /
        </kbd>
      )}
      {showList && (
        <div className="search-results">
          <ul role="listbox" id={listId} aria-label="Search results">
            {items.map((h, i) => (
              <li
                key={`${h.kind}:${h.id}`}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : ''}
                onMouseDown={(e) => {
                  e.preventDefault();
                  go(h);
                }}
                onMouseEnter={() => setActive(i)}
              >
                <span className="hit-name">
                  <span>{h.name}</span>
                  {h.name !== h.id && h.kind !== 'profile' && (
                    <small className="muted hit-id">{h.id}</small>
                  )}
                </span>
                <span className="hit-meta">
                  {h.status && <span className={`badge status-${h.status}`}>{h.status}</span>}
                  <span className="hit-kind">{h.kindTitle}</span>
                </span>
              </li>
            ))}
          </ul>
          {answer && 'error' in answer && (
            <p className="error small search-note" role="alert">
              Search failed: {answer.error}
            </p>
          )}
          {!waiting && answer && 'items' in answer && items.length === 0 && (
            <p className="muted small search-note">Nothing found for “{needle}”.</p>
          )}
          {waiting && items.length === 0 && <p className="muted small search-note">Searching…</p>}
          {items.length > 0 && (
            <p className="muted small search-note">↑ ↓ to move · Enter to open · Esc to close</p>
          )}
        </div>
      )}
    </div>
  );
}
