// A bare template rendered against root data: what `waymark render --inline` and bulk checks use.
import { compileTemplate, type CompiledTemplate } from './template.ts';
import { defaultLimits, LimitExceeded, type ContentLimits, type LimitDetails } from './limits.ts';
import { newRenderState } from './render-state.ts';
import type { ContentDiagnostic } from './diagnostics.ts';
import { isRecord } from './functions/types.ts';

export type InlineResult =
  | { ok: true; output: string; warnings: string[] }
  | {
      ok: false;
      error: {
        code: string;
        message: string;
        line?: number;
        column?: number;
        diagnostics?: ContentDiagnostic[];
        limit?: LimitDetails;
      };
    };

const cache = new Map<string, CompiledTemplate | ContentDiagnostic[]>();

/** Renders `template` with `data`'s root names (profile, context, ...); `audiences` may sit in data too. */
export function renderInline(
  template: string,
  data: unknown,
  now: number,
  limits: ContentLimits = defaultLimits,
): InlineResult {
  let compiled = cache.get(template);
  if (compiled === undefined) {
    const r = compileTemplate(template, { field: 'template' }, limits);
    compiled = r.ok ? r.template : r.diagnostics;
    if (cache.size > 1000) cache.clear();
    cache.set(template, compiled);
  }
  if (Array.isArray(compiled)) {
    const d = compiled.find((x) => x.severity === 'error') ?? compiled[0];
    return {
      ok: false,
      error: {
        code: d?.code ?? 'invalid',
        message: d?.message ?? 'invalid template',
        ...(d?.line === undefined ? {} : { line: d.line }),
        ...(d?.column === undefined ? {} : { column: d.column }),
        diagnostics: compiled,
      },
    };
  }
  const root = isRecord(data) ? data : {};
  const audiences = isRecord(root['audiences'])
    ? (root['audiences'] as Record<string, 'realized' | 'exited'>)
    : {};
  const state = newRenderState(now, audiences, limits);
  try {
    const vars: Record<string, unknown> = { ...root };
    const output = compiled.render(
      { profile: root['profile'], context: root['context'] },
      state,
      vars,
    );
    return { ok: true, output, warnings: state.warnings };
  } catch (e) {
    if (e instanceof LimitExceeded) {
      const limit = e.details(limits);
      return {
        ok: false,
        error: {
          code: 'limit_exceeded',
          message: e.message,
          ...(limit.where?.line === undefined ? {} : { line: limit.where.line }),
          limit,
        },
      };
    }
    return {
      ok: false,
      error: {
        code: e instanceof RangeError ? 'limit_exceeded' : 'render_error',
        message: e instanceof Error ? e.message : String(e),
      },
    };
  }
}
