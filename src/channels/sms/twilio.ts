import type { TwilioSettings } from '../../model/channel-configuration.ts';
import type { SmsMessage, SmsSendResult, SmsTransport } from '../ports.ts';
import {
  isOutboundRefusal,
  outboundFetch,
  publicReason,
  type OutboundPolicy,
} from '../outbound/index.ts';
import { retryAfterOf } from '../outbound/retry-after.ts';

// The Twilio Messages API: POST {baseUrl}/2010-04-01/Accounts/{sid}/Messages.json, form-encoded,
// HTTP basic auth (account SID : auth token). The base URL is configurable so any
// Twilio-compatible provider (or a local test server) can stand in, within the sandbox's outbound
// policy (app.outbound(sandbox) also allows api.twilio.com); a refusal is a permanent failure.

export interface TwilioOptions {
  /** The sandbox's outbound policy. */
  readonly outbound: OutboundPolicy;
  readonly timeoutMs?: number;
}

/** Error codes that mean the number cannot receive SMS. */
const INVALID_ADDRESS = new Set([21211, 21214, 21217, 21401, 21407, 21421, 21612, 21614]);
/** The recipient replied STOP. */
const OPTED_OUT = 21610;

interface TwilioAnswer {
  readonly sid?: string;
  readonly status?: string | number;
  readonly code?: number;
  readonly message?: string;
}

export function createTwilioTransport(
  settings: TwilioSettings,
  options: TwilioOptions,
): SmsTransport {
  const fetchImpl = outboundFetch(options.outbound);
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64')}`;
  return {
    async send(m: SmsMessage): Promise<SmsSendResult> {
      const from = m.from ?? settings.from;
      const form = new URLSearchParams({ To: m.to, Body: m.body });
      form.set(from.startsWith('MG') ? 'MessagingServiceSid' : 'From', from);
      if (m.statusCallbackUrl !== undefined) form.set('StatusCallback', m.statusCallbackUrl);
      let res: Response;
      try {
        res = await fetchImpl(url, {
          method: 'POST',
          headers: {
            authorization,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: form.toString(),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (e) {
        if (isOutboundRefusal(e))
          return { kind: 'failed', reason: publicReason(e, 'the SMS provider') };
        const reason = publicReason(e, 'the SMS provider');
        // A timeout may hit after Twilio accepted the message: say so, the dispatcher decides.
        const maybeSent =
          e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
        return { kind: 'temporaryFailure', reason, ...(maybeSent ? { maybeSent } : {}) };
      }
      const answer = (await res.json().catch(() => ({}))) as TwilioAnswer;
      if (res.ok && typeof answer.sid === 'string')
        return {
          kind: 'sent',
          providerMessageId: answer.sid,
          status: String(answer.status ?? 'queued'),
        };
      const code = typeof answer.code === 'number' ? answer.code : undefined;
      const reason = `${code === undefined ? `HTTP ${res.status}` : `Twilio ${code}`}: ${answer.message ?? res.statusText}`;
      if (code === OPTED_OUT) return { kind: 'optedOut', reason, providerCode: code };
      if (code !== undefined && INVALID_ADDRESS.has(code))
        return { kind: 'invalidAddress', reason, providerCode: code };
      if (res.status === 429 || res.status >= 500) {
        return {
          kind: 'temporaryFailure',
          reason,
          status: res.status,
          ...retryAfterOf(res.headers),
        };
      }
      return {
        kind: 'failed',
        reason,
        status: res.status,
        ...(code === undefined ? {} : { providerCode: code }),
      };
    },
    async close(): Promise<void> {
      /* stateless */
    },
  };
}
