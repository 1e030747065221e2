// Pre-send checks (POST /v1/content/check): errors then warnings, each in the marketer's words; an
// issue that names a block selects it on the canvas. The size is what Gmail clips at (102 KB).
import { useEffect, useState } from 'react';
import { errorText } from '../../api/client.ts';
import { useApi } from '../../app/session.tsx';
import { useDesigner } from '../contracts.ts';
import { GMAIL_CLIP_KB, groupIssues, sizeText, type CheckAnswer } from './check-model.ts';
import './preview.css';

export function ChecksPanel() {
  const d = useDesigner();
  const api = useApi();
  const [answer, setAnswer] = useState<CheckAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [tick, setTick] = useState(0);
  const host = d.host;
  const node =
    host.kind === 'journey-activity'
      ? (host.definition.nodes.find((n) => n.id === host.nodeId) as
          { category?: string } | undefined)
      : undefined;
  const body = JSON.stringify({
    content: d.content,
    ...(host.kind === 'journey-activity' ? { journeyId: host.journeyId, nodeId: host.nodeId } : {}),
    ...(node?.category ? { marketing: node.category === 'marketing' } : {}),
  });
  // Checked again 400 ms after the content changes, and on "Check again".
  useEffect(() => {
    let live = true;
    const t = setTimeout(
      () => {
        setRunning(true);
        api
          .post<CheckAnswer>('/v1/content/check', JSON.parse(body) as unknown)
          .then(
            (a) => {
              if (live) {
                setAnswer(a);
                setError(null);
              }
            },
            (e: unknown) => {
              if (live) setError(errorText(e));
            },
          )
          .finally(() => {
            if (live) setRunning(false);
          });
      },
      tick === 0 ? 0 : 400,
    );
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [api, body, tick]);

  const kb = answer ? answer.sizeBytes / 1024 : 0;
  return (
    <section className="dz-checks" aria-label="Check results">
      <div className="row between">
        <h3>Checks</h3>
        <button type="button" onClick={() => setTick((t) => t + 1)} disabled={running}>
          {running ? 'Checking…' : 'Check again'}
        </button>
      </div>
      {error ? <p className="error">The checks could not run: {error}</p> : null}
      {answer ? (
        <>
          <p className="dz-size" aria-label="Email size">
            Size{' '}
            <meter
              min={0}
              max={GMAIL_CLIP_KB}
              high={GMAIL_CLIP_KB * 0.9}
              value={Math.min(kb, GMAIL_CLIP_KB)}
            />{' '}
            {sizeText(answer.sizeBytes)}
            {kb > GMAIL_CLIP_KB ? (
              <span className="error">
                {' '}
                Gmail clips emails over {GMAIL_CLIP_KB} KB: the end (often the unsubscribe link) is
                hidden.
              </span>
            ) : null}
          </p>
          {answer.issues.length === 0 ? (
            <p className="ok">No problems found.</p>
          ) : (
            groupIssues(answer.issues).map((g) => (
              <div key={g.severity}>
                <h4 className={`sev-${g.severity}`}>
                  {g.severity === 'error'
                    ? `Errors (${g.items.length})`
                    : `Warnings (${g.items.length})`}
                </h4>
                <ul>
                  {g.items.map((i, n) => (
                    <li key={`${i.code}-${n}`}>
                      {i.blockId ? (
                        <button
                          type="button"
                          className="dz-issue"
                          onClick={() => d.select(i.blockId!)}
                          title="Select the block on the canvas"
                        >
                          <span className={`sev-${i.severity}`}>
                            {i.severity === 'error' ? 'Error' : 'Warning'}
                          </span>{' '}
                          {i.message}{' '}
                          <span className="muted small">
                            ({i.blockId}
                            {i.field ? `, ${i.field}` : ''})
                          </span>
                        </button>
                      ) : (
                        <span>
                          <span className={`sev-${i.severity}`}>
                            {i.severity === 'error' ? 'Error' : 'Warning'}
                          </span>{' '}
                          {i.message}
                          {i.field ? <span className="muted small"> ({i.field})</span> : null}
                        </span>
                      )}
                    </li>
                  ))}
                </ul>
              </div>
            ))
          )}
        </>
      ) : running ? (
        <p className="muted">Checking…</p>
      ) : null}
    </section>
  );
}
