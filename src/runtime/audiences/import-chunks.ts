// A profile import file cut into requests for POST /v1/profiles/import, with each row's file line
// kept, so that the per-row error report names the lines of the file (the CLI and the console send
// files this way, with progress between requests). Records the CSV reader cannot read are reported
// here, on their line, and not sent.
import { csvRecords } from './import-rows.ts';

export interface ImportReport {
  total: number;
  imported: number;
  failed: number;
  errors: Array<{ line: number; issues: Array<{ path: string; message: string }> }>;
}

/** One request's worth of rows, and the file line of each row the server numbers (its line n is lines[n]). */
export interface ImportChunk {
  readonly body: string;
  readonly lines: ReadonlyMap<number, number>;
  readonly malformed: ReadonlyArray<{ line: number; message: string }>;
}

const quote = (f: string): string => `"${f.replace(/"/g, '""')}"`;

function* csvChunks(text: string, size: number): Generator<ImportChunk> {
  let header: string | undefined;
  let rows: string[] = [];
  let lines = new Map<number, number>();
  let malformed: Array<{ line: number; message: string }> = [];
  for (const rec of csvRecords(text)) {
    if (header === undefined) {
      header = rec.fields.map(quote).join(',');
      continue;
    }
    // Records are sent re-quoted, one per line; a malformed one is reported here, on its file line.
    if (rec.error) {
      malformed.push({ line: rec.line, message: rec.error });
      continue;
    }
    rows.push(rec.fields.map(quote).join(','));
    lines.set(rows.length + 1, rec.line);
    if (rows.length >= size) {
      yield { body: [header, ...rows].join('\n'), lines, malformed };
      rows = [];
      lines = new Map();
      malformed = [];
    }
  }
  if (header === undefined) throw new Error('the file is empty: expected a header line');
  if (rows.length > 0 || malformed.length > 0)
    yield { body: [header, ...rows].join('\n'), lines, malformed };
}

function* jsonlChunks(text: string, size: number): Generator<ImportChunk> {
  const all = text.split('\n');
  for (let i = 0; i < all.length; i += size) {
    const part = all.slice(i, i + size);
    yield {
      body: part.join('\n'),
      lines: new Map(part.map((_, k) => [k + 1, i + k + 1] as const)),
      malformed: [],
    };
  }
}

export function importChunks(
  text: string,
  format: 'csv' | 'jsonl',
  size: number,
): Generator<ImportChunk> {
  return format === 'csv' ? csvChunks(text, size) : jsonlChunks(text, size);
}

/** Adds a chunk's answer to the running report; returns the chunk's errors on their file lines. */
export function addChunkReport(
  total: ImportReport,
  chunk: ImportChunk,
  answer: ImportReport,
): ImportReport['errors'] {
  total.total += answer.total + chunk.malformed.length;
  total.imported += answer.imported;
  total.failed += answer.failed + chunk.malformed.length;
  const local = chunk.malformed.map((m) => ({
    line: m.line,
    issues: [{ path: '(record)', message: m.message }],
  }));
  const errors = [
    ...local,
    ...answer.errors.map((e) => ({ ...e, line: chunk.lines.get(e.line) ?? e.line })),
  ].sort((a, b) => a.line - b.line);
  total.errors.push(...errors);
  return errors;
}
