// Each page names itself in the browser's tab and history: "Purchase Journey · Journeys · Waymark".
import { useEffect } from 'react';

export function usePageTitle(...parts: ReadonlyArray<string | null | undefined>): void {
  const title = [...parts.filter((p): p is string => !!p), 'Waymark'].join(' · ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}
