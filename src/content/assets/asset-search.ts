// The asset library's search: words of `q` (all of them, case-insensitively) against name, id and
// tags; `tag` and `collection` filter exactly. Facets count collections and tags over the assets the
// other filters keep (a collection's count ignores the collection filter, so every collection stays
// listed while one is open). Pure.
import type { Asset } from '../../model/asset.ts';

export interface AssetQuery {
  readonly q?: string;
  readonly tag?: string;
  readonly collection?: string;
  readonly limit: number;
  readonly offset: number;
}

export interface Facet {
  readonly name: string;
  readonly count: number;
}

export interface AssetSearchResult {
  readonly collections: readonly Facet[];
  readonly tags: readonly Facet[];
  /** The page asked for, by collection then name. */
  readonly items: readonly Asset[];
  /** Assets matching every filter (all pages). */
  readonly total: number;
}

export function searchAssets(assets: Iterable<Asset>, query: AssetQuery): AssetSearchResult {
  const words = (query.q ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  const matchesWords = (a: Asset): boolean => {
    if (words.length === 0) return true;
    const hay = [a.name, a.id, ...a.tags].map((s) => s.toLowerCase());
    return words.every((w) => hay.some((h) => h.includes(w)));
  };
  const inCollection = (a: Asset): boolean =>
    query.collection === undefined || a.collection === query.collection;
  const hasTag = (a: Asset): boolean => query.tag === undefined || a.tags.includes(query.tag);
  const found = [...assets].filter(matchesWords);
  const items = found
    .filter((a) => inCollection(a) && hasTag(a))
    .sort(
      (a, b) =>
        a.collection.localeCompare(b.collection) ||
        a.name.localeCompare(b.name) ||
        a.id.localeCompare(b.id),
    );
  return {
    collections: facets(found.filter(hasTag).map((a) => [a.collection])),
    tags: facets(found.filter(inCollection).map((a) => a.tags)),
    items: items.slice(query.offset, query.offset + query.limit),
    total: items.length,
  };
}

function facets(lists: ReadonlyArray<readonly string[]>): Facet[] {
  const counts = new Map<string, number>();
  for (const list of lists)
    for (const name of new Set(list)) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** One asset as the asset selector shows it (GET /v1/asset-library): the console reads this same type. */
export interface LibraryItem {
  readonly id: string;
  readonly name: string;
  readonly collection: string;
  readonly tags: readonly string[];
  readonly mimeType: string;
  readonly width?: number;
  readonly height?: number;
  readonly alt?: string;
  readonly version: number;
  /** The asset's URL as content uses it (absolute: it goes into messages). */
  readonly url: string;
  /** A small WebP rendition for the selector, on this server's path (the console loads it same-origin). */
  readonly thumbnailUrl: string;
}

/** A page of the asset selector. */
export interface LibraryPage {
  readonly collections: readonly Facet[];
  readonly tags: readonly Facet[];
  readonly items: readonly LibraryItem[];
  readonly total: number;
}

export type RenditionLabel = 'Original' | 'Email 600 px' | 'Retina 1200 px' | 'Thumbnail';
export interface RenditionChoice {
  readonly label: RenditionLabel;
  readonly spec: { readonly width?: number; readonly format?: 'webp' };
  /** Absolute URL, as the message will carry it. */
  readonly url: string;
  /** Same-origin URL for the console's preview of it. */
  readonly previewUrl: string;
}
