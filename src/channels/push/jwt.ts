import type { KeyObject } from 'node:crypto';
import { createPrivateKey } from 'node:crypto';
import { SignJWT } from 'jose';

// Provider tokens signed with jose: ES256 (APNs .p8 keys) and RS256 (Google service accounts).

export async function signJwt(
  header: Readonly<Record<string, unknown>>,
  claims: Readonly<Record<string, unknown>>,
  key: KeyObject | string,
): Promise<string> {
  const alg = header['alg'];
  if (alg !== 'ES256' && alg !== 'RS256')
    throw new Error(`unsupported JWT algorithm ${String(alg)}`);
  const keyObject = typeof key === 'string' ? createPrivateKey(key) : key;
  return new SignJWT({ ...claims })
    .setProtectedHeader({ ...header, alg, typ: 'JWT' })
    .sign(keyObject);
}

/** A token re-signed only when older than `maxAgeMs` (APNs refuses refreshes more often than every 20 min). */
export class CachedJwt {
  #token: Promise<string> | undefined;
  #issuedAt = 0;
  readonly #make: (nowSeconds: number) => Promise<string>;
  readonly #maxAgeMs: number;
  readonly #now: () => number;

  constructor(make: (nowSeconds: number) => Promise<string>, maxAgeMs: number, now: () => number) {
    this.#make = make;
    this.#maxAgeMs = maxAgeMs;
    this.#now = now;
  }

  /** The token; concurrent callers share one signing. A failed signing is not kept. */
  get(): Promise<string> {
    const now = this.#now();
    if (this.#token === undefined || now - this.#issuedAt >= this.#maxAgeMs) {
      const token = this.#make(Math.floor(now / 1000));
      this.#token = token;
      this.#issuedAt = now;
      token.catch(() => {
        if (this.#token === token) this.#token = undefined;
      });
    }
    return this.#token;
  }

  /** Drops the cached token (the provider said it expired or is invalid). */
  reset(): void {
    this.#token = undefined;
  }
}
