import type { PushConfiguration } from '../../model/channel-configuration.ts';
import type { PushMessage, PushPlatform, PushSendResult, PushTransport } from '../ports.ts';
import { createApnsTransport } from './apns.ts';
import type { ApnsOptions } from './apns.ts';
import { createFcmTransport } from './fcm.ts';
import type { FcmOptions } from './fcm.ts';
import { createWebPushTransport } from './web-push.ts';
import type { OutboundPolicy } from '../outbound/index.ts';

export { createApnsTransport, apnsIdFor, apnsPayload } from './apns.ts';
export type { ApnsOptions } from './apns.ts';
export { createFcmTransport, fcmMessage, FCM_SCOPE } from './fcm.ts';
export type { FcmOptions } from './fcm.ts';
export { createWebPushTransport, webPushPayload } from './web-push.ts';
export { signJwt, CachedJwt } from './jwt.ts';

/** One PushTransport for a push configuration: each message goes to its platform's provider. */
export function createPushTransport(
  config: PushConfiguration,
  options: {
    readonly outbound: OutboundPolicy;
    readonly apns?: Omit<ApnsOptions, 'outbound'>;
    readonly fcm?: Omit<FcmOptions, 'outbound'>;
  },
): PushTransport {
  const apns =
    config.apns === undefined
      ? undefined
      : createApnsTransport(config.apns, { ...options.apns, outbound: options.outbound });
  const fcm =
    config.fcm === undefined
      ? undefined
      : createFcmTransport(config.fcm, { ...options.fcm, outbound: options.outbound });
  const web =
    config.webPush === undefined
      ? undefined
      : createWebPushTransport(config.webPush, { outbound: options.outbound });
  const transportOf = (platform: PushPlatform): PushTransport | undefined => {
    switch (platform) {
      case 'apns':
        return apns;
      case 'fcm':
        return fcm;
      case 'webpush':
        return web;
      default: {
        const never: never = platform;
        return never;
      }
    }
  };
  return {
    send(m: PushMessage): Promise<PushSendResult> {
      const t = transportOf(m.platform);
      if (t === undefined)
        return Promise.resolve({
          kind: 'failed',
          reason: `${config.name} has no ${m.platform} settings`,
        });
      return t.send(m);
    },
    async close(): Promise<void> {
      await Promise.all([apns?.close(), fcm?.close(), web?.close()]);
    },
  };
}

export { startDevPushServer } from './dev-server.ts';
export type { DevPush, DevPushServer, DevPushServerOptions } from './dev-server.ts';
