// The quick search of an app: one index per app, told of every change this process makes.
import type { Waymark } from '../app.ts';
import { SearchIndex } from './search-index.ts';

export { searchEntries, profilesByIdentity, type SearchScope } from './search.ts';
export type { IndexEntry, SandboxIndex } from './search-index.ts';
export { SearchIndex } from './search-index.ts';

const indexes = new WeakMap<Waymark, SearchIndex>();

/** The app's search index (made on first use; objects' and journeys' changes mark it stale). */
export function searchIndexOf(app: Waymark): SearchIndex {
  let index = indexes.get(app);
  if (!index) {
    const made = new SearchIndex(app.reads);
    // Every change of an object or a journey invalidates the sandbox's catalog: the same moment.
    app.catalogs.onInvalidate((sandbox) => made.invalidate(sandbox));
    indexes.set(app, made);
    index = made;
  }
  return index;
}
