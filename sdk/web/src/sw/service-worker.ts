// The Web Push service worker of @waymark/web: shows the notification Waymark sent
// (`{ title, body, data?, badge?, tag? }`). When it is clicked, reports the click to Waymark
// (POST /v1/push/interactions: `opened` for the notification, `clicked` with the action's id for
// one of its actions) with the write key and identity the page's SDK stored for it
// (../push-config.ts), and focuses a window already on `data.url` (or the site) or opens one.
/// <reference lib="webworker" />
import { loadPushConfig } from '../push-config.ts';
import { pushInteractionRequest } from '../push-report.ts';

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

/** Where a click leads: data.url (or link, deeplink) when it is http(s), else the worker's scope. */
function targetOf(data: Record<string, unknown>): string {
  const target = [data['url'], data['link'], data['deeplink']].find((v) => typeof v === 'string');
  try {
    const u = new URL(String(target ?? '/'), self.registration.scope);
    if (u.protocol === 'https:' || u.protocol === 'http:') return u.href;
  } catch {
    /* keep the scope */
  }
  return self.registration.scope;
}

/** Reports the click; a failure (offline, signed out, a refusal) never stops the window opening. */
async function report(data: unknown, action: string): Promise<void> {
  const r = pushInteractionRequest(await loadPushConfig(), data, action);
  if (r === null) return;
  await fetch(r.url, {
    method: r.method,
    headers: r.headers,
    ...(r.body === undefined ? {} : { body: r.body }),
    keepalive: true,
  });
}

/** A window of the site already on the URL gets the focus; otherwise one opens. */
async function openOrFocus(url: string): Promise<void> {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((w) => w.url === url);
  if (open) await open.focus();
  else await self.clients.openWindow(url);
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = (event.notification.data ?? {}) as Record<string, unknown>;
  // Both at once: the browser lets a worker open a window only shortly after the click.
  const work = Promise.all([
    report(data, event.action).catch(() => undefined),
    openOrFocus(targetOf(data)).catch(() => undefined),
  ]).then(() => undefined);
  // A click the browser dispatched keeps the worker alive until both are done. (An event made by
  // script, as the browser test makes one, cannot be extended: the work runs all the same.)
  if (event.isTrusted) event.waitUntil(work);
});

export {};
