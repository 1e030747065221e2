import type { Socket } from 'node:net';
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { EmailConfiguration, SmtpSettings } from '../../model/channel-configuration.ts';
import type { EmailMessage, EmailSendResult, EmailTransport } from '../ports.ts';
import {
  connectGuarded,
  isOutboundRefusal,
  publicReason,
  type OutboundPolicy,
} from '../outbound/index.ts';
import { domainOf, listUnsubscribeHeaders, messageIdFor } from './message-id.ts';

// SMTP through nodemailer's pooled transport. Answers are classified: 2xx sent; 4xx, refused or
// dropped connections and timeouts are temporary (retry later); 5xx is a bounce (the address is
// undeliverable). Authentication and TLS set-up failures are reported as temporary: they are the
// configuration's fault, not the recipient's, and must not mark an address undeliverable.
// Every connection goes through the sandbox's outbound policy (../outbound): the SMTP host must be
// allowed, and the socket connects to an address checked after DNS; a refusal is a permanent
// failure (nothing was sent, retrying cannot help).

export interface SmtpTransportOptions {
  /** The sandbox's outbound policy: which SMTP hosts and addresses may be reached. */
  readonly outbound: OutboundPolicy;
  /** Extra TLS options (a test CA). */
  readonly tls?: { readonly ca?: string | Buffer };
  /** Log sink for nodemailer's own debug lines (off by default; never sees message bodies). */
  readonly debug?: boolean;
}

interface NodemailerError {
  readonly code?: string;
  readonly responseCode?: number;
  readonly response?: string;
  readonly command?: string;
  readonly message: string;
}

function asSmtpError(e: unknown): NodemailerError {
  if (typeof e === 'object' && e !== null && 'message' in e) return e as NodemailerError;
  return { message: String(e) };
}

export function classifySmtpError(e: unknown, recipient: string): EmailSendResult {
  if (isOutboundRefusal(e)) return { kind: 'failed', message: publicReason(e, 'the SMTP server') };
  const err = asSmtpError(e);
  const code = err.responseCode;
  const message = `${err.command === undefined ? '' : `${err.command}: `}${err.response ?? err.message}`;
  if (
    code !== undefined &&
    code >= 500 &&
    code < 600 &&
    err.code !== 'EAUTH' &&
    err.code !== 'ETLS'
  ) {
    return { kind: 'bounced', code, message, address: recipient };
  }
  // No SMTP answer: a connection failure, told without the network's detail (addresses, ports).
  if (code === undefined)
    return { kind: 'temporaryFailure', message: publicReason(e, 'the SMTP server') };
  return { kind: 'temporaryFailure', code, message };
}

export function smtpPoolOptions(
  smtp: SmtpSettings,
  dkim?: EmailConfiguration['dkim'],
): SMTPPool.Options {
  return {
    pool: true,
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure === 'tls',
    requireTLS: smtp.secure === 'starttls',
    ignoreTLS: smtp.secure === 'none',
    ...(smtp.auth === undefined ? {} : { auth: { user: smtp.auth.user, pass: smtp.auth.pass } }),
    maxConnections: smtp.pool.maxConnections,
    maxMessages: smtp.pool.maxMessages,
    connectionTimeout: smtp.connectionTimeoutMs,
    greetingTimeout: smtp.connectionTimeoutMs,
    socketTimeout: smtp.connectionTimeoutMs * 3,
    tls: { rejectUnauthorized: smtp.rejectUnauthorized },
    ...(dkim === undefined
      ? {}
      : {
          dkim: {
            domainName: dkim.domainName,
            keySelector: dkim.keySelector,
            privateKey: dkim.privateKey,
          },
        }),
    logger: false,
  };
}

const formatAddress = (a: {
  address: string;
  name?: string;
}): { address: string; name: string } => ({ address: a.address, name: a.name ?? '' });

/** An EmailTransport for one email channel configuration (one connection pool). */
export function createSmtpTransport(
  config: EmailConfiguration,
  options: SmtpTransportOptions,
): EmailTransport {
  const smtp = config.smtp;
  if (smtp === undefined)
    throw new Error(`the email configuration "${config.name}" has no SMTP settings`);
  const { host, port, connectionTimeoutMs } = smtp;
  // nodemailer asks for every pooled connection; an error here fails that send, a socket is used as is.
  const getSocket = (
    _opts: unknown,
    callback: (err: Error | null, socket?: { connection: Socket }) => void,
  ): void => {
    connectGuarded(options.outbound, host, port, connectionTimeoutMs).then(
      (connection) => callback(null, { connection }),
      (e: Error) => callback(e),
    );
  };
  const pool = smtpPoolOptions(smtp, config.dkim);
  const transporter = nodemailer.createTransport({
    ...pool,
    tls: { ...pool.tls, ...options.tls },
    getSocket,
    debug: options.debug ?? false,
  } as SMTPPool.Options);
  const domain = config.dkim?.domainName ?? domainOf(config.fromAddress);
  return {
    async send(message: EmailMessage): Promise<EmailSendResult> {
      const messageId = messageIdFor(message.idempotencyKey, domain);
      const headers: Record<string, string> = { ...config.headers, ...message.headers };
      if (message.listUnsubscribe !== undefined)
        Object.assign(
          headers,
          listUnsubscribeHeaders(message.listUnsubscribe.url, message.listUnsubscribe.mailto),
        );
      const replyTo = message.replyTo ?? config.replyTo;
      try {
        const info = await transporter.sendMail({
          messageId,
          from: formatAddress(message.from),
          to: formatAddress(message.to),
          ...(replyTo === undefined ? {} : { replyTo: formatAddress(replyTo) }),
          subject: message.subject,
          html: message.html,
          ...(message.text === undefined ? {} : { text: message.text }),
          headers,
        });
        if (info.rejected.length > 0)
          return { kind: 'bounced', message: info.response, address: message.to.address };
        return { kind: 'sent', messageId, response: info.response };
      } catch (e) {
        return classifySmtpError(e, message.to.address);
      }
    },
    async close(): Promise<void> {
      transporter.close();
    },
  };
}
