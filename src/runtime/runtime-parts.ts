// What the runtime's services are built from (app.ts wires them): the engine for what moves
// journeys, the writer as the only way to commit runtime state, the store without the writer's
// methods (reads, and the catalog writes the services own), the catalogs and the clock. None of
// them reaches through the engine for these.
import type { CatalogCache } from './catalog.ts';
import type { Clock } from './clock.ts';
import type { Engine } from './engine/engine.ts';
import type { ServiceStore, Writer } from './unit-of-work/index.ts';

export interface RuntimeParts {
  readonly engine: Engine;
  readonly writer: Writer;
  readonly store: ServiceStore;
  readonly catalogs: CatalogCache;
  readonly clock: Clock;
}
