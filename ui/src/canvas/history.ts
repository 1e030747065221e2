// Undo and redo for one screen's document: past, present, future.
export interface History<T> {
  readonly past: readonly T[];
  readonly present: T;
  readonly future: readonly T[];
}

export type HistoryAction<T> =
  | { readonly kind: 'set'; readonly value: T; readonly merge?: boolean; readonly base?: T }
  | { readonly kind: 'reset'; readonly value: T }
  | { readonly kind: 'undo' }
  | { readonly kind: 'redo' };

const LIMIT = 200;

export function historyReducer<T>(h: History<T>, a: HistoryAction<T>): History<T> {
  switch (a.kind) {
    case 'set':
      if (a.value === h.present) return h;
      return a.merge
        ? { ...h, present: a.value }
        : { past: [...h.past, a.base ?? h.present].slice(-LIMIT), present: a.value, future: [] };
    case 'reset':
      return { past: [], present: a.value, future: [] };
    case 'undo': {
      const prev = h.past[h.past.length - 1];
      return prev === undefined
        ? h
        : { past: h.past.slice(0, -1), present: prev, future: [h.present, ...h.future] };
    }
    case 'redo': {
      const [next, ...rest] = h.future;
      return next === undefined ? h : { past: [...h.past, h.present], present: next, future: rest };
    }
  }
}
