// Placeholder until the document model lands.
import type { EmailDocument } from '../../model/message-content.ts';
import type { FieldCompiler } from '../field-compiler.ts';
export async function compileDocument(_doc: EmailDocument, fc: FieldCompiler, field: string, _preheader: string | undefined): Promise<{ html: string; text: string } | undefined> {
  fc.diagnostics.push({ severity: 'error', field, code: 'unsupported', message: 'documents are not supported yet' });
  return undefined;
}
