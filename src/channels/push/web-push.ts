import webPush from 'web-push';
import type { WebPushSettings } from '../../model/channel-configuration.ts';
import type { PushMessage, PushSendResult, PushTransport } from '../ports.ts';
import {
  isOutboundRefusal,
  outboundFetch,
  publicReason,
  type OutboundPolicy,
} from '../outbound/index.ts';
import { retryAfterOf } from '../outbound/retry-after.ts';

// Web Push (RFC 8030) to a browser's push service: the payload encrypted for the subscription
// (aes128gcm, RFC 8291) and the request signed with the VAPID key (RFC 8292). The web-push package
// builds the request; it is sent through the sandbox's outbound policy like every provider call, so
// an endpoint on a host the sandbox does not allow is refused, not reached.

export interface WebPushOptions {
  /** The sandbox's outbound policy (the browsers' push services are allowed by default). */
  readonly outbound: OutboundPolicy;
  readonly timeoutMs?: number;
}

/** What the service worker receives (`event.data.json()`): the notification and its data. */
export function webPushPayload(m: PushMessage): Record<string, unknown> {
  return {
    title: m.title,
    body: m.body,
    ...(m.data === undefined ? {} : { data: { ...m.data } }),
    ...(m.badge === undefined ? {} : { badge: m.badge }),
    ...(m.collapseKey === undefined ? {} : { tag: m.collapseKey }),
  };
}

// RFC 8030 §5.3: at most 32 characters of the URL-safe base64 alphabet.
const topicOf = (collapseKey: string | undefined): string | undefined =>
  collapseKey !== undefined && /^[A-Za-z0-9_-]{1,32}$/.test(collapseKey) ? collapseKey : undefined;

export function createWebPushTransport(
  settings: WebPushSettings,
  options: WebPushOptions,
): PushTransport {
  const fetchImpl = outboundFetch(options.outbound);
  const timeoutMs = options.timeoutMs ?? 10_000;

  function request(m: PushMessage): ReturnType<typeof webPush.generateRequestDetails> {
    const topic = topicOf(m.collapseKey);
    return webPush.generateRequestDetails(
      {
        endpoint: m.deviceToken,
        keys: { p256dh: m.webPushKeys!.p256dh, auth: m.webPushKeys!.auth },
      },
      JSON.stringify(webPushPayload(m)),
      {
        vapidDetails: {
          subject: settings.subject,
          publicKey: settings.publicKey,
          privateKey: settings.privateKey,
        },
        TTL: m.ttlSeconds ?? 4 * 7 * 86_400,
        ...(topic === undefined ? {} : { topic }),
      },
    );
  }

  return {
    async send(m: PushMessage): Promise<PushSendResult> {
      if (m.webPushKeys === undefined)
        return {
          kind: 'invalidToken',
          reason: 'the browser subscription has no keys (p256dh, auth)',
          status: 0,
        };
      let details: ReturnType<typeof webPush.generateRequestDetails>;
      try {
        details = request(m);
      } catch (e) {
        // A malformed endpoint or key: the subscription can never work.
        return {
          kind: 'invalidToken',
          reason: `not a usable browser subscription: ${e instanceof Error ? e.message : String(e)}`,
          status: 0,
        };
      }
      try {
        const headers = Object.fromEntries(
          Object.entries(details.headers).map(([k, v]) => [k, String(v)]),
        );
        delete headers['Content-Length'];
        const res = await fetchImpl(details.endpoint, {
          method: details.method,
          headers,
          body: new Uint8Array(details.body as Buffer),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await res.text().catch(() => '');
        const reason = `HTTP ${res.status}${text.trim() === '' ? '' : `: ${text.trim().slice(0, 200)}`}`;
        if (res.ok) return { kind: 'sent', providerMessageId: res.headers.get('location') ?? '' };
        // The subscription expired or was withdrawn: remove it from the profile.
        if (res.status === 404 || res.status === 410)
          return { kind: 'invalidToken', reason, status: res.status };
        if (res.status === 429 || res.status >= 500) {
          return {
            kind: 'temporaryFailure',
            reason,
            status: res.status,
            ...retryAfterOf(res.headers),
          };
        }
        return { kind: 'failed', reason, status: res.status };
      } catch (e) {
        if (isOutboundRefusal(e)) return { kind: 'failed', reason: publicReason(e, 'Web Push') };
        return { kind: 'temporaryFailure', reason: publicReason(e, 'Web Push') };
      }
    },
    async close(): Promise<void> {
      /* fetch keeps no session of ours */
    },
  };
}
