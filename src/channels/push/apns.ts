import { connect } from 'node:http2';
import type { ClientHttp2Session, SecureClientSessionOptions } from 'node:http2';
import { createHash, createPrivateKey } from 'node:crypto';
import type { ApnsSettings } from '../../model/channel-configuration.ts';
import type { PushMessage, PushSendResult, PushTransport } from '../ports.ts';
import { CachedJwt, signJwt } from './jwt.ts';
import {
  checkUrl,
  guardedLookup,
  isOutboundRefusal,
  portOf,
  publicReason,
  type OutboundPolicy,
} from '../outbound/index.ts';

// APNs provider API over HTTP/2 with token-based authentication: an ES256 JWT signed with the
// team's .p8 key, re-signed every 50 minutes (APNs accepts 20-60 min). One HTTP/2 session is kept
// open and re-opened after a GOAWAY or an error. The host must pass the sandbox's outbound policy
// and the session connects to an address checked after DNS; a refusal is a permanent failure.

export interface ApnsOptions {
  /** The sandbox's outbound policy (app.outbound(sandbox) also allows api.push.apple.com and its sandbox). */
  readonly outbound: OutboundPolicy;
  /** Extra TLS options (a test CA); `host` may be http:// for h2c in tests. */
  readonly connectOptions?: SecureClientSessionOptions;
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

const TOKEN_MAX_AGE_MS = 50 * 60_000;
const INVALID_TOKEN_REASONS = new Set([
  'BadDeviceToken',
  'Unregistered',
  'DeviceTokenNotForTopic',
  'ExpiredToken',
]);
const PROVIDER_TOKEN_REASONS = new Set(['ExpiredProviderToken', 'InvalidProviderToken']);

/** A UUID derived from the idempotency key (the apns-id header): retries carry the same id. */
export function apnsIdFor(idempotencyKey: string): string {
  const h = createHash('sha256').update(idempotencyKey, 'utf8').digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`.toUpperCase();
}

export function apnsPayload(m: PushMessage): Record<string, unknown> {
  const aps: Record<string, unknown> = { alert: { title: m.title, body: m.body } };
  if (m.badge !== undefined) aps['badge'] = m.badge;
  if (m.sound !== undefined) aps['sound'] = m.sound;
  return { ...(m.data ?? {}), aps };
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly apnsId: string | undefined;
}

export function createApnsTransport(settings: ApnsSettings, options: ApnsOptions): PushTransport {
  const now = options.now ?? Date.now;
  const key = createPrivateKey(settings.p8Key);
  const jwt = new CachedJwt(
    (iat) => signJwt({ alg: 'ES256', kid: settings.keyId }, { iss: settings.teamId, iat }, key),
    TOKEN_MAX_AGE_MS,
    now,
  );
  const timeoutMs = options.timeoutMs ?? 10_000;
  let session: ClientHttp2Session | undefined;

  function getSession(): ClientHttp2Session {
    if (session !== undefined && !session.closed && !session.destroyed) return session;
    const authority = new URL(settings.host);
    checkUrl(options.outbound, authority);
    const s = connect(authority, {
      ...options.connectOptions,
      lookup: guardedLookup(options.outbound, portOf(authority)),
    });
    s.on('error', () => {
      if (session === s) session = undefined;
    });
    s.on('goaway', () => {
      if (session === s) session = undefined;
    });
    s.on('close', () => {
      if (session === s) session = undefined;
    });
    s.unref();
    session = s;
    return s;
  }

  async function post(m: PushMessage, body: string): Promise<Answer> {
    const token = await jwt.get();
    return new Promise((resolve, reject) => {
      const s = getSession();
      const headers: Record<string, string> = {
        ':method': 'POST',
        ':path': `/3/device/${encodeURIComponent(m.deviceToken)}`,
        authorization: `bearer ${token}`,
        'apns-topic': settings.bundleId,
        'apns-push-type': 'alert',
        'apns-priority': '10',
        'apns-id': apnsIdFor(m.idempotencyKey),
        'content-type': 'application/json',
      };
      if (m.ttlSeconds !== undefined)
        headers['apns-expiration'] = String(
          m.ttlSeconds === 0 ? 0 : Math.floor(now() / 1000) + m.ttlSeconds,
        );
      if (m.collapseKey !== undefined) headers['apns-collapse-id'] = m.collapseKey;
      const req = s.request(headers);
      req.setTimeout(timeoutMs, () => req.close());
      let status = 0;
      let apnsId: string | undefined;
      let text = '';
      req.on('response', (h) => {
        status = Number(h[':status']);
        const id = h['apns-id'];
        apnsId = Array.isArray(id) ? id[0] : id;
      });
      req.setEncoding('utf8');
      req.on('data', (c: string) => {
        text += c;
      });
      req.on('end', () =>
        status === 0
          ? reject(new Error('the stream closed without an answer'))
          : resolve({ status, body: text, apnsId }),
      );
      req.on('error', reject);
      req.on('close', () => {
        if (status === 0) reject(new Error('no answer (timed out or reset)'));
      });
      req.end(body);
    });
  }

  function classify(a: Answer, m: PushMessage): PushSendResult | 'refreshToken' {
    if (a.status === 200)
      return { kind: 'sent', providerMessageId: a.apnsId ?? apnsIdFor(m.idempotencyKey) };
    let reason = `HTTP ${a.status}`;
    try {
      const parsed = JSON.parse(a.body) as { reason?: unknown };
      if (typeof parsed.reason === 'string') reason = parsed.reason;
    } catch {
      /* no JSON body */
    }
    if (a.status === 410 || (a.status === 400 && INVALID_TOKEN_REASONS.has(reason)))
      return { kind: 'invalidToken', reason, status: a.status };
    if (a.status === 403 && PROVIDER_TOKEN_REASONS.has(reason)) return 'refreshToken';
    if (a.status === 429 || a.status >= 500)
      return { kind: 'temporaryFailure', reason, status: a.status };
    return { kind: 'failed', reason, status: a.status };
  }

  return {
    async send(m: PushMessage): Promise<PushSendResult> {
      const body = JSON.stringify(apnsPayload(m));
      try {
        let r = classify(await post(m, body), m);
        if (r === 'refreshToken') {
          jwt.reset();
          r = classify(await post(m, body), m);
          if (r === 'refreshToken')
            return {
              kind: 'failed',
              reason: 'the provider token is refused (check key id, team id and .p8 key)',
              status: 403,
            };
        }
        return r;
      } catch (e) {
        session?.destroy();
        session = undefined;
        if (isOutboundRefusal(e)) return { kind: 'failed', reason: publicReason(e, 'APNs') };
        return {
          kind: 'temporaryFailure',
          reason:
            e instanceof Error && (e as { code?: unknown }).code === undefined
              ? e.message
              : publicReason(e, 'APNs'),
        };
      }
    },
    async close(): Promise<void> {
      const s = session;
      session = undefined;
      if (s !== undefined && !s.closed)
        await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}
