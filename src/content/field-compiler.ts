// Compiles the template fields of one message, collecting diagnostics and fragment use as it goes.
import { compileTemplate, type CompiledTemplate } from './template.ts';
import { expandFragments } from './fragments.ts';
import type { ContentDiagnostic, FieldRef } from './diagnostics.ts';
import type { ContentLimits } from './limits.ts';
import type { ContentLibrary } from './types.ts';
import type { ContentScope } from './schema-scope.ts';

export class FieldCompiler {
  readonly diagnostics: ContentDiagnostic[] = [];
  /** Fragment id -> version used. */
  readonly fragments = new Map<string, number>();
  constructor(
    readonly library: ContentLibrary,
    readonly limits: ContentLimits,
    readonly scope?: ContentScope,
  ) {}

  /** Expands fragment references in `source` (counting them against the per-message limit). */
  expand(source: string, ref: FieldRef): string | undefined {
    const r = expandFragments(source, ref, this);
    if (!r.ok) {
      this.diagnostics.push(...r.diagnostics);
      return undefined;
    }
    return r.source;
  }

  field(
    source: string,
    ref: FieldRef,
    opts: {
      readonly noEscape?: boolean;
      readonly expanded?: boolean;
      readonly warn?: boolean;
    } = {},
  ): CompiledTemplate | undefined {
    const expanded = opts.expanded === true ? source : this.expand(source, ref);
    if (expanded === undefined) return undefined;
    const r = compileTemplate(expanded, ref, this.limits, {
      ...(opts.noEscape === true ? { noEscape: true } : {}),
      ...(this.scope === undefined ? {} : { scope: this.scope }),
    });
    if (!r.ok) {
      this.diagnostics.push(...r.diagnostics);
      return undefined;
    }
    if (r.warnings !== undefined && (opts.noEscape !== true || opts.warn === true))
      this.diagnostics.push(...r.warnings);
    return r.template;
  }

  /** Checks one piece (a document block's field) on its own, so that errors name the block and its line. */
  check(expanded: string, ref: FieldRef): void {
    const r = compileTemplate(
      expanded,
      ref,
      this.limits,
      this.scope === undefined ? {} : { scope: this.scope },
    );
    if (!r.ok) this.diagnostics.push(...r.diagnostics.filter((d) => d.severity === 'error'));
  }

  useFragment(id: string, version: number, ref: FieldRef): boolean {
    this.fragments.set(id, version);
    return this.fragments.size <= this.limits.maxFragments;
  }

  get failed(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }
}
