// A local stand-in for the S3 API, enough of the real protocol for exports: path-style PUT and GET
// Object, every request's AWS Signature V4 checked (its own implementation, from the AWS
// documentation, not the signer under test): the credential scope, the signed headers, the
// payload hash against the body received, the time skew (15 minutes), then the signature.
// Answers as S3 does: 403 SignatureDoesNotMatch, 200 with an ETag.
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandIn {
  readonly endpoint: string;
  readonly objects: Map<string, { body: Buffer; contentType: string | undefined }>;
  readonly refused: string[];
  close(): Promise<void>;
}

const hex = (b: string | Buffer): string => createHash('sha256').update(b).digest('hex');
const mac = (k: string | Buffer, s: string): Buffer => createHmac('sha256', k).update(s).digest();
const enc = (s: string): string =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

function problem(
  req: IncomingMessage,
  body: Buffer,
  keys: Map<string, string>,
  nowMs: number,
): string | null {
  const auth = req.headers.authorization ?? '';
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m) return 'AuthorizationHeaderMalformed';
  const [, keyId, date, region, signedHeaders, signature] = m as unknown as string[];
  const secret = keys.get(keyId!);
  if (secret === undefined) return 'InvalidAccessKeyId';
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!amzDate.startsWith(date!)) return 'AuthorizationHeaderMalformed';
  const at = Date.parse(
    amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
  );
  if (!(Math.abs(at - nowMs) <= 15 * 60_000)) return 'RequestTimeTooSkewed';
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
  if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== hex(body))
    return 'XAmzContentSHA256Mismatch';
  const names = signedHeaders!.split(';');
  if (!names.includes('host') || !names.includes('x-amz-date')) return 'AccessDenied';
  const url = new URL(req.url ?? '/', 'http://x');
  const path = url.pathname
    .split('/')
    .map((s) => enc(decodeURIComponent(s)))
    .join('/');
  const query = [...url.searchParams]
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .sort()
    .join('&');
  const headerLines = names.map((n) => `${n}:${String(req.headers[n] ?? '').trim()}\n`).join('');
  const canonical = [req.method, path, query, headerLines, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, hex(canonical)].join('\n');
  const key = mac(mac(mac(mac(`AWS4${secret}`, date!), region!), 's3'), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex') === signature
    ? null
    : 'SignatureDoesNotMatch';
}

export async function s3StandIn(opts: {
  keys: Record<string, string>;
  now?: () => number;
}): Promise<StandIn> {
  const keys = new Map(Object.entries(opts.keys));
  const objects = new Map<string, { body: Buffer; contentType: string | undefined }>();
  const refused: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const code = problem(req, body, keys, (opts.now ?? Date.now)());
      if (code) {
        refused.push(code);
        res.writeHead(403, { 'content-type': 'application/xml' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code></Error>`);
        return;
      }
      const key = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (req.method === 'PUT') {
        objects.set(key, { body, contentType: req.headers['content-type'] });
        res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` }).end();
      } else if (req.method === 'GET' && objects.has(key)) {
        const o = objects.get(key)!;
        res.writeHead(200, { 'content-type': o.contentType ?? 'binary/octet-stream' }).end(o.body);
      } else res.writeHead(404).end('<Error><Code>NoSuchKey</Code></Error>');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    objects,
    refused,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
