// Placeholder until expression fragments land.
import type { ContentDiagnostic, FieldRef } from './diagnostics.ts';
import type { FieldCompiler } from './field-compiler.ts';
export type ExpandResult = { ok: true; source: string } | { ok: false; diagnostics: ContentDiagnostic[] };
export function expandFragments(source: string, _ref: FieldRef, _fc: FieldCompiler): ExpandResult {
  return { ok: true, source };
}
