// The Fleet section of the System status page (GET /v1/status/fleet): the engines, which engine
// owns each of the partitions (a 16 x 16 grid coloured by owner, the lagging ones marked), and how
// far behind the partitions' timers and outbox are. On the embedded store one engine owns them all.
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { fleetViewSchema } from '@waymark/shared/api/status.ts';
import './fleet-status.css';

/** GET /v1/status/fleet. */
export type FleetView = Answer<typeof fleetViewSchema>;

type Partition = FleetView['partitions'][number];

/** Owner colours, told apart at a glance and on a printout; after the tenth they repeat. */
const PALETTE = [
  '#1473e6',
  '#e8871e',
  '#2d9d78',
  '#9256d9',
  '#d83790',
  '#0fb5ae',
  '#c4a000',
  '#6d5c4e',
  '#5e6ad2',
  '#8f9a1e',
];

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(ms / 3_600_000)} h ${Math.round((ms % 3_600_000) / 60_000)} min`;
}

/** Partition numbers as ranges: 0–63, 128, 130–131. */
export function ranges(ps: readonly number[]): string {
  const sorted = [...ps].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(i === j ? String(sorted[i]) : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}

const n = (x: number): string => x.toLocaleString();

/** The lag of what is due; a dash when nothing is (a lag of 0 ms would read as a measurement). */
const lagText = (due: number, lagMs: number): string => (due === 0 ? '—' : duration(lagMs));

/** Ranges only when they are few: scattered partitions read better on the map than as a list. */
const MAX_RANGES = 3;

function cellTitle(p: Partition, lagging: boolean): string {
  const owner = p.owner === null ? 'nobody (in handoff)' : p.owner;
  const timers =
    p.timersDue === 0
      ? 'no timer due'
      : `${n(p.timersDue)} timer${p.timersDue === 1 ? '' : 's'} due, oldest ${duration(p.timersLagMs)} late`;
  return `Partition ${p.partition}: ${owner}. ${timers}; ${n(p.outboxPending)} in the outbox${lagging ? '. Lagging.' : ''}`;
}

export function FleetSection({ fleet, now }: { fleet: FleetView; now: number }) {
  const owners = fleet.engines.map((e) => e.id).sort();
  for (const p of fleet.partitions)
    if (p.owner !== null && !owners.includes(p.owner)) owners.push(p.owner);
  const colour = new Map(owners.map((o, i) => [o, PALETTE[i % PALETTE.length]!] as const));
  const isLagging = (p: Partition): boolean => p.timersLagMs >= fleet.laggingAfterMs;
  const byOwner = new Map<string | null, Partition[]>();
  for (const p of fleet.partitions) byOwner.set(p.owner, [...(byOwner.get(p.owner) ?? []), p]);
  const rows = [...owners.filter((o) => byOwner.has(o)), ...(byOwner.has(null) ? [null] : [])];
  const t = fleet.totals;
  const single = fleet.mode === 'single';
  return (
    <section aria-labelledby="fleet-title" data-testid="fleet">
      <h2 id="fleet-title">
        Fleet <span className="fleet-scope">all sandboxes</span>
      </h2>
      <p data-testid="fleet-summary">
        {single ? (
          <>
            One engine runs everything and owns all {fleet.partitionCount} partitions. A fleet of
            engines on PostgreSQL shares them out.
          </>
        ) : (
          <>
            {fleet.engines.length} engines share {fleet.partitionCount} partitions
            {t.unowned > 0 ? (
              <>
                ; <strong>{t.unowned} in handoff</strong> (taken over within seconds)
              </>
            ) : (
              ''
            )}
            .
          </>
        )}
      </p>
      <div className="kpis" aria-label="Fleet backlog">
        <div className="kpi">
          <span>engines</span>
          <strong data-testid="fleet-engines">{fleet.engines.length}</strong>
        </div>
        <div className="kpi">
          <span>timers due now</span>
          <strong data-testid="fleet-timers-due">{n(t.timersDue)}</strong>
        </div>
        <div className={`kpi${t.timersLagMs >= fleet.laggingAfterMs ? ' fleet-bad' : ''}`}>
          <span>oldest timer lag</span>
          <strong data-testid="fleet-timers-lag">{lagText(t.timersDue, t.timersLagMs)}</strong>
        </div>
        <div className="kpi">
          <span>outbox pending</span>
          <strong data-testid="fleet-outbox">{n(t.outboxPending)}</strong>
        </div>
        <div className={`kpi${t.lagging > 0 ? ' fleet-bad' : ''}`}>
          <span>lagging partitions</span>
          <strong data-testid="fleet-lagging">{t.lagging}</strong>
        </div>
      </div>

      <div className="fleet-layout">
        <figure className="fleet-map">
          <div
            className="fleet-grid"
            role="img"
            aria-label={`${fleet.partitionCount} partitions coloured by owner${t.lagging > 0 ? `, ${t.lagging} lagging` : ''}`}
            data-testid="fleet-grid"
          >
            {fleet.partitions.map((p) => {
              const lagging = isLagging(p);
              return (
                <span
                  key={p.partition}
                  className={`fleet-cell${p.owner === null ? ' unowned' : ''}${lagging ? ' lagging' : ''}`}
                  style={p.owner === null ? undefined : { background: colour.get(p.owner) }}
                  title={cellTitle(p, lagging)}
                  data-partition={p.partition}
                  data-owner={p.owner ?? ''}
                />
              );
            })}
          </div>
          <figcaption>
            <ul className="fleet-legend" aria-label="Legend">
              {owners.map((o) => (
                <li key={o}>
                  <span className="fleet-swatch" style={{ background: colour.get(o) }} />
                  {o}
                  {o === fleet.self ? <span className="badge">this engine</span> : null}{' '}
                  <span className="muted">{byOwner.get(o)?.length ?? 0}</span>
                </li>
              ))}
              {byOwner.has(null) && (
                <li>
                  <span className="fleet-swatch unowned" />
                  in handoff <span className="muted">{byOwner.get(null)!.length}</span>
                </li>
              )}
              <li>
                <span className="fleet-swatch lagging" />
                lagging: oldest due timer {duration(fleet.laggingAfterMs)} late or more
              </li>
            </ul>
            <p className="muted small">
              Partition 0 top left, 255 bottom right. Hover a cell for its figures.
            </p>
          </figcaption>
        </figure>

        <table className="grid fleet-owners" aria-label="Partitions by owner">
          <thead>
            <tr>
              <th>Owner</th>
              <th>Partitions</th>
              <th className="num">Timers due</th>
              <th className="num">Oldest lag</th>
              <th className="num">Outbox</th>
              <th className="num">Lagging</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((o) => {
              const ps = byOwner.get(o)!;
              const lag = ps.reduce((m, p) => Math.max(m, p.timersLagMs), 0);
              const due = ps.reduce((s, p) => s + p.timersDue, 0);
              const lagging = ps.filter(isLagging).length;
              const which = ranges(ps.map((p) => p.partition));
              return (
                <tr key={o ?? '(none)'}>
                  <td>
                    <span
                      className={`fleet-swatch${o === null ? ' unowned' : ''}`}
                      style={o === null ? undefined : { background: colour.get(o) }}
                    />
                    {o ?? 'in handoff'}
                  </td>
                  <td>
                    <strong>{ps.length}</strong>
                    {which.split(', ').length <= MAX_RANGES && (
                      <span className="muted small"> {which}</span>
                    )}
                  </td>
                  <td className="num">{n(due)}</td>
                  <td className={`num${lag >= fleet.laggingAfterMs ? ' fleet-bad-text' : ''}`}>
                    {lagText(due, lag)}
                  </td>
                  <td className="num">{n(ps.reduce((s, p) => s + p.outboxPending, 0))}</td>
                  <td className={`num${lagging > 0 ? ' fleet-bad-text' : ''}`}>{lagging}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <h3>Engines</h3>
      <table className="grid" aria-label="Engines">
        <thead>
          <tr>
            <th>Engine</th>
            <th>Host</th>
            <th className="num">Process</th>
            <th className="num">Partitions</th>
            <th>Started</th>
            <th>Last heartbeat</th>
          </tr>
        </thead>
        <tbody>
          {fleet.engines.map((e) => (
            <tr key={e.id}>
              <td>
                <span className="fleet-swatch" style={{ background: colour.get(e.id) }} />
                <code>{e.id}</code>
                {e.id === fleet.self ? <span className="badge">this engine</span> : null}
              </td>
              <td>{e.host}</td>
              <td className="num">{e.pid}</td>
              <td className="num">{e.partitions}</td>
              <td>{new Date(e.startedAt).toLocaleString()}</td>
              <td>{duration(Math.max(0, now - Date.parse(e.heartbeatAt)))} ago</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
