// The personalization editor's source: CodeMirror (HTML highlighting, template text) with completion
// from POST /v1/personalization/complete and an insert-at-the-caret handle for the tree, the
// helpers and the each form. Like the expression editor (ui/src/expr), without its validation: the
// dialog validates on request and lists the diagnostics with their line and column.
import { autocompletion, closeBrackets, completionKeymap } from '@codemirror/autocomplete';
import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { html } from '@codemirror/lang-html';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorSelection, EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, placeholder } from '@codemirror/view';
import { useEffect, useImperativeHandle, useRef } from 'react';
import type { Ref } from 'react';
import type { LibraryApi, Where } from './library-api.ts';

export interface TemplateEditorHandle {
  /** Replaces the selection with `text`, puts the caret after it and focuses the editor. */
  insert(text: string): void;
  /** Moves the caret to a 1-based line and column (a diagnostic's place). */
  reveal(line: number, column?: number): void;
  focus(): void;
}

/** Where a server completion starts: the typed word it continues, or its last segment, or the caret. */
export function completionFrom(typed: { from: number; text: string }, insert: string): number {
  if (!typed.text) return typed.from;
  if (insert.startsWith(typed.text)) return typed.from;
  const dot = typed.text.lastIndexOf('.');
  const tail = typed.text.slice(dot + 1);
  if (dot >= 0 && insert.startsWith(tail)) return typed.from + dot + 1;
  return typed.from + typed.text.length;
}

function serverCompletion(
  lib: LibraryApi,
  where: () => Where,
  onUnavailable: (m: string | null) => void,
) {
  return async (ctx: CompletionContext): Promise<CompletionResult | null> => {
    const word = ctx.matchBefore(/[\w$.`@]*$/);
    if (!ctx.explicit && (!word || word.from === word.to)) return null;
    const source = ctx.state.doc.toString();
    try {
      const r = await lib.complete(source, ctx.pos, where());
      onUnavailable(null);
      if (!r.completions.length) return null;
      const typed = { from: word?.from ?? ctx.pos, text: word?.text ?? '' };
      // The server says where the word it completes starts; an older one did not.
      const from =
        typeof r.from === 'number'
          ? r.from
          : Math.min(...r.completions.map((c) => completionFrom(typed, c.insert)));
      return {
        from,
        to: ctx.pos,
        // Labels are last segments while the replaced text is the whole path: the server has filtered.
        filter: false,
        options: r.completions.map((c) => ({
          label: c.label,
          ...(c.detail ? { detail: c.detail } : {}),
          apply: c.insert,
        })),
      };
    } catch {
      onUnavailable(
        'Suggestions are not available from this server; the tree on the left lists what you can use.',
      );
      return null;
    }
  };
}

export function TemplateEditor(p: {
  value: string;
  onChange(v: string): void;
  lib: LibraryApi;
  where: Where;
  label: string;
  handle: Ref<TemplateEditorHandle>;
  onUnavailable(m: string | null): void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(p);
  latest.current = p;

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: latest.current.value,
        selection: EditorSelection.cursor(latest.current.value.length),
        extensions: [
          lineNumbers(),
          history(),
          closeBrackets(),
          syntaxHighlighting(defaultHighlightStyle),
          html(),
          keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap]),
          autocompletion({
            override: [
              serverCompletion(
                latest.current.lib,
                () => latest.current.where,
                (m) => latest.current.onUnavailable(m),
              ),
            ],
            activateOnTyping: true,
          }),
          placeholder(
            'Type text and {{ }} tokens; Ctrl+Space suggests. Or add from the list on the left.',
          ),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': latest.current.label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) latest.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== p.value)
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: p.value } });
  }, [p.value]);

  useImperativeHandle(
    p.handle,
    () => ({
      insert(text: string) {
        const v = view.current;
        if (!v) return;
        const r = v.state.selection.main;
        v.dispatch({
          changes: { from: r.from, to: r.to, insert: text },
          selection: EditorSelection.cursor(r.from + text.length),
          scrollIntoView: true,
        });
        v.focus();
      },
      reveal(line: number, column = 1) {
        const v = view.current;
        if (!v) return;
        const l = v.state.doc.line(Math.max(1, Math.min(line, v.state.doc.lines)));
        v.dispatch({
          selection: EditorSelection.cursor(Math.min(l.to, l.from + Math.max(0, column - 1))),
          scrollIntoView: true,
        });
        v.focus();
      },
      focus() {
        view.current?.focus();
      },
    }),
    [],
  );

  return <div className="template-editor" ref={host} />;
}
