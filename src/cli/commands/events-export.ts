// `waymark events export`: the message and journey events of a time range as JSON lines or Parquet,
// downloaded
// into a local folder (GET /v1/exports/events), or written by the server to an S3-compatible
// bucket (POST /v1/exports; credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) or to its
// own export folder. (`waymark export` is the package export.)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { addClientOptions, call, clientOptions, CliError } from '../client.ts';

type Opts = { url: string; key?: string; data: string; sandbox: string };
type Out = (text: string) => void;

interface ExportOpts extends Opts {
  from: string;
  to: string;
  out?: string;
  serverFolder?: boolean;
  s3Endpoint?: string;
  bucket?: string;
  prefix?: string;
  region: string;
  format: string;
}

const FORMATS = ['jsonl', 'parquet'];

export function registerEventsExportCommand(
  program: Command,
  out: Out = (t) => {
    process.stdout.write(t);
  },
): void {
  const events =
    program.commands.find((c) => c.name() === 'events') ??
    program.command('events').description('send and export events');
  addClientOptions(
    events
      .command('export')
      .description('message and journey events of a time range, as JSON lines or Parquet')
      .requiredOption('--from <instant>', 'ISO-8601 instant or date, inclusive')
      .requiredOption('--to <instant>', 'ISO-8601 instant or date, exclusive')
      .option('--format <f>', 'jsonl (JSON lines) or parquet', 'jsonl')
      .option('--out <dir>', 'download into this local folder')
      .option('--server-folder', "have the server write into its data folder's exports/")
      .option('--s3-endpoint <url>', 'have the server PUT the file to this S3-compatible endpoint')
      .option('--bucket <name>', 'the S3 bucket')
      .option('--prefix <p>', 'the object key prefix (e.g. waymark/)')
      .option('--region <r>', 'the S3 region', process.env.AWS_REGION ?? 'us-east-1'),
  ).action(async (o: ExportOpts) => {
    const c = clientOptions(o);
    if (!FORMATS.includes(o.format))
      throw new CliError(`--format: expected jsonl or parquet, got "${o.format}"`);
    if (o.s3Endpoint || o.serverFolder) {
      let destination: Record<string, unknown> = { kind: 'folder' };
      if (o.s3Endpoint) {
        const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
        const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
        if (!o.bucket) throw new CliError('--bucket is required with --s3-endpoint');
        if (!accessKeyId || !secretAccessKey)
          throw new CliError('set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for --s3-endpoint');
        destination = {
          kind: 's3',
          endpoint: o.s3Endpoint,
          bucket: o.bucket,
          region: o.region,
          accessKeyId,
          secretAccessKey,
          ...(process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}),
          ...(o.prefix ? { prefix: o.prefix } : {}),
        };
      }
      const r = (await call(c, 'POST', '/v1/exports', {
        from: o.from,
        to: o.to,
        format: o.format,
        destination,
      })) as { location: string; records: number; bytes: number };
      out(`${r.records} events (${r.bytes} bytes) → ${r.location}\n`);
      return;
    }
    if (!o.out)
      throw new CliError('say where: --out <dir>, --s3-endpoint <url> or --server-folder');
    const q = new URLSearchParams({ from: o.from, to: o.to, format: o.format });
    const res = await fetch(`${c.url}/v1/exports/events?${q.toString()}`, {
      headers: { authorization: `Bearer ${c.key}`, 'x-sandbox-name': c.sandbox },
    }).catch((e: unknown) => {
      throw new CliError(`cannot reach ${c.url}: ${(e as Error).message}`);
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (!res.ok) {
      const text = bytes.toString('utf8');
      let message: string | undefined;
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message;
      } catch {
        message = undefined;
      }
      throw new CliError(`${res.status}: ${message ?? text}`);
    }
    const name =
      /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ??
      `waymark-events.${o.format}`;
    mkdirSync(o.out, { recursive: true });
    const file = join(o.out, name);
    writeFileSync(file, bytes, { mode: 0o600 });
    if (o.format === 'parquet') {
      out(`${bytes.length} bytes of Parquet → ${file}\n`);
      return;
    }
    const text = bytes.toString('utf8');
    const lines = text === '' ? 0 : text.trimEnd().split('\n').length;
    out(`${lines} events → ${file}\n`);
  });
}
