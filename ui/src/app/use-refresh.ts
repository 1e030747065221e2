// Reloads a screen's data every `ms` while `active` and the tab is in view: for screens whose data
// changes on its own (a translation running, mail arriving in the development inbox).
import { useEffect, useRef } from 'react';

export function useRefresh(active: boolean, reload: () => void, ms: number): void {
  const latest = useRef(reload);
  useEffect(() => {
    latest.current = reload;
  }, [reload]);
  useEffect(() => {
    if (!active) return undefined;
    const t = setInterval(() => {
      if (document.visibilityState === 'visible') latest.current();
    }, ms);
    return () => clearInterval(t);
  }, [active, ms]);
}
