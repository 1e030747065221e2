// The spellings of API paths an attacker would try (the auth and permission matrices ask each).
import { request as httpRequest } from 'node:http';

/** The spellings of one API path that a router or a proxy may read as the same path. */
export function variants(path: string): string[] {
  const rest = path.slice('/v1'.length);
  const encodeAll = (s: string): string =>
    [...s]
      .map((c) => (c === '/' ? c : `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`))
      .join('');
  return [
    path,
    `/%761${rest}`,
    `/v%31${rest}`,
    `/%76%31${rest}`,
    `/%56%31${rest}`,
    `/v1${encodeAll(rest)}`,
    `/v1${rest.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
    `//v1${rest}`,
    `/v1/${rest}`,
    `/V1${rest}`,
    `/v1${rest.toUpperCase()}`,
    `${path}/`,
    `${path};a=b`,
    `/v1;a=b${rest}`,
    `/x/..${path}`,
    `/v1/.${rest}`,
    `/x/%2e%2e${path}`,
    `/v1%2f${rest.slice(1)}`,
    `${path}?x=1`,
  ];
}

export interface RawAnswer {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** A request with its path sent exactly as written (fetch and inject would normalise it). */
export function rawRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          ...(body !== undefined
            ? {
                'content-type': 'application/json',
                'content-length': String(Buffer.byteLength(body)),
              }
            : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            headers: res.headers,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
