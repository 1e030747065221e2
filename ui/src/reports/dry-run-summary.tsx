// The dry run's own report, above the canvas while a draft runs dry: entries and what it would
// have sent (by channel), called, updated or jumped to. Nothing of it reached anyone.
import { useEffect, useState } from 'react';
import type { Api } from '../api/client.ts';
import type { DryRunReport } from '../api/types.ts';

export function DryRunSummary(p: { api: Api; id: string }) {
  const [r, setR] = useState<DryRunReport | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      p.api.get<DryRunReport>(`/v1/journeys/${encodeURIComponent(p.id)}/dry-run`).then(
        (x) => live && setR(x),
        () => undefined,
      );
    void load();
    const t = setInterval(() => void load(), 3000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [p.api, p.id]);
  if (!r?.running) return null;
  const sum = (k: 'wouldCall' | 'wouldUpdate' | 'wouldJump') =>
    r.activities.reduce((n, a) => n + a[k], 0);
  const sends = Object.entries(r.wouldSend).map(([channel, n]) => `${channel} ${n}`);
  return (
    <p className="banner" role="status" data-testid="dry-run-summary">
      Dry run: {r.journey.entered} entered, {r.journey.discarded} discarded; would send{' '}
      {sends.length > 0 ? sends.join(', ') : 'nothing'}; would call {sum('wouldCall')} action(s),
      update {sum('wouldUpdate')} profile(s), jump {sum('wouldJump')} time(s). Nothing was sent.
    </p>
  );
}
