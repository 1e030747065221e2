// Channel delivery for the message dispatcher: email over SMTP or a provider's API, push over APNs,
// FCM and Web Push, SMS over Twilio or Vonage, one transport per channel configuration (secrets decrypted here only). Email links are
// rewritten for click tracking with an open pixel and one-click unsubscribe. A temporary failure
// throws a retryable error (the outbox retries with backoff); a permanent one is recorded.
import { PUSH_MESSAGE_ID_KEY } from './push-interactions.ts';
import { shortenSmsLinks, type ShortenDeps } from './short-links.ts';
import { smsSegments } from '../content/index.ts';
import {
  createChannelTransport,
  outcomeOf,
  type ChannelTransport,
  type EmailSendResult,
  type PushSendResult,
  type SmsSendResult,
} from '../channels/index.ts';
import type { PushPlatform, WebPushKeys } from '../channels/ports.ts';
import { rewriteLinks, unsubscribeUrl, type TrackingContext } from '../channels/tracking/index.ts';
import type { ChannelConfiguration } from '../model/channel-configuration.ts';
import { ErrorCode, WaymarkError } from '../errors.ts';
import type { Deliver } from './messages.ts';
import { readPath } from './paths.ts';
import type { MessageRequest } from './ports.ts';
import type { SecretBox } from './secret-box.ts';
import { policyKey, type OutboundPolicy } from '../channels/outbound/index.ts';

export interface ChannelDeliveryOptions {
  readonly secrets: SecretBox;
  /** Where a sandbox's messages may connect (its allowed hosts and the private-address block). */
  readonly outbound: (sandbox: string) => OutboundPolicy;
  readonly tracking?: { readonly secret: Uint8Array | string; readonly baseUrl: string };
  /** SMS link shortening (configurations with tracking.clicks): where codes are stored, the public base URL, the clock. */
  readonly shortLinks?: Omit<ShortenDeps, 'newCode'>;
  /** A provider said a push token or phone number is dead, or the person opted out. */
  readonly onAddressProblem?: (
    sandbox: string,
    profileId: string,
    problem: {
      kind: 'invalidToken' | 'invalidAddress' | 'optedOut';
      channel: 'push' | 'sms' | 'email';
      address: string;
    },
  ) => Promise<void>;
}

export interface ChannelDelivery {
  readonly deliver: Deliver;
  close(): Promise<void>;
}

type Status = Awaited<ReturnType<Deliver>>;

export function createChannelDelivery(opts: ChannelDeliveryOptions): ChannelDelivery {
  const transports = new Map<string, ChannelTransport>();
  const transportFor = (sandbox: string, stored: ChannelConfiguration): ChannelTransport => {
    // The policy is part of the key: a host allowed for the sandbox later gets a transport that may reach it.
    const outbound = opts.outbound(sandbox);
    const key = `${sandbox}\u0000${policyKey(outbound)}\u0000${JSON.stringify(stored)}`;
    let t = transports.get(key);
    if (!t) {
      t = createChannelTransport(opts.secrets.open('channelConfiguration', stored), { outbound });
      transports.set(key, t);
    }
    return t;
  };

  const settle = async (
    req: MessageRequest,
    result: EmailSendResult | PushSendResult | SmsSendResult,
    address: string,
    extra: Record<string, unknown>,
  ): Promise<Status> => {
    const channel = req.effect.channel;
    if (channel === 'inApp' || channel === 'code')
      return { status: 'failed', reason: `${channel} messages are served to the SDK, not sent` };
    const outcome = outcomeOf(result);
    const reason = 'message' in result ? result.message : 'reason' in result ? result.reason : null;
    const providerId =
      result.kind === 'sent'
        ? 'messageId' in result
          ? result.messageId
          : result.providerMessageId
        : undefined;
    switch (outcome) {
      case 'sent':
        return {
          status: 'sent',
          reason: null,
          payload: { ...extra, ...(providerId ? { providerMessageId: providerId } : {}) },
        };
      case 'retry':
        // The provider's Retry-After (push, SMS) replaces the channel's backoff for this retry.
        throw new WaymarkError(
          ErrorCode.ProviderError,
          `${req.effect.channel} provider temporary failure: ${reason ?? 'unknown'}`,
          {
            retryable: true,
            ...('retryAfterMs' in result && result.retryAfterMs !== undefined
              ? { details: { retryAfterMs: result.retryAfterMs } }
              : {}),
          },
        );
      case 'bounced':
        await opts.onAddressProblem?.(req.sandbox, req.instance.profileId, {
          kind: 'invalidAddress',
          channel,
          address,
        });
        return { status: 'bounced', reason: reason ?? 'bounced' };
      case 'invalidAddress':
        await opts.onAddressProblem?.(req.sandbox, req.instance.profileId, {
          kind: channel === 'push' ? 'invalidToken' : 'invalidAddress',
          channel,
          address,
        });
        return {
          status: 'failed',
          reason: channel === 'push' ? 'invalid_token' : 'invalid_address',
        };
      case 'optedOut':
        await opts.onAddressProblem?.(req.sandbox, req.instance.profileId, {
          kind: 'optedOut',
          channel,
          address,
        });
        return { status: 'excluded', reason: 'no_consent' };
      case 'failed':
        return { status: 'failed', reason: reason ?? 'failed' };
    }
  };

  const deliver: Deliver = async (req, rendered, recipient) => {
    const stored = req.catalog.configurations.get(req.effect.configuration);
    if (!stored)
      return {
        status: 'failed',
        reason: `the channel configuration "${req.effect.configuration}" does not exist`,
      };
    const t = transportFor(req.sandbox, stored);
    const ctx: TrackingContext = {
      messageId: req.effect.messageId,
      profileId: req.instance.profileId,
      journeyId: req.instance.journeyId,
      journeyVersion: req.instance.version,
      activityId: req.effect.node,
      sandbox: req.sandbox,
    };
    if (t.channel === 'email' && rendered.channel === 'email') {
      const tracking = opts.tracking;
      const tracked = tracking
        ? rewriteLinks(rendered.html, ctx, tracking.secret, tracking.baseUrl, {
            clicks: t.config.tracking.clicks,
            opens: t.config.tracking.opens,
          })
        : null;
      const result = await t.transport.send({
        idempotencyKey: req.effect.messageId,
        from: {
          address: t.config.fromAddress,
          ...(t.config.fromName ? { name: t.config.fromName } : {}),
        },
        to: { address: recipient },
        subject: rendered.subject,
        html: tracked?.html ?? rendered.html,
        text: rendered.text,
        ...(tracking && t.config.listUnsubscribe.enabled
          ? {
              listUnsubscribe: {
                url: unsubscribeUrl(ctx, 'email', tracking.secret, tracking.baseUrl),
                ...(t.config.listUnsubscribe.mailto
                  ? { mailto: t.config.listUnsubscribe.mailto }
                  : {}),
              },
            }
          : {}),
      });
      return settle(req, result, recipient, tracked ? { links: tracked.links } : {});
    }
    if (t.channel === 'push' && rendered.channel === 'push') {
      const { platform, webPushKeys } = pushTargetOf(req, recipient);
      const custom = readPath(rendered.android, 'data');
      const result = await t.transport.send({
        idempotencyKey: req.effect.messageId,
        platform,
        deviceToken: recipient,
        ...(webPushKeys === undefined ? {} : { webPushKeys }),
        title: rendered.title,
        body: rendered.body,
        // The message's id travels with the notification, so the app can report it opened or clicked.
        data: {
          ...(custom && typeof custom === 'object'
            ? Object.fromEntries(Object.entries(custom).map(([k, v]) => [k, String(v)]))
            : {}),
          [PUSH_MESSAGE_ID_KEY]: req.effect.messageId,
        },
      });
      return settle(req, result, recipient, { platform });
    }
    if (t.channel === 'sms' && rendered.channel === 'sms') {
      // Tracked clicks: the links become short links, stored before the text leaves; the segments
      // logged are those of the text sent.
      const shortened =
        t.config.tracking?.clicks === true && opts.shortLinks
          ? await shortenSmsLinks(
              opts.shortLinks,
              {
                sandbox: req.sandbox,
                messageId: req.effect.messageId,
                profileId: req.instance.profileId,
                journeyId: req.instance.journeyId,
                version: req.instance.version,
                node: req.effect.node,
              },
              rendered.text,
              t.config.tracking.linkValidityDays,
              t.config.tracking.domain,
            )
          : null;
      const body = shortened?.text ?? rendered.text;
      return settle(
        req,
        await t.transport.send({ idempotencyKey: req.effect.messageId, to: recipient, body }),
        recipient,
        shortened && shortened.links.length > 0
          ? { links: shortened.links, sentText: body, segments: smsSegments(body).segments }
          : {},
      );
    }
    return {
      status: 'failed',
      reason: `the configuration "${stored.name}" is for ${stored.channel}, not ${rendered.channel}`,
    };
  };

  return {
    deliver,
    async close() {
      await Promise.all([...transports.values()].map((t) => t.transport.close()));
      transports.clear();
    },
  };
}

/**
 * Where a device token goes, from the profile's push details: ios → APNs, web (a browser
 * subscription, whose token is its endpoint) → Web Push with the subscription's keys, else FCM.
 */
function pushTargetOf(
  req: MessageRequest,
  token: string,
): { platform: PushPlatform; webPushKeys?: WebPushKeys } {
  const entries = readPath(req.profile?.attributes, 'pushNotificationDetails');
  const entry = Array.isArray(entries)
    ? (entries.find((e) => (e as { token?: unknown }).token === token) as
        { platform?: unknown; keys?: { p256dh?: unknown; auth?: unknown } } | undefined)
    : undefined;
  if (entry?.platform === 'ios' || entry?.platform === 'apns') return { platform: 'apns' };
  if (entry?.platform !== 'web') return { platform: 'fcm' };
  const { p256dh, auth } = entry.keys ?? {};
  return typeof p256dh === 'string' && typeof auth === 'string'
    ? { platform: 'webpush', webPushKeys: { p256dh, auth } }
    : { platform: 'webpush' };
}
