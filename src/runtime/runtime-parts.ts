// What the runtime's services are built from (app.ts wires them): the engine for what moves
// journeys, the writer as the only way to commit, the store for reading (and the catalog-side
// writes that have their own owners), the catalogs and the clock. None of them reaches through
// the engine for these.
import type { CatalogCache } from './catalog.ts';
import type { Clock } from './clock.ts';
import type { Engine } from './engine/engine.ts';
import type { StoreReads, Writer } from './unit-of-work/index.ts';

export interface RuntimeParts {
  readonly engine: Engine;
  readonly writer: Writer;
  readonly reads: StoreReads;
  readonly catalogs: CatalogCache;
  readonly clock: Clock;
}
