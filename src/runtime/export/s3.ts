// PUT Object to an S3-compatible store (AWS S3, MinIO, Ceph, R2, …), path-style
// (`<endpoint>/<bucket>/<key>`), signed with SigV4 over the file's SHA-256, the body streamed from
// the file. Objects up to 5 GB (one PUT; larger ones would need a multipart upload).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createHash } from 'node:crypto';
import { WaymarkError, ErrorCode } from '../../errors.ts';
import { signRequest, uriEncode, type SigV4Credentials } from './sigv4.ts';

export interface S3Destination {
  /** `https://s3.eu-west-1.amazonaws.com`, `http://127.0.0.1:9000` … */
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly credentials: SigV4Credentials;
}

async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export function objectUrl(dest: S3Destination, key: string): URL {
  const base = dest.endpoint.replace(/\/+$/, '');
  return new URL(`${base}/${uriEncode(dest.bucket, false)}/${uriEncode(key, true)}`);
}

/** Uploads a file; resolves with the object's URL and ETag. */
export async function putObjectFromFile(
  dest: S3Destination,
  key: string,
  file: string,
  contentType: string,
  now: Date,
): Promise<{ url: string; etag: string | null }> {
  const url = objectUrl(dest, key);
  const size = (await stat(file)).size;
  const headers = signRequest(
    {
      method: 'PUT',
      url,
      headers: { 'content-type': contentType, 'content-length': String(size) },
      payloadHash: await fileSha256(file),
      region: dest.region,
      now,
    },
    dest.credentials,
  );
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'PUT', headers, timeout: 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300)
          resolve({ url: url.toString(), etag: (res.headers.etag as string | undefined) ?? null });
        else
          reject(
            new WaymarkError(
              ErrorCode.ProviderError,
              `the S3 store answered ${status} to PUT ${url.pathname}: ${Buffer.concat(chunks).toString('utf8').slice(0, 500)}`,
              { retryable: status >= 500 },
            ),
          );
      });
    });
    req.on('timeout', () => req.destroy(new Error('the S3 store did not answer within 60 s')));
    req.on('error', (e) =>
      reject(new WaymarkError(ErrorCode.ProviderError, `the S3 store: ${e.message}`, { cause: e })),
    );
    createReadStream(file).pipe(req);
  });
}
