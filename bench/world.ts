// A Waymark with the Luma demo on the embedded store (a SQLite file, WAL), for benchmarks: the
// store reports every committed batch, the clock is a virtual one that can also follow real time,
// and the LoyaltyService is either the real HTTP server of the demo or an in-process invoker.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lumaPackage } from '../examples/luma/index.ts';
import {
  offerFor,
  startLoyaltyService,
  type LoyaltyService,
} from '../examples/luma/loyalty-service.ts';
import { createWaymark, type Waymark } from '../src/runtime/app.ts';
import type { Clock } from '../src/runtime/clock.ts';
import { deliverToDevInbox } from '../src/runtime/messages.ts';
import type { ActionInvoker } from '../src/runtime/ports.ts';
import type { CommitBatch, CommitOptions, SentMark } from '../src/store/ports.ts';
import { sentMessageRecords } from '../src/store/records/index.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';

export type LoyaltyMode = 'in-process' | 'http';

/** A clock that stands still (virtual time) until told to follow the system clock with an offset. */
export class BenchClock implements Clock {
  private fixed: number | null;
  private offset = 0;
  constructor(start: number) {
    this.fixed = start;
  }
  now(): number {
    return this.fixed ?? Date.now() + this.offset;
  }
  set(at: number): void {
    this.fixed = at;
  }
  advance(ms: number): void {
    if (this.fixed !== null) this.fixed += ms;
    else this.offset += ms;
  }
  /** From now on, time flows with the system clock, starting at `at`. */
  follow(at: number): void {
    this.offset = at - Date.now();
    this.fixed = null;
  }
}

/**
 * The store, reporting each batch once it is committed, and the delivery log records that the
 * outbox's sent marks write (as a batch of messages: the raw baseline writes them too).
 */
export class ObservedStore extends SqliteStore {
  onCommit: ((batch: CommitBatch) => void) | null = null;
  override async commit(batch: CommitBatch, opts?: CommitOptions): Promise<void> {
    await super.commit(batch, opts);
    this.onCommit?.(batch);
  }
  override async markOutboxSentMany(marks: readonly SentMark[]): Promise<void> {
    await super.markOutboxSentMany(marks);
    const messages = sentMessageRecords(marks);
    if (messages.length > 0) this.onCommit?.({ messages });
  }
}

/** The LoyaltyService answered in process: the same offer as the demo server, no socket. */
export const inProcessLoyalty: ActionInvoker = async (call) => {
  const p = call.parameters as { loyaltyId?: unknown; orderValue?: unknown };
  if (typeof p.loyaltyId !== 'string' || typeof p.orderValue !== 'number')
    return { ok: false, code: 'http_400', message: 'bad parameters' };
  return { ok: true, status: 200, body: offerFor(p.loyaltyId, p.orderValue) };
};

export interface BenchWorld {
  readonly app: Waymark;
  readonly store: ObservedStore;
  readonly clock: BenchClock;
  readonly dir: string;
  readonly dbPath: string;
  readonly loyalty: LoyaltyMode;
  close(): Promise<void>;
}

export const T0 = Date.parse('2026-11-02T09:00:00Z');

export async function benchWorld(opts: {
  loyalty: LoyaltyMode;
  dir?: string;
  start?: number;
  /** Ingest worker threads (createWaymark's default when absent). */
  workers?: number;
}): Promise<BenchWorld> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'waymark-bench-'));
  const dbPath = join(dir, 'waymark.db');
  const store = new ObservedStore(dbPath, {
    // As `waymark serve` runs it (WAYMARK_COMMIT_THREAD=0: every commit on the writer's thread).
    commitThread: process.env['WAYMARK_COMMIT_THREAD'] !== '0',
  });
  const clock = new BenchClock(opts.start ?? T0);
  let server: LoyaltyService | null = null;
  if (opts.loyalty === 'http') server = await startLoyaltyService();
  const app = createWaymark({
    store,
    clock,
    allowHosts: ['127.0.0.1'],
    // Messages are rendered and logged (the development inbox), not handed to an SMTP or push server.
    deliver: deliverToDevInbox,
    ...(opts.loyalty === 'in-process' ? { invokeAction: inProcessLoyalty } : {}),
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
  });
  const result = await app.packages.apply(
    'prod',
    lumaPackage({ loyaltyUrl: server?.url ?? 'http://127.0.0.1:9/loyalty/offers' }),
  );
  const failed = result.objects.filter((o) => o.status === 'publish_failed');
  if (failed.length > 0)
    throw new Error(`the Luma package did not publish: ${JSON.stringify(failed)}`);
  return {
    app,
    store,
    clock,
    dir,
    dbPath,
    loyalty: opts.loyalty,
    async close() {
      await app.close();
      await server?.close();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

const cartItems = [
  { name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 },
  { name: 'Affirm Water Bottle', SKU: '24-UG06', quantity: 2, priceTotal: 14 },
];

export const emailOf = (i: number): string => `shopper${i}@luma.example`;

/** The lab's checkout or purchase event for shopper `i`. */
export function lumaEvent(
  kind: 'checkout' | 'purchase',
  i: number,
  run: string,
): Record<string, unknown> {
  const id = `${run}-${kind}-${i}`;
  return {
    id,
    type: kind === 'checkout' ? 'LumaCheckoutEvent_Email' : 'LumaPurchaseEvent_Email',
    payload: {
      _aeppartner1: { identification: { core: { email: emailOf(i) } } },
      commerce:
        kind === 'checkout'
          ? { checkouts: { value: 1 } }
          : {
              purchases: { value: 1 },
              order: { purchaseID: `order-${id}`, priceTotal: 120, currencyCode: 'USD' },
            },
      productListItems: cartItems,
    },
  };
}
