import { createPrivateKey } from 'node:crypto';
import type { FcmSettings } from '../../model/channel-configuration.ts';
import type { PushMessage, PushSendResult, PushTransport } from '../ports.ts';
import { signJwt } from './jwt.ts';
import {
  isOutboundRefusal,
  outboundFetch,
  publicReason,
  type OutboundPolicy,
} from '../outbound/index.ts';
import { retryAfterOf } from '../outbound/retry-after.ts';

// FCM HTTP v1: an OAuth 2 access token from the service account (a JWT bearer grant, RFC 7523,
// posted to the account's token_uri), cached until shortly before it expires, then
// POST {baseUrl}/v1/projects/{projectId}/messages:send. Both calls go through the sandbox's
// outbound policy (the token endpoint too); a refusal is a permanent failure.

export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';

export interface FcmOptions {
  /** The sandbox's outbound policy (app.outbound(sandbox) also allows FCM and Google's token endpoint). */
  readonly outbound: OutboundPolicy;
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

const INVALID_TOKEN_CODES = new Set(['UNREGISTERED', 'INVALID_ARGUMENT', 'SENDER_ID_MISMATCH']);
const TEMPORARY_CODES = new Set(['QUOTA_EXCEEDED', 'UNAVAILABLE', 'INTERNAL']);

interface FcmErrorBody {
  readonly error?: {
    readonly status?: string;
    readonly message?: string;
    readonly details?: readonly { readonly errorCode?: string }[];
  };
}

export function fcmMessage(m: PushMessage): Record<string, unknown> {
  const message: Record<string, unknown> = {
    token: m.deviceToken,
    notification: { title: m.title, body: m.body },
  };
  if (m.data !== undefined) message['data'] = { ...m.data };
  const android: Record<string, unknown> = {};
  if (m.ttlSeconds !== undefined) android['ttl'] = `${m.ttlSeconds}s`;
  if (m.collapseKey !== undefined) android['collapse_key'] = m.collapseKey;
  if (m.sound !== undefined) android['notification'] = { sound: m.sound };
  if (Object.keys(android).length > 0) message['android'] = android;
  const aps: Record<string, unknown> = {};
  if (m.badge !== undefined) aps['badge'] = m.badge;
  if (m.sound !== undefined) aps['sound'] = m.sound;
  if (Object.keys(aps).length > 0) message['apns'] = { payload: { aps } };
  return { message };
}

export function createFcmTransport(settings: FcmSettings, options: FcmOptions): PushTransport {
  const fetchImpl = outboundFetch(options.outbound);
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const account = settings.serviceAccount;
  const key = createPrivateKey(account.private_key);
  let cached: { token: string; expiresAt: number } | undefined;

  async function accessToken(): Promise<string> {
    if (cached !== undefined && cached.expiresAt > now()) return cached.token;
    const iat = Math.floor(now() / 1000);
    const assertion = await signJwt(
      {
        alg: 'RS256',
        ...(account.private_key_id === undefined ? {} : { kid: account.private_key_id }),
      },
      { iss: account.client_email, scope: FCM_SCOPE, aud: account.token_uri, iat, exp: iat + 3600 },
      key,
    );
    const res = await fetchImpl(account.token_uri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion,
      }).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const answer = (await res.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
    };
    if (!res.ok || typeof answer.access_token !== 'string')
      throw new Error(
        `the token endpoint answered ${res.status}${typeof answer.error === 'string' ? ` (${answer.error})` : ''}`,
      );
    const lifetime = typeof answer.expires_in === 'number' ? answer.expires_in : 3600;
    cached = { token: answer.access_token, expiresAt: now() + Math.max(0, lifetime - 300) * 1000 };
    return cached.token;
  }

  async function post(m: PushMessage): Promise<Response> {
    return fetchImpl(
      `${settings.baseUrl.replace(/\/+$/, '')}/v1/projects/${encodeURIComponent(settings.projectId)}/messages:send`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await accessToken()}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(fcmMessage(m)),
        signal: AbortSignal.timeout(timeoutMs),
      },
    );
  }

  return {
    async send(m: PushMessage): Promise<PushSendResult> {
      try {
        let res = await post(m);
        if (res.status === 401) {
          await res.body?.cancel();
          cached = undefined;
          res = await post(m);
        }
        const body = (await res.json().catch(() => ({}))) as FcmErrorBody & { name?: unknown };
        if (res.ok)
          return {
            kind: 'sent',
            providerMessageId: typeof body.name === 'string' ? body.name : '',
          };
        const code =
          body.error?.details?.find((d) => typeof d.errorCode === 'string')?.errorCode ??
          body.error?.status ??
          `HTTP ${res.status}`;
        const reason = body.error?.message === undefined ? code : `${code}: ${body.error.message}`;
        if (INVALID_TOKEN_CODES.has(code))
          return { kind: 'invalidToken', reason, status: res.status };
        if (TEMPORARY_CODES.has(code) || res.status === 429 || res.status >= 500)
          return {
            kind: 'temporaryFailure',
            reason,
            status: res.status,
            ...retryAfterOf(res.headers),
          };
        return { kind: 'failed', reason, status: res.status };
      } catch (e) {
        if (isOutboundRefusal(e)) return { kind: 'failed', reason: publicReason(e, 'FCM') };
        return {
          kind: 'temporaryFailure',
          reason:
            e instanceof Error && !(e as { code?: unknown }).code
              ? e.message
              : publicReason(e, 'FCM'),
        };
      }
    },
    async close(): Promise<void> {
      /* fetch keeps no session of ours */
    },
  };
}
