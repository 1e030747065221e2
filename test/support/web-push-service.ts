// A browser's push service on loopback, speaking the Web Push protocol as Mozilla's autopush and
// Google's FCM endpoint do: a POST to the subscription's endpoint (RFC 8030) signed with VAPID
// (RFC 8292: `Authorization: vapid t=<ES256 JWT>, k=<public key>`, the JWT's aud the endpoint's
// origin, exp within 24 h) and encrypted for the browser (RFC 8291, aes128gcm). It checks all of it
// and decrypts with the browser's keys, so a test reads what the browser would show.
// Answers: 201 with a Location (accepted), 410 for an expired subscription, 503 when busy.
import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decrypt } from 'http_ece';

/** A browser's subscription, with the private half the push service never sees. */
export interface Subscriber {
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
  readonly ecdh: ECDH;
  readonly authSecret: Buffer;
}

export interface PushDelivery {
  readonly subscription: string;
  readonly ttl: number;
  readonly topic: string | undefined;
  readonly vapidKey: string;
  readonly subject: string;
  readonly payload: Record<string, unknown>;
}

export interface WebPushService {
  readonly url: string;
  readonly received: PushDelivery[];
  /** Requests refused (bad signature, missing header …) with the reason. */
  readonly refused: string[];
  subscribe(): Subscriber;
  /** From now on the subscription answers 410 Gone (the user revoked the permission). */
  expire(s: Subscriber): void;
  /** The next `count` deliveries to the subscription answer 503. */
  busy(s: Subscriber, count: number): void;
  close(): Promise<void>;
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The VAPID header checked as RFC 8292 says; answers the claims' subject, or throws why not. */
function checkVapid(header: string | undefined, origin: string): { key: string; subject: string } {
  const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header ?? '');
  if (!m) throw new Error(`no VAPID authorization: ${header ?? '(none)'}`);
  const [jwt, key] = [m[1]!, m[2]!];
  const [h, c, s] = jwt.split('.') as [string, string, string];
  const raw = Buffer.from(key, 'base64url');
  if (raw.length !== 65 || raw[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const publicKey = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: raw.subarray(1, 33).toString('base64url'),
      y: raw.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
  const header_ = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
  const ok =
    header_.alg === 'ES256' &&
    verify(
      'sha256',
      Buffer.from(`${h}.${c}`),
      { key: publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(s, 'base64url'),
    );
  if (!ok) throw new Error('the VAPID signature does not verify');
  const claims = JSON.parse(Buffer.from(c, 'base64url').toString()) as {
    aud?: string;
    exp?: number;
    sub?: string;
  };
  const now = Date.now() / 1000;
  if (claims.aud !== origin) throw new Error(`aud ${claims.aud} is not ${origin}`);
  if (typeof claims.exp !== 'number' || claims.exp < now || claims.exp > now + 86_400)
    throw new Error('exp is not within the next 24 hours');
  if (!claims.sub || !/^(mailto:|https:)/.test(claims.sub)) throw new Error('no sub contact');
  return { key, subject: claims.sub };
}

export async function startWebPushService(): Promise<WebPushService> {
  const subscribers = new Map<string, Subscriber>();
  const gone = new Set<string>();
  const busyFor = new Map<string, number>();
  const received: PushDelivery[] = [];
  const refused: string[] = [];
  let delivered = 0;
  const server = createServer((req, res) => {
    void body(req).then((payload) => {
      const id = /^\/push\/([\w-]+)$/.exec(req.url ?? '')?.[1];
      const subscriber = id === undefined ? undefined : subscribers.get(id);
      if (req.method !== 'POST' || !subscriber) {
        res.writeHead(404).end();
        return;
      }
      if (gone.has(id!)) {
        res.writeHead(410).end('push subscription has unsubscribed or expired.');
        return;
      }
      const busy = busyFor.get(id!) ?? 0;
      if (busy > 0) {
        busyFor.set(id!, busy - 1);
        res.writeHead(503, { 'retry-after': '30' }).end('service unavailable');
        return;
      }
      try {
        const vapid = checkVapid(req.headers.authorization, url);
        const ttl = Number(req.headers['ttl']);
        if (!Number.isInteger(ttl) || ttl < 0) throw new Error('no TTL header');
        if (req.headers['content-encoding'] !== 'aes128gcm')
          throw new Error(`content-encoding ${req.headers['content-encoding']}`);
        const clear = decrypt(payload, {
          version: 'aes128gcm',
          privateKey: subscriber.ecdh,
          authSecret: subscriber.authSecret,
        });
        const topic = req.headers['topic'];
        received.push({
          subscription: id!,
          ttl,
          topic: typeof topic === 'string' ? topic : undefined,
          vapidKey: vapid.key,
          subject: vapid.subject,
          payload: JSON.parse(clear.toString('utf8')) as Record<string, unknown>,
        });
        res.writeHead(201, { location: `${url}/message/m${++delivered}` }).end();
      } catch (e) {
        refused.push(e instanceof Error ? e.message : String(e));
        res.writeHead(e instanceof SyntaxError ? 400 : 401).end(String(e));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    refused,
    subscribe() {
      const id = randomBytes(9).toString('base64url');
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const authSecret = randomBytes(16);
      const s: Subscriber = {
        endpoint: `${url}/push/${id}`,
        keys: {
          p256dh: ecdh.getPublicKey().toString('base64url'),
          auth: authSecret.toString('base64url'),
        },
        ecdh,
        authSecret,
      };
      subscribers.set(id, s);
      return s;
    },
    expire(s) {
      gone.add(s.endpoint.split('/').pop()!);
    },
    busy(s, count) {
      busyFor.set(s.endpoint.split('/').pop()!, count);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
