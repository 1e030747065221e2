// The visitor's identity, kept in the page's storage: anonymous until identify(namespace, id).

/** The part of Storage (localStorage) the SDK uses. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface Identity {
  readonly namespace: string;
  readonly id: string;
}

export const IDENTITY_KEY = 'waymark.identity';

export function readIdentity(store: KeyValueStore | null): Identity | null {
  const raw = store?.getItem(IDENTITY_KEY);
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<Identity>;
    return typeof v.namespace === 'string' && typeof v.id === 'string' && v.namespace && v.id
      ? { namespace: v.namespace, id: v.id }
      : null;
  } catch {
    return null;
  }
}

export function writeIdentity(store: KeyValueStore | null, identity: Identity | null): void {
  if (!store) return;
  if (identity === null) store.removeItem(IDENTITY_KEY);
  else store.setItem(IDENTITY_KEY, JSON.stringify(identity));
}

/** A namespace and id as the server takes them (1..60 and 1..256 characters, trimmed). */
export function checkIdentity(namespace: string, id: string): Identity {
  const ns = namespace.trim();
  const value = id.trim();
  if (ns.length === 0 || ns.length > 60)
    throw new RangeError(`identify: namespace must be 1 to 60 characters, got "${namespace}"`);
  if (value.length === 0 || value.length > 256)
    throw new RangeError(`identify: id must be 1 to 256 characters, got ${value.length}`);
  return { namespace: ns, id: value };
}
