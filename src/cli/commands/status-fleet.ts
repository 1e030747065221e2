// The fleet part of `waymark status`: the engines, the partitions grouped by owner (as ranges),
// their timers lag and outbox depth, and the partitions that lag.
import type { FleetView } from '../../api/routes/status.ts';

/** Partition numbers as ranges: 0-63, 128, 130-131. */
export function ranges(ps: readonly number[]): string {
  const sorted = [...ps].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}

/** A duration for people: 850 ms, 12.5 s, 4 min 10 s, 2 h 5 min. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(ms / 3_600_000)} h ${Math.round((ms % 3_600_000) / 60_000)} min`;
}

/** Rows of text columns, each padded to its widest cell. */
export function table(rows: ReadonlyArray<readonly string[]>, indent = '  '): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) =>
    `${indent}${r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')}`.trimEnd(),
  );
}

const n = (x: number): string => x.toLocaleString('en-US');

export function formatFleet(f: FleetView, now = Date.now()): string {
  const lines: string[] = [];
  const engines = f.engines.length;
  lines.push(
    `fleet: ${f.mode === 'single' ? 'one engine (it owns every partition)' : `${engines} engine${engines === 1 ? '' : 's'}`}, ${f.partitionCount} partitions`,
  );
  lines.push(
    ...table([
      ['  engine', 'host', 'pid', 'partitions', 'up since', 'heartbeat'],
      ...f.engines.map((e) => [
        `${e.id === f.self ? '* ' : '  '}${e.id}`,
        e.host,
        String(e.pid),
        String(e.partitions),
        e.startedAt,
        `${duration(Math.max(0, now - Date.parse(e.heartbeatAt)))} ago`,
      ]),
    ]),
  );
  const byOwner = new Map<string | null, FleetView['partitions'][number][]>();
  for (const p of f.partitions) byOwner.set(p.owner, [...(byOwner.get(p.owner) ?? []), p]);
  const owners = [...byOwner.keys()].sort((a, b) =>
    a === null ? 1 : b === null ? -1 : a.localeCompare(b),
  );
  lines.push('partitions by owner:');
  lines.push(
    ...table([
      ['owner', 'partitions', 'timers due', 'timers lag', 'outbox pending', 'lagging', 'which'],
      ...owners.map((o) => {
        const ps = byOwner.get(o)!;
        return [
          o === null ? '(nobody: in handoff)' : `${o}${o === f.self ? ' *' : ''}`,
          String(ps.length),
          n(ps.reduce((s, p) => s + p.timersDue, 0)),
          duration(ps.reduce((s, p) => Math.max(s, p.timersLagMs), 0)),
          n(ps.reduce((s, p) => s + p.outboxPending, 0)),
          String(ps.filter((p) => p.timersLagMs >= f.laggingAfterMs).length),
          ranges(ps.map((p) => p.partition)),
        ];
      }),
    ]),
  );
  const lagging = f.partitions
    .filter((p) => p.timersLagMs >= f.laggingAfterMs)
    .sort((a, b) => b.timersLagMs - a.timersLagMs);
  if (lagging.length === 0)
    lines.push(
      `no partition lags (a partition lags when its oldest due timer waited ${duration(f.laggingAfterMs)} or more)`,
    );
  else {
    lines.push(
      `lagging partitions (oldest due timer waited ${duration(f.laggingAfterMs)} or more): ${lagging.length}`,
    );
    lines.push(
      ...table([
        ['partition', 'owner', 'timers due', 'timers lag', 'outbox pending'],
        ...lagging
          .slice(0, 10)
          .map((p) => [
            String(p.partition),
            p.owner ?? '(nobody)',
            n(p.timersDue),
            duration(p.timersLagMs),
            n(p.outboxPending),
          ]),
      ]),
    );
    if (lagging.length > 10)
      lines.push(`  … and ${lagging.length - 10} more (--json lists every partition)`);
  }
  return lines.join('\n') + '\n';
}
