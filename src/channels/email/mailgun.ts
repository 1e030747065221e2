import { randomBytes } from 'node:crypto';
import type { EmailConfiguration, MailgunSettings } from '../../model/channel-configuration.ts';
import type { EmailAddress, EmailMessage, EmailSendResult, EmailTransport } from '../ports.ts';
import { outboundFetch } from '../outbound/index.ts';
import { answerText, refusedEmail, unansweredEmail } from './http-answer.ts';
import { listUnsubscribeHeaders, messageIdFor } from './message-id.ts';
import type { HttpEmailOptions } from './sendgrid.ts';

// Mailgun's Messages API: POST {baseUrl}/v3/{domain}/messages, multipart/form-data, HTTP basic auth
// `api:<key>`; 200 with {"id": "<…@domain>", "message": "Queued. Thank you."}. Our message id
// travels as the user variable `v:waymark_message_id`, which Mailgun puts on every webhook event of
// the message (`user-variables`, ./webhooks/mailgun.ts). Headers go as `h:` fields; Waymark's own
// Message-ID (derived from the idempotency key) is sent so a retry is recognisable downstream.

interface MailgunAnswer {
  readonly id?: string;
  readonly message?: string;
}

const formatted = (a: EmailAddress): string =>
  a.name ? `"${a.name.replace(/["\\]/g, '\\$&')}" <${a.address}>` : a.address;

/** The form fields of one message, in order (exported for the adapter's test). */
export function mailgunFields(
  config: EmailConfiguration,
  m: EmailMessage,
): Array<[string, string]> {
  const headers: Record<string, string> = { ...config.headers, ...m.headers };
  if (m.listUnsubscribe !== undefined)
    Object.assign(headers, listUnsubscribeHeaders(m.listUnsubscribe.url, m.listUnsubscribe.mailto));
  const replyTo = m.replyTo ?? config.replyTo;
  if (replyTo !== undefined) headers['Reply-To'] = formatted(replyTo);
  const domain = config.mailgun?.domain ?? 'localhost';
  headers['Message-Id'] = messageIdFor(m.idempotencyKey, domain);
  return [
    ['from', formatted(m.from)],
    ['to', formatted(m.to)],
    ['subject', m.subject],
    ['html', m.html],
    ...(m.text === undefined || m.text === '' ? [] : [['text', m.text] as [string, string]]),
    ...Object.entries(headers).map(([k, v]): [string, string] => [`h:${k}`, v]),
    ['v:waymark_message_id', m.idempotencyKey],
    // Waymark tracks opens and clicks itself (src/channels/tracking).
    ['o:tracking', 'no'],
  ];
}

/** multipart/form-data (RFC 7578) of text fields. */
export function multipartBody(fields: ReadonlyArray<readonly [string, string]>): {
  body: string;
  contentType: string;
} {
  const boundary = `----waymark${randomBytes(12).toString('hex')}`;
  const quote = (s: string): string => s.replace(/"/g, '%22').replace(/\r|\n/g, ' ');
  const parts = fields.map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${value}\r\n`,
  );
  return {
    body: `${parts.join('')}--${boundary}--\r\n`,
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

export function createMailgunTransport(
  config: EmailConfiguration,
  settings: MailgunSettings,
  options: HttpEmailOptions,
): EmailTransport {
  const fetchImpl = outboundFetch(options.outbound);
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/v3/${encodeURIComponent(settings.domain)}/messages`;
  const authorization = `Basic ${Buffer.from(`api:${settings.apiKey}`).toString('base64')}`;
  return {
    async send(m: EmailMessage): Promise<EmailSendResult> {
      const { body, contentType } = multipartBody(mailgunFields(config, m));
      let res: Response;
      try {
        res = await fetchImpl(url, {
          method: 'POST',
          headers: { authorization, 'content-type': contentType, accept: 'application/json' },
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
      } catch (e) {
        return unansweredEmail(e, 'Mailgun');
      }
      const text = await res.text().catch(() => '');
      if (res.ok) {
        let answer: MailgunAnswer = {};
        try {
          answer = JSON.parse(text) as MailgunAnswer;
        } catch {
          /* kept empty */
        }
        if (typeof answer.id === 'string')
          return { kind: 'sent', messageId: answer.id, response: answer.message ?? 'Queued' };
        return {
          kind: 'temporaryFailure',
          code: res.status,
          message: 'Mailgun: an answer without a message id',
        };
      }
      return refusedEmail(res, `Mailgun: ${answerText(text, (j) => (j as MailgunAnswer).message)}`);
    },
    async close(): Promise<void> {
      /* stateless */
    },
  };
}
