import type { ActionAuth } from '../../model/custom-action.ts';

// Custom-token authentication: the token endpoint is called once, its token cached until it
// expires (the answer's lifetime, or the configured cacheSeconds), and dropped on a 401.

type CustomTokenAuth = Extract<ActionAuth, { kind: 'customToken' }>;

export interface CachedToken {
  readonly value: string;
  readonly expiresAt: number;
}

function pick(value: unknown, path: string): unknown {
  let node = value;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

export class TokenCache {
  readonly #tokens = new Map<string, CachedToken>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  static keyOf(auth: CustomTokenAuth): string {
    return `${auth.method} ${auth.endpoint} ${JSON.stringify(auth.body ?? null)}`;
  }

  get(auth: CustomTokenAuth): string | undefined {
    const t = this.#tokens.get(TokenCache.keyOf(auth));
    return t !== undefined && t.expiresAt > this.#now() ? t.value : undefined;
  }

  invalidate(auth: CustomTokenAuth): void {
    this.#tokens.delete(TokenCache.keyOf(auth));
  }

  /** Reads a token-endpoint answer; throws if the token is not where the action says. */
  store(auth: CustomTokenAuth, answer: unknown): string {
    const token = pick(answer, auth.tokenPath);
    if (typeof token !== 'string' || token === '')
      throw new Error(`the token endpoint's answer has no string at "${auth.tokenPath}"`);
    const lifetime =
      auth.expiresInPath === undefined ? undefined : pick(answer, auth.expiresInPath);
    const seconds =
      typeof lifetime === 'number' && lifetime > 0 ? Math.max(0, lifetime - 30) : auth.cacheSeconds;
    this.#tokens.set(TokenCache.keyOf(auth), {
      value: token,
      expiresAt: this.#now() + seconds * 1000,
    });
    return token;
  }
}
