// The object editor's "Advanced (JSON)" tab: CodeMirror with completion from the kind's JSON Schema
// and each problem marked on the line it is about (a lint diagnostic per issue, placed from the
// issue's path), plus the parse error where the text stops being JSON.
import { autocompletion, closeBrackets, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import type { Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { locate, parseErrorAt } from './json-locate.ts';
import { jsonSchemaCompletion } from './json-schema-complete.ts';
import type { Schema } from './json-schema-complete.ts';

export interface Problem {
  readonly path: string;
  readonly message: string;
}

/** Lint diagnostics for `problems` in `text` (and its parse error, if any). */
export function diagnosticsFor(text: string, problems: readonly Problem[]): Diagnostic[] {
  try {
    JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = parseErrorAt(text, message);
    return [
      {
        from: Math.max(0, Math.min(at, text.length - 1)),
        to: Math.min(text.length, at + 1),
        severity: 'error',
        message: `This is not valid JSON here: ${message}`,
      },
    ];
  }
  const out: Diagnostic[] = [];
  for (const p of problems) {
    const r = locate(text, p.path) ?? { from: 0, to: Math.min(1, text.length) };
    out.push({
      from: r.from,
      to: Math.min(r.to, text.length),
      severity: 'error',
      message: p.message,
    });
  }
  return out;
}

export function JsonEditor(p: {
  value: string;
  onChange(v: string): void;
  label: string;
  schema: Schema | null;
  problems: readonly Problem[];
  readOnly?: boolean;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(p);
  latest.current = p;
  // A new value from outside (a reload, the form) is not an edit: it does not call onChange.
  const applying = useRef(false);

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: p.value,
        extensions: [
          lineNumbers(),
          history(),
          bracketMatching(),
          closeBrackets(),
          lintGutter(),
          syntaxHighlighting(defaultHighlightStyle),
          keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
          json(),
          autocompletion({
            override: [jsonSchemaCompletion(() => latest.current.schema)],
            activateOnTyping: true,
          }),
          EditorView.lineWrapping,
          EditorState.readOnly.of(!!p.readOnly),
          EditorView.contentAttributes.of({ 'aria-label': p.label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged && !applying.current) latest.current.onChange(u.state.doc.toString());
          }),
          EditorView.theme({
            '&': { minHeight: '320px' },
            '.cm-scroller': { minHeight: '320px', maxHeight: '62vh' },
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [p.readOnly]);

  useEffect(() => {
    const v = view.current;
    if (!v || v.state.doc.toString() === p.value) return;
    applying.current = true;
    try {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: p.value } });
    } finally {
      applying.current = false;
    }
  }, [p.value]);

  // The marks follow the text and the problems; recomputed when either changes.
  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, diagnosticsFor(v.state.doc.toString(), p.problems)));
  }, [p.value, p.problems]);

  return <div className="code-editor json-editor" ref={host} />;
}
