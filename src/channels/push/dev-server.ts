import { createServer as createH2cServer } from 'node:http2';
import type { Http2Session, IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { createServer } from 'node:http';
import { createPublicKey, randomBytes, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { compactVerify } from 'jose';

// Development push providers, so the demo's app pushes work with no Apple or Google account:
// an APNs provider API over h2c and an FCM HTTP v1 endpoint with its OAuth token endpoint. Point
// the push configuration at them (apns.host = apnsUrl; fcm.baseUrl = fcmUrl and the service
// account's token_uri = tokenUri). Provider JWTs are verified when the keys are given. A device
// token starting with "invalid" is answered as dead (APNs BadDeviceToken, FCM UNREGISTERED).

export interface DevPush {
  readonly platform: 'apns' | 'fcm';
  readonly id: string;
  readonly deviceToken: string;
  readonly payload: unknown;
  /** ISO-8601. */
  readonly receivedAt: string;
}

export interface DevPushServerOptions {
  readonly host?: string;
  /** 0 picks free ports; a port that is taken is given up for a free one. */
  readonly apnsPort?: number;
  readonly fcmPort?: number;
  /** The .p8 key (or its public key) to verify APNs provider tokens. */
  readonly apnsKey?: string;
  /** The service account's private (or public) key to verify FCM grant assertions. */
  readonly fcmKey?: string;
  readonly onMessage: (push: DevPush) => void;
  readonly now?: () => number;
}

export interface DevPushServer {
  readonly apnsUrl: string;
  readonly fcmUrl: string;
  readonly tokenUri: string;
  close(): Promise<void>;
}

async function jwtValid(jwt: string, key: KeyObject | undefined, es256: boolean): Promise<boolean> {
  if (key === undefined) return true;
  try {
    await compactVerify(jwt, key, { algorithms: [es256 ? 'ES256' : 'RS256'] });
    return true;
  } catch {
    return false;
  }
}

export async function startDevPushServer(options: DevPushServerOptions): Promise<DevPushServer> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  const apnsKey = options.apnsKey === undefined ? undefined : createPublicKey(options.apnsKey);
  const fcmKey = options.fcmKey === undefined ? undefined : createPublicKey(options.fcmKey);
  const accessTokens = new Set<string>();
  const at = (): string => new Date(now()).toISOString();

  const apns = createH2cServer();
  const sessions = new Set<Http2Session>();
  apns.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  apns.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    let raw = '';
    stream.setEncoding('utf8');
    stream.on('data', (c: string) => {
      raw += c;
    });
    stream.on(
      'end',
      () =>
        void (async () => {
          const id = String(headers['apns-id'] ?? randomUUID().toUpperCase());
          const answer = (status: number, reason?: string): void => {
            stream.respond({
              ':status': status,
              'apns-id': id,
              'content-type': 'application/json',
            });
            stream.end(reason === undefined ? undefined : JSON.stringify({ reason }));
          };
          const m = /^\/3\/device\/([^/?]+)$/.exec(String(headers[':path'] ?? ''));
          if (headers[':method'] !== 'POST' || m === null) {
            answer(405, 'MethodNotAllowed');
            return;
          }
          if (
            !(await jwtValid(
              String(headers['authorization'] ?? '').replace(/^bearer /i, ''),
              apnsKey,
              true,
            ))
          ) {
            answer(403, 'InvalidProviderToken');
            return;
          }
          if (headers['apns-topic'] === undefined) {
            answer(400, 'MissingTopic');
            return;
          }
          const token = decodeURIComponent(m[1] as string);
          if (token.startsWith('invalid')) {
            answer(400, 'BadDeviceToken');
            return;
          }
          let payload: unknown;
          try {
            payload = JSON.parse(raw);
          } catch {
            answer(400, 'PayloadEmpty');
            return;
          }
          options.onMessage({
            platform: 'apns',
            id,
            deviceToken: token,
            payload,
            receivedAt: at(),
          });
          answer(200);
        })(),
    );
  });

  const fcm = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      raw += c;
    });
    req.on(
      'end',
      () =>
        void (async () => {
          const json = (status: number, v: unknown): void => {
            res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(v));
          };
          const fcmError = (status: number, statusText: string, errorCode: string): void =>
            json(status, {
              error: {
                code: status,
                message: errorCode,
                status: statusText,
                details: [
                  { '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode },
                ],
              },
            });
          if (req.method === 'POST' && req.url === '/token') {
            const form = new URLSearchParams(raw);
            if (
              form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' ||
              !(await jwtValid(form.get('assertion') ?? '', fcmKey, false))
            ) {
              json(400, { error: 'invalid_grant' });
              return;
            }
            const token = `ya29.dev-${randomBytes(12).toString('hex')}`;
            accessTokens.add(token);
            json(200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
            return;
          }
          const m = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(req.url ?? '');
          if (req.method !== 'POST' || m === null) {
            json(404, { error: { code: 404, status: 'NOT_FOUND', message: 'not found' } });
            return;
          }
          if (!accessTokens.has(String(req.headers.authorization ?? '').replace(/^Bearer /, ''))) {
            json(401, {
              error: { code: 401, status: 'UNAUTHENTICATED', message: 'bad credentials' },
            });
            return;
          }
          let message: { token?: unknown } | undefined;
          try {
            message = (JSON.parse(raw) as { message?: { token?: unknown } }).message;
          } catch {
            /* below */
          }
          if (message === undefined || typeof message.token !== 'string') {
            fcmError(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT');
            return;
          }
          if (message.token.startsWith('invalid')) {
            fcmError(404, 'NOT_FOUND', 'UNREGISTERED');
            return;
          }
          const id = `projects/${m[1] as string}/messages/${randomBytes(8).toString('hex')}`;
          options.onMessage({
            platform: 'fcm',
            id,
            deviceToken: message.token,
            payload: message,
            receivedAt: at(),
          });
          json(200, { name: id });
        })(),
    );
  });

  const listen = (
    s: {
      listen: (port: number, host: string, cb: () => void) => unknown;
      once: (e: 'error', cb: (e: Error) => void) => unknown;
    },
    port: number,
  ): Promise<void> =>
    new Promise((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, host, resolve);
    });
  // A preferred port that is taken (another process has it now) gives way to a free one.
  const listenPreferring = async (
    s: Parameters<typeof listen>[0],
    port: number | undefined,
  ): Promise<void> => {
    try {
      await listen(s, port ?? 0);
    } catch (e) {
      if (!port || (e as { code?: unknown }).code !== 'EADDRINUSE') throw e;
      await listen(s, 0);
    }
  };
  await listenPreferring(apns, options.apnsPort);
  await listenPreferring(fcm, options.fcmPort);
  const apnsUrl = `http://${host}:${(apns.address() as AddressInfo).port}`;
  const fcmUrl = `http://${host}:${(fcm.address() as AddressInfo).port}`;
  return {
    apnsUrl,
    fcmUrl,
    tokenUri: `${fcmUrl}/token`,
    close: async () => {
      fcm.closeAllConnections();
      for (const session of sessions) session.destroy();
      await Promise.all([
        new Promise<void>((r) => apns.close(() => r())),
        new Promise<void>((r) => fcm.close(() => r())),
      ]);
    },
  };
}
