// The designer's state as a pure reducer: the content (and a template's governance), an undo history
// of labelled steps, and the saved point. Rapid edits with the same label (typing in a text field)
// make one step, so undo takes back a word or a sentence, not a letter.
import type { EmailContent } from '@waymark/shared/model/message-content.ts';
import type { Governance } from '@waymark/shared/model/content-template.ts';

export interface Snapshot {
  readonly content: EmailContent;
  readonly governance: Governance | undefined;
}
export interface Step extends Snapshot {
  readonly label: string;
}

export interface DesignerState extends Snapshot {
  /** Earlier snapshots, newest last; each names the step that followed it. */
  readonly past: readonly Step[];
  /** Undone snapshots, the next redo last. */
  readonly future: readonly Step[];
  readonly saved: Snapshot;
  /** The last step's label and time, to merge rapid edits. */
  readonly last: { readonly label: string; readonly at: number } | null;
}

export type DesignerAction =
  | {
      readonly type: 'apply';
      readonly next: (c: EmailContent) => EmailContent;
      readonly label: string;
      readonly at: number;
    }
  | {
      readonly type: 'governance';
      readonly next: (g: Governance | undefined) => Governance | undefined;
      readonly label: string;
      readonly at: number;
    }
  | { readonly type: 'undo' }
  | { readonly type: 'redo' }
  /** The host stored the current content. */
  | { readonly type: 'saved' };

/** Edits with the same label within this time are one undo step. */
export const COALESCE_MS = 1000;
const HISTORY_LIMIT = 200;

export function initialState(content: EmailContent, governance?: Governance): DesignerState {
  const snap = { content, governance };
  return { ...snap, past: [], future: [], saved: snap, last: null };
}

export const isDirty = (s: DesignerState): boolean =>
  s.content !== s.saved.content || s.governance !== s.saved.governance;
export const undoLabel = (s: DesignerState): string | null => s.past.at(-1)?.label ?? null;
export const redoLabel = (s: DesignerState): string | null => s.future.at(-1)?.label ?? null;

function step(s: DesignerState, next: Snapshot, label: string, at: number): DesignerState {
  if (next.content === s.content && next.governance === s.governance) return s;
  // Adding, duplicating and deleting are always their own steps; typing and nudging merge.
  const merge =
    s.last !== null &&
    s.last.label === label &&
    at - s.last.at < COALESCE_MS &&
    s.past.length > 0 &&
    !/^(Add|Duplicate|Delete)\b/.test(label);
  const past = merge
    ? s.past
    : [...s.past, { content: s.content, governance: s.governance, label }].slice(-HISTORY_LIMIT);
  return { ...s, ...next, past, future: [], last: { label, at } };
}

export function reduce(s: DesignerState, a: DesignerAction): DesignerState {
  switch (a.type) {
    case 'apply':
      return step(s, { content: a.next(s.content), governance: s.governance }, a.label, a.at);
    case 'governance':
      return step(s, { content: s.content, governance: a.next(s.governance) }, a.label, a.at);
    case 'undo': {
      const prev = s.past.at(-1);
      if (!prev) return s;
      return {
        ...s,
        content: prev.content,
        governance: prev.governance,
        past: s.past.slice(0, -1),
        future: [...s.future, { content: s.content, governance: s.governance, label: prev.label }],
        last: null,
      };
    }
    case 'redo': {
      const next = s.future.at(-1);
      if (!next) return s;
      return {
        ...s,
        content: next.content,
        governance: next.governance,
        future: s.future.slice(0, -1),
        past: [...s.past, { content: s.content, governance: s.governance, label: next.label }],
        last: null,
      };
    }
    case 'saved':
      return { ...s, saved: { content: s.content, governance: s.governance } };
  }
}
