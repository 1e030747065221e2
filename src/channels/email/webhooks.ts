import { createHmac, createPublicKey, timingSafeEqual, verify } from 'node:crypto';
import { WAYMARK_MESSAGE_ID_ARG } from './sendgrid.ts';

// Email providers' event webhooks: verified (SendGrid: ECDSA P-256 over timestamp + raw body;
// Mailgun: HMAC-SHA256 over timestamp + token), then read into provider feedback the engine records
// (src/runtime/provider-feedback.ts). Events Waymark does not act on (opens, clicks: it tracks those
// itself; deferrals, soft bounces) are dropped here.

/** What a provider says happened to a message. */
export type ProviderFeedback =
  | {
      readonly kind: 'bounced';
      /** `hard`: the address does not exist (suppressed); `soft`: refused this time (recorded only). */
      readonly severity: 'hard' | 'soft';
      readonly address: string;
      readonly messageId: string | null;
      readonly detail: string;
    }
  | {
      readonly kind: 'complained';
      readonly address: string;
      readonly messageId: string | null;
      readonly detail: string;
    }
  | { readonly kind: 'delivered'; readonly address: string; readonly messageId: string | null };

/** Older events than this are refused (a replayed capture). */
export const WEBHOOK_MAX_AGE_MS = 15 * 60_000;

const fresh = (timestampSeconds: number, now: number): boolean =>
  Number.isFinite(timestampSeconds) &&
  Math.abs(now - timestampSeconds * 1000) <= WEBHOOK_MAX_AGE_MS;

// ---------------------------------------------------------------------------------------------
// SendGrid
// ---------------------------------------------------------------------------------------------

/**
 * SendGrid's Signed Event Webhook: `X-Twilio-Email-Event-Webhook-Signature` is a base64 DER ECDSA
 * signature (SHA-256) of `X-Twilio-Email-Event-Webhook-Timestamp` followed by the raw body, made
 * with the key whose public half SendGrid shows (base64 DER SubjectPublicKeyInfo).
 */
export function verifySendgridSignature(
  publicKeyBase64: string,
  rawBody: Buffer,
  signature: string,
  timestamp: string,
  now: number,
): boolean {
  if (!/^\d{1,12}$/.test(timestamp) || !fresh(Number(timestamp), now)) return false;
  try {
    const key = createPublicKey({
      key: Buffer.from(publicKeyBase64.replace(/\s+/g, ''), 'base64'),
      format: 'der',
      type: 'spki',
    });
    return verify(
      'sha256',
      Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]),
      key,
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
}

interface SendgridEvent {
  readonly event?: string;
  readonly email?: string;
  readonly type?: string;
  readonly reason?: string;
  readonly status?: string;
  readonly bounce_classification?: string;
  readonly [WAYMARK_MESSAGE_ID_ARG]?: string;
}

/** The feedback in a verified SendGrid event batch (a JSON array of events). */
export function parseSendgridEvents(body: unknown): ProviderFeedback[] | null {
  if (!Array.isArray(body)) return null;
  const out: ProviderFeedback[] = [];
  for (const raw of body as unknown[]) {
    if (typeof raw !== 'object' || raw === null) continue;
    const e = raw as SendgridEvent;
    if (typeof e.email !== 'string') continue;
    const messageId =
      typeof e[WAYMARK_MESSAGE_ID_ARG] === 'string' ? e[WAYMARK_MESSAGE_ID_ARG] : null;
    const words = [e.status, e.reason].filter((w) => typeof w === 'string' && w !== '').join(' ');
    switch (e.event) {
      case 'bounce':
        // type "bounce": the receiving server refused the address for good; "blocked": this time.
        out.push({
          kind: 'bounced',
          severity: e.type === 'blocked' ? 'soft' : 'hard',
          address: e.email,
          messageId,
          detail: words || 'bounce',
        });
        break;
      case 'spamreport':
        out.push({ kind: 'complained', address: e.email, messageId, detail: 'spam report' });
        break;
      case 'delivered':
        out.push({ kind: 'delivered', address: e.email, messageId });
        break;
      default:
        break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Mailgun
// ---------------------------------------------------------------------------------------------

/** Mailgun's webhook signature: hex HMAC-SHA256 of timestamp + token with the webhook signing key. */
export function mailgunSignature(signingKey: string, timestamp: string, token: string): string {
  return createHmac('sha256', signingKey)
    .update(timestamp + token, 'utf8')
    .digest('hex');
}

export function verifyMailgunSignature(
  signingKey: string,
  signature: {
    readonly timestamp?: unknown;
    readonly token?: unknown;
    readonly signature?: unknown;
  },
  now: number,
): boolean {
  const { timestamp, token, signature: given } = signature;
  if (typeof timestamp !== 'string' || typeof token !== 'string' || typeof given !== 'string')
    return false;
  if (!fresh(Number(timestamp), now)) return false;
  const expected = Buffer.from(mailgunSignature(signingKey, timestamp, token));
  const actual = Buffer.from(given.toLowerCase());
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

interface MailgunEventData {
  readonly event?: string;
  readonly severity?: string;
  readonly recipient?: string;
  readonly reason?: string;
  readonly 'delivery-status'?: {
    readonly code?: number;
    readonly message?: string;
    readonly description?: string;
  };
  readonly 'user-variables'?: Readonly<Record<string, unknown>>;
}

/** The feedback of one verified Mailgun webhook body ({ signature, "event-data" }). */
export function parseMailgunEvent(body: unknown): ProviderFeedback | null | 'ignored' {
  if (typeof body !== 'object' || body === null) return null;
  const data = (body as { 'event-data'?: MailgunEventData })['event-data'];
  if (typeof data !== 'object' || data === null || typeof data.recipient !== 'string') return null;
  const vars = data['user-variables'] ?? {};
  const id = vars[WAYMARK_MESSAGE_ID_ARG];
  const messageId = typeof id === 'string' ? id : null;
  const status = data['delivery-status'] ?? {};
  const detail =
    [status.code, status.message || status.description, data.reason]
      .filter((w) => w !== undefined && w !== '')
      .join(' ') || 'failed';
  switch (data.event) {
    case 'failed':
      return {
        kind: 'bounced',
        severity: data.severity === 'permanent' ? 'hard' : 'soft',
        address: data.recipient,
        messageId,
        detail,
      };
    case 'complained':
      return { kind: 'complained', address: data.recipient, messageId, detail: 'complaint' };
    case 'delivered':
      return { kind: 'delivered', address: data.recipient, messageId };
    default:
      return 'ignored';
  }
}
