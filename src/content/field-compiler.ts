// Compiles the template fields of one message, collecting diagnostics and fragment use as it goes.
import { compileTemplate, type CompiledTemplate } from './template.ts';
import { expandFragments } from './fragments.ts';
import type { ContentDiagnostic, FieldRef } from './diagnostics.ts';
import type { ContentLimits } from './limits.ts';
import type { ContentLibrary } from './types.ts';

export class FieldCompiler {
  readonly diagnostics: ContentDiagnostic[] = [];
  /** Fragment id -> version used. */
  readonly fragments = new Map<string, number>();
  constructor(readonly library: ContentLibrary, readonly limits: ContentLimits) {}

  /** Expands fragment references in `source` (counting them against the per-message limit). */
  expand(source: string, ref: FieldRef): string | undefined {
    const r = expandFragments(source, ref, this);
    if (!r.ok) { this.diagnostics.push(...r.diagnostics); return undefined; }
    return r.source;
  }

  field(source: string, ref: FieldRef, opts: { readonly noEscape?: boolean; readonly expanded?: boolean } = {}): CompiledTemplate | undefined {
    const expanded = opts.expanded === true ? source : this.expand(source, ref);
    if (expanded === undefined) return undefined;
    const r = compileTemplate(expanded, ref, this.limits, opts);
    if (!r.ok) { this.diagnostics.push(...r.diagnostics); return undefined; }
    return r.template;
  }

  useFragment(id: string, version: number, ref: FieldRef): boolean {
    this.fragments.set(id, version);
    return this.fragments.size <= this.limits.maxFragments;
  }

  get failed(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }
}
