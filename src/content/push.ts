// Push payloads from rendered title and body: an APNs payload for iOS and an FCM (HTTP v1 message)
// shape for Android. Platform overrides win over the common fields.
import type { PushContent } from '../model/message-content.ts';

export interface RenderedPush {
  readonly title: string;
  readonly body: string;
  readonly image?: string;
  readonly deepLink?: string;
  readonly data: Readonly<Record<string, string>>;
  readonly ios: { readonly title?: string; readonly body?: string };
  readonly android: { readonly title?: string; readonly body?: string };
}

export function iosPayload(p: RenderedPush, content: PushContent): Record<string, unknown> {
  const o = content.ios ?? {};
  const image = o.image ?? p.image;
  const aps: Record<string, unknown> = {
    alert: { title: p.ios.title ?? p.title, body: p.ios.body ?? p.body },
    ...(o.sound === undefined ? {} : { sound: o.sound }),
    ...(o.badge === undefined ? {} : { badge: o.badge }),
    ...(o.category === undefined ? {} : { category: o.category }),
    ...(image === undefined ? {} : { 'mutable-content': 1 }),
  };
  return {
    aps,
    ...p.data,
    ...(image === undefined ? {} : { media_url: image }),
    ...(p.deepLink === undefined ? {} : { uri: p.deepLink }),
  };
}

export function androidPayload(p: RenderedPush, content: PushContent): Record<string, unknown> {
  const o = content.android ?? {};
  const image = o.image ?? p.image;
  return {
    notification: {
      title: p.android.title ?? p.title,
      body: p.android.body ?? p.body,
      ...(image === undefined ? {} : { image }),
    },
    data: { ...p.data, ...(p.deepLink === undefined ? {} : { uri: p.deepLink }) },
    android: {
      priority: o.priority === 'high' ? 'HIGH' : 'NORMAL',
      notification: {
        ...(o.channelId === undefined ? {} : { channel_id: o.channelId }),
        ...(o.sound === undefined ? {} : { sound: o.sound }),
        ...(p.deepLink === undefined ? {} : { click_action: p.deepLink }),
      },
    },
  };
}
