// The console's own dialogs (no window.confirm/prompt): modal <dialog> elements with a title, a
// body, and buttons; Escape and "Cancel" answer null. One provider per app; `useDialogs()` asks.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { ReactNode } from 'react';
import { setLeaveQuestion } from './router.ts';

export interface DialogAction<T> {
  readonly label: string;
  readonly value: T;
  readonly tone?: 'primary' | 'danger' | 'plain';
  readonly disabled?: boolean;
}

export interface ChooseOptions<T> {
  readonly title: string;
  readonly body?: ReactNode;
  readonly actions: readonly DialogAction<T>[];
  readonly cancelLabel?: string;
}

export interface Dialogs {
  /** Resolves with the chosen action's value, or null when cancelled. */
  choose<T>(o: ChooseOptions<T>): Promise<T | null>;
  confirm(o: {
    title: string;
    body?: ReactNode;
    confirmLabel: string;
    danger?: boolean;
  }): Promise<boolean>;
  /** Resolves with the trimmed text, or null when cancelled. `validate` answers a problem or null. */
  prompt(o: {
    title: string;
    label: string;
    initial?: string;
    confirmLabel?: string;
    danger?: boolean;
    validate?: (v: string) => string | null;
  }): Promise<string | null>;
}

interface Open {
  readonly title: string;
  readonly body?: ReactNode;
  readonly actions: readonly DialogAction<unknown>[];
  readonly cancelLabel: string;
  readonly input?: { label: string; initial: string; validate?: (v: string) => string | null };
  readonly resolve: (v: unknown) => void;
  /** Each question its own element: one asked right after another must open again. */
  readonly id: number;
}

const DialogContext = createContext<Dialogs | null>(null);
let asked = 0;

export function useDialogs(): Dialogs {
  const d = useContext(DialogContext);
  if (!d) throw new Error('useDialogs outside DialogProvider');
  return d;
}

function DialogView(p: { open: Open; onDone: (v: unknown) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState(p.open.input?.initial ?? '');
  const problem = p.open.input?.validate?.(text.trim()) ?? null;
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const answer = (v: unknown) => {
    ref.current?.close();
    p.onDone(v);
  };
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        answer(null);
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          const first =
            p.open.actions.find((a) => !a.disabled && a.tone !== 'plain') ?? p.open.actions[0];
          if (p.open.input) {
            if (!problem && text.trim()) answer(text.trim());
          } else if (first && !first.disabled && first.tone !== 'danger') answer(first.value);
        }}
      >
        <h2 id="dialog-title">{p.open.title}</h2>
        {p.open.body !== undefined && <div className="dialog-body">{p.open.body}</div>}
        {p.open.input && (
          <label>
            {p.open.input.label}
            <input
              autoFocus
              value={text}
              onChange={(e) => setText(e.target.value)}
              aria-invalid={problem ? true : undefined}
            />
            {problem && text.trim() && (
              <span className="field-error" role="alert">
                {problem}
              </span>
            )}
          </label>
        )}
        <div className="row dialog-actions">
          <button type="button" onClick={() => answer(null)}>
            {p.open.cancelLabel}
          </button>
          {p.open.actions.map((a, i) => (
            <button
              key={i}
              type={p.open.input && i === 0 ? 'submit' : 'button'}
              className={a.tone === 'plain' ? '' : (a.tone ?? 'primary')}
              disabled={a.disabled || (p.open.input ? !!problem || !text.trim() : false)}
              autoFocus={!p.open.input && i === p.open.actions.length - 1 && a.tone !== 'danger'}
              onClick={
                p.open.input ? (i === 0 ? undefined : () => answer(a.value)) : () => answer(a.value)
              }
            >
              {a.label}
            </button>
          ))}
        </div>
      </form>
    </dialog>
  );
}

export function DialogProvider(p: { children: ReactNode }) {
  const [queue, setQueue] = useState<readonly Open[]>([]);
  const push = useCallback(
    (o: Omit<Open, 'resolve' | 'id'>) =>
      new Promise<unknown>((resolve) => {
        const id = ++asked;
        setQueue((q) => [...q, { ...o, resolve, id }]);
      }),
    [],
  );
  const dialogs = useMemo<Dialogs>(
    () => ({
      choose: <T,>(o: ChooseOptions<T>) =>
        push({
          title: o.title,
          body: o.body,
          actions: o.actions,
          cancelLabel: o.cancelLabel ?? 'Cancel',
        }) as Promise<T | null>,
      confirm: async (o) =>
        (await push({
          title: o.title,
          body: o.body,
          cancelLabel: 'Cancel',
          actions: [{ label: o.confirmLabel, value: true, tone: o.danger ? 'danger' : 'primary' }],
        })) === true,
      prompt: async (o) =>
        (await push({
          title: o.title,
          cancelLabel: 'Cancel',
          actions: [
            {
              label: o.confirmLabel ?? 'OK',
              value: true,
              ...(o.danger ? { tone: 'danger' as const } : {}),
            },
          ],
          input: { label: o.label, initial: o.initial ?? '', validate: o.validate },
        })) as string | null,
    }),
    [push],
  );
  useEffect(() => {
    setLeaveQuestion((reason) =>
      dialogs.confirm({
        title: 'Leave without saving?',
        body: <p>{reason}</p>,
        confirmLabel: 'Leave and discard',
        danger: true,
      }),
    );
  }, [dialogs]);
  const current = queue[0];
  return (
    <DialogContext.Provider value={dialogs}>
      {p.children}
      {current && (
        <DialogView
          key={current.id}
          open={current}
          onDone={(v) => {
            current.resolve(v);
            setQueue((q) => q.slice(1));
          }}
        />
      )}
    </DialogContext.Provider>
  );
}
