// The dry run's own report, above the canvas while a draft runs dry: entries and what it would
// have sent (by channel), called, updated or jumped to, and when it ends by itself (14 days after
// it started). Nothing of it reached anyone. A dry run that ended by itself keeps its report: on the
// draft, the summary says so and when.
import { useEffect, useRef, useState } from 'react';
import type { Api } from '../api/client.ts';
import type { DryRunReport } from '../api/types.ts';

/** "Dec 19, 2026, 5:14 AM": the date first, no seconds. */
const when = (iso: string): string =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A channel in a sentence ("would send 9 email, 2 SMS"). */
const CHANNEL_LABEL: Record<string, string> = {
  email: 'email',
  sms: 'SMS',
  push: 'push',
  inApp: 'in-app',
  code: 'code-based',
  codeBased: 'code-based',
};

export function DryRunSummary(p: {
  api: Api;
  id: string;
  /** The draft runs dry: the report is read again every few seconds. */
  running: boolean;
  /** Told once the dry run is seen to have ended by itself (the editor reloads the journey). */
  onEnded?: () => void;
}) {
  const [r, setR] = useState<DryRunReport | null>(null);
  const { api, id, running, onEnded } = p;
  useEffect(() => {
    let live = true;
    const load = () =>
      api.get<DryRunReport>(`/v1/journeys/${encodeURIComponent(id)}/dry-run`).then(
        (x) => live && setR(x),
        () => undefined,
      );
    void load();
    const t = running ? setInterval(() => void load(), 3000) : undefined;
    return () => {
      live = false;
      if (t) clearInterval(t);
    };
  }, [api, id, running]);
  const ended = r?.ended ?? null;
  const told = useRef(false);
  useEffect(() => {
    if (!running || !ended || told.current) return;
    told.current = true;
    onEnded?.();
  }, [running, ended, onEnded]);
  if (!r || (!r.running && !ended)) return null;
  const sum = (k: 'wouldCall' | 'wouldUpdate' | 'wouldJump') =>
    r.activities.reduce((n, a) => n + a[k], 0);
  const sends = Object.entries(r.wouldSend).map(
    ([channel, n]) => `${n} ${CHANNEL_LABEL[channel] ?? channel}`,
  );
  const counts = (
    <>
      {r.journey.entered} entered, {r.journey.discarded} discarded; would send{' '}
      {sends.length > 0 ? sends.join(', ') : 'nothing'}; would call {sum('wouldCall')} action(s),
      update {sum('wouldUpdate')} profile(s), jump {sum('wouldJump')} time(s). Nothing was sent.
    </>
  );
  // One span: the banner is a flex row, and its text must flow as one paragraph.
  if (ended)
    return (
      <p className="banner" role="status" data-testid="dry-run-summary" data-ended={ended.at}>
        <span>
          <strong>
            Dry run of v{r.version} ended {ended.automatically ? 'by itself ' : ''}on{' '}
            <time dateTime={ended.at}>{when(ended.at)}</time>
            {ended.automatically ? ', 14 days after it started' : ''}.
          </strong>{' '}
          {counts}
        </span>
      </p>
    );
  return (
    <p className="banner" role="status" data-testid="dry-run-summary" data-ends={r.endsAt ?? ''}>
      <span>
        <strong>
          Dry run
          {r.endsAt && (
            <>
              {' '}
              until <time dateTime={r.endsAt}>{when(r.endsAt)}</time> (it ends by itself 14 days
              after it started)
            </>
          )}
          :
        </strong>{' '}
        {counts}
      </span>
    </p>
  );
}
