import { createPrivateKey, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

// Compact JWS signing for provider tokens: ES256 (APNs .p8 keys) and RS256 (Google service accounts).

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

export function signJwt(header: Readonly<Record<string, unknown>>, claims: Readonly<Record<string, unknown>>, key: KeyObject | string): string {
  const alg = header['alg'];
  if (alg !== 'ES256' && alg !== 'RS256') throw new Error(`unsupported JWT algorithm ${String(alg)}`);
  const keyObject = typeof key === 'string' ? createPrivateKey(key) : key;
  const input = `${b64url({ ...header, typ: 'JWT' })}.${b64url(claims)}`;
  const signature = alg === 'ES256'
    ? sign('sha256', Buffer.from(input), { key: keyObject, dsaEncoding: 'ieee-p1363' })
    : sign('sha256', Buffer.from(input), keyObject);
  return `${input}.${signature.toString('base64url')}`;
}

/** A token re-signed only when older than `maxAgeMs` (APNs refuses refreshes more often than every 20 min). */
export class CachedJwt {
  #token: string | undefined;
  #issuedAt = 0;
  readonly #make: (nowSeconds: number) => string;
  readonly #maxAgeMs: number;
  readonly #now: () => number;

  constructor(make: (nowSeconds: number) => string, maxAgeMs: number, now: () => number) {
    this.#make = make;
    this.#maxAgeMs = maxAgeMs;
    this.#now = now;
  }

  get(): string {
    const now = this.#now();
    if (this.#token === undefined || now - this.#issuedAt >= this.#maxAgeMs) {
      this.#token = this.#make(Math.floor(now / 1000));
      this.#issuedAt = now;
    }
    return this.#token;
  }

  /** Drops the cached token (the provider said it expired or is invalid). */
  reset(): void {
    this.#token = undefined;
  }
}
