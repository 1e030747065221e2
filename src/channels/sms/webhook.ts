import { createHmac, timingSafeEqual } from 'node:crypto';

// Twilio's webhooks: inbound messages and status callbacks arrive as form posts signed with
// X-Twilio-Signature = base64(HMAC-SHA1(authToken, fullUrl + each param name+value, sorted by name)).

export function twilioSignature(
  authToken: string,
  url: string,
  params: URLSearchParams | Readonly<Record<string, string>>,
): string {
  const entries =
    params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  entries.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const data = url + entries.map(([k, v]) => k + v).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: URLSearchParams | Readonly<Record<string, string>>,
  signature: string,
): boolean {
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface InboundSms {
  readonly messageSid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
  readonly body: string;
}

export function parseTwilioInbound(params: URLSearchParams): InboundSms | null {
  const get = (k: string): string | null => params.get(k);
  const sid = get('MessageSid') ?? get('SmsSid');
  const from = get('From');
  const to = get('To');
  if (sid === null || from === null || to === null) return null;
  return {
    messageSid: sid,
    accountSid: get('AccountSid') ?? '',
    from,
    to,
    body: get('Body') ?? '',
  };
}

export type TwilioMessageStatus =
  | 'accepted'
  | 'scheduled'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'undelivered'
  | 'failed'
  | 'read'
  | 'canceled'
  | 'receiving'
  | 'received';

export interface StatusCallback {
  readonly messageSid: string;
  readonly status: TwilioMessageStatus;
  readonly errorCode?: number;
}

export function parseTwilioStatusCallback(params: URLSearchParams): StatusCallback | null {
  const sid = params.get('MessageSid');
  const status = params.get('MessageStatus');
  if (sid === null || status === null) return null;
  const code = Number(params.get('ErrorCode'));
  return {
    messageSid: sid,
    status: status as TwilioMessageStatus,
    ...(Number.isInteger(code) && code > 0 ? { errorCode: code } : {}),
  };
}
