import type { EmailConfiguration, SendgridSettings } from '../../model/channel-configuration.ts';
import type { EmailMessage, EmailSendResult, EmailTransport } from '../ports.ts';
import { outboundFetch, type OutboundPolicy } from '../outbound/index.ts';
import { answerText, refusedEmail, unansweredEmail } from './http-answer.ts';
import { listUnsubscribeHeaders } from './message-id.ts';

// SendGrid's v3 Mail Send API: POST {baseUrl}/v3/mail/send, JSON, `Authorization: Bearer <key>`;
// 202 Accepted with the message's id in X-Message-Id. Our message id travels as the custom argument
// `waymark_message_id`, which SendGrid puts on every Event Webhook event of the message
// (./webhooks/sendgrid.ts). The base URL is configurable (a local test server, an EU subuser's
// host) within the sandbox's outbound policy.

export const WAYMARK_MESSAGE_ID_ARG = 'waymark_message_id';

export interface HttpEmailOptions {
  readonly outbound: OutboundPolicy;
  readonly timeoutMs?: number;
}

interface SendgridError {
  readonly errors?: ReadonlyArray<{ readonly message?: string; readonly field?: string | null }>;
}

const address = (a: { address: string; name?: string }) => ({
  email: a.address,
  ...(a.name ? { name: a.name } : {}),
});

/** The request body of one message (exported for the adapter's test). */
export function sendgridBody(config: EmailConfiguration, m: EmailMessage): unknown {
  const headers: Record<string, string> = { ...config.headers, ...m.headers };
  if (m.listUnsubscribe !== undefined)
    Object.assign(headers, listUnsubscribeHeaders(m.listUnsubscribe.url, m.listUnsubscribe.mailto));
  const replyTo = m.replyTo ?? config.replyTo;
  return {
    personalizations: [{ to: [address(m.to)] }],
    from: address(m.from),
    ...(replyTo === undefined ? {} : { reply_to: address(replyTo) }),
    subject: m.subject,
    // SendGrid wants text/plain before text/html.
    content: [
      ...(m.text === undefined || m.text === '' ? [] : [{ type: 'text/plain', value: m.text }]),
      { type: 'text/html', value: m.html },
    ],
    ...(Object.keys(headers).length === 0 ? {} : { headers }),
    custom_args: { [WAYMARK_MESSAGE_ID_ARG]: m.idempotencyKey },
    // Waymark tracks opens and clicks itself (src/channels/tracking).
    tracking_settings: {
      click_tracking: { enable: false, enable_text: false },
      open_tracking: { enable: false },
    },
  };
}

export function createSendgridTransport(
  config: EmailConfiguration,
  settings: SendgridSettings,
  options: HttpEmailOptions,
): EmailTransport {
  const fetchImpl = outboundFetch(options.outbound);
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/v3/mail/send`;
  const authorization = `Bearer ${settings.apiKey}`;
  return {
    async send(m: EmailMessage): Promise<EmailSendResult> {
      let res: Response;
      try {
        res = await fetchImpl(url, {
          method: 'POST',
          headers: {
            authorization,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify(sendgridBody(config, m)),
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
      } catch (e) {
        return unansweredEmail(e, 'SendGrid');
      }
      const text = await res.text().catch(() => '');
      if (res.status === 202 || res.status === 200) {
        const id = res.headers.get('x-message-id') ?? m.idempotencyKey;
        return { kind: 'sent', messageId: id, response: `${res.status} ${res.statusText}`.trim() };
      }
      const words = answerText(text, (j) =>
        (j as SendgridError).errors
          ?.map((e) => (e.field ? `${e.field}: ${e.message ?? ''}` : (e.message ?? '')))
          .join('; '),
      );
      return refusedEmail(res, `SendGrid: ${words}`);
    },
    async close(): Promise<void> {
      /* stateless */
    },
  };
}
