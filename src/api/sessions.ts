// Console sessions: sign-in (an API key, an email and password, or single sign-on) opens a
// short-lived session, so the browser never keeps a credential. A session holds what it stands for
// (a SessionRef: a user, a stored key, an operator key), never the grants: the access check resolves
// the caller again on every request. The session id travels in an HttpOnly, SameSite=Strict cookie; every request that
// changes something also carries the session's CSRF token in a header, which a cross-site page can
// neither read nor send. Sessions live in memory: a restart signs everyone out, which is the safe
// direction.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Actor } from '../access/policy.ts';
import type { SessionRef } from './principal.ts';
import type { sessionInfoSchema } from '../isomorphic/api/session.ts';
import type { Answer } from '../shared/schema-types.ts';

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

export const defaultSessionLimits: SessionLimits = {
  absoluteMs: 8 * 3_600_000,
  idleMs: 3_600_000,
  max: 10_000,
};

export interface Session {
  readonly ref: SessionRef;
  readonly csrfToken: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  lastSeenAt: number;
  readonly via: 'key' | 'password' | 'sso';
}

/** What sign-in and `GET /v1/session` answer. */
/** What sign-in and GET /v1/session answer: inferred from the schema the console's SessionInfo is. */
export type SessionView = Answer<typeof sessionInfoSchema>;

const digest = (id: string): string => createHash('sha256').update(id).digest('base64url');

export class SessionStore {
  // Keyed by a digest of the id, so a heap dump does not hand out live cookies.
  readonly #sessions = new Map<string, Session>();

  constructor(
    private readonly limits: SessionLimits = defaultSessionLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts a session for a caller (sign-in, single sign-on); returns the cookie value (the id) and the session. */
  create(
    ref: SessionRef,
    via: Session['via'] = ref.kind === 'user' ? 'password' : 'key',
  ): { id: string; session: Session } {
    this.#sweep();
    while (this.#sessions.size >= this.limits.max) {
      const oldest = this.#sessions.keys().next();
      if (oldest.done) break;
      this.#sessions.delete(oldest.value);
    }
    const id = randomBytes(32).toString('base64url');
    const t = this.now();
    const session: Session = {
      ref,
      via,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: t,
      expiresAt: t + this.limits.absoluteMs,
      lastSeenAt: t,
    };
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

  /** Ends every session of a user (sign-out everywhere, the user disabled or deleted); returns how many. */
  endAllFor(userId: string): number {
    let n = 0;
    for (const [k, s] of this.#sessions)
      if (s.ref.kind === 'user' && s.ref.userId === userId) {
        this.#sessions.delete(k);
        n++;
      }
    return n;
  }

  get size(): number {
    return this.#sessions.size;
  }

  #sweep(): void {
    const t = this.now();
    for (const [k, s] of this.#sessions)
      if (t >= s.expiresAt || t - s.lastSeenAt >= this.limits.idleMs) this.#sessions.delete(k);
  }
}

/** The session as its caller sees it, with the grants resolved for this request. */
export function sessionView(
  s: Session,
  who: {
    readonly actor: Actor;
    readonly grants: ReadonlyArray<{ readonly sandboxes: readonly string[] }>;
  },
): SessionView {
  const sandboxes = [...new Set(who.grants.flatMap((g) => g.sandboxes))];
  return {
    actor: who.actor,
    name: who.actor.name,
    sandboxes: sandboxes.includes('*') ? ['*'] : sandboxes,
    csrfToken: s.csrfToken,
    expiresAt: new Date(s.expiresAt).toISOString(),
    via: s.via,
  };
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
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE)
      return part.slice(eq + 1).trim() || null;
  }
  return null;
}

export function sessionSetCookie(id: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export function sessionClearCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}

/**
 * Failed password sign-ins per email and address: after `max` failures within `windowMs` the next
 * attempts are refused (429) until the oldest failure leaves the window, whatever the password, so
 * guessing costs hours. Bounded: the oldest entries go first.
 */
export class SignInThrottle {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly max = 5,
    private readonly windowMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
    private readonly capacity = 10_000,
  ) {}

  /** Seconds until another attempt is allowed, or 0 when it is allowed now. */
  retryAfter(key: string): number {
    const recent = this.#recent(key);
    if (recent.length < this.max) return 0;
    return Math.max(1, Math.ceil((recent[0]! + this.windowMs - this.now()) / 1000));
  }

  fail(key: string): void {
    const recent = this.#recent(key);
    recent.push(this.now());
    this.#failures.delete(key);
    this.#failures.set(key, recent);
    while (this.#failures.size > this.capacity) {
      const oldest = this.#failures.keys().next();
      if (oldest.done) break;
      this.#failures.delete(oldest.value);
    }
  }

  succeed(key: string): void {
    this.#failures.delete(key);
  }

  #recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.#failures.get(key) ?? []).filter((t) => t > since);
  }
}
