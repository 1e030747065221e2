// One template field: source (Handlebars or `{% %}` form) -> checked, compiled, bounded renderer.
import {
  hb,
  envFor,
  compileOptions,
  runtimeOptions,
  blockHelpers,
  specialHelpers,
} from './engine.ts';
import { checkTemplateAst } from './checker.ts';
import { translatePql } from './pql/translate.ts';
import { diag, type ContentDiagnostic, type FieldRef } from './diagnostics.ts';
import { LimitExceeded, type ContentLimits } from './limits.ts';
import { newRenderState, type RenderState } from './render-state.ts';
import { metered } from './meter.ts';
import type { ContentScope } from './schema-scope.ts';

export interface TemplateScope {
  readonly profile: unknown;
  readonly context: unknown;
}

export interface CompiledTemplate {
  /** True when the source has no tags: render returns it unchanged. */
  readonly isStatic: boolean;
  /** Renders with a fresh root; `vars` carries `let` variables across the fields of one message. */
  render(scope: TemplateScope, state: RenderState, vars?: Record<string, unknown>): string;
}

export type CompileTemplateResult =
  | { ok: true; template: CompiledTemplate; warnings?: ContentDiagnostic[] }
  | { ok: false; diagnostics: ContentDiagnostic[] };

const builtinKnown: Record<string, boolean> = Object.fromEntries(
  [...blockHelpers, ...specialHelpers].map((n) => [n, true]),
);
const roots = new Set(['profile', 'context', 'offers', 'true', 'false', 'null', 'undefined']);

export function compileTemplate(
  source: string,
  ref: FieldRef,
  limits: ContentLimits,
  opts: { readonly noEscape?: boolean; readonly scope?: ContentScope } = {},
): CompileTemplateResult {
  if (source.length > limits.maxTemplateChars) {
    return {
      ok: false,
      diagnostics: [
        diag(
          ref,
          'limit_template_size',
          `template is ${source.length} characters, over the limit of ${limits.maxTemplateChars}`,
        ),
      ],
    };
  }
  if (!source.includes('{{') && !source.includes('{%')) {
    const field = ref.field;
    const render = (_scope: TemplateScope, state: RenderState): string => {
      const outer = state.field;
      state.field = field;
      try {
        state.emit(source);
      } finally {
        state.field = outer;
      }
      return source;
    };
    return { ok: true, template: { isStatic: true, render } };
  }
  // Backticked path segments (context.journey.events.`1697323153`.x) in the Handlebars form too.
  let hbsSource = source.includes('`')
    ? source.replace(/\{\{[^{}]*`[^{}]*\}\}/g, (m) => m.replace(/\.`([^`]+)`/g, '.[$1]'))
    : source;
  let known = roots;
  if (source.includes('{%')) {
    const t = translatePql(hbsSource, ref);
    if (!t.ok) return { ok: false, diagnostics: t.diagnostics };
    hbsSource = t.source;
    if (t.lets.length > 0) known = new Set([...roots, ...t.lets]);
  }
  let program: hbs.AST.Program;
  try {
    program = hb.parse(hbsSource);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const m = /line (\d+)/.exec(message);
    return {
      ok: false,
      diagnostics: [
        diag(ref, 'syntax', firstLine(message), m?.[1] === undefined ? undefined : Number(m[1])),
      ],
    };
  }
  const used = new Set<string>();
  const diagnostics = checkTemplateAst(program, ref, {
    limits,
    roots: known,
    used,
    ...(opts.scope === undefined ? {} : { scope: opts.scope }),
  });
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
  const warnings = diagnostics;
  const knownHelpers = { ...builtinKnown, ...Object.fromEntries([...used].map((n) => [n, true])) };
  const fn = envFor(used).compile(program, {
    ...compileOptions,
    knownHelpers,
    ...(opts.noEscape === true ? { noEscape: true } : {}),
  });
  const template: CompiledTemplate = {
    isStatic: false,
    render(scope, state, vars) {
      const root: Record<string, unknown> = vars ?? {};
      root['profile'] = scope.profile;
      root['context'] = scope.context;
      const outer = state.field;
      state.field = ref.field;
      try {
        const out = metered(state, () => fn(root, { ...runtimeOptions, data: { wm: state } }));
        if (out.length > state.limits.maxOutputChars) {
          throw new LimitExceeded(
            'maxOutputChars',
            `${ref.field} renders ${out.length} characters, over the limit of ${state.limits.maxOutputChars}`,
            state.limits.maxOutputChars,
            { field: ref.field },
          );
        }
        return out;
      } finally {
        state.field = outer;
      }
    },
  };
  // Handlebars compiles lazily: force it now so that compile errors surface here, not at send time.
  try {
    fn({}, { ...runtimeOptions, data: { wm: newRenderState(0, {}, limits) } });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (!(e instanceof LimitExceeded) && /knownHelpersOnly|Parse error|Expecting/.test(message)) {
      return { ok: false, diagnostics: [diag(ref, 'compile', firstLine(message))] };
    }
  }
  return warnings.length > 0 ? { ok: true, template, warnings } : { ok: true, template };
}

/** Handlebars' messages span lines (message, source, caret, expectation): keep the first and last. */
function firstLine(s: string): string {
  const lines = s.split('\n').filter((l) => l.trim() !== '');
  return lines.length <= 1 ? (lines[0] ?? s) : `${lines[0] ?? ''} ${lines[lines.length - 1] ?? ''}`;
}
