// The messages between the ingest workers and the pool that feeds them (pool.ts, check-worker.ts).
import type { CheckCatalogSpec, CheckedAhead } from './event-checks.ts';

export interface WorkerRequest {
  readonly id: number;
  /** The catalog the events are checked against; `spec` comes along when the worker may not have it. */
  readonly token: number;
  readonly spec?: CheckCatalogSpec;
  readonly raws: readonly unknown[];
}

export type WorkerAnswer =
  | { readonly id: number; readonly kind: 'ready' }
  | { readonly id: number; readonly kind: 'checked'; readonly checks: readonly CheckedAhead[] }
  /** The worker no longer holds the catalog named (it keeps a few): send it again. */
  | { readonly id: number; readonly kind: 'needsCatalog' }
  | { readonly id: number; readonly kind: 'failed'; readonly message: string };
