// Exports of a sandbox's message and journey events for a time range, as JSON lines or Parquet, to
// a folder or an S3-compatible bucket. The store is read a page at a time in time order
// (ExportRepository), written to a file as it goes, then moved into the folder or uploaded
// (one PUT, SigV4): memory stays flat whatever the range holds.
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { validationFailed } from '../../errors.ts';
import type { ExportCursor, ExportRepository } from '../../store/ports.ts';
import type { SandboxHosts } from '../allowed-hosts.ts';
import type { Clock } from '../clock.ts';
import { writeParquet } from './parquet.ts';
import { exportRecord, type ExportRecord } from './records.ts';
import { putObjectFromFile, type S3Destination } from './s3.ts';

export type ExportDestination =
  | { readonly kind: 'folder'; readonly folder: string }
  | ({ readonly kind: 's3'; readonly prefix?: string } & S3Destination);

export type ExportFormat = 'jsonl' | 'parquet';
const CONTENT_TYPE: Readonly<Record<ExportFormat, string>> = {
  jsonl: 'application/x-ndjson',
  parquet: 'application/vnd.apache.parquet',
};

export interface ExportRequest {
  readonly sandbox: string;
  /** JSON lines unless said otherwise. */
  readonly format?: ExportFormat;
  /** Epoch ms, inclusive. */
  readonly from: number;
  /** Epoch ms, exclusive. */
  readonly to: number;
  readonly destination: ExportDestination;
}

export interface ExportResult {
  /** The file written, or the object's URL. */
  readonly location: string;
  readonly records: number;
  readonly bytes: number;
}

const PAGE = 1000;
/** At most this long a range (a year): an export is a batch job, not a dump of all time by accident. */
const MAX_RANGE_MS = 366 * 24 * 3600 * 1000;

export class ExportService {
  constructor(
    private readonly deps: {
      readonly store: ExportRepository;
      readonly clock: Clock;
      readonly hosts: SandboxHosts;
    },
  ) {}

  /** Every record of the range, in time order, a page at a time. */
  async *records(sandbox: string, from: number, to: number): AsyncGenerator<ExportRecord> {
    checkRange(from, to);
    let after: ExportCursor | null = null;
    for (;;) {
      const rows = await this.deps.store.exportRows(sandbox, { from, to }, after, PAGE);
      for (const r of rows) yield exportRecord(sandbox, r);
      if (rows.length < PAGE) return;
      const last = rows[rows.length - 1]!;
      after = { at: last.at, source: last.source, id: last.id };
    }
  }

  /** The file name of an export: sandbox and range, sortable. */
  static fileName(
    sandbox: string,
    from: number,
    to: number,
    format: ExportFormat = 'jsonl',
  ): string {
    const t = (ms: number): string => new Date(ms).toISOString().replace(/[:.]/g, '-');
    return `waymark-events-${sandbox}-${t(from)}--${t(to)}.${format}`;
  }

  static contentType(format: ExportFormat): string {
    return CONTENT_TYPE[format];
  }

  /** Writes the range to `file` in the format; answers how many records. */
  async writeFile(
    file: string,
    sandbox: string,
    range: { readonly from: number; readonly to: number },
    format: ExportFormat,
  ): Promise<number> {
    const records = this.records(sandbox, range.from, range.to);
    return format === 'parquet' ? writeParquet(file, records) : writeLines(file, records);
  }

  async run(req: ExportRequest): Promise<ExportResult> {
    checkRange(req.from, req.to);
    const dest = req.destination;
    if (dest.kind === 's3') {
      const allowed = await this.deps.hosts.check(req.sandbox, dest.endpoint);
      if (!allowed.ok)
        throw validationFailed(`the S3 endpoint's host ${allowed.host} is not an allowed host`, [
          {
            path: 'destination.endpoint',
            message: `add "${allowed.entry}" to the sandbox's allowed hosts first: ${allowed.reason}`,
            received: dest.endpoint,
          },
        ]);
    }
    const work = await mkdtemp(join(tmpdir(), 'waymark-export-'));
    try {
      const format = req.format ?? 'jsonl';
      const name = ExportService.fileName(req.sandbox, req.from, req.to, format);
      const file = join(work, name);
      const records = await this.writeFile(file, req.sandbox, req, format);
      const bytes = (await stat(file)).size;
      if (dest.kind === 'folder') {
        await mkdir(dest.folder, { recursive: true });
        const target = join(dest.folder, name);
        await rename(file, target).catch(async () => copyFile(file, target));
        return { location: target, records, bytes };
      }
      const key = `${(dest.prefix ?? '').replace(/^\/+/, '')}${name}`;
      const put = await putObjectFromFile(
        dest,
        key,
        file,
        CONTENT_TYPE[format],
        new Date(this.deps.clock.now()),
      );
      return { location: put.url, records, bytes };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
}

async function writeLines(file: string, records: AsyncIterable<ExportRecord>): Promise<number> {
  const out = createWriteStream(file, { mode: 0o600 });
  let n = 0;
  try {
    for await (const r of records) {
      if (!out.write(`${JSON.stringify(r)}\n`)) await once(out, 'drain');
      n++;
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return n;
}

function checkRange(from: number, to: number): void {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from)
    throw validationFailed('the time range is empty or invalid', [
      { path: 'to', message: 'must be after from', received: `${from}..${to}` },
    ]);
  if (to - from > MAX_RANGE_MS)
    throw validationFailed('the time range is longer than a year', [
      { path: 'to', message: 'export at most 366 days at a time' },
    ]);
}
