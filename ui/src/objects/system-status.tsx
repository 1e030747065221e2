// System status: the server's store and leadership, its NATS ingest, the fleet (engines,
// partitions by owner, timers lag, outbox depth: GET /v1/status/fleet) and what waits in the
// sandbox (GET /v1/status), looked at again every few seconds.
import { useEffect } from 'react';
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { statusAnswer } from '@waymark/shared/api/status.ts';
import { FleetSection, type FleetView } from './fleet-status.tsx';
import { useApi } from '../app/session.tsx';
import { usePageTitle } from '../app/page-title.ts';
import { useLoad } from '../app/use-load.ts';
import { HelpLink } from '../app/help-link.tsx';

/** GET /v1/status. */
type Status = Answer<typeof statusAnswer>;

const REFRESH_MS = 5000;
const count = (n: number, cap: number): string =>
  n >= cap ? `${cap.toLocaleString()}+` : n.toLocaleString();

export function SystemStatus() {
  const api = useApi();
  const r = useLoad(() => api.get<Status>('/v1/status'), [api]);
  // A server from before fleets has no such route: the section is left out, the page still shows.
  const fleet = useLoad(
    () =>
      api.get<FleetView>('/v1/status/fleet').then(
        (f) => ({ f, at: Date.now() }),
        () => null,
      ),
    [api],
  );
  usePageTitle('System status');
  useEffect(() => {
    const t = setInterval(() => {
      r.reload();
      fleet.reload();
    }, REFRESH_MS);
    return () => clearInterval(t);
  }, [r, fleet]);
  const s = r.data;
  const b = s?.backlog;
  const nats = s?.ingest.nats;
  return (
    <section className="page">
      <div className="page-head">
        <h1>System status</h1>
        <HelpLink topic="systemStatus" />
      </div>
      {r.error && (
        <p className="error" role="alert">
          {r.error}
        </p>
      )}
      {s && b && (
        <>
          <p>
            Waymark {s.version}, up {s.uptimeSeconds.toLocaleString()} s (since{' '}
            {new Date(s.startedAt).toLocaleString()}).
          </p>
          <h2>Waiting in sandbox {s.sandbox}</h2>
          <div className="kpis" aria-label="Backlog">
            <div className="kpi">
              <span>timers due now</span>
              <strong data-testid="status-timers-due">{count(b.timersDue, b.cap)}</strong>
            </div>
            <div className="kpi">
              <span>outbox due now</span>
              <strong data-testid="status-outbox-due">{count(b.outboxDue, b.cap)}</strong>
            </div>
            <div className="kpi">
              <span>outbox retrying</span>
              <strong data-testid="status-outbox-retrying">{count(b.outboxRetrying, b.cap)}</strong>
            </div>
            <div className="kpi">
              <span>dead letters</span>
              <strong data-testid="status-dead-letters">{count(b.deadLetters, b.cap)}</strong>
            </div>
          </div>
          <p className="muted">
            {b.nextTimerAt
              ? `The earliest timer is due ${new Date(b.nextTimerAt).toLocaleString()}.`
              : 'No timer is scheduled.'}{' '}
            Counts of work that is due stay near zero while the engine keeps up.
            {b.deadLetters > 0 && (
              <>
                {' '}
                Refused events wait in <a href="/dead-letters">Dead letters</a>.
              </>
            )}
          </p>
          {fleet.data && <FleetSection fleet={fleet.data.f} now={fleet.data.at} />}
          <h2>Store</h2>
          <p data-testid="status-store">
            {s.store === null
              ? 'Not reported by this server.'
              : s.store.kind === 'sqlite'
                ? `SQLite (embedded), ${s.store.file}`
                : `PostgreSQL ${s.store.server}, schema ${s.store.schema}${s.store.leader ? ': this node leads it' : ''}`}
          </p>
          <h2>Events from NATS JetStream</h2>
          {nats ? (
            <table className="grid" aria-label="NATS ingest">
              <tbody>
                <tr>
                  <th>Servers</th>
                  <td>{nats.servers.join(', ')}</td>
                </tr>
                <tr>
                  <th>Stream</th>
                  <td>
                    {nats.stream}, subjects <code>{nats.subjectPrefix}.&lt;sandbox&gt;</code>
                  </td>
                </tr>
                <tr>
                  <th>Messages</th>
                  <td>
                    {nats.stats.received} received, {nats.stats.acked} acked, {nats.stats.retried}{' '}
                    handed back, {nats.stats.terminated} refused
                  </td>
                </tr>
                <tr>
                  <th>Events</th>
                  <td>
                    {nats.stats.accepted} accepted, {nats.stats.duplicates} duplicates,{' '}
                    {nats.stats.conflicts ?? 0} conflicts, {nats.stats.rejected} rejected
                  </td>
                </tr>
              </tbody>
            </table>
          ) : (
            <p data-testid="status-nats">
              Off: events come over HTTP (<code>POST /v1/events</code>). Start the server with{' '}
              <code>--ingest-nats</code> to take them from NATS.
            </p>
          )}
        </>
      )}
    </section>
  );
}
