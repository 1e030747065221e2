// One engine of a test fleet, as a process of its own: a Waymark over the PostgreSQL schema given,
// in fleet mode (leases, routing through NATS), with the HTTP API on a free port. Prints one JSON
// line {"ready": true, "id", "port"} once it serves. Short heartbeats and leases, so that the
// scenario's failover takes seconds. Run by test/fleet/three-engines.test.ts and bench/scaleout.ts.
import { apiKey } from '../../src/api/auth.ts';
import { buildServer } from '../../src/api/server.ts';
import { createWaymark } from '../../src/runtime/app.ts';
import { startFleet } from '../../src/runtime/fleet/fleet.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`engine-process needs ${name}`);
  return v;
};

const connectionString = env('FLEET_PG_URL');
const schema = env('FLEET_SCHEMA');
const store = await openPostgresStore({ connectionString, schema, maxConnections: 8 });
const app = createWaymark({
  store,
  allowHosts: { '*': ['127.0.0.1'] },
  tracking: { secret: 'test-tracking-secret-0123456789', baseUrl: 'http://waymark.test' },
  log: (level, message, details) => {
    if (level !== 'info')
      process.stderr.write(`${JSON.stringify({ level, message, ...details })}\n`);
  },
});
const fleet = await startFleet({
  app,
  store,
  connectionString,
  schema,
  nats: process.env['FLEET_NATS'] ?? 'nats://127.0.0.1:4222',
  id: env('FLEET_ENGINE_ID'),
  heartbeatMs: Number(process.env['FLEET_HEARTBEAT_MS'] ?? 300),
  leaseMs: Number(process.env['FLEET_LEASE_MS'] ?? 1500),
  log: (level, message, details) =>
    process.stderr.write(`${JSON.stringify({ level, message, ...details })}\n`),
});
const server = await buildServer({
  app,
  keys: [apiKey('admin', env('FLEET_API_KEY'))],
  logger: false,
});
const url = await server.listen({ port: 0, host: '127.0.0.1' });
app.engine.start(50);
process.stdout.write(
  `${JSON.stringify({ ready: true, id: fleet.id, port: Number(new URL(url).port), partitions: fleet.leases.held.size })}\n`,
);

// Stats on request (a line "stats" on stdin): what this engine did, for the benches.
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  if (chunk.includes('stats')) {
    const cpu = process.cpuUsage();
    process.stdout.write(
      `${JSON.stringify({ stats: true, router: fleet.router.stats, leases: fleet.leases.moves, held: fleet.leases.held.size, cpuMs: (cpu.user + cpu.system) / 1000, delivery: app.engine.delivery, epochs: Object.fromEntries(fleet.leases.epochsHeld()), inTime: fleet.leases.inTime(), stuck: app.engine.stuckOutbox(10_000).length })}\n`,
    );
  }
});
const shutdown = async (): Promise<void> => {
  await server.close();
  await fleet.stop();
  await app.close();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
