// A Luma world (the lab's journeys, a real LoyaltyService and development SMTP on loopback) served
// over HTTP, with tracing sent where the test says: the observability tests' fixture.
import { lumaImages, lumaPackage } from '../../examples/luma/index.ts';
import { startLoyaltyService } from '../../examples/luma/loyalty-service.ts';
import { apiKey } from '../../src/api/auth.ts';
import { buildServer } from '../../src/api/server.ts';
import { createWaymark, type Waymark } from '../../src/runtime/app.ts';
import { ManualClock } from '../../src/runtime/clock.ts';
import { startDevProviders } from '../../src/runtime/dev-providers.ts';
import type { Tracing } from '../../src/runtime/observability/tracing.ts';
import { ADMIN_KEY } from '../support/server.ts';
import { PUBLIC_URL, T0, TRACKING_SECRET } from '../support/luma.ts';
import { openTestStore } from '../support/test-store.ts';

export interface ObservedWorld {
  readonly app: Waymark;
  readonly clock: ManualClock;
  readonly loyaltyCalls: () => number;
  /** The API over loopback. */
  readonly url: string;
  request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    key?: string | null,
  ): Promise<{ status: number; text: string; json: () => any }>;
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function observedWorld(
  opts: { tracing?: Tracing; engineId?: string } = {},
): Promise<ObservedWorld> {
  const loyalty = await startLoyaltyService();
  const providers = await startDevProviders({ smtpPort: 0 });
  const clock = new ManualClock(T0);
  const store = await openTestStore();
  const app = createWaymark({
    store,
    clock,
    allowHosts: { prod: ['127.0.0.1'] },
    tracking: { secret: TRACKING_SECRET, baseUrl: PUBLIC_URL },
    ...(opts.tracing ? { tracing: opts.tracing } : {}),
    ...(opts.engineId ? { engineId: opts.engineId } : {}),
  });
  const applied = await app.packages.apply(
    'prod',
    lumaPackage({
      loyaltyUrl: loyalty.url,
      devSmtpPort: providers.smtp.port,
      push: providers.pushSettings,
      publicUrl: PUBLIC_URL,
    }),
  );
  for (const image of lumaImages()) await app.assets.storeImage('prod', image.id, 1, image.bytes);
  const failed = applied.objects.filter((o) => o.status === 'publish_failed');
  if (failed.length > 0)
    throw new Error(`the Luma package did not publish: ${JSON.stringify(failed)}`);
  const server = await buildServer({
    app,
    keys: [apiKey('admin', ADMIN_KEY)],
    trackingSecret: TRACKING_SECRET,
    devProviders: providers,
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  return {
    app,
    clock,
    url,
    loyaltyCalls: () => loyalty.calls.length,
    async request(method, path, body, key = ADMIN_KEY) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(key === null ? {} : { authorization: `Bearer ${key}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      await app.engine.settle();
      return { status: res.status, text, json: () => JSON.parse(text) };
    },
    async advance(ms) {
      for (let t = 0; t < ms; t += 1000) {
        clock.advance(Math.min(1000, ms - t));
        await app.engine.settle();
      }
    },
    async close() {
      await server.close();
      await app.close();
      await loyalty.close();
      await providers.close();
    },
  };
}

/** The value of one series in a Prometheus text answer (labels in any order), 0 when absent. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = new Map(
      [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!] as const),
    );
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) total += Number(m[3]);
  }
  return total;
}
