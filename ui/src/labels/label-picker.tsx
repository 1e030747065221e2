// Access labels on one object (AJO's "Manage access"): the labels as chips, an input that suggests
// the labels in use and those the person holds, and a new label made by typing a valid name. A label
// the person's role does not hold is locked: the server refuses adding or removing it (403), so the
// console neither offers it nor lets it go, and says why.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { JSX } from 'react';
import type { LabelsView } from '@waymark/shared/api/access.ts';
import { errorText } from '../api/client.ts';
import { useApi } from '../app/session.tsx';
import { MAX_LABELS, accessHelp, mayUse, refusal } from './label-rules.ts';
import './label-picker.css';

/** The sandbox's labels, asked once per picker (small: the labels in use, not the objects). */
function useLabels(): { answer: LabelsView | null; error: string | null } {
  const api = useApi();
  const [answer, setAnswer] = useState<LabelsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.get<LabelsView>('/v1/labels').then(
      (a) => {
        if (live) setAnswer(a);
      },
      (e: unknown) => {
        if (live) setError(errorText(e));
      },
    );
    return () => {
      live = false;
    };
  }, [api]);
  return { answer, error };
}

interface Suggestion {
  readonly label: string;
  readonly note: string;
  readonly fresh?: boolean;
}

export interface LabelPickerProps {
  readonly id?: string;
  readonly value: readonly string[];
  onChange(next: readonly string[]): void;
  readonly disabled?: boolean;
  /** Issues the server or the form found on the labels. */
  readonly errors?: readonly string[];
  /** "this fragment", "this journey": named in the help ("this object" otherwise). */
  readonly what?: string;
}

export function LabelPicker(p: LabelPickerProps): JSX.Element {
  const generated = `lp${useId().replace(/[^A-Za-z0-9]/g, '')}`;
  const id = p.id ?? generated;
  const { answer, error: loadError } = useLabels();
  const held = answer?.held ?? null;
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  // Whether the arrows chose a suggestion (Enter then takes it rather than the typed text).
  const [navigated, setNavigated] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const typed = text.trim();
  const problem = refusal(typed, p.value, held);

  const suggestions = useMemo<Suggestion[]>(() => {
    if (!answer) return [];
    const counts = new Map(answer.inUse.map((u) => [u.label, u.count]));
    const names = new Set<string>([
      ...answer.inUse.map((u) => u.label),
      ...(answer.held === '*' ? [] : answer.held),
    ]);
    const out: Suggestion[] = [...names]
      .filter(
        (l) =>
          !p.value.includes(l) &&
          mayUse(answer.held, l) &&
          (typed === '' || l.includes(typed.toLowerCase())),
      )
      .sort(
        (a, b) => Number(!b.startsWith(typed)) - Number(!a.startsWith(typed)) || a.localeCompare(b),
      )
      .slice(0, 8)
      .map((l) => {
        const n = counts.get(l) ?? 0;
        return {
          label: l,
          note: n > 0 ? `on ${n} ${n === 1 ? 'object' : 'objects'}` : 'held by your role',
        };
      });
    if (typed !== '' && !names.has(typed) && refusal(typed, p.value, answer.held) === null)
      out.push({ label: typed, note: 'new label', fresh: true });
    return out;
  }, [answer, p.value, typed]);

  const add = (label: string) => {
    if (refusal(label, p.value, held) !== null) return;
    p.onChange([...p.value, label]);
    setText('');
    setActive(0);
    setNavigated(false);
    input.current?.focus();
  };
  const remove = (label: string) => {
    if (!mayUse(held, label)) return;
    p.onChange(p.value.filter((l) => l !== label));
    input.current?.focus();
  };

  const listId = `${id}-suggestions`;
  const shown = open && !p.disabled && suggestions.length > 0;
  const errors = p.errors ?? [];
  const message = typed !== '' && problem !== null ? problem : null;
  const describedBy = [
    `${id}-help`,
    message ? `${id}-problem` : '',
    errors.length > 0 ? `${id}-error` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const full = p.value.length >= MAX_LABELS;

  return (
    <div
      className={`label-picker${errors.length > 0 || message ? ' lp-invalid' : ''}`}
      role="group"
      aria-labelledby={`${id}-title`}
    >
      <label className="lp-title" id={`${id}-title`} htmlFor={id}>
        Access labels
      </label>
      <p className="lp-help" id={`${id}-help`}>
        {accessHelp(p.what)}
      </p>
      <div
        className={`lp-box${p.disabled ? ' lp-disabled' : ''}`}
        onClick={() => input.current?.focus()}
      >
        <ul className="lp-chips" aria-label={`Labels on ${p.what ?? 'this object'}`}>
          {p.value.map((l) => {
            const locked = !mayUse(held, l);
            const why = `Your role does not hold "${l}", so you cannot remove it.`;
            return (
              <li
                key={l}
                className={`lp-chip${locked ? ' lp-locked' : ''}`}
                title={locked ? why : undefined}
              >
                {locked ? <LockIcon /> : null}
                <span className="lp-name">{l}</span>
                {locked ? (
                  <span className="lp-sr">(locked: {why})</span>
                ) : (
                  <button
                    type="button"
                    className="lp-remove"
                    aria-label={`Remove label ${l}`}
                    disabled={p.disabled}
                    onClick={(e) => {
                      e.stopPropagation();
                      remove(l);
                    }}
                  >
                    ×
                  </button>
                )}
              </li>
            );
          })}
        </ul>
        <input
          id={id}
          className="lp-input"
          role="combobox"
          aria-expanded={shown}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={shown && suggestions[active] ? `${id}-opt-${active}` : undefined}
          aria-describedby={describedBy}
          aria-invalid={message || errors.length > 0 ? true : undefined}
          placeholder={
            full
              ? `At most ${MAX_LABELS} labels`
              : p.value.length === 0
                ? 'Add a label, e.g. finance'
                : 'Add a label'
          }
          value={text}
          disabled={p.disabled || full}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(0);
            setNavigated(false);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && suggestions.length > 0) {
              e.preventDefault();
              setOpen(true);
              setNavigated(true);
              setActive((a) => (a + 1) % suggestions.length);
            } else if (e.key === 'ArrowUp' && suggestions.length > 0) {
              e.preventDefault();
              setNavigated(true);
              setActive((a) => (a - 1 + suggestions.length) % suggestions.length);
            } else if (e.key === 'Escape') {
              setOpen(false);
            } else if (e.key === 'Enter' || e.key === ',') {
              // Enter never submits the surrounding form: it adds the highlighted or typed label.
              e.preventDefault();
              const pick =
                shown && (navigated || typed === '') ? suggestions[active]?.label : typed;
              if (pick) add(pick);
            } else if (e.key === 'Backspace' && text === '' && p.value.length > 0) {
              const last = p.value[p.value.length - 1];
              if (last !== undefined && mayUse(held, last)) remove(last);
            }
          }}
        />
        {shown ? (
          <ul className="lp-suggestions" role="listbox" id={listId} aria-label="Label suggestions">
            {suggestions.map((s, i) => (
              <li
                key={s.label}
                id={`${id}-opt-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'lp-active' : undefined}
                onMouseDown={(e) => {
                  e.preventDefault();
                  add(s.label);
                }}
                onMouseEnter={() => setActive(i)}
              >
                <span className="lp-name">{s.fresh ? `Create "${s.label}"` : s.label}</span>
                <span className="lp-note">{s.note}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {message ? (
        <p className="lp-problem" id={`${id}-problem`} role="status">
          {message}
        </p>
      ) : null}
      {errors.length > 0 ? (
        <p className="sf-error" id={`${id}-error`}>
          {errors.join(' ')}
        </p>
      ) : null}
      {loadError ? <p className="lp-note">Suggestions are unavailable: {loadError}</p> : null}
    </div>
  );
}

/** A drawn padlock (an emoji may have no glyph in the person's fonts). */
function LockIcon(): JSX.Element {
  return (
    <svg
      className="lp-lock"
      width="11"
      height="12"
      viewBox="0 0 11 12"
      aria-hidden="true"
      focusable="false"
    >
      <rect x="1" y="5" width="9" height="7" rx="1.5" fill="currentColor" />
      <path d="M3 5V3.5a2.5 2.5 0 0 1 5 0V5" fill="none" stroke="currentColor" strokeWidth="1.4" />
    </svg>
  );
}
