// What the fleet scenario test and the scale-out bench share: a schema with the Luma demo applied,
// engines as child processes (engine-process.ts), and sending events over HTTP to any of them.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { lumaImages, lumaPackage } from '../../examples/luma/index.ts';
import { createWaymark } from '../../src/runtime/app.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { TS_LOADER } from '../support/process.ts';

export const FLEET_API_KEY = 'wm_test_fleet_key_0123456789abcdef';
const harness = fileURLToPath(new URL('./engine-process.ts', import.meta.url));

/** Applies the Luma demo to a fresh schema; the purchase wait's timeout shortened to `timeout` (ISO 8601) so that reminders fire within the run. */
export async function prepareLumaSchema(o: {
  url: string;
  schema: string;
  loyaltyUrl: string;
  smtpPort: number;
  push: Parameters<typeof lumaPackage>[0]['push'];
  timeout?: string;
}): Promise<void> {
  const store = await openPostgresStore({
    connectionString: o.url,
    schema: o.schema,
    maxConnections: 2,
  });
  const app = createWaymark({
    store,
    allowHosts: { '*': ['127.0.0.1'] },
    tracking: { secret: 'test-tracking-secret-0123456789', baseUrl: 'http://waymark.test' },
  });
  try {
    let pkg = lumaPackage({
      loyaltyUrl: o.loyaltyUrl,
      devSmtpPort: o.smtpPort,
      push: o.push,
      publicUrl: 'http://waymark.test',
    });
    if (o.timeout)
      pkg = JSON.parse(
        JSON.stringify(pkg).replaceAll('"PT1M"', JSON.stringify(o.timeout)),
      ) as typeof pkg;
    const r = await app.packages.apply('prod', pkg);
    const failed = r.objects.filter((x) => x.status === 'publish_failed');
    if (failed.length > 0)
      throw new Error(`the Luma package did not publish: ${JSON.stringify(failed)}`);
    for (const image of lumaImages()) await app.assets.storeImage('prod', image.id, 1, image.bytes);
  } finally {
    await app.close();
  }
}

export interface EngineProcess {
  readonly id: string;
  readonly url: string;
  readonly proc: ChildProcess;
  readonly stderr: string[];
  /** What the engine did (router, leases, CPU time). */
  stats(): Promise<{
    router: Record<string, number>;
    leases: Record<string, number>;
    held: number;
    cpuMs: number;
    delivery: Record<string, number>;
    /** Partition → epoch (" draining" when being given back), as this engine holds them. */
    epochs: Record<string, string>;
    inTime: boolean;
    /** Outbox items in flight for over 10 s. */
    stuck: number;
  }>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function spawnEngine(o: {
  url: string;
  schema: string;
  id: string;
  heartbeatMs?: number;
  leaseMs?: number;
}): Promise<EngineProcess> {
  // WAYMARK_FLEET_NODE_ARGS: extra Node flags for each engine (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile a fleet).
  const nodeArgs = (process.env['WAYMARK_FLEET_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, '--import', TS_LOADER, harness], {
    env: {
      ...process.env,
      FLEET_PG_URL: o.url,
      FLEET_SCHEMA: o.schema,
      FLEET_ENGINE_ID: o.id,
      FLEET_API_KEY,
      FLEET_HEARTBEAT_MS: String(o.heartbeatMs ?? 500),
      FLEET_LEASE_MS: String(o.leaseMs ?? 4000),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  createInterface({ input: proc.stderr! }).on('line', (l) => {
    stderr.push(l);
    if (stderr.length > 500) stderr.shift();
  });
  const lines = createInterface({ input: proc.stdout! });
  const waiting: Array<(v: Record<string, unknown>) => void> = [];
  lines.on('line', (l) => {
    let v: Record<string, unknown>;
    try {
      v = JSON.parse(l) as Record<string, unknown>;
    } catch {
      return;
    }
    waiting.shift()?.(v);
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const ready = await Promise.race([
    new Promise<Record<string, unknown>>((resolve) => waiting.push(resolve)),
    exited.then(() => {
      throw new Error(`engine ${o.id} exited before it was ready:\n${stderr.join('\n')}`);
    }),
  ]);
  return {
    id: String(ready['id']),
    url: `http://127.0.0.1:${String(ready['port'])}`,
    proc,
    stderr,
    stats: () =>
      new Promise((resolve) => {
        waiting.push(resolve as (v: Record<string, unknown>) => void);
        proc.stdin!.write('stats\n');
      }),
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill(signal);
      await exited;
    },
  };
}

/** POSTs events to an engine; answers the per-event results (accepted, duplicate, routed, ...). */
export async function postEvents(
  url: string,
  events: readonly unknown[],
): Promise<Array<{ status: string; id?: string; partition?: number }>> {
  const res = await fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${FLEET_API_KEY}`,
      'x-sandbox-name': 'prod',
    },
    body: JSON.stringify(events),
  });
  const body = (await res.json()) as { results?: Array<{ status: string }>; error?: unknown };
  if (!body.results)
    throw new Error(`POST /v1/events answered ${res.status}: ${JSON.stringify(body)}`);
  return body.results;
}

/** Removes the schema's routing stream from NATS (the tests' and benches' cleanup). */
export async function dropRouteStream(
  schema: string,
  servers = 'nats://127.0.0.1:4222',
): Promise<void> {
  const { connect } = await import('nats');
  const nc = await connect({ servers });
  try {
    await (
      await nc.jetstreamManager()
    ).streams
      .delete(`WAYMARK_P_${schema.toUpperCase()}`)
      .catch(() => undefined);
  } finally {
    await nc.close();
  }
}
