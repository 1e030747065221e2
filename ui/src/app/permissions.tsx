// What the signed-in person may do in the current sandbox (GET /v1/me), for hiding menu items and
// buttons. The server is the guard; this only keeps the console from offering what would be refused.
import { createContext, useContext, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { MeView } from '../../../src/access/api-types.ts';
import type { Permission } from '../../../src/access/permissions.ts';
import { useSession } from './session.tsx';

const MeContext = createContext<MeView | null>(null);

/** Loads /v1/me for the session's sandbox; children see null until it answers. */
export function MeProvider(props: { children: ReactNode }) {
  const { api } = useSession();
  const [me, setMe] = useState<MeView | null>(null);
  useEffect(() => {
    let live = true;
    setMe(null);
    api.get<MeView>('/v1/me').then((m) => { if (live) setMe(m); }, () => undefined);
    return () => { live = false; };
  }, [api]);
  return <MeContext.Provider value={me}>{props.children}</MeContext.Provider>;
}

export function useMe(): MeView | null {
  return useContext(MeContext);
}

/** Whether the caller holds `permission` in the current sandbox (false until /v1/me answers). */
export function useCan(permission: Permission): boolean {
  const me = useContext(MeContext);
  return me !== null && me.permissions.includes(permission);
}
