// Test fixtures: a Waymark on a virtual clock with the Luma demo applied and a real LoyaltyService.
import { lumaImages, lumaPackage } from '../../examples/luma/index.ts';
import type { DevInbox } from '../../src/channels/email/index.ts';
import { startDevProviders, type DevProviders } from '../../src/runtime/dev-providers.ts';
import { startLoyaltyService, type LoyaltyService } from '../../examples/luma/loyalty-service.ts';
import { createWaymark, type Waymark } from '../../src/runtime/app.ts';
import { ManualClock } from '../../src/runtime/clock.ts';
import type { ProfileWrite, Store } from '../../src/store/ports.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { openPostgresTestStore, openTestStore } from './test-store.ts';

export const T0 = Date.parse('2026-11-02T09:00:00Z');
export const TRACKING_SECRET = 'test-tracking-secret-0123456789';
export const PUBLIC_URL = 'http://waymark.test';

export interface LumaWorld {
  readonly app: Waymark;
  /** The world's store, for seeding it as an upgraded store would hold it (the app itself writes only through its writer). */
  readonly store: Store;
  readonly clock: ManualClock;
  readonly loyalty: LoyaltyService;
  /** Mail received over SMTP by the development server. */
  readonly inbox: DevInbox;
  /** Everything the development providers received (push, SMS). */
  readonly providers: DevProviders;
  send(events: unknown[]): ReturnType<Waymark['engine']['ingest']>;
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * `store`: this kind instead of the one WAYMARK_TEST_STORE names (a test comparing the two).
 * `workers`: ingest worker threads and the smallest request they take (createWaymark's defaults
 * when absent); the world waits until they are ready.
 */
export async function lumaWorld(
  opts: {
    dbPath?: string;
    store?: 'sqlite' | 'postgres';
    workers?: { readonly size: number; readonly minEvents: number };
  } = {},
): Promise<LumaWorld> {
  const loyalty = await startLoyaltyService();
  const providers = await startDevProviders({ smtpPort: 0 });
  const clock = new ManualClock(T0);
  const store =
    opts.store === 'postgres'
      ? await openPostgresTestStore('waymark_scenario')
      : opts.store === 'sqlite'
        ? new SqliteStore(opts.dbPath ?? ':memory:')
        : await openTestStore(opts.dbPath);
  const app = createWaymark({
    store,
    clock,
    allowHosts: { prod: ['127.0.0.1'] },
    tracking: { secret: TRACKING_SECRET, baseUrl: PUBLIC_URL },
    ...(opts.workers
      ? { workers: opts.workers.size, workerMinEvents: opts.workers.minEvents }
      : {}),
  });
  if (opts.workers && opts.workers.size > 0 && !(await app.engine.workers?.ready()))
    throw new Error('the ingest workers did not start');
  const result = await app.packages.apply(
    'prod',
    lumaPackage({
      loyaltyUrl: loyalty.url,
      devSmtpPort: providers.smtp.port,
      push: providers.pushSettings,
      publicUrl: PUBLIC_URL,
    }),
  );
  for (const image of lumaImages()) await app.assets.storeImage('prod', image.id, 1, image.bytes);
  const failed = result.objects.filter((o) => o.status === 'publish_failed');
  if (failed.length > 0)
    throw new Error(`the Luma package did not publish: ${JSON.stringify(failed)}`);
  return {
    app,
    store,
    clock,
    loyalty,
    inbox: providers.email,
    providers,
    async send(events) {
      const r = await app.engine.ingest('prod', events);
      await app.engine.settle();
      return r;
    },
    async advance(ms) {
      const step = 1000;
      for (let t = 0; t < ms; t += step) {
        clock.advance(Math.min(step, ms - t));
        await app.engine.settle();
      }
    },
    async close() {
      await app.close();
      await loyalty.close();
      await providers.close();
    },
  };
}

let seq = 0;
export function lumaEvent(
  type: 'LumaCheckoutEvent_Email' | 'LumaPurchaseEvent_Email',
  email: string,
  items: Array<{ name: string; SKU: string; quantity: number; priceTotal: number }>,
  id = `evt-${++seq}`,
): Record<string, unknown> {
  return {
    id,
    type,
    payload: {
      _aeppartner1: { identification: { core: { email } } },
      commerce:
        type === 'LumaCheckoutEvent_Email'
          ? { checkouts: { value: 1 } }
          : {
              purchases: { value: 1 },
              order: {
                purchaseID: `order-${id}`,
                priceTotal: items.reduce((s, i) => s + i.priceTotal, 0),
                currencyCode: 'USD',
              },
            },
      productListItems: items,
    },
  };
}

export const cart = [
  { name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 },
  { name: 'Affirm Water Bottle', SKU: '24-UG06', quantity: 2, priceTotal: 14 },
];

/** A profile for a commit straight to the store (as an upgraded store holds it: no memberships, no journeys), with one Email identity. */
export const storedProfile = (
  id: string,
  attributes: Record<string, unknown>,
  at: string,
  email = `${id}@luma.example`,
): ProfileWrite => ({
  sandbox: 'prod',
  id,
  attributes,
  testProfile: false,
  identities: [{ namespace: 'Email', id: email }],
  createdAt: at,
  updatedAt: at,
});
