// Sign-in state: the session the server keeps (an HttpOnly cookie; its CSRF token held here, in
// memory only) and the sandbox (not a secret: kept in localStorage so a reload opens the same one).
// One Api for the whole app. The API key is never stored by the console.
import { createContext, useContext, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { Api } from '../api/client.ts';
import type { SessionInfo } from '../api/client.ts';

const SANDBOX = 'waymark.sandbox';
// Where earlier versions kept the API key itself: removed on sight.
const LEGACY_KEY_STORE = 'waymark.session';

interface Session {
  readonly api: Api;
  readonly user: SessionInfo;
  readonly sandbox: string;
  setSandbox(s: string): void;
  signOut(): void;
  /** Ends every session of this person on every device, then shows the sign-in page. */
  signOutEverywhere(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** The sandbox the console last used (and drops any API key an earlier version left in storage). */
export function loadSandbox(): string {
  try {
    localStorage.removeItem(LEGACY_KEY_STORE);
    return localStorage.getItem(SANDBOX) || 'prod';
  } catch {
    return 'prod';
  }
}

export function saveSandbox(sandbox: string): void {
  try {
    localStorage.setItem(SANDBOX, sandbox);
  } catch {
    /* private mode: the sandbox is not remembered */
  }
}

export function SessionProvider(props: {
  user: SessionInfo;
  sandbox: string;
  onSandbox(s: string): void;
  onSignOut(): void;
  onEnded(): void;
  children: ReactNode;
}) {
  const { user, sandbox, onSandbox, onSignOut, onEnded } = props;
  const value = useMemo<Session>(() => {
    const api = new Api({ sandbox, csrfToken: user.csrfToken, onSessionEnded: onEnded });
    return {
      api,
      user,
      sandbox,
      setSandbox: onSandbox,
      signOut: () => {
        void api.close().finally(onSignOut);
      },
      signOutEverywhere: async () => {
        await api.signOutEverywhere();
        await api.close().catch(() => undefined);
        onSignOut();
      },
    };
  }, [user, sandbox, onSandbox, onSignOut, onEnded]);
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

export function useForceUpdate(): [number, () => void] {
  const [n, set] = useState(0);
  return [n, () => set((x) => x + 1)];
}
