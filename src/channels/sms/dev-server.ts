import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

// A development SMS provider speaking the Twilio Messages API, so the demo sends real requests
// with no account: point an SMS configuration's baseUrl at it. Basic auth must carry the
// configured account SID and token; each accepted message is handed to `onMessage`.

export interface DevSms {
  readonly sid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
  readonly body: string;
  /** ISO-8601. */
  readonly receivedAt: string;
}

export interface DevSmsServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly accountSid: string;
  readonly authToken: string;
  readonly onMessage: (sms: DevSms) => void;
  readonly now?: () => number;
}

export interface DevSmsServer {
  /** The baseUrl for the SMS configuration. */
  readonly baseUrl: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startDevSmsServer(options: DevSmsServerOptions): Promise<DevSmsServer> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  const expectedAuth = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  const path = `/2010-04-01/Accounts/${options.accountSid}/Messages.json`;
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      raw += c;
    });
    req.on('end', () => {
      const answer = (status: number, v: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(v));
      };
      if (req.method !== 'POST' || req.url !== path) {
        answer(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
        return;
      }
      if (req.headers.authorization !== expectedAuth) {
        answer(401, { code: 20003, message: 'Authenticate', status: 401 });
        return;
      }
      const form = new URLSearchParams(raw);
      const to = form.get('To') ?? '';
      const from = form.get('From') ?? form.get('MessagingServiceSid') ?? '';
      const body = form.get('Body') ?? '';
      if (!/^\+[1-9]\d{1,14}$/.test(to)) {
        answer(400, {
          code: 21211,
          message: `The 'To' number ${to} is not a valid phone number.`,
          status: 400,
        });
        return;
      }
      if (body === '') {
        answer(400, { code: 21602, message: 'Message body is required.', status: 400 });
        return;
      }
      const sid = `SM${randomBytes(16).toString('hex')}`;
      options.onMessage({
        sid,
        accountSid: options.accountSid,
        from,
        to,
        body,
        receivedAt: new Date(now()).toISOString(),
      });
      answer(201, {
        sid,
        account_sid: options.accountSid,
        from,
        to,
        body,
        status: 'queued',
        num_segments: String(Math.ceil(body.length / 160)),
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
