// Signed values of the landing pages, with the tracking secret (HMAC-SHA256, a purpose prefix in
// every MAC so no token of one kind passes for another, nor for a tracking token):
// - the profile link `?p=lp1.<claims>.<mac>` an email carries: it names the profile (and the page's
//   sandbox and slug), so the page knows who opened it without signing in;
// - the CSRF token a form carries: `<issued ms>.<mac>` over the page, the profile (or none) and the
//   time; a POST must bring one issued for the same page and profile less than CSRF_TTL_MS ago.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type Secret = string | Uint8Array;

export const CSRF_TTL_MS = 2 * 60 * 60 * 1000;

export interface ProfileLinkClaims {
  readonly sandbox: string;
  readonly slug: string;
  readonly profileId: string;
}

function mac(secret: Secret, data: string): Buffer {
  return createHmac('sha256', secret).update(data, 'utf8').digest();
}

function same(given: string, expected: Buffer): boolean {
  const g = Buffer.from(given, 'base64url');
  return (
    g.length === expected.length &&
    timingSafeEqual(g, expected) &&
    g.toString('base64url') === given
  );
}

export function signProfileLink(claims: ProfileLinkClaims, secret: Secret): string {
  const body = Buffer.from(
    JSON.stringify([claims.sandbox, claims.slug, claims.profileId]),
    'utf8',
  ).toString('base64url');
  return `lp1.${body}.${mac(secret, `lp-link|lp1.${body}`).toString('base64url')}`;
}

/** The profile a link names, when it is signed and for this sandbox and page; otherwise undefined. */
export function verifyProfileLink(
  token: string,
  secret: Secret,
  sandbox: string,
  slug: string,
): ProfileLinkClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'lp1') return undefined;
  if (!same(parts[2]!, mac(secret, `lp-link|lp1.${parts[1]}`))) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => typeof x === 'string'))
    return undefined;
  const [s, g, p] = v as [string, string, string];
  return s === sandbox && g === slug ? { sandbox: s, slug: g, profileId: p } : undefined;
}

const csrfData = (
  sandbox: string,
  slug: string,
  sub: string,
  profileId: string,
  issued: number,
): string => `lp-csrf|${sandbox}|${slug}|${sub}|${profileId}|${issued}`;

export function csrfToken(
  secret: Secret,
  page: { sandbox: string; slug: string; subPage?: string | undefined },
  profileId: string | undefined,
  now: number,
): string {
  return `${now}.${mac(secret, csrfData(page.sandbox, page.slug, page.subPage ?? '', profileId ?? '', now)).toString('base64url')}`;
}

export type CsrfCheck = 'ok' | 'missing' | 'forged' | 'expired';

export function checkCsrf(
  token: string | undefined,
  secret: Secret,
  page: { sandbox: string; slug: string; subPage?: string | undefined },
  profileId: string | undefined,
  now: number,
): CsrfCheck {
  if (token === undefined || token === '') return 'missing';
  const m = /^(\d{1,15})\.([A-Za-z0-9_-]+)$/.exec(token);
  if (!m) return 'forged';
  const issued = Number(m[1]);
  const expected = mac(
    secret,
    csrfData(page.sandbox, page.slug, page.subPage ?? '', profileId ?? '', issued),
  );
  if (!same(m[2]!, expected)) return 'forged';
  return issued > now + 60_000 || now - issued > CSRF_TTL_MS ? 'expired' : 'ok';
}
