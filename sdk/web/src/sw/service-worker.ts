// The Web Push service worker of @waymark/web: shows the notification Waymark sent
// (`{ title, body, data?, badge?, tag? }`) and opens `data.url` (or the site) when it is clicked.
/// <reference lib="webworker" />
declare const self: ServiceWorkerGlobalScope;

interface WaymarkPush {
  title?: string;
  body?: string;
  badge?: string | number;
  tag?: string;
  data?: Record<string, unknown>;
}

self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let p: WaymarkPush = {};
  try {
    p = (event.data?.json() as WaymarkPush | undefined) ?? {};
  } catch {
    p = { body: event.data?.text() ?? '' };
  }
  const options: NotificationOptions = {
    body: p.body ?? '',
    data: p.data ?? {},
    ...(typeof p.badge === 'string' ? { badge: p.badge } : {}),
    ...(p.tag ? { tag: p.tag } : {}),
  };
  event.waitUntil(self.registration.showNotification(p.title ?? 'Notification', options));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = (event.notification.data ?? {}) as Record<string, unknown>;
  const target = [data['url'], data['link'], data['deeplink']].find((v) => typeof v === 'string');
  let url = self.registration.scope;
  try {
    const u = new URL(String(target ?? '/'), self.registration.scope);
    if (u.protocol === 'https:' || u.protocol === 'http:') url = u.href;
  } catch {
    /* keep the scope */
  }
  event.waitUntil(self.clients.openWindow(url).then(() => undefined));
});

export {};
