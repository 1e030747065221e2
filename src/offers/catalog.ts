// An offer catalog compiled once: dates parsed, decision rules and ranking formulas compiled to
// closures, representations indexed by placement, and each strategy's candidates sorted by priority.
// Decisions then parse nothing. Pure.
import type { CompiledExpression, Diagnostic } from '../expr/index.ts';
import { compileExpression } from '../expr/index.ts';
import type { SchemaScope } from '../expr/index.ts';
import type { Collection, Strategy } from '../model/decision-policy.ts';
import type { Offer, Representation } from '../model/offer.ts';

/** Rules and formulas see any profile field, `@event{offer.…}` and `@event{context.…}`. */
const SCOPE: SchemaScope = { events: {}, actions: {}, open: true };

export type Compiled =
  | { readonly ok: true; readonly expression: CompiledExpression; readonly readsOffer: boolean }
  | { readonly ok: false; readonly message: string };

function firstProblem(ds: readonly Diagnostic[]): string {
  const d = ds[0];
  return d === undefined
    ? 'invalid expression'
    : `line ${d.line}, column ${d.column}: ${d.message}`;
}

export function compileRule(source: string, expect: 'boolean' | 'any'): Compiled {
  const r = compileExpression(source, SCOPE, { expect });
  if (!r.ok) return { ok: false, message: firstProblem(r.diagnostics) };
  return {
    ok: true,
    expression: r.expression,
    readsOffer: r.expression.references.events.includes('offer'),
  };
}

export interface CompiledOffer {
  readonly offer: Offer;
  readonly start: number | null;
  readonly end: number | null;
  /** What `@event{offer.…}` reads. */
  readonly view: Readonly<Record<string, unknown>>;
  readonly rule: Compiled | null;
  /** Another offer has the same rule text (its verdict is shared within a decision). */
  sharedRule: boolean;
  readonly representations: ReadonlyMap<string, readonly Representation[]>;
}

function compileOffer(offer: Offer): CompiledOffer {
  const reps = new Map<string, Representation[]>();
  for (const r of offer.representations) {
    const list = reps.get(r.placement);
    if (list) list.push(r);
    else reps.set(r.placement, [r]);
  }
  return {
    offer,
    start: offer.startDate === undefined ? null : Date.parse(offer.startDate),
    end: offer.endDate === undefined ? null : Date.parse(offer.endDate),
    view: {
      id: offer.id,
      name: offer.name,
      priority: offer.priority,
      tags: offer.tags,
      attributes: offer.attributes,
      startDate: offer.startDate ?? null,
      endDate: offer.endDate ?? null,
    },
    rule:
      offer.eligibility?.rule === undefined ? null : compileRule(offer.eligibility.rule, 'boolean'),
    sharedRule: false,
    representations: reps,
  };
}

function inCollection(offer: Offer, c: Collection): boolean {
  const tags = c.tags;
  if ('any' in tags) return tags.any.some((t) => offer.tags.includes(t));
  return tags.all.every((t) => offer.tags.includes(t));
}

const byPriority = (a: CompiledOffer, b: CompiledOffer): number =>
  b.offer.priority - a.offer.priority ||
  (a.offer.id < b.offer.id ? -1 : a.offer.id > b.offer.id ? 1 : 0);

export class OfferCatalog {
  readonly offers: readonly CompiledOffer[];
  readonly byId: ReadonlyMap<string, CompiledOffer>;
  private readonly candidateCache = new Map<string, readonly CompiledOffer[]>();
  private readonly formulaCache = new Map<string, Compiled>();

  constructor(offers: readonly Offer[]) {
    this.offers = offers.map(compileOffer);
    const seen = new Map<string, number>();
    for (const o of offers) {
      const r = o.eligibility?.rule;
      if (r !== undefined) seen.set(r, (seen.get(r) ?? 0) + 1);
    }
    for (const o of this.offers) {
      const r = o.offer.eligibility?.rule;
      o.sharedRule = r !== undefined && (seen.get(r) ?? 0) > 1;
    }
    this.byId = new Map(this.offers.map((o) => [o.offer.id, o] as const));
  }

  /** The strategy's offers (fallback offers left out), highest priority first. */
  candidates(strategy: Strategy): readonly CompiledOffer[] {
    const key =
      'collection' in strategy
        ? JSON.stringify(strategy.collection)
        : JSON.stringify(strategy.offers);
    const hit = this.candidateCache.get(key);
    if (hit) return hit;
    const list =
      'collection' in strategy
        ? this.offers.filter((o) => inCollection(o.offer, strategy.collection))
        : [...new Set(strategy.offers)].flatMap((id) => {
            const o = this.byId.get(id);
            return o === undefined ? [] : [o];
          });
    const sorted = [...list].sort(byPriority);
    this.candidateCache.set(key, sorted);
    return sorted;
  }

  formula(source: string): Compiled {
    const hit = this.formulaCache.get(source);
    if (hit) return hit;
    const c = compileRule(source, 'any');
    this.formulaCache.set(source, c);
    return c;
  }
}

const catalogs = new WeakMap<readonly Offer[], OfferCatalog>();

/** The compiled catalog of an offer list (cached per list object). */
export function catalogOf(offers: readonly Offer[] | OfferCatalog): OfferCatalog {
  if (offers instanceof OfferCatalog) return offers;
  const hit = catalogs.get(offers);
  if (hit) return hit;
  const c = new OfferCatalog(offers);
  catalogs.set(offers, c);
  return c;
}
