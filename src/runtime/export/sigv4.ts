// AWS Signature Version 4 for S3 requests (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html):
// the canonical request (method, URI-encoded path, sorted query, sorted lower-case headers, signed
// header names, payload hash), the string to sign (algorithm, time, scope, hash of the canonical
// request) and the signature with the key derived from the secret, date, region and service.
import { createHash, createHmac } from 'node:crypto';

export interface SigV4Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SigV4Request {
  readonly method: string;
  readonly url: URL;
  /** Headers to sign besides host, x-amz-date and x-amz-content-sha256 (added). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Hex SHA-256 of the body, or UNSIGNED-PAYLOAD. */
  readonly payloadHash: string;
  readonly region: string;
  readonly service?: string;
  readonly now: Date;
}

export const sha256Hex = (data: string | Buffer): string =>
  createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer =>
  createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as S3 wants it: unreserved characters kept, `/` kept in paths. */
export function uriEncode(s: string, keepSlash: boolean): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === '/')) return c;
      return `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

const amzDate = (d: Date): string =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** The canonical request of the signature (exported for the stand-in server that checks it). */
export function canonicalRequest(
  method: string,
  url: URL,
  headers: Readonly<Record<string, string>>,
  signedHeaders: readonly string[],
  payloadHash: string,
): string {
  const path = uriEncode(decodeURIComponent(url.pathname), true) || '/';
  const query = [...url.searchParams]
    .map(([k, v]) => [uriEncode(k, false), uriEncode(v, false)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = signedHeaders
    .map((h) => `${h}:${(headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  return [method, path, query, canonicalHeaders, signedHeaders.join(';'), payloadHash].join('\n');
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** The headers to send: the given ones, host, x-amz-date, x-amz-content-sha256 and Authorization. */
export function signRequest(req: SigV4Request, creds: SigV4Credentials): Record<string, string> {
  const service = req.service ?? 's3';
  const time = amzDate(req.now);
  const date = time.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
  headers['host'] = req.url.host;
  headers['x-amz-date'] = time;
  headers['x-amz-content-sha256'] = req.payloadHash;
  if (creds.sessionToken) headers['x-amz-security-token'] = creds.sessionToken;
  const signed = Object.keys(headers).sort();
  const scope = `${date}/${req.region}/${service}/aws4_request`;
  const toSign = [
    'AWS4-HMAC-SHA256',
    time,
    scope,
    sha256Hex(canonicalRequest(req.method, req.url, headers, signed, req.payloadHash)),
  ].join('\n');
  const signature = createHmac(
    'sha256',
    signingKey(creds.secretAccessKey, date, req.region, service),
  )
    .update(toSign)
    .digest('hex');
  headers['authorization'] =
    `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  return headers;
}
