// Webhook signatures, as Stripe and Svix sign theirs: `Waymark-Signature: t=<unix seconds>,v1=<hex>`
// where v1 = HMAC-SHA256(secret, `${t}.${body}`) over the exact bytes of the body. A receiver
// recomputes it, compares in constant time and refuses a timestamp older than its tolerance (a
// replayed delivery). Several v1 entries may appear (a secret being rotated): any one matching is enough.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'waymark-signature';

export function webhookSignature(secret: string, timestampSec: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex');
  return `t=${timestampSec},v1=${v1}`;
}

export type SignatureCheck =
  | { readonly ok: true; readonly timestamp: number }
  | { readonly ok: false; readonly reason: 'malformed' | 'mismatch' | 'too_old' };

/** Verifies a `Waymark-Signature` header against the raw body; `toleranceSec` bounds the age (default 5 minutes). */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  body: string,
  opts: { readonly nowSec?: number; readonly toleranceSec?: number } = {},
): SignatureCheck {
  if (!header) return { ok: false, reason: 'malformed' };
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const given = parts.filter(([k, v]) => k === 'v1' && v !== undefined).map(([, v]) => v!);
  if (!Number.isInteger(t) || given.length === 0) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  const match = given.some((g) => {
    const b = Buffer.from(g);
    return b.length === expected.length && timingSafeEqual(b, expected);
  });
  if (!match) return { ok: false, reason: 'mismatch' };
  const now = opts.nowSec ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (opts.toleranceSec ?? 300)) return { ok: false, reason: 'too_old' };
  return { ok: true, timestamp: t };
}
