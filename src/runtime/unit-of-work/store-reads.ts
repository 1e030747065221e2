// The store as everything but the writer sees it: the port without the runtime's writes. Journey
// state, profiles, timers, the outbox and the delivery log change only in a unit of work that the
// writer commits (writer.ts); what a route or service may do with the store directly is read.
import type { Store } from '../../store/ports.ts';

/**
 * The store port's methods that write runtime state outside a unit of work: only the writer calls
 * them (commit and the outbox marks), or calls them on its queue (purges, sandbox erasure).
 */
export type WriterOnly = 'commit' | 'markOutboxAttempting' | 'markOutboxSent' | 'purgeVersionRuntime' | 'purgeEvents' | 'eraseSandbox' | 'close';

/**
 * The store for routes and services: every read, and the catalog-side writes that have their own
 * owners (objects, journey versions, settings, audit rows); never a runtime write.
 */
export type StoreReads = Omit<Store, WriterOnly>;
