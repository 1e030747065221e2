// Pure parts of the code view: replacing the document being edited (the default or an open
// locale's), and the notes of a conversion in one line.
import type { EmailContent, EmailDocument } from '@waymark/shared/model/message-content.ts';

export type CodeFormat = 'mjml' | 'html';

/** The content with `doc` as the open locale's document, or as the default document. */
export function withDocument(
  c: EmailContent,
  locale: string | null,
  doc: EmailDocument,
): EmailContent {
  if (locale === null) return { ...c, document: doc };
  return {
    ...c,
    locales: { ...(c.locales ?? {}), [locale]: { ...(c.locales?.[locale] ?? {}), document: doc } },
  };
}

/** Blocks and structures in a document (shown in the replace warning). */
export function countBlocks(doc: EmailDocument | undefined): number {
  if (!doc) return 0;
  return doc.body.reduce((n, s) => n + s.columns.reduce((m, c) => m + c.blocks.length, 0), 0);
}
