// The compiled but not personalized HTML of a document: MJML's layout with personalization as
// written ({{...}}, {%...%}; fragment references expanded). For the code view's HTML and for the
// designer's canvas to compare with (annotated with wm-b-<id> classes when asked).
import type { EmailContent, EmailDocument } from '../../model/message-content.ts';
import type { ContentDiagnostic } from '../diagnostics.ts';
import { FieldCompiler } from '../field-compiler.ts';
import { defaultLimits } from '../limits.ts';
import { htmlToText } from '../html-text.ts';
import { Pieces } from '../protect.ts';
import type { ContentLibrary } from '../types.ts';
import { compileDocument } from './compile.ts';

export type SourceHtml =
  | { ok: true; html: string; text: string; diagnostics: ContentDiagnostic[] }
  | { ok: false; diagnostics: ContentDiagnostic[] };

export async function documentSourceHtml(
  doc: EmailDocument,
  library: ContentLibrary,
  opts: { readonly annotate?: boolean; readonly preheader?: string } = {},
): Promise<SourceHtml> {
  const fc = new FieldCompiler(library, defaultLimits);
  const d = await compileDocument(
    doc,
    fc,
    'document',
    opts.preheader,
    opts.annotate === true ? { annotate: true } : {},
  );
  if (d === undefined || fc.failed) return { ok: false, diagnostics: fc.diagnostics };
  return { ok: true, html: d.html, text: d.text, diagnostics: fc.diagnostics };
}

/** An email's body as source HTML: the document laid out, or the html field with fragments expanded. */
export async function emailSourceHtml(
  c: EmailContent,
  library: ContentLibrary,
  opts: { readonly annotate?: boolean } = {},
): Promise<SourceHtml> {
  if (c.document !== undefined)
    return documentSourceHtml(c.document, library, {
      ...opts,
      ...(c.preheader === undefined ? {} : { preheader: c.preheader }),
    });
  const fc = new FieldCompiler(library, defaultLimits);
  const html = fc.expand(c.html, { field: 'html' });
  if (html === undefined) return { ok: false, diagnostics: fc.diagnostics };
  const p = new Pieces();
  return {
    ok: true,
    html,
    text: c.text ?? p.restore(htmlToText(p.protect(html))),
    diagnostics: fc.diagnostics,
  };
}
