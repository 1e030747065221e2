// Console sessions: sign-in exchanges an API key for a short-lived session, so the browser never
// keeps the key. The session id travels in an HttpOnly, SameSite=Strict cookie; every request that
// changes something also carries the session's CSRF token in a header, which a cross-site page can
// neither read nor send. Sessions live in memory: a restart signs everyone out, which is the safe
// direction.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKey } from './auth.ts';

export const SESSION_COOKIE = 'waymark_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface SessionLimits {
  /** The longest a session lives, signed in or not (default 8 h). */
  readonly absoluteMs: number;
  /** A session unused this long ends (default 1 h). */
  readonly idleMs: number;
  /** Sessions kept at most; the least recently used goes first (default 10,000). */
  readonly max: number;
}

export const defaultSessionLimits: SessionLimits = { absoluteMs: 8 * 3_600_000, idleMs: 3_600_000, max: 10_000 };

export interface Session {
  readonly key: ApiKey;
  readonly csrfToken: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  lastSeenAt: number;
}

/** What sign-in and `GET /v1/session` answer. */
export interface SessionView {
  readonly name: string;
  readonly sandboxes: readonly string[];
  readonly csrfToken: string;
  readonly expiresAt: string;
}

const digest = (id: string): string => createHash('sha256').update(id).digest('base64url');

export class SessionStore {
  // Keyed by a digest of the id, so a heap dump does not hand out live cookies.
  readonly #sessions = new Map<string, Session>();

  constructor(private readonly limits: SessionLimits = defaultSessionLimits, private readonly now: () => number = Date.now) {}

  /** Starts a session for a key; returns the cookie value (the id) and the session. */
  create(key: ApiKey): { id: string; session: Session } {
    this.#sweep();
    while (this.#sessions.size >= this.limits.max) {
      const oldest = this.#sessions.keys().next();
      if (oldest.done) break;
      this.#sessions.delete(oldest.value);
    }
    const id = randomBytes(32).toString('base64url');
    const t = this.now();
    const session: Session = { key, csrfToken: randomBytes(24).toString('base64url'), createdAt: t, expiresAt: t + this.limits.absoluteMs, lastSeenAt: t };
    this.#sessions.set(digest(id), session);
    return { id, session };
  }

  /** The live session behind a cookie value, touched (idle timer restarted); null when unknown or over. */
  find(id: string): Session | null {
    const k = digest(id);
    const s = this.#sessions.get(k);
    if (!s) return null;
    const t = this.now();
    if (t >= s.expiresAt || t - s.lastSeenAt >= this.limits.idleMs) {
      this.#sessions.delete(k);
      return null;
    }
    s.lastSeenAt = t;
    // Re-insert so Map order is least recently used first.
    this.#sessions.delete(k);
    this.#sessions.set(k, s);
    return s;
  }

  end(id: string): void {
    this.#sessions.delete(digest(id));
  }

  get size(): number {
    return this.#sessions.size;
  }

  #sweep(): void {
    const t = this.now();
    for (const [k, s] of this.#sessions) if (t >= s.expiresAt || t - s.lastSeenAt >= this.limits.idleMs) this.#sessions.delete(k);
  }
}

export function sessionView(s: Session): SessionView {
  return { name: s.key.name, sandboxes: s.key.sandboxes, csrfToken: s.csrfToken, expiresAt: new Date(s.expiresAt).toISOString() };
}

export function csrfMatches(s: Session, presented: string | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(s.csrfToken);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The session cookie's value from a Cookie header, if any. */
export function sessionCookie(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

export function sessionSetCookie(id: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export function sessionClearCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}
