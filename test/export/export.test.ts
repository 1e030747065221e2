// Exports of message and journey events: a journey sends the abandoned-cart email and the
// recipient opens it; the range's events come back as JSON lines from a folder, from the
// download route, and from an S3 stand-in that checks every request's SigV4 signature.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cart, lumaEvent, PUBLIC_URL, T0 } from '../support/luma.ts';
import { apiWorld, type ApiWorld } from '../support/server.ts';
import { until } from '../webhooks/receiver.ts';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { s3StandIn } from './s3-standin.ts';
import { sha256Hex, signRequest } from '../../src/runtime/export/sigv4.ts';

const EMAIL = 'jean.dupont@luma.example';
const FROM = new Date(T0 - 3600_000).toISOString();
const TO = new Date(T0 + 24 * 3600_000).toISOString();

/** GET Object from the stand-in, signed with the test's key. */
const signedGet = (url: URL, now: number): Promise<Response> =>
  fetch(url, {
    headers: signRequest(
      { method: 'GET', url, payloadHash: sha256Hex(''), region: 'eu-west-1', now: new Date(now) },
      { accessKeyId: 'WAYMARKTEST', secretAccessKey: 'stand-in-secret-key' },
    ),
  });

async function journeyWithOpen(): Promise<ApiWorld> {
  const w = await apiWorld();
  await w.request('POST', '/v1/events', lumaEvent('LumaCheckoutEvent_Email', EMAIL, cart));
  await w.advance(61_000);
  const mail = await until(() => w.inbox.list({ to: EMAIL })[0], 'the email');
  const pixel = /src="([^"]+\.gif)"/.exec(mail.html)![1]!.slice(PUBLIC_URL.length);
  await w.server.inject({ method: 'GET', url: pixel });
  await new Promise((r) => setTimeout(r, 50));
  return w;
}

type Line = { type: string; occurredAt: string; profileId: string; messageId: string | null };
const linesOf = (text: string): Line[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);

function checkLines(lines: Line[]): void {
  const types = lines.map((l) => l.type);
  assert.ok(types.includes('journey.entered'), types.join());
  assert.ok(types.includes('message.sent'), types.join());
  assert.ok(types.includes('message.opened'), types.join());
  const sorted = [...lines].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  assert.deepEqual(lines, sorted, 'in time order');
  const sent = lines.find((l) => l.type === 'message.sent')!;
  const opened = lines.find((l) => l.type === 'message.opened')!;
  assert.equal(opened.messageId, sent.messageId, 'the open names the message sent');
}

test('an export to a folder is read back line by line; the download answers the same lines', async () => {
  const w = await journeyWithOpen();
  const folder = await mkdtemp(join(tmpdir(), 'waymark-export-test-'));
  try {
    const r = await w.app.exports.run({
      sandbox: 'prod',
      from: Date.parse(FROM),
      to: Date.parse(TO),
      destination: { kind: 'folder', folder },
    });
    assert.ok(r.location.startsWith(folder) && r.location.endsWith('.jsonl'), r.location);
    const lines = linesOf(await readFile(r.location, 'utf8'));
    assert.equal(lines.length, r.records);
    checkLines(lines);

    const download = await w.server.inject({
      method: 'GET',
      url: `/v1/exports/events?from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`,
      headers: { authorization: `Bearer ${'test-admin-key-0123456789'}` },
    });
    assert.equal(download.statusCode, 200);
    assert.match(String(download.headers['content-type']), /application\/x-ndjson/);
    assert.deepEqual(linesOf(download.body), lines);

    const empty = await w.request(
      'GET',
      `/v1/exports/events?from=${encodeURIComponent(TO)}&to=${encodeURIComponent(FROM)}`,
    );
    assert.equal(empty.status, 400, 'a range ending before it starts');
    const noFolder = await w.request('POST', '/v1/exports', {
      from: FROM,
      to: TO,
      destination: { kind: 'folder' },
    });
    assert.equal(noFolder.status, 400, 'this server was given no export folder');
  } finally {
    await rm(folder, { recursive: true, force: true });
    await w.close();
  }
});

test('an export to an S3-compatible store: signed PUT, read back; a wrong secret is refused', async () => {
  const w = await journeyWithOpen();
  const s3 = await s3StandIn({
    keys: { WAYMARKTEST: 'stand-in-secret-key' },
    now: () => w.clock.now(),
  });
  try {
    const r = await w.request('POST', '/v1/exports', {
      from: FROM,
      to: TO,
      destination: {
        kind: 's3',
        endpoint: s3.endpoint,
        bucket: 'journey-data',
        prefix: 'waymark/',
        region: 'eu-west-1',
        accessKeyId: 'WAYMARKTEST',
        secretAccessKey: 'stand-in-secret-key',
      },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(s3.refused, []);
    const key = new URL(r.body.location).pathname;
    assert.match(key, /^\/journey-data\/waymark\/waymark-events-prod-.*\.jsonl$/);
    const unsigned = await fetch(r.body.location);
    assert.equal(unsigned.status, 403, 'reading back needs a signature too');
    const url = new URL(r.body.location);
    const got = await signedGet(url, w.clock.now());
    assert.equal(got.status, 200, 'a signed GET Object reads it back');
    assert.equal(got.headers.get('content-type'), 'application/x-ndjson');
    const lines = linesOf(await got.text());
    assert.equal(lines.length, r.body.records);
    checkLines(lines);

    const wrong = await w.request('POST', '/v1/exports', {
      from: FROM,
      to: TO,
      destination: {
        kind: 's3',
        endpoint: s3.endpoint,
        bucket: 'journey-data',
        accessKeyId: 'WAYMARKTEST',
        secretAccessKey: 'not-the-secret',
      },
    });
    assert.equal(wrong.status, 502, JSON.stringify(wrong.body));
    assert.deepEqual(s3.refused, ['AuthorizationHeaderMalformed', 'SignatureDoesNotMatch']);
    assert.doesNotMatch(JSON.stringify(wrong.body), /not-the-secret/);

    const elsewhere = await w.request('POST', '/v1/exports', {
      from: FROM,
      to: TO,
      destination: {
        kind: 's3',
        endpoint: 'https://s3.example.com',
        bucket: 'b-1',
        accessKeyId: 'k',
        secretAccessKey: 's',
      },
    });
    assert.equal(elsewhere.status, 400, 'an endpoint the sandbox does not allow');
  } finally {
    await s3.close();
    await w.close();
  }
});

/** A Parquet file read back with hyparquet (an independent reader), as JSON-like rows. */
const arrayBufferOf = (bytes: Uint8Array): ArrayBuffer => new Uint8Array(bytes).buffer;
async function parquetRows(bytes: Uint8Array): Promise<Array<Record<string, unknown>>> {
  const file = arrayBufferOf(bytes);
  const meta = parquetMetadata(file);
  const rows = await parquetReadObjects({ file });
  assert.equal(Number(meta.num_rows), rows.length);
  return rows;
}

test('a Parquet export holds the same events as the JSON lines, typed; to a folder, downloaded and to S3', async () => {
  const w = await journeyWithOpen();
  const folder = await mkdtemp(join(tmpdir(), 'waymark-export-test-'));
  const s3 = await s3StandIn({
    keys: { WAYMARKTEST: 'stand-in-secret-key' },
    now: () => w.clock.now(),
  });
  try {
    const range = { sandbox: 'prod', from: Date.parse(FROM), to: Date.parse(TO) };
    const json = await w.app.exports.run({ ...range, destination: { kind: 'folder', folder } });
    const lines = linesOf(await readFile(json.location, 'utf8'));
    const r = await w.app.exports.run({
      ...range,
      format: 'parquet',
      destination: { kind: 'folder', folder },
    });
    assert.ok(r.location.endsWith('.parquet'), r.location);
    const bytes = await readFile(r.location);
    assert.equal(bytes.subarray(0, 4).toString(), 'PAR1', 'a Parquet file');
    const rows = await parquetRows(bytes);
    assert.equal(rows.length, lines.length);
    assert.equal(r.records, lines.length);
    // The same records: timestamps come back as Dates, the rest as written.
    const asLines = rows.map((row) => ({
      ...row,
      occurredAt: (row.occurredAt as Date).toISOString(),
    }));
    assert.deepEqual(asLines, lines);
    checkLines(asLines as Line[]);
    const meta = parquetMetadata(arrayBufferOf(bytes));
    const schema = Object.fromEntries(meta.schema.slice(1).map((s) => [s.name, s]));
    assert.equal(schema.occurredAt!.type, 'INT64');
    assert.equal(schema.occurredAt!.converted_type, 'TIMESTAMP_MILLIS');
    assert.equal(schema.journeyVersion!.type, 'INT32');
    assert.equal(schema.profileId!.repetition_type, 'REQUIRED');
    assert.equal(schema.messageId!.repetition_type, 'OPTIONAL');

    const download = await w.server.inject({
      method: 'GET',
      url: `/v1/exports/events?from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}&format=parquet`,
      headers: { authorization: `Bearer ${'test-admin-key-0123456789'}` },
    });
    assert.equal(download.statusCode, 200, download.body);
    assert.match(String(download.headers['content-type']), /application\/vnd\.apache\.parquet/);
    assert.match(String(download.headers['content-disposition']), /\.parquet"$/);
    assert.deepEqual(await parquetRows(download.rawPayload), rows);

    const badFormat = await w.request(
      'GET',
      `/v1/exports/events?from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}&format=csv`,
    );
    assert.equal(badFormat.status, 400);
    assert.match(JSON.stringify(badFormat.body), /format/);
    const badRange = await w.request(
      'GET',
      `/v1/exports/events?from=${encodeURIComponent(TO)}&to=${encodeURIComponent(FROM)}&format=parquet`,
    );
    assert.equal(badRange.status, 400, 'a bad range is refused before any file is answered');

    const put = await w.request('POST', '/v1/exports', {
      from: FROM,
      to: TO,
      format: 'parquet',
      destination: {
        kind: 's3',
        endpoint: s3.endpoint,
        bucket: 'journey-data',
        region: 'eu-west-1',
        accessKeyId: 'WAYMARKTEST',
        secretAccessKey: 'stand-in-secret-key',
      },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const url = new URL(put.body.location);
    assert.match(url.pathname, /\.parquet$/);
    const got = await signedGet(url, w.clock.now());
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'application/vnd.apache.parquet');
    assert.deepEqual(await parquetRows(new Uint8Array(await got.arrayBuffer())), rows);
  } finally {
    await s3.close();
    await rm(folder, { recursive: true, force: true });
    await w.close();
  }
});
