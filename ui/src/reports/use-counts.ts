// Report counts per activity of one version, refreshed every few seconds while shown.
import { useEffect, useState } from 'react';
import type { Api } from '../api/client.ts';
import type { JourneyReport } from '../api/types.ts';

export type CountMap = Map<
  string,
  { entered: number; exited: number; errors: number; timeouts: number }
>;

export function useActivityCounts(
  api: Api,
  id: string,
  version: number | undefined,
  active: boolean,
): CountMap {
  const [counts, setCounts] = useState<CountMap>(new Map());
  useEffect(() => {
    if (!active) return;
    let live = true;
    const load = () =>
      api.get<JourneyReport>(`/v1/journeys/${encodeURIComponent(id)}/report`).then(
        (r) => {
          if (!live) return;
          const v = r.versions.find((x) => x.version === version) ?? r.versions[0];
          setCounts(new Map((v?.activities ?? []).map((a) => [a.id, a])));
        },
        () => undefined,
      );
    void load();
    const t = setInterval(() => void load(), 3000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [api, id, version, active]);
  return counts;
}
