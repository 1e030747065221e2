import { createHmac, timingSafeEqual } from 'node:crypto';
import type { VonageSettings } from '../../model/channel-configuration.ts';
import type { SmsMessage, SmsSendResult, SmsTransport } from '../ports.ts';
import { isOutboundRefusal, outboundFetch, publicReason } from '../outbound/index.ts';
import type { TwilioOptions } from './twilio.ts';
import { retryAfterOf } from '../outbound/retry-after.ts';

// Vonage's SMS API: POST {baseUrl}/sms/json, form-encoded with api_key and api_secret; the answer is
// HTTP 200 with one status per message part ("0" success, "1" throttled, "4" bad credentials, …).
// Our message id travels as `client-ref`, which Vonage returns on the delivery receipt. Receipts are
// signed (HMAC-SHA256 with the account's signature secret) and verified by `verifyVonageSignature`.

/** Statuses that mean the destination cannot receive the message. */
const INVALID_ADDRESS = new Set(['6', '7', '33']);
/** Statuses worth retrying: throttled, internal error, too many binds. */
const TEMPORARY = new Set(['1', '5', '10']);

interface VonageAnswer {
  readonly messages?: ReadonlyArray<{
    readonly status?: string;
    readonly 'message-id'?: string;
    readonly 'error-text'?: string;
  }>;
}

export function createVonageTransport(
  settings: VonageSettings,
  options: TwilioOptions,
): SmsTransport {
  const fetchImpl = outboundFetch(options.outbound);
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/sms/json`;
  return {
    async send(m: SmsMessage): Promise<SmsSendResult> {
      const form = new URLSearchParams({
        api_key: settings.apiKey,
        api_secret: settings.apiSecret,
        from: (m.from ?? settings.from).replace(/^\+/, ''),
        to: m.to.replace(/^\+/, ''),
        text: m.body,
        'client-ref': m.idempotencyKey.slice(0, 100),
        type: /[^\u0000-\u007f]/.test(m.body) ? 'unicode' : 'text',
      });
      if (m.statusCallbackUrl !== undefined) form.set('callback', m.statusCallbackUrl);
      let res: Response;
      try {
        res = await fetchImpl(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: form.toString(),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (e) {
        const reason = publicReason(e, 'the SMS provider');
        if (isOutboundRefusal(e)) return { kind: 'failed', reason };
        const maybeSent =
          e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
        return { kind: 'temporaryFailure', reason, ...(maybeSent ? { maybeSent } : {}) };
      }
      const answer = (await res.json().catch(() => ({}))) as VonageAnswer;
      if (res.status === 429 || res.status >= 500) {
        return {
          kind: 'temporaryFailure',
          reason: `HTTP ${res.status}`,
          status: res.status,
          ...retryAfterOf(res.headers),
        };
      }
      const parts = answer.messages ?? [];
      const bad = parts.find((p) => p.status !== '0');
      if (res.ok && parts.length > 0 && bad === undefined)
        return {
          kind: 'sent',
          providerMessageId: parts.map((p) => p['message-id'] ?? '').join(','),
          status: 'submitted',
        };
      if (!res.ok || bad === undefined)
        return {
          kind: 'failed',
          reason: `HTTP ${res.status}: not a Vonage answer`,
          status: res.status,
        };
      const code = Number(bad.status);
      const reason = `Vonage ${bad.status}: ${bad['error-text'] ?? 'refused'}`;
      if (INVALID_ADDRESS.has(bad.status ?? ''))
        return { kind: 'invalidAddress', reason, providerCode: code };
      if (TEMPORARY.has(bad.status ?? '')) return { kind: 'temporaryFailure', reason };
      return { kind: 'failed', reason, providerCode: code, status: res.status };
    },
    async close(): Promise<void> {
      /* stateless */
    },
  };
}

/**
 * Vonage's signature of a request's parameters (HMAC-SHA256 method): every parameter but `sig`,
 * sorted by name, as `&name=value` with `&` and `=` in values replaced by `_`, keyed by the secret;
 * upper-case hex.
 */
export function vonageSignature(secret: string, params: Readonly<Record<string, string>>): string {
  const data = Object.keys(params)
    .filter((k) => k !== 'sig')
    .sort()
    .map((k) => `&${k}=${String(params[k]).replace(/[&=]/g, '_')}`)
    .join('');
  return createHmac('sha256', secret).update(data, 'utf8').digest('hex').toUpperCase();
}

/** True when `params.sig` is Vonage's signature and `params.timestamp` is within five minutes of `now`. */
export function verifyVonageSignature(
  secret: string,
  params: Readonly<Record<string, string>>,
  now: number,
): boolean {
  const sig = params.sig;
  const ts = Number(params.timestamp);
  if (typeof sig !== 'string' || !Number.isFinite(ts)) return false;
  if (Math.abs(now - ts * 1000) > 5 * 60_000) return false;
  const expected = Buffer.from(vonageSignature(secret, params));
  const given = Buffer.from(sig.toUpperCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export type VonageReceiptStatus =
  'delivered' | 'expired' | 'failed' | 'rejected' | 'accepted' | 'buffered' | 'unknown';

export interface VonageReceipt {
  readonly messageId: string;
  readonly clientRef: string | null;
  readonly to: string;
  readonly status: VonageReceiptStatus;
  readonly errorCode: string | null;
}

/** A delivery receipt's fields (query string, form or JSON body alike), or null if it is not one. */
export function parseVonageReceipt(params: Readonly<Record<string, string>>): VonageReceipt | null {
  const id = params.messageId;
  const status = params.status;
  const to = params.msisdn;
  if (id === undefined || status === undefined || to === undefined) return null;
  return {
    messageId: id,
    clientRef: params['client-ref'] ?? null,
    to: `+${to.replace(/^\+/, '')}`,
    status: status as VonageReceiptStatus,
    errorCode: params['err-code'] ?? null,
  };
}
