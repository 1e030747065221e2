// Offer decisions in content: `{{#each (decide "policy-id") as |offer|}}{{offer.text}}{{/each}}`.
// Rendering stays pure: the runtime decides every policy a message names before rendering and passes
// the chosen offers in the render input; `decide` only reads them.

/** One proposed offer as content reads it. */
export interface DecidedOffer {
  readonly id: string;
  readonly name: string;
  readonly rank: number;
  readonly score: number;
  readonly text?: string;
  readonly html?: string;
  readonly imageAsset?: string;
  /** Where the image is served from: the asset's URL, or imageAsset itself when it is a URL. */
  readonly imageUrl?: string;
  readonly link?: string;
  readonly language?: string;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

const decideRe =
  /\(\s*decide\s+(?:"((?:\\.|[^"\\])*)"|'((?:\\.|[^'\\])*)')|decide\s*\(\s*(?:"((?:\\.|[^"\\])*)"|'((?:\\.|[^'\\])*)')\s*\)/g;

/** The decision policies a source names, in order, each once. */
export function decisionPoliciesIn(text: string): string[] {
  if (!text.includes('decide')) return [];
  const out = new Set<string>();
  for (const m of text.matchAll(decideRe)) {
    const id = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (id !== undefined) out.add(id.replace(/\\(.)/g, '$1'));
  }
  return [...out];
}

/**
 * The decision policies named anywhere in a value (a message's content, a fragment's): in its
 * strings (`decide "id"`) and by its decision blocks (`{ kind: 'decision', policy }`), each once.
 */
export function decisionPoliciesInValue(value: unknown): string[] {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') for (const id of decisionPoliciesIn(v)) out.add(id);
    else if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o['kind'] === 'decision' && typeof o['policy'] === 'string') out.add(o['policy']);
      for (const x of Object.values(o)) walk(x);
    }
  };
  walk(value);
  return [...out];
}

/**
 * The Handlebars an offer decision adds to a text field (push, SMS): each proposed offer's text (or
 * link), e.g. `{{#each (decide "spring-sale") as |offer|}}{{offer.text}}{{/each}}`.
 */
export function decisionSnippet(policy: string, shows: 'text' | 'link'): string {
  const id = policy.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return `{{#each (decide "${id}") as |offer|}}{{offer.${shows}}}{{/each}}`;
}
