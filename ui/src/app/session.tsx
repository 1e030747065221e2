// Sign-in state: the API key and the sandbox, kept in localStorage; one Api for the whole app.
import { createContext, useContext, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { Api } from '../api/client.ts';
import type { Credentials } from '../api/client.ts';

const STORE = 'waymark.session';

interface Session {
  readonly api: Api;
  readonly creds: Credentials;
  setSandbox(s: string): void;
  signOut(): void;
}

const SessionContext = createContext<Session | null>(null);

export function loadCredentials(): Credentials | null {
  try {
    const v = JSON.parse(localStorage.getItem(STORE) ?? 'null') as Credentials | null;
    return v && typeof v.key === 'string' ? v : null;
  } catch {
    return null;
  }
}

export function saveCredentials(c: Credentials | null): void {
  if (c) localStorage.setItem(STORE, JSON.stringify(c));
  else localStorage.removeItem(STORE);
}

export function SessionProvider(props: { creds: Credentials; onChange(c: Credentials | null): void; children: ReactNode }) {
  const { creds, onChange } = props;
  const value = useMemo<Session>(() => ({
    api: new Api(creds),
    creds,
    setSandbox: (sandbox) => onChange({ ...creds, sandbox }),
    signOut: () => onChange(null),
  }), [creds, onChange]);
  return <SessionContext.Provider value={value}>{props.children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export function useApi(): Api {
  return useSession().api;
}

/** Remembers the sandboxes a user has typed, for the switcher. */
export function knownSandboxes(current: string): string[] {
  const list = new Set<string>(['prod', current]);
  try { for (const s of JSON.parse(localStorage.getItem('waymark.sandboxes') ?? '[]') as string[]) list.add(s); } catch { /* none */ }
  return [...list];
}
export function rememberSandbox(s: string): void {
  const all = new Set(knownSandboxes(s));
  localStorage.setItem('waymark.sandboxes', JSON.stringify([...all]));
}

export function useForceUpdate(): [number, () => void] {
  const [n, set] = useState(0);
  return [n, () => set((x) => x + 1)];
}
