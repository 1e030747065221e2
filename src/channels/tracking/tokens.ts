import { createHmac, timingSafeEqual } from 'node:crypto';

// Signed tracking tokens: `v1.<claims as base64url JSON>.<HMAC-SHA256 base64url>`. The token carries
// the click target itself, so the redirect endpoint can only send people where the message's own
// links pointed (no open redirect); a changed byte anywhere fails the signature.

export interface TrackingContext {
  readonly messageId: string;
  readonly profileId: string;
  readonly journeyId?: string;
  readonly journeyVersion?: number;
  readonly activityId?: string;
  readonly sandbox?: string;
}

export type TrackingClaims =
  | (TrackingContext & { readonly kind: 'click'; readonly url: string; readonly linkId: string })
  | (TrackingContext & { readonly kind: 'open' })
  | (TrackingContext & {
      readonly kind: 'unsubscribe';
      readonly channel: 'email' | 'sms' | 'push';
    });
export type ClickClaims = Extract<TrackingClaims, { kind: 'click' }>;
export type OpenClaims = Extract<TrackingClaims, { kind: 'open' }>;
export type UnsubscribeClaims = Extract<TrackingClaims, { kind: 'unsubscribe' }>;

export type VerifyResult<C> =
  | { readonly ok: true; readonly claims: C }
  | { readonly ok: false; readonly reason: 'malformed' | 'bad_signature' | 'wrong_kind' };

export type TrackingSecret = string | Uint8Array;

const VERSION = 'v1';

function mac(secret: TrackingSecret, data: string): Buffer {
  if ((typeof secret === 'string' ? Buffer.byteLength(secret) : secret.byteLength) < 16)
    throw new Error('the tracking secret must be at least 16 bytes');
  return createHmac('sha256', secret).update(data, 'utf8').digest();
}

export function signClaims(claims: TrackingClaims, secret: TrackingSecret): string {
  const body = `${VERSION}.${Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url')}`;
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

const isStr = (v: unknown): v is string => typeof v === 'string';

function parseClaims(value: unknown): TrackingClaims | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const c = value as Record<string, unknown>;
  if (!isStr(c['messageId']) || !isStr(c['profileId'])) return undefined;
  for (const k of ['journeyId', 'activityId', 'sandbox'])
    if (c[k] !== undefined && !isStr(c[k])) return undefined;
  if (c['journeyVersion'] !== undefined && typeof c['journeyVersion'] !== 'number')
    return undefined;
  switch (c['kind']) {
    case 'click': {
      if (!isStr(c['url']) || !isStr(c['linkId']) || !/^https?:\/\//i.test(c['url']))
        return undefined;
      return c as unknown as ClickClaims;
    }
    case 'open':
      return c as unknown as OpenClaims;
    case 'unsubscribe':
      return ['email', 'sms', 'push'].includes(c['channel'] as string)
        ? (c as unknown as UnsubscribeClaims)
        : undefined;
    default:
      return undefined;
  }
}

export function verifyToken(token: string, secret: TrackingSecret): VerifyResult<TrackingClaims> {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return { ok: false, reason: 'malformed' };
  const [version, payload, sig] = parts as [string, string, string];
  const expected = mac(secret, `${version}.${payload}`);
  const given = Buffer.from(sig, 'base64url');
  if (
    given.length !== expected.length ||
    !timingSafeEqual(given, expected) ||
    given.toString('base64url') !== sig
  )
    return { ok: false, reason: 'bad_signature' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const claims = parseClaims(json);
  return claims === undefined ? { ok: false, reason: 'malformed' } : { ok: true, claims };
}

function ofKind<K extends TrackingClaims['kind']>(kind: K) {
  return (
    token: string,
    secret: TrackingSecret,
  ): VerifyResult<Extract<TrackingClaims, { kind: K }>> => {
    const r = verifyToken(token, secret);
    if (!r.ok) return r;
    return r.claims.kind === kind
      ? { ok: true, claims: r.claims as Extract<TrackingClaims, { kind: K }> }
      : { ok: false, reason: 'wrong_kind' };
  };
}

export const verifyClickToken = ofKind('click');
export const verifyOpenToken = ofKind('open');
export const verifyUnsubscribeToken = ofKind('unsubscribe');
