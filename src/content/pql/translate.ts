// Placeholder: replaced below by the full `{% %}` translator.
import type { ContentDiagnostic, FieldRef } from '../diagnostics.ts';
export type TranslateResult = { ok: true; source: string } | { ok: false; diagnostics: ContentDiagnostic[] };
export function translatePql(source: string, _ref: FieldRef): TranslateResult {
  return { ok: true, source };
}
