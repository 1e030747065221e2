// @waymark/web: Waymark in the browser. Identify the visitor, send events, show the in-app
// messages and code-based experiences journeys and campaigns left for them, and register the
// browser for Web Push. Talks to Waymark's client routes with the site's write key.
import { WaymarkUsageError } from './errors.ts';
import { buildRequest, eventBody, send, type Connection, type FetchLike } from './http.ts';
import {
  checkIdentity,
  readIdentity,
  writeIdentity,
  type Identity,
  type KeyValueStore,
} from './identity.ts';
import { showInAppMessage } from './inapp-view.ts';
import { savePushConfig } from './push-config.ts';
import { base64UrlBytes, pageViewOf, type InAppTrigger } from './triggers.ts';
import type { Experience, InAppInteraction, InAppMessage, TrackResult } from './types.ts';

export * from './errors.ts';
export type * from './types.ts';
export type { Identity } from './identity.ts';
export { pageMatches, triggerMatches, safeUrl } from './triggers.ts';

export interface WaymarkOptions {
  /** The site's write key: an API key with only events.ingest. It is public by nature (it ships in the page). */
  readonly writeKey: string;
  /** Where Waymark is; default '' (the page's own origin). */
  readonly baseUrl?: string;
  /** The sandbox; default the server's (prod). */
  readonly sandbox?: string;
  /** Storage for the identity (default localStorage; null keeps it in memory only). */
  readonly storage?: KeyValueStore | null;
  /** The fetch to use (default the page's). */
  readonly fetch?: FetchLike;
}

export interface PushRegistration {
  readonly endpoint: string;
  readonly profileId: string;
}

export interface WaymarkClient {
  /** Who the visitor is from now on (kept in localStorage). */
  identify(namespace: string, id: string): void;
  /** Forget the visitor (sign out): anonymous again. */
  reset(): void;
  /** The current identity, or null while anonymous. */
  identity(): Identity | null;
  /** POST /v1/events: `payload` must carry the identity where the event type's schema says. */
  track(
    eventType: string,
    payload: Record<string, unknown>,
    opts?: { id?: string },
  ): Promise<TrackResult>;
  readonly inApp: {
    /** The messages for this trigger, shown one after the other (answers them; [] while anonymous). */
    check(trigger: InAppTrigger): Promise<InAppMessage[]>;
    /** Asks for messages without showing them. */
    query(trigger: InAppTrigger): Promise<InAppMessage[]>;
    /** Shows one message and records displayed, clicked or dismissed. */
    show(message: InAppMessage): Promise<void>;
    /** Records an interaction yourself (a custom renderer). */
    record(messageId: string, interaction: InAppInteraction, button?: string): Promise<void>;
    /** appLaunch once per browser session, pageView for this page, event triggers after each track(). */
    autoShow(): Promise<void>;
  };
  readonly experiences: {
    /** The experiences for these surfaces (1..20); surfaces with nothing for the visitor are absent. */
    fetch(surfaces: readonly string[]): Promise<Experience[]>;
    /**
     * Puts the surface's HTML into `element` (fetched unless fetch() brought it). The HTML is the
     * marketer's own content from Waymark, trusted like the rest of the site. Answers the experience,
     * or null when there is none (the element is left as it was: keep a default in it).
     */
    render(surface: string, element: Element): Promise<Experience | null>;
  };
  readonly push: {
    /** Asks the permission, subscribes with the configuration's VAPID key and sends the subscription. */
    register(opts: {
      configuration: string;
      serviceWorkerUrl: string;
      scope?: string;
    }): Promise<PushRegistration>;
    /** Unsubscribes the browser and removes the subscription from the profile. */
    unregister(): Promise<boolean>;
  };
}

const PUSH_KEY = 'waymark.push';
const SESSION_LAUNCH_KEY = 'waymark.launched';

function defaultStorage(): KeyValueStore | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage blocked (privacy settings)
  }
}

function memoryStorage(): KeyValueStore {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
  };
}

function newId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export function createWaymark(options: WaymarkOptions): WaymarkClient {
  if (typeof options?.writeKey !== 'string' || options.writeKey === '')
    throw new WaymarkUsageError(
      'createWaymark: a writeKey (an API key with events.ingest) is needed',
    );
  const connection: Connection = {
    baseUrl: options.baseUrl ?? '',
    writeKey: options.writeKey,
    ...(options.sandbox === undefined ? {} : { sandbox: options.sandbox }),
  };
  const fetchImpl: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const storage =
    options.storage === undefined
      ? (defaultStorage() ?? memoryStorage())
      : (options.storage ?? memoryStorage());
  let current = readIdentity(storage);
  let autoShowing = false;
  const experienceCache = new Map<string, Experience>();
  let queue: Promise<void> = Promise.resolve();
  const pending = new Set<string>();

  /**
   * What the service worker reports notification clicks with (./push-config.ts): stored when the
   * browser registers for push, and again when the visitor changes while it is registered.
   */
  const storePushConfig = (): Promise<void> =>
    savePushConfig({
      baseUrl: absoluteBase(connection.baseUrl),
      writeKey: connection.writeKey,
      ...(connection.sandbox === undefined ? {} : { sandbox: connection.sandbox }),
      identity: current,
    });
  const pushConfigChanged = (): void => {
    if (storage.getItem(PUSH_KEY) !== null) void storePushConfig().catch(() => undefined);
  };

  const call = <T>(method: 'GET' | 'POST', path: string, body?: unknown, keepalive = false) =>
    send<T>(fetchImpl, buildRequest(connection, method, path, body), { keepalive });

  const who = (what: string): Identity => {
    if (!current)
      throw new WaymarkUsageError(`${what}: identify the visitor first (identify(namespace, id))`);
    return current;
  };

  const inApp: WaymarkClient['inApp'] = {
    async query(trigger) {
      if (!current) return [];
      const r = await call<{ items: InAppMessage[] }>('POST', '/v1/inapp/messages/query', {
        namespace: current.namespace,
        id: current.id,
        trigger,
      });
      return r?.items ?? [];
    },
    async record(messageId, interaction, button) {
      const id = who('inApp.record');
      await call(
        'POST',
        '/v1/inapp/interactions',
        {
          namespace: id.namespace,
          id: id.id,
          messageId,
          interaction,
          ...(button === undefined ? {} : { button }),
        },
        true,
      );
    },
    async show(message) {
      // Recorded as it appears; a refusal of that record is reported once the visitor has acted.
      let displayed: Promise<unknown> = Promise.resolve(null);
      const outcome = await showInAppMessage(document, message, () => {
        displayed = inApp.record(message.messageId, 'displayed').then(
          () => null,
          (e: unknown) => e,
        );
      });
      const displayFailed = await displayed;
      if (outcome.kind === 'clicked') {
        try {
          await inApp.record(message.messageId, 'clicked', outcome.button.id);
        } finally {
          if (outcome.url) location.assign(outcome.url);
        }
      } else {
        await inApp.record(message.messageId, 'dismissed', outcome.button?.id);
      }
      if (displayFailed) throw displayFailed;
    },
    async check(trigger) {
      const items = await inApp.query(trigger);
      // One message at a time, in the server's order (newest first), across checks; a message
      // already waiting or on screen is not queued twice.
      for (const m of items) {
        if (pending.has(m.messageId)) continue;
        pending.add(m.messageId);
        queue = queue
          .then(() => inApp.show(m))
          .catch(() => undefined)
          .then(() => void pending.delete(m.messageId));
      }
      return items;
    },
    async autoShow() {
      autoShowing = true;
      let session: KeyValueStore | null = null;
      try {
        session = typeof sessionStorage === 'undefined' ? null : sessionStorage;
      } catch {
        session = null;
      }
      // Each check on its own: one refused (a server without the in-app routes) does not stop the other.
      const errors: unknown[] = [];
      if (current && session?.getItem(SESSION_LAUNCH_KEY) !== '1') {
        session?.setItem(SESSION_LAUNCH_KEY, '1');
        await inApp.check({ kind: 'appLaunch' }).catch((e: unknown) => errors.push(e));
      }
      await inApp.check(pageViewOf(location)).catch((e: unknown) => errors.push(e));
      if (errors.length > 0) throw errors[0];
    },
  };

  const experiences: WaymarkClient['experiences'] = {
    async fetch(surfaces) {
      if (!current) return [];
      const r = await call<{ items: Experience[] }>('POST', '/v1/experiences/query', {
        namespace: current.namespace,
        id: current.id,
        surfaces: [...surfaces],
      });
      for (const x of r?.items ?? []) experienceCache.set(x.surface, x);
      return r?.items ?? [];
    },
    async render(surface, element) {
      const x = experienceCache.get(surface) ?? (await experiences.fetch([surface]))[0] ?? null;
      if (!x || x.surface !== surface) return null;
      // Trusted: the marketer's own HTML from Waymark (docs/sdk/web.md), like the site's templates.
      if (x.format === 'html') element.innerHTML = x.content;
      return x;
    },
  };

  const push: WaymarkClient['push'] = {
    async register({ configuration, serviceWorkerUrl, scope }) {
      const id = who('push.register');
      if (
        typeof navigator === 'undefined' ||
        !('serviceWorker' in navigator) ||
        typeof PushManager === 'undefined'
      )
        throw new WaymarkUsageError(
          'push.register: this browser has no service workers or Push API',
        );
      const permission =
        Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
      if (permission !== 'granted')
        throw new WaymarkUsageError(`push.register: notifications are not allowed (${permission})`);
      const key = await call<{ publicKey: string }>(
        'GET',
        `/v1/push/web/${encodeURIComponent(configuration)}/key`,
      );
      const registration = await navigator.serviceWorker.register(
        serviceWorkerUrl,
        scope === undefined ? undefined : { scope },
      );
      await activated(registration);
      const subscription =
        (await registration.pushManager.getSubscription()) ??
        (await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: base64UrlBytes(key.publicKey) as BufferSource,
        }));
      const created = await call<{ profileId: string; token: string }>(
        'POST',
        '/v1/push/web/subscriptions',
        { namespace: id.namespace, id: id.id, configuration, subscription: subscription.toJSON() },
      );
      storage.setItem(
        PUSH_KEY,
        JSON.stringify({
          configuration,
          serviceWorkerUrl,
          scope: registration.scope,
          endpoint: subscription.endpoint,
        }),
      );
      // Best effort: a browser without IndexedDB still gets its pushes, unreported.
      await storePushConfig().catch(() => undefined);
      return { endpoint: subscription.endpoint, profileId: created.profileId };
    },
    async unregister() {
      const raw = storage.getItem(PUSH_KEY);
      if (!raw) return false;
      const saved = JSON.parse(raw) as { configuration: string; scope: string; endpoint: string };
      const registration = await navigator.serviceWorker?.getRegistration(saved.scope);
      const subscription = await registration?.pushManager.getSubscription();
      await subscription?.unsubscribe();
      storage.removeItem(PUSH_KEY);
      await savePushConfig(null).catch(() => undefined);
      if (!current) return true;
      const r = await call<{ removed: boolean }>('POST', '/v1/push/web/unsubscribe', {
        namespace: current.namespace,
        id: current.id,
        configuration: saved.configuration,
        endpoint: saved.endpoint,
      });
      return r.removed;
    },
  };

  return {
    identify(namespace, id) {
      current = checkIdentity(namespace, id);
      writeIdentity(storage, current);
      pushConfigChanged();
    },
    reset() {
      current = null;
      writeIdentity(storage, null);
      pushConfigChanged();
    },
    identity: () => current,
    async track(eventType, payload, opts = {}) {
      const body = eventBody(eventType, payload, opts.id ?? newId(), new Date());
      const r = await call<{ results?: Array<{ status: string }> }>('POST', '/v1/events', body);
      if (autoShowing && current)
        void inApp.check({ kind: 'event', eventType }).catch(() => undefined);
      return { id: body.id, status: r?.results?.[0]?.status ?? 'accepted' };
    },
    inApp,
    experiences,
    push,
  };
}

/** The SDK's base URL made absolute (the service worker resolves nothing against the page). */
function absoluteBase(baseUrl: string): string {
  const base =
    typeof location === 'undefined' ? baseUrl : new URL(baseUrl || '/', location.href).href;
  return base.replace(/\/+$/, '');
}

/** Resolves once the registration has an active worker (PushManager.subscribe needs one). */
function activated(registration: ServiceWorkerRegistration): Promise<void> {
  if (registration.active) return Promise.resolve();
  const worker = registration.installing ?? registration.waiting;
  if (!worker) return Promise.resolve();
  return new Promise((resolve, reject) => {
    worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve();
      if (worker.state === 'redundant')
        reject(new WaymarkUsageError('the service worker did not install'));
    });
  });
}
