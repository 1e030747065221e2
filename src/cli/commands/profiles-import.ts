// `waymark profiles import FILE`: bulk import of profiles from CSV (header `namespace,id,<attribute
// paths…>`) or JSON lines (`{namespace, id, attributes?, identities?, testProfile?}`), sent in chunks
// to POST /v1/profiles/import, with progress on stderr and a per-row error report (file lines).
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Command } from 'commander';
import type { ImportChunk, ImportReport } from '../../runtime/audiences/import-chunks.ts';
import {
  addClientOptions,
  call,
  CliError,
  clientOptions,
  print,
  type ClientOptions,
} from '../client.ts';

type Opts = {
  url: string;
  key?: string;
  data: string;
  sandbox: string;
  format?: string;
  chunk: string;
};

export async function importProfiles(
  c: ClientOptions,
  file: string,
  format: 'csv' | 'jsonl',
  chunkSize: number,
  out: NodeJS.WritableStream = process.stderr,
): Promise<ImportReport> {
  // The row checks (the profile schemas) load when an import runs, not with every command.
  const { addChunkReport, importChunks } = await import('../../runtime/audiences/import-chunks.ts');
  const text = readFileSync(file, 'utf8');
  const tty = (out as NodeJS.WriteStream).isTTY === true;
  const total: ImportReport = { total: 0, imported: 0, failed: 0, errors: [] };
  let chunks: Generator<ImportChunk>;
  try {
    chunks = importChunks(text, format, chunkSize);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  for (;;) {
    let next: IteratorResult<ImportChunk>;
    try {
      next = chunks.next();
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    if (next.done) break;
    const chunk = next.value;
    const r = (await call(
      c,
      'POST',
      `/v1/profiles/import?format=${format}`,
      chunk.body,
      format === 'csv' ? 'text/csv' : 'application/x-ndjson',
    )) as ImportReport;
    for (const e of addChunkReport(total, chunk, r))
      out.write(
        `${tty ? '\n' : ''}line ${e.line}: ${e.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}\n`,
      );
    if (tty)
      out.write(`\r${total.total} rows · ${total.imported} imported · ${total.failed} failed`);
  }
  if (tty) out.write('\n');
  return total;
}

export function registerProfilesImportCommand(program: Command): void {
  const profiles =
    program.commands.find((cmd) => cmd.name() === 'profiles') ??
    program.command('profiles').description('profiles');
  addClientOptions(
    profiles
      .command('import <file>')
      .description(
        'import profiles from a CSV file (namespace,id,<attribute paths>) or JSON lines; prints a per-row error report',
      )
      .option('--format <format>', 'csv or jsonl (default: from the file extension)')
      .option('--chunk <n>', 'rows per request', '1000'),
  ).action(async (file: string, o: Opts) => {
    const format = o.format ?? (extname(file).toLowerCase() === '.csv' ? 'csv' : 'jsonl');
    if (format !== 'csv' && format !== 'jsonl') throw new CliError('--format must be csv or jsonl');
    const size = Number(o.chunk);
    if (!Number.isInteger(size) || size < 1 || size > 10_000)
      throw new CliError('--chunk must be 1 to 10000');
    const r = await importProfiles(clientOptions(o), file, format, size);
    print({ total: r.total, imported: r.imported, failed: r.failed });
    if (r.failed > 0) process.exitCode = 1;
  });
}
