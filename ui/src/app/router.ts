// Path-based routing on the History API (the server answers index.html for every console path).
// Every way of leaving a page — a link, the menu, browser back/forward, closing the tab — passes
// the unsaved-changes guards first, so no screen loses typed work without asking.
import { useEffect, useRef, useSyncExternalStore } from 'react';

type Guard = () => string | null;
const guards = new Set<{ current: Guard }>();
const listeners = new Set<() => void>();
let shownPath = location.pathname;
/** Set by the dialog provider: asks the person whether to leave with unsaved changes. */
let askToLeave: (reason: string) => Promise<boolean> = (reason) =>
  Promise.resolve(window.confirm(`${reason}\n\nLeave without saving?`));

function publish(): void {
  shownPath = location.pathname;
  for (const l of listeners) l();
}

/** Why leaving now would lose work, or null when nothing is unsaved. */
export function unsavedReason(): string | null {
  for (const g of guards) {
    const r = g.current();
    if (r) return r;
  }
  return null;
}

export function setLeaveQuestion(ask: (reason: string) => Promise<boolean>): void {
  askToLeave = ask;
}

/** Goes to `to` unless a guard holds unsaved work and the person chooses to stay. Resolves true when it went. */
export async function navigate(
  to: string,
  options: { replace?: boolean; force?: boolean } = {},
): Promise<boolean> {
  if (to === location.pathname + location.search) return true;
  const reason = options.force ? null : unsavedReason();
  if (reason && !(await askToLeave(reason))) return false;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  publish();
  return true;
}

// Browser back/forward: the URL has already changed, so put it back, ask, and go only when told to.
addEventListener('popstate', () => {
  const target = location.pathname + location.search;
  const reason = unsavedReason();
  if (!reason) {
    publish();
    return;
  }
  history.pushState(null, '', shownPath);
  void askToLeave(reason).then((leave) => {
    if (leave) void navigate(target, { force: true });
  });
});
addEventListener('beforeunload', (e) => {
  if (unsavedReason()) {
    e.preventDefault();
    e.returnValue = '';
  }
});

/**
 * Keeps the page from being left while `reason()` answers a text (what would be lost). The
 * function is read at the moment of leaving, so it always sees the latest state.
 */
export function useLeaveGuard(reason: Guard): void {
  const ref = useRef(reason);
  ref.current = reason;
  useEffect(() => {
    guards.add(ref);
    return () => {
      guards.delete(ref);
    };
  }, []);
}

export function useLocation(): string {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => {
        listeners.delete(l);
      };
    },
    () => shownPath,
  );
}

/** `match('/journeys/:id', '/journeys/abc')` → `{ id: 'abc' }`, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i]!;
    if (seg.startsWith(':')) out[seg.slice(1)] = decodeURIComponent(s[i]!);
    else if (seg !== s[i]) return null;
  }
  return out;
}
