// What happened at one step of a test run: the event payload, the condition's expressions and
// values, the timer and its due time, the action's request and response, the rendered message
// with a desktop or mobile preview (a sandboxed iframe: no scripts run).
import { useEffect, useRef, useState } from 'react';
import { durationText } from '../canvas/duration-text.ts';
import { outcomeOf, time, type RunStep } from './run-trace.ts';

const json = (v: unknown): string => (v === undefined ? '—' : JSON.stringify(v, null, 2));

/** A wait's or timeout's configured length in words (seconds or ISO-8601); a wait-until expression as it is. */
const configuredText = (c: string): string =>
  /^\d+(\.\d+)?$/.test(c) ? durationText(Number(c)) : durationText(c);

export function StepDetails(p: { step: RunStep; label: (node: string) => string }) {
  const s = p.step;
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'start', behavior: 'instant' });
  }, [s.key]);
  return (
    <section
      className="step-details"
      aria-label="Step details"
      data-testid="step-details"
      ref={ref}
    >
      <h3>
        {s.node ? p.label(s.node) : 'Exit'}{' '}
        <small className="muted">
          {time(s.at)} · {outcomeOf(s)}
        </small>
      </h3>
      <Body step={s} />
    </section>
  );
}

function Body({ step: s }: { step: RunStep }) {
  switch (s.kind) {
    case 'event':
      return (
        <>
          <p>
            {s.entry.entry ? 'Entered the journey with' : 'Resumed by'} the event{' '}
            <code>{s.entry.event}</code>.
          </p>
          <h4>Payload</h4>
          <pre className="code" data-testid="event-payload">
            {json(s.entry.payload)}
          </pre>
        </>
      );
    case 'condition':
      return (
        <>
          <p>
            {s.entry.mode === 'split'
              ? 'Percentage split'
              : 'Paths are tried in order; the first true one is taken'}
            : took <strong>{s.entry.taken}</strong>.
          </p>
          <table className="kv condition-paths">
            <thead>
              <tr>
                <th>Path</th>
                <th>Expression</th>
                <th>Value</th>
              </tr>
            </thead>
            <tbody>
              {s.entry.paths.map((x, i) => (
                <tr key={i} className={x.label === s.entry.taken ? 'taken' : ''}>
                  <td>{x.label}</td>
                  <td>
                    <code>{x.expression ?? '—'}</code>
                  </td>
                  <td>
                    {x.error ? (
                      <span className="error">error: {x.error}</span>
                    ) : 'value' in x ? (
                      <code>{JSON.stringify(x.value)}</code>
                    ) : (
                      <span className="muted">not evaluated</span>
                    )}
                  </td>
                </tr>
              ))}
              {s.entry.mode === 'expression' &&
                !s.entry.paths.some((x) => x.label === s.entry.taken) && (
                  <tr className="taken">
                    <td>{s.entry.taken}</td>
                    <td className="muted">no path above was true</td>
                    <td />
                  </tr>
                )}
            </tbody>
          </table>
        </>
      );
    case 'timer':
      return (
        <dl className="kv">
          <dt>{s.entry.reason === 'timeout' ? 'Event timeout' : 'Wait'}</dt>
          <dd>{s.entry.configured ? configuredText(s.entry.configured) : '—'}</dd>
          <dt>Due</dt>
          <dd data-testid="timer-due">
            {new Date(s.entry.dueAt).toLocaleString()}
            {s.entry.shortened
              ? ` (test mode: ${Math.round((s.entry.dueAt - s.at) / 1000)} s after arrival instead of ${s.entry.configured ? configuredText(s.entry.configured) : 'the configured time'})`
              : ''}
          </dd>
          <dt>Fired</dt>
          <dd>
            {s.fired
              ? time(s.fired.at)
              : s.cancelled
                ? `no: the event came first (${time(s.cancelled.at)})`
                : 'not yet'}
          </dd>
        </dl>
      );
    case 'action': {
      const r = s.result?.entry;
      return (
        <>
          <p>
            Custom action <code>{s.entry.action}</code>
            {r?.durationMs != null ? `, ${r.durationMs} ms` : ''}.
          </p>
          <h4>Parameters</h4>
          <pre className="code">{json(s.entry.parameters)}</pre>
          {!r && <p className="muted">Waiting for the answer…</p>}
          {r?.request && (
            <>
              <h4>Request</h4>
              <pre
                className="code"
                data-testid="action-request"
              >{`${r.request.method} ${r.request.url}\n${Object.entries(r.request.headers)
                .map(([k, v]) => `${k}: ${v}`)
                .join('\n')}\n\n${json(r.request.body)}`}</pre>
            </>
          )}
          {r?.response && (
            <>
              <h4>Response</h4>
              <pre
                className="code"
                data-testid="action-response"
              >{`HTTP ${r.response.status}\n\n${json(r.response.body)}`}</pre>
            </>
          )}
          {r?.error && (
            <p className="error" role="status">
              Error {r.error.code}: {r.error.message}
            </p>
          )}
        </>
      );
    }
    case 'message':
      return <MessageDetails step={s} />;
    case 'exit':
      return <p>The profile left the journey: {s.entry.reason.replace(/_/g, ' ')}.</p>;
    default: {
      const never: never = s;
      return never;
    }
  }
}

/** Device widths of the preview: the email is laid out at this width, then scaled to fit. */
const DEVICES = {
  desktop: { width: 680, height: 900 },
  mobile: { width: 375, height: 740 },
} as const;

function MessageDetails({ step: s }: { step: Extract<RunStep, { kind: 'message' }> }) {
  const [device, setDevice] = useState<'desktop' | 'mobile'>('desktop');
  const box = useRef<HTMLDivElement>(null);
  const [room, setRoom] = useState(320);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setRoom(el.clientWidth));
    ro.observe(el);
    setRoom(el.clientWidth);
    return () => ro.disconnect();
  }, [s.result]);
  const r = s.result?.entry;
  if (!r) return <p className="muted">{s.entry.channel} message being rendered and sent…</p>;
  const size = DEVICES[device];
  const scale = Math.min(1, (device === 'mobile' ? Math.min(room, 320) : room) / size.width);
  return (
    <>
      <dl className="kv">
        <dt>Status</dt>
        <dd>
          {r.status}
          {r.reason ? `: ${r.reason}` : ''}
        </dd>
        <dt>To</dt>
        <dd>{r.recipient ?? '—'}</dd>
        {r.subject !== null && (
          <>
            <dt>{s.entry.channel === 'email' ? 'Subject' : 'Title'}</dt>
            <dd data-testid="message-subject">{r.subject}</dd>
          </>
        )}
      </dl>
      {r.html !== null && (
        <>
          <div className="segmented" role="group" aria-label="Preview size">
            <button
              type="button"
              className={device === 'desktop' ? 'on' : ''}
              aria-pressed={device === 'desktop'}
              onClick={() => setDevice('desktop')}
            >
              Desktop
            </button>
            <button
              type="button"
              className={device === 'mobile' ? 'on' : ''}
              aria-pressed={device === 'mobile'}
              onClick={() => setDevice('mobile')}
            >
              Mobile
            </button>
          </div>
          <div ref={box}>
            <div
              className={`message-preview ${device}`}
              style={{
                width: Math.round(size.width * scale) + (device === 'mobile' ? 12 : 2),
                height: Math.round(size.height * scale),
              }}
            >
              <iframe
                title="Rendered message"
                sandbox=""
                srcDoc={r.html}
                style={{
                  width: size.width,
                  height: size.height / scale,
                  transform: `scale(${scale})`,
                }}
              />
            </div>
          </div>
        </>
      )}
      {r.html === null && r.text && (
        <div className="phone">
          <strong>{r.subject}</strong>
          <p>{r.text}</p>
        </div>
      )}
      {r.html !== null && r.text && (
        <details>
          <summary>Text part</summary>
          <pre className="code">{r.text}</pre>
        </details>
      )}
    </>
  );
}
