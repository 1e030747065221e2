// The quick search over a sandbox's index and its profiles: what the caller may see, best first.
import type { SearchHit } from '../../access/api-types.ts';
import {
  defaultNamespaces,
  MAX_IDENTITY_LENGTH,
  normalizeIdentity,
  type IdentityNamespace,
} from '../../model/identity.ts';
import type { StoreReads } from '../unit-of-work/index.ts';
import { consolePath, kindOrder, kindTitle, profilePath } from './kinds.ts';
import { rankEntry, type Rank } from './rank.ts';
import type { IndexEntry, SandboxIndex } from './search-index.ts';

export interface SearchScope {
  /** Whether the caller may view this kind ('journey' or a stored kind). */
  readonly mayView: (kind: string) => boolean;
  /** Whether the caller holds these access labels. */
  readonly visible: (labels: readonly string[]) => boolean;
  readonly limit: number;
}

interface Ranked {
  readonly rank: Rank;
  readonly order: number;
  readonly name: string;
  readonly entry: IndexEntry | SearchHit;
}

// Plain comparison, not localeCompare: thousands of matches are sorted within the time budget.
const compare = (a: Ranked, b: Ranked): number =>
  a.rank - b.rank ||
  a.order - b.order ||
  a.name.length - b.name.length ||
  (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

const toHit = (e: IndexEntry | SearchHit): SearchHit =>
  'path' in e
    ? e
    : {
        kind: e.kind,
        kindTitle: kindTitle.get(e.kind) ?? e.kind,
        id: e.key,
        name: e.name,
        ...(e.status !== undefined ? { status: e.status } : {}),
        path: consolePath(e.kind, e.key),
      };

/** Names matching `q` (exact, prefix, word prefix, substring; ties by kind), plus `extra` hits ranked exact (profiles). */
export function searchEntries(
  index: SandboxIndex,
  q: string,
  scope: SearchScope,
  extra: readonly SearchHit[] = [],
): SearchHit[] {
  const needle = q.trim().toLowerCase();
  if (needle === '') return [];
  // The best `limit` so far, kept sorted: a short query matching thousands sorts only these.
  const best: Ranked[] = [];
  const offer = (r: Ranked): void => {
    if (best.length === scope.limit && compare(r, best[best.length - 1]!) >= 0) return;
    let i = best.length;
    while (i > 0 && compare(r, best[i - 1]!) < 0) i--;
    best.splice(i, 0, r);
    if (best.length > scope.limit) best.pop();
  };
  for (const hit of extra)
    offer({
      rank: 0,
      order: kindOrder.get(hit.kind) ?? 99,
      name: hit.name.toLowerCase(),
      entry: hit,
    });
  for (const [kind, entries] of index.byKind) {
    if (!scope.mayView(kind)) continue;
    const order = kindOrder.get(kind) ?? 99;
    for (const e of entries) {
      const rank = rankEntry(e.nameLower, e.keyLower, needle);
      if (rank === null || (e.labels.length > 0 && !scope.visible(e.labels))) continue;
      offer({ rank, order, name: e.nameLower, entry: e });
    }
  }
  return best.map((r) => toHit(r.entry));
}

/**
 * Profiles that own `q` as an identity in any namespace (exact, as each namespace normalizes it).
 * The namespaces are read from the store, not the compiled catalog: a search never waits for a
 * catalog to compile after a change.
 */
export async function profilesByIdentity(
  store: StoreReads,
  sandbox: string,
  q: string,
): Promise<SearchHit[]> {
  const value = q.trim();
  if (value === '' || value.length > MAX_IDENTITY_LENGTH) return [];
  const namespaces = new Map<string, IdentityNamespace>(
    defaultNamespaces.map((n) => [n.code, n] as const),
  );
  for (const o of await store.listObjects<IdentityNamespace>(sandbox, 'namespace'))
    if (o.body && typeof o.body.code === 'string')
      namespaces.set(o.body.code, { ...o.body, kind: o.body.kind ?? 'custom' });
  const wanted = [...namespaces.values()].map((ns) => ({
    namespace: ns.code,
    value: normalizeIdentity(ns.kind, value),
  }));
  const found = await store.findProfileIds(sandbox, wanted);
  const hits: SearchHit[] = [];
  const seen = new Set<string>();
  for (const w of wanted) {
    const id = found.get(`${w.namespace}\u0000${w.value}`);
    if (id === undefined || seen.has(id)) continue;
    seen.add(id);
    hits.push({
      kind: 'profile',
      kindTitle: 'Profile',
      id,
      name: w.value,
      path: profilePath(w.namespace, w.value),
    });
  }
  return hits;
}
