import { SMTPServer } from 'smtp-server';
import type { SMTPServerSession } from 'smtp-server';
import type * as MailParser from 'mailparser';
import type { AddressObject, ParsedMail } from 'mailparser';
import type { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';

// A development SMTP server embedded in Waymark, so the demo sends real SMTP with no mail account:
// every received message is parsed and handed to `onMessage` (the dev inbox keeps them).

export interface DevMail {
  /** The From header's address. */
  readonly from: string;
  /** Envelope recipients (RCPT TO). */
  readonly to: readonly string[];
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** Lower-case header names; folded lines unfolded; the last value wins. */
  readonly headers: Readonly<Record<string, string>>;
  readonly messageId: string;
  /** ISO-8601. */
  readonly receivedAt: string;
}

export interface DevSmtpServerOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  readonly onMessage: (mail: DevMail) => void;
  /** Maximum message size in bytes (default 10 MB). */
  readonly maxSize?: number;
  /** How long close() waits for connected clients before dropping them (default 1000 ms). */
  readonly closeTimeoutMs?: number;
  /** Injected clock for receivedAt. */
  readonly now?: () => number;
}

export interface DevSmtpServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

function firstAddress(a: AddressObject | AddressObject[] | undefined): string {
  const list = a === undefined ? [] : Array.isArray(a) ? a : [a];
  return (
    list
      .flatMap((o) => o.value)
      .map((v) => v.address ?? '')
      .find((x) => x !== '') ?? ''
  );
}

// mailparser (with html-to-text and its parsers) takes longer to load than the rest of the server's
// start: it loads with the first message instead.
let mailparser: Promise<typeof MailParser> | undefined;
const parseMail = async (stream: Readable): Promise<ParsedMail> => {
  mailparser ??= import('mailparser');
  return (await mailparser).simpleParser(stream);
};

export async function startDevSmtpServer(options: DevSmtpServerOptions): Promise<DevSmtpServer> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: options.maxSize ?? 10 * 1024 * 1024,
    logger: false,
    banner: 'Waymark development SMTP server',
    /** Idle pooled clients are dropped this long after close(). */
    closeTimeout: options.closeTimeoutMs ?? 1000,
    onData(stream, session: SMTPServerSession, callback) {
      parseMail(stream)
        .then((parsed) => {
          if ((stream as { sizeExceeded?: boolean }).sizeExceeded === true) {
            callback(Object.assign(new Error('message too large'), { responseCode: 552 }));
            return;
          }
          const headers: Record<string, string> = {};
          for (const { key, line } of parsed.headerLines)
            headers[key.toLowerCase()] = line
              .slice(line.indexOf(':') + 1)
              .replace(/\r?\n[ \t]+/g, ' ')
              .trim();
          options.onMessage({
            from: firstAddress(parsed.from),
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            text: parsed.text ?? '',
            headers,
            messageId: parsed.messageId ?? '',
            receivedAt: new Date(now()).toISOString(),
          });
          callback();
        })
        .catch((e: unknown) => callback(e instanceof Error ? e : new Error(String(e))));
    },
  });
  server.on('error', () => {
    /* a client's bad session must not crash the process */
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    host,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
