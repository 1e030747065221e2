// `waymark status`: the node a server runs on (version, uptime, store, leadership, NATS ingest),
// the fleet (engines, partitions by owner, timers lag, outbox depth: GET /v1/status/fleet) and what
// waits in the sandbox (GET /v1/status).
import type { Command } from 'commander';
import type { FleetView, NodeStatus } from '../../api/routes/status.ts';
import { addClientOptions, call, clientOptions, print } from '../client.ts';
import { formatFleet } from './status-fleet.ts';

type Opts = { url: string; key?: string; data: string; sandbox: string };
type Out = (text: string) => void;

export interface StatusView {
  version: string;
  startedAt: string;
  uptimeSeconds: number;
  sandbox: string;
  store: NodeStatus['store'] | null;
  ingest: NodeStatus['ingest'];
  backlog: {
    timersDue: number;
    nextTimerAt: string | null;
    outboxDue: number;
    outboxRetrying: number;
    deadLetters: number;
    cap: number;
  };
}

const count = (n: number, cap: number): string =>
  n >= cap ? `${cap.toLocaleString('en-US')}+` : n.toLocaleString('en-US');

function storeLine(s: StatusView['store']): string {
  if (s === null) return 'not reported';
  const version =
    s.schemaVersion === undefined
      ? ''
      : `, schema version ${s.schemaVersion}${s.migratedFrom !== undefined ? ` (migrated from ${s.migratedFrom} at this start)` : ''}`;
  return s.kind === 'sqlite'
    ? `SQLite, ${s.file}${version}`
    : `PostgreSQL ${s.server}, schema ${s.schema}${s.leader ? ' (this node leads it)' : ''}${version}`;
}

export function formatStatus(r: StatusView, fleet: FleetView | null = null): string {
  const b = r.backlog;
  const nats = r.ingest.nats;
  return (
    [
      `Waymark ${r.version}, up ${r.uptimeSeconds} s (since ${r.startedAt})`,
      `store: ${storeLine(r.store)}`,
      `NATS ingest: ${nats ? `${nats.servers.join(', ')}, stream ${nats.stream}, subjects ${nats.subjectPrefix}.<sandbox>: ${nats.stats.accepted} accepted, ${nats.stats.duplicates} duplicates, ${nats.stats.conflicts} conflicts, ${nats.stats.rejected} rejected, ${nats.stats.retried} handed back` : 'off'}`,
      ...(fleet ? [formatFleet(fleet).trimEnd()] : []),
      `sandbox ${r.sandbox}:`,
      `  timers due now     ${count(b.timersDue, b.cap)}${b.nextTimerAt ? `  (earliest ${b.nextTimerAt})` : ''}`,
      `  outbox due now     ${count(b.outboxDue, b.cap)}`,
      `  outbox retrying    ${count(b.outboxRetrying, b.cap)}`,
      `  dead letters       ${count(b.deadLetters, b.cap)}${b.deadLetters > 0 ? '  (waymark dead-letters list)' : ''}`,
    ].join('\n') + '\n'
  );
}

export function registerStatusCommand(
  program: Command,
  out: Out = (t) => {
    process.stdout.write(t);
  },
): void {
  addClientOptions(
    program
      .command('status')
      .description(
        "the server's store and NATS ingest, its fleet (engines, partitions by owner, timers lag, outbox depth) and what waits in the sandbox",
      )
      .option('--json', 'print JSON'),
  ).action(async (o: Opts & { json?: boolean }) => {
    const r = (await call(clientOptions(o), 'GET', '/v1/status')) as StatusView;
    // A server from before fleets has no such route: its status prints without the fleet.
    const fleet = (await call(clientOptions(o), 'GET', '/v1/status/fleet').catch(
      () => null,
    )) as FleetView | null;
    if (o.json) print(fleet ? { ...r, fleet } : r);
    else out(formatStatus(r, fleet));
  });
}
