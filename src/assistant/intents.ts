// What a question asks for, without a model: a small documented set of data intents
// (docs/assistant.md), recognized by their words; everything else is a product question answered
// from the documentation. Pure.

export type Intent =
  | { readonly kind: 'most-used-journey' }
  /** `journeyId` null: the question asks about a journey by a name the asker has none of. */
  | { readonly kind: 'journey-performance'; readonly journeyId: string | null }
  | { readonly kind: 'errors' }
  | { readonly kind: 'deliverability' }
  | { readonly kind: 'audience-sizes' }
  | { readonly kind: 'waiting' }
  | { readonly kind: 'campaigns' }
  /** `action` the custom action named by the question (one of the sandbox's), else null: all. */
  | { readonly kind: 'actions'; readonly action: string | null }
  | { readonly kind: 'product' };

export type IntentKind = Intent['kind'];

/** The data intents, as the documentation and the console's suggestions list them. */
export const DATA_INTENTS: ReadonlyArray<{ kind: IntentKind; example: string }> = [
  {
    kind: 'most-used-journey',
    example: 'Which journey is the most used, and how is it performing?',
  },
  { kind: 'journey-performance', example: 'How is the Purchase Journey performing?' },
  { kind: 'errors', example: 'Where are the errors and timeouts?' },
  { kind: 'deliverability', example: 'How is email deliverability: sent, bounced, excluded?' },
  { kind: 'audience-sizes', example: 'How big are my audiences?' },
  { kind: 'waiting', example: 'What is waiting right now?' },
  { kind: 'campaigns', example: 'How are my campaigns doing?' },
  { kind: 'actions', example: 'How are my custom actions doing: errors and latency?' },
];

export interface NamedJourney {
  readonly id: string;
  readonly name: string;
}

const has = (text: string, re: RegExp): boolean => re.test(text);

/** Words that ask about the product ("how do I…") rather than about the sandbox's data. */
const PRODUCT_CUE =
  /\b(how (do|can|should|would) (i|we|you)|how to|what (is|are|does|do) (a|an|the)?\s*(?!my\b|our\b)|explain|documentation|docs|best practices?|can i|is it possible|where (do|can) i|why (does|do|is)|difference between|what happens|configure|set up|setup|install|ever|twice)\b/;
/** Words that ask about figures of this sandbox. */
const DATA_CUE =
  /\b(my|our|currently|right now|today|this week|how many|how much|which|most|least|top|show me|list|figures|numbers|stats|statistics|performing|performance|doing|rate|count|any|anything)\b/;

/**
 * The intent of `question`; `journeys` are the asker's (to recognize one named); `previous` the
 * journey the conversation was about, for "it" and "that journey"; `actions` the sandbox's custom
 * actions' names (to recognize one named).
 */
export function recognize(
  question: string,
  journeys: readonly NamedJourney[],
  previous: string | null = null,
  actions: readonly string[] = [],
): Intent {
  const q = ` ${question.toLowerCase().replace(/[’']/g, "'").replace(/\s+/g, ' ')} `;
  const product = has(q, PRODUCT_CUE);
  const data = has(q, DATA_CUE);
  const named = namedJourney(q, journeys);
  const action = actions.find((a) => a.length >= 4 && q.includes(a.toLowerCase())) ?? null;
  // "How do I test a journey…": a product question, unless it also asks for figures.
  if (product && !data && named === null && action === null) return { kind: 'product' };

  // Custom actions: asked about as such, by latency, or by a name of the sandbox's actions.
  if (
    action !== null ||
    has(q, /\bcustom actions?\b/) ||
    has(q, /\b(latency|latencies|response times?|slowest|how long)\b/) ||
    has(q, /\bactions?\b.*\b(errors?|failing|failures?|slow|doing|performing)\b/)
  )
    return { kind: 'actions', action };
  if (
    has(q, /\b(most|top|busiest|biggest|largest|main|popular)\b.*\bjourneys?\b/) ||
    has(
      q,
      /\bjourneys?\b.*\b(most|busiest|popular)\b.*\b(used|entered|active|traffic|popular)\b/,
    ) ||
    has(q, /\bmost used\b/)
  )
    return { kind: 'most-used-journey' };
  if (
    has(
      q,
      /\b(dead letters?|rejected events?|errors?|failures?|failing|failed|timeouts?|timed out|broken|problems?|issues?)\b/,
    )
  )
    return { kind: 'errors' };
  if (
    has(
      q,
      /\b(deliverability|delivered|delivery|deliveries|bounces?|bounced|bounce rate|opens?|opened|open rate|clicks?|clicked|click rate|excluded|exclusions?|capped|suppressed|sends?|sent)\b/,
    ) &&
    !has(q, /\bcampaigns?\b/)
  )
    return { kind: 'deliverability' };
  if (
    has(q, /\b(audiences?|segments?)\b/) &&
    has(q, /\b(size|sizes|big|large|many|members?|count|qualif)/)
  )
    return { kind: 'audience-sizes' };
  if (
    has(
      q,
      /\b(waiting|wait|pending|backlog|queued?|stuck|due|in flight|in progress|active profiles)\b/,
    )
  )
    return { kind: 'waiting' };
  if (has(q, /\bcampaigns?\b/) && data) return { kind: 'campaigns' };
  if (named !== null && (data || !product))
    return { kind: 'journey-performance', journeyId: named };
  if (
    previous !== null &&
    has(q, /\b(it|its|this journey|that journey|the journey)\b/) &&
    has(q, /\b(perform|performing|performance|doing|figures|report|stats|entered)\b/)
  )
    return { kind: 'journey-performance', journeyId: previous };
  if (
    !product &&
    has(q, /\bjourney\b/) &&
    has(q, /\b(perform|performing|performance|doing|figures|report|stats|entered)\b/)
  )
    return { kind: 'journey-performance', journeyId: null };
  return { kind: 'product' };
}

/** The journey a question names: its full name, or its name without a "Luma - " style prefix. */
export function namedJourney(question: string, journeys: readonly NamedJourney[]): string | null {
  const q = question.toLowerCase();
  let best: { id: string; length: number } | null = null;
  for (const j of journeys) {
    const names = new Set([j.name.toLowerCase(), j.id.toLowerCase()]);
    const short = j.name.toLowerCase().replace(/^[^-–:]+[-–:]\s*/, '');
    if (short.length >= 4) names.add(short);
    for (const n of names)
      if (n.length >= 4 && q.includes(n) && (best === null || n.length > best.length))
        best = { id: j.id, length: n.length };
  }
  return best?.id ?? null;
}
