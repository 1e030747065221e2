// What the service worker needs to report a notification's clicks (POST /v1/push/interactions):
// where Waymark is, the site's write key, the sandbox and the visitor's identity. The page's SDK
// keeps it in the origin's IndexedDB (database `waymark`, store `config`, key `push`) when it
// registers for push, and again on identify() and reset(); the worker reads it when a notification
// is clicked. IndexedDB because it is what a page and its service worker share: a worker has no
// localStorage, loses its globals each time the browser stops it (a message posted to it would be
// gone), and a registration URL query would put the visitor's identity in every request log.
import type { PushReportConfig } from './push-report.ts';

export type { PushReportConfig } from './push-report.ts';

export const PUSH_CONFIG_DB = 'waymark';
const STORE = 'config';
const KEY = 'push';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(PUSH_CONFIG_DB, 1);
    r.onupgradeneeded = () => {
      if (!r.result.objectStoreNames.contains(STORE)) r.result.createObjectStore(STORE);
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB did not open'));
  });
}

async function inStore<T>(
  mode: IDBTransactionMode,
  op: (s: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const r = op(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(r.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
}

/** Stores the worker's configuration (null removes it). */
export async function savePushConfig(config: PushReportConfig | null): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  await inStore<unknown>('readwrite', (s) =>
    config === null
      ? (s.delete(KEY) as IDBRequest<unknown>)
      : (s.put(config, KEY) as IDBRequest<unknown>),
  );
}

/** The configuration the page stored, or null. */
export async function loadPushConfig(): Promise<PushReportConfig | null> {
  if (typeof indexedDB === 'undefined') return null;
  const v = (await inStore('readonly', (s) => s.get(KEY))) as Partial<PushReportConfig> | undefined;
  if (!v || typeof v.baseUrl !== 'string' || typeof v.writeKey !== 'string') return null;
  const id = v.identity;
  return {
    baseUrl: v.baseUrl,
    writeKey: v.writeKey,
    ...(typeof v.sandbox === 'string' ? { sandbox: v.sandbox } : {}),
    identity:
      id && typeof id.namespace === 'string' && typeof id.id === 'string'
        ? { namespace: id.namespace, id: id.id }
        : null,
  };
}
