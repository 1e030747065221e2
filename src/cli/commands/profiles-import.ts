// `waymark profiles import FILE`: bulk import of profiles from CSV (header `namespace,id,<attribute
// paths…>`) or JSON lines (`{namespace, id, attributes?, identities?, testProfile?}`), sent in chunks
// to POST /v1/profiles/import, with progress on stderr and a per-row error report (file lines).
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { csvRecords } from '../../runtime/audiences/import-rows.ts';
import { addClientOptions, call, CliError, clientOptions, print, type ClientOptions } from '../client.ts';

type Opts = { url: string; key?: string; data: string; sandbox: string; format?: string; chunk: string };

interface ChunkReport { total: number; imported: number; failed: number; errors: Array<{ line: number; issues: Array<{ path: string; message: string }> }> }

/** One request's worth of rows, and the file line of each row the server numbers (its line n is lines[n]). */
interface Chunk { readonly body: string; readonly lines: ReadonlyMap<number, number>; readonly malformed: ReadonlyArray<{ line: number; message: string }> }

const quote = (f: string): string => `"${f.replace(/"/g, '""')}"`;

function* csvChunks(text: string, size: number): Generator<Chunk> {
  let header: string | undefined;
  let rows: string[] = [];
  let lines = new Map<number, number>();
  let malformed: Array<{ line: number; message: string }> = [];
  for (const rec of csvRecords(text)) {
    if (header === undefined) { header = rec.fields.map(quote).join(','); continue; }
    // Records are sent re-quoted, one per line; a malformed one is reported here, on its file line.
    if (rec.error) { malformed.push({ line: rec.line, message: rec.error }); continue; }
    rows.push(rec.fields.map(quote).join(','));
    lines.set(rows.length + 1, rec.line);
    if (rows.length >= size) { yield { body: [header, ...rows].join('\n'), lines, malformed }; rows = []; lines = new Map(); malformed = []; }
  }
  if (header === undefined) throw new CliError('the file is empty: expected a header line');
  if (rows.length > 0 || malformed.length > 0) yield { body: [header, ...rows].join('\n'), lines, malformed };
}

function* jsonlChunks(text: string, size: number): Generator<Chunk> {
  const all = text.split('\n');
  for (let i = 0; i < all.length; i += size) {
    const part = all.slice(i, i + size);
    yield { body: part.join('\n'), lines: new Map(part.map((_, k) => [k + 1, i + k + 1] as const)), malformed: [] };
  }
}

export async function importProfiles(c: ClientOptions, file: string, format: 'csv' | 'jsonl', chunkSize: number, out: NodeJS.WritableStream = process.stderr): Promise<ChunkReport> {
  const text = readFileSync(file, 'utf8');
  const tty = (out as NodeJS.WriteStream).isTTY === true;
  const total: ChunkReport = { total: 0, imported: 0, failed: 0, errors: [] };
  const chunks = format === 'csv' ? csvChunks(text, chunkSize) : jsonlChunks(text, chunkSize);
  for (const chunk of chunks) {
    const r = (await call(c, 'POST', `/v1/profiles/import?format=${format}`, chunk.body, format === 'csv' ? 'text/csv' : 'application/x-ndjson')) as ChunkReport;
    total.total += r.total;
    total.imported += r.imported;
    total.failed += r.failed + chunk.malformed.length;
    total.total += chunk.malformed.length;
    const local = chunk.malformed.map((m) => ({ line: m.line, issues: [{ path: '(record)', message: m.message }] }));
    r.errors = [...local, ...r.errors.map((e) => ({ ...e, line: chunk.lines.get(e.line) ?? e.line }))].sort((a, b) => a.line - b.line);
    for (const e of r.errors) {
      const line = e.line;
      total.errors.push({ line, issues: e.issues });
      out.write(`${tty ? '\n' : ''}line ${line}: ${e.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}\n`);
    }
    if (tty) out.write(`\r${total.total} rows · ${total.imported} imported · ${total.failed} failed`);
  }
  if (tty) out.write('\n');
  return total;
}

export function registerProfilesImportCommand(program: Command): void {
  const profiles = program.commands.find((cmd) => cmd.name() === 'profiles') ?? program.command('profiles').description('profiles');
  addClientOptions(profiles.command('import <file>')
    .description('import profiles from a CSV file (namespace,id,<attribute paths>) or JSON lines; prints a per-row error report')
    .option('--format <format>', 'csv or jsonl (default: from the file extension)')
    .option('--chunk <n>', 'rows per request', '1000'))
    .action(async (file: string, o: Opts) => {
      const format = o.format ?? (extname(file).toLowerCase() === '.csv' ? 'csv' : 'jsonl');
      if (format !== 'csv' && format !== 'jsonl') throw new CliError('--format must be csv or jsonl');
      const size = Number(o.chunk);
      if (!Number.isInteger(size) || size < 1 || size > 10_000) throw new CliError('--chunk must be 1 to 10000');
      const r = await importProfiles(clientOptions(o), file, format, size);
      print({ total: r.total, imported: r.imported, failed: r.failed });
      if (r.failed > 0) process.exitCode = 1;
    });
}
