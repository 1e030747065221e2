// What the signed-in person may do in the current sandbox (GET /v1/me), for hiding menu items and
// buttons. The server is the guard; this only keeps the console from offering what would be refused.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { ReactNode } from 'react';
import type { MeView } from '@waymark/shared/api/access.ts';
import type { Permission } from '@waymark/shared/access/permissions.ts';
import { errorText } from '../api/client.ts';
import { useSession } from './session.tsx';

const MeContext = createContext<MeView | null>(null);

interface MeStatus {
  readonly me: MeView | null;
  /** Why /v1/me did not answer, when it failed. */
  readonly error: string | null;
  /** Asks again (after a role change, say). */
  reload(): void;
}
const MeStatusContext = createContext<MeStatus>({ me: null, error: null, reload: () => undefined });

/** A /v1/me answer the console can read (older servers answered another shape). */
const isMeView = (v: unknown): v is MeView =>
  typeof v === 'object' &&
  v !== null &&
  Array.isArray((v as { permissions?: unknown }).permissions) &&
  Array.isArray((v as { sandboxes?: unknown }).sandboxes);

/** Loads /v1/me for the session's sandbox (again when the sandbox changes); children see null until it answers. */
export function MeProvider(props: { children: ReactNode }) {
  const { api } = useSession();
  const [me, setMe] = useState<MeView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const shownFor = useRef<unknown>(null);
  useEffect(() => {
    let live = true;
    // Another sandbox (a new Api): nothing is offered until its answer. The same one asked again
    // (back to the tab): the menu stays as it is until the answer changes it.
    if (shownFor.current !== api) {
      setMe(null);
      setError(null);
      shownFor.current = api;
    }
    api.get<unknown>('/v1/me').then(
      (m) => {
        if (!live) return;
        if (isMeView(m)) setMe(m);
        else setError('The server did not say what you may do.');
      },
      (e: unknown) => {
        if (live) setError(errorText(e));
      },
    );
    return () => {
      live = false;
    };
  }, [api, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  // Roles change while a tab sits in the background: coming back to it asks again.
  useEffect(() => {
    const on = () => {
      if (document.visibilityState === 'visible') reload();
    };
    document.addEventListener('visibilitychange', on);
    return () => document.removeEventListener('visibilitychange', on);
  }, [reload]);
  const status = useMemo<MeStatus>(() => ({ me, error, reload }), [me, error, reload]);
  return (
    <MeStatusContext.Provider value={status}>
      <MeContext.Provider value={me}>{props.children}</MeContext.Provider>
    </MeStatusContext.Provider>
  );
}

export function useMe(): MeView | null {
  return useContext(MeContext);
}

/** /v1/me with its error and a way to ask again. */
export function useMeStatus(): MeStatus {
  return useContext(MeStatusContext);
}

/** Whether the caller holds `permission` in the current sandbox (false until /v1/me answers). */
export function useCan(permission: Permission): boolean {
  const me = useContext(MeContext);
  return me !== null && me.permissions.includes(permission);
}

/** Whether the caller holds any of `permissions` (false until /v1/me answers). */
export function useCanAny(permissions: readonly Permission[]): boolean {
  const me = useContext(MeContext);
  return me !== null && permissions.some((p) => me.permissions.includes(p));
}

/**
 * Three-valued: true or false once /v1/me has answered, undefined before. For what should neither
 * flash a read-only note nor offer a button while the answer is on its way.
 */
export function useCanKnown(permission: Permission): boolean | undefined {
  const me = useContext(MeContext);
  return me === null ? undefined : me.permissions.includes(permission);
}

/** Whether `me` holds any of `permissions` (for lists such as the menu). */
export const holdsAny = (me: MeView | null, permissions: readonly Permission[]): boolean =>
  me !== null && permissions.some((p) => me.permissions.includes(p));

/** The sentence a read-only page shows: "You can view this; changing it needs content.manage." */
export const viewOnlyText = (needed: Permission): string =>
  `You can view this; changing it needs the permission ${needed}.`;

/** The note above a form the person may only read. */
export function ViewOnlyNote(p: { needed: Permission; what?: string }) {
  return (
    <p className="view-only-note" role="note">
      {p.what
        ? `You can view this ${p.what}; changing it needs the permission ${p.needed}.`
        : viewOnlyText(p.needed)}{' '}
      Ask an administrator if you need it.
    </p>
  );
}
