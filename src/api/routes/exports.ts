// Exports of message and journey events for a time range, as JSON lines or Parquet: downloaded
// (GET /v1/exports/events; JSON lines streamed, Parquet written to a temporary file first, since its
// footer comes last) or written by the server to its export folder or an
// S3-compatible bucket (POST /v1/exports). The lines hold profile data: profiles.read.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ErrorCode, WaymarkError } from '../../errors.ts';
import type { Waymark } from '../../runtime/app.ts';
import { ExportService, type ExportDestination } from '../../runtime/export/service.ts';
import { parseWith, sandboxOf } from '../context.ts';
import { openApi } from './request-input.ts';

const instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((s) => Date.parse(s));

const exportFormat = z
  .enum(['jsonl', 'parquet'])
  .default('jsonl')
  .describe('JSON lines (default) or Parquet (the same columns, typed)');

const exportInputSchema = z
  .object({
    from: instant.describe('ISO-8601 instant or date, inclusive'),
    to: instant.describe('ISO-8601 instant or date, exclusive'),
    format: exportFormat,
    destination: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('folder') }).describe("The server's export folder"),
      z.object({
        kind: z.literal('s3'),
        endpoint: z.string().url().describe('http(s)://host[:port] of the S3 API'),
        bucket: z.string().min(3).max(63),
        region: z.string().min(1).max(40).default('us-east-1'),
        prefix: z.string().max(500).optional(),
        accessKeyId: z.string().min(1).max(200),
        secretAccessKey: z.string().min(1).max(200),
        sessionToken: z.string().max(4000).optional(),
      }),
    ]),
  })
  .meta({ title: 'Export request' });

const rangeQuery = z.object({
  from: instant.describe('ISO-8601 instant or date, inclusive'),
  to: instant.describe('ISO-8601 instant or date, exclusive'),
  format: exportFormat,
});

export function exportRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    const tags = ['exports'];
    f.get<{ Querystring: { from?: string; to?: string; format?: string } }>(
      '/exports/events',
      {
        schema: {
          tags,
          summary:
            'Message and journey events of a time range as JSON lines or Parquet, in time order (?from=&to=, ISO-8601; &format=parquet)',
          querystring: openApi(rangeQuery),
        },
        config: { permission: 'profiles.read' },
      },
      async (req, reply) => {
        const sandbox = sandboxOf(req);
        const { from, to, format } = parseWith(rangeQuery, req.query, 'range');
        const attachment = `attachment; filename="${ExportService.fileName(sandbox, from, to, format)}"`;
        if (format === 'parquet') {
          const work = await mkdtemp(join(tmpdir(), 'waymark-export-'));
          const file = join(work, 'events.parquet');
          try {
            await app.exports.writeFile(file, sandbox, { from, to }, 'parquet');
          } catch (e) {
            await rm(work, { recursive: true, force: true });
            throw e;
          }
          const body = createReadStream(file);
          body.once('close', () => void rm(work, { recursive: true, force: true }));
          return reply
            .type(ExportService.contentType('parquet'))
            .header('content-disposition', attachment)
            .send(body);
        }
        // The first page is read before answering, so that a bad range is a 400, not a cut stream.
        const records = app.exports.records(sandbox, from, to);
        const first = await records.next();
        const lines = async function* (): AsyncGenerator<string> {
          if (!first.done) yield `${JSON.stringify(first.value)}\n`;
          for await (const r of records) yield `${JSON.stringify(r)}\n`;
        };
        return reply
          .type(ExportService.contentType('jsonl'))
          .header('content-disposition', attachment)
          .send(Readable.from(lines()));
      },
    );
    f.post(
      '/exports',
      {
        schema: {
          tags,
          summary:
            'Write the message and journey events of a time range as JSON lines or Parquet to the server export folder or an S3-compatible bucket (PUT Object, SigV4)',
          body: openApi(exportInputSchema),
        },
        config: { permission: 'profiles.read' },
      },
      async (req) => {
        const sandbox = sandboxOf(req);
        const input = parseWith(exportInputSchema, req.body, 'export');
        let destination: ExportDestination;
        if (input.destination.kind === 'folder') {
          if (app.exportFolder === null)
            throw new WaymarkError(
              ErrorCode.BadRequest,
              'this server has no export folder: export to an S3 bucket, or download GET /v1/exports/events',
            );
          destination = { kind: 'folder', folder: join(app.exportFolder, sandbox) };
        } else {
          const d = input.destination;
          destination = {
            kind: 's3',
            endpoint: d.endpoint,
            bucket: d.bucket,
            region: d.region,
            ...(d.prefix === undefined ? {} : { prefix: d.prefix }),
            credentials: {
              accessKeyId: d.accessKeyId,
              secretAccessKey: d.secretAccessKey,
              ...(d.sessionToken === undefined ? {} : { sessionToken: d.sessionToken }),
            },
          };
        }
        return app.exports.run({
          sandbox,
          from: input.from,
          to: input.to,
          format: input.format,
          destination,
        });
      },
    );
  };
}
