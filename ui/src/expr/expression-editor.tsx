// The expression editor: CodeMirror with completion from POST /v1/expressions/complete and live
// diagnostics from POST /v1/expressions/validate (event fields, profile, action responses, functions).
import { autocompletion, closeBrackets, completionKeymap } from '@codemirror/autocomplete';
import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { linter, lintGutter } from '@codemirror/lint';
import type { Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { useEffect, useRef, useState } from 'react';
import type { Answer } from '@waymark/shared/api/answer.ts';
import type {
  expressionCompleteAnswer,
  expressionValidateAnswer,
} from '@waymark/shared/api/expressions.ts';
import { ApiError } from '../api/client.ts';
import type { Api } from '../api/client.ts';
import { useApi } from '../app/session.tsx';

const KIND_TYPE: Record<string, string> = {
  field: 'property',
  function: 'function',
  keyword: 'keyword',
  event: 'class',
  action: 'class',
  dataSource: 'namespace',
  audience: 'constant',
  method: 'method',
  reference: 'variable',
};

export function completionSource(api: Api, scope: unknown, onUnavailable: (m: string) => void) {
  return async (ctx: CompletionContext): Promise<CompletionResult | null> => {
    const word = ctx.matchBefore(/[\w.@#{"]*$/);
    if (!ctx.explicit && (!word || word.from === word.to)) return null;
    const expression = ctx.state.doc.toString();
    try {
      const r = await api.post<Answer<typeof expressionCompleteAnswer>>(
        '/v1/expressions/complete',
        {
          expression,
          cursor: ctx.pos,
          scope,
        },
      );
      if (!r.completions.length) return null;
      const from = Math.min(...r.completions.map((c) => c.from));
      return {
        from,
        options: r.completions.map((c) => ({
          label: c.label,
          type: KIND_TYPE[c.kind] ?? 'text',
          ...(c.detail ? { detail: c.detail } : {}),
          apply: expression.slice(from, c.from) + c.insertText,
        })),
        validFor: /^[\w]*$/,
      };
    } catch (err) {
      onUnavailable(
        err instanceof ApiError && err.status === 404
          ? 'The expression API (/v1/expressions) is not available on this server: no completion.'
          : String(err),
      );
      return null;
    }
  };
}

export function diagnosticsSource(
  api: Api,
  scope: unknown,
  expect: string | undefined,
  onResult: (valid: boolean | null, type?: string, message?: string) => void,
) {
  return async (view: EditorView): Promise<Diagnostic[]> => {
    const expression = view.state.doc.toString();
    if (!expression.trim()) {
      onResult(null);
      return [];
    }
    try {
      const r = await api.post<Answer<typeof expressionValidateAnswer>>(
        '/v1/expressions/validate',
        { expression, scope, ...(expect ? { expect } : {}) },
      );
      onResult(r.valid, r.valid ? r.type : undefined, r.diagnostics[0]?.message);
      const len = view.state.doc.length;
      return r.diagnostics.map((d) => {
        const from = Math.min(d.offset, len);
        return {
          from,
          to: Math.min(len, from + Math.max(1, d.length)),
          severity: 'error' as const,
          message: d.message,
          source: d.code,
        };
      });
    } catch (err) {
      onResult(null);
      if (err instanceof ApiError && err.status === 404) return [];
      return [
        {
          from: 0,
          to: len0(view),
          severity: 'warning' as const,
          message: err instanceof Error ? err.message : String(err),
        },
      ];
    }
  };
}
const len0 = (v: EditorView) => v.state.doc.length;

export function ExpressionEditor(p: {
  value: string;
  onChange(v: string): void;
  scope: unknown;
  expect?: 'boolean' | 'dateTimeOnly' | 'any';
  label?: string;
}) {
  const api = useApi();
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(p);
  latest.current = p;
  const [state, setState] = useState<{
    valid: boolean | null;
    type?: string | undefined;
    message?: string | undefined;
  }>({ valid: null });
  const [unavailable, setUnavailable] = useState<string | null>(null);

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: p.value,
        extensions: [
          history(),
          closeBrackets(),
          lintGutter(),
          keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap]),
          autocompletion({
            override: [completionSource(api, latest.current.scope, setUnavailable)],
            activateOnTyping: true,
          }),
          linter(
            diagnosticsSource(
              api,
              latest.current.scope,
              latest.current.expect,
              (valid, type, message) => setState({ valid, type, message }),
            ),
            { delay: 300 },
          ),
          placeholder('Type an expression; Ctrl+Space completes'),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({
            'aria-label': p.label ?? 'Expression',
            'data-testid': 'expression-input',
          }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) latest.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, JSON.stringify(p.scope), p.expect]);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== p.value)
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: p.value } });
  }, [p.value]);

  return (
    <div className="expression-editor">
      <div ref={host} className={`cm-host ${state.valid === false ? 'invalid' : ''}`} />
      <div className="expr-status small" aria-live="polite">
        {unavailable ??
          (state.valid === true
            ? `✓ valid${state.type ? ` (${state.type})` : ''}`
            : state.valid === false
              ? `✖ ${state.message ?? 'see the underlined part'}`
              : '')}
      </div>
    </div>
  );
}
