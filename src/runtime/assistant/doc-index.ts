// The documentation index: MiniSearch (BM25 with prefix and fuzzy matching) over the passages
// doc-sources.ts reads, built once; site pages weigh more than READMEs.
import MiniSearch from 'minisearch';
import type { DocPassage, DocSearch } from '../../assistant/types.ts';
import { docPassages, type WeightedPassage } from './doc-sources.ts';

/** Words too common in questions to help find a passage. */
const STOP = new Set(
  'a an and are as at be before by can do does for from how i in is it its me my of on or our should the this to we what when where which who why will with you your waymark'.split(
    ' ',
  ),
);

export function buildDocIndex(passages: readonly WeightedPassage[] = docPassages()): DocSearch & {
  readonly size: number;
} {
  const byId = new Map(passages.map((p) => [p.id, p] as const));
  const index = new MiniSearch<WeightedPassage>({
    fields: ['title', 'text', 'code'],
    storeFields: [],
    processTerm: (term) => {
      const t = term.toLowerCase();
      return STOP.has(t) ? null : t;
    },
    searchOptions: {
      boost: { title: 2.5, code: 0.5 },
      prefix: (term) => term.length > 3,
      fuzzy: (term) => (term.length > 5 ? 0.2 : false),
      combineWith: 'OR',
      boostDocument: (id) => byId.get(String(id))?.weight ?? 1,
    },
  });
  index.addAll(passages);
  return {
    size: passages.length,
    search(query: string, limit: number) {
      return index
        .search(query)
        .slice(0, limit)
        .flatMap((r) => {
          const p = byId.get(String(r.id));
          return p
            ? [
                {
                  id: p.id,
                  title: p.title,
                  href: p.href,
                  text: p.text,
                  score: r.score,
                } satisfies DocPassage & { score: number },
              ]
            : [];
        });
    },
  };
}
