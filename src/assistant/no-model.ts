// Answers without a model: a recognized data intent is answered from the tools with a template;
// anything else gets the best passages of the documentation with their citations. I/O only
// through the ports it is given.
import { excerpt } from './doc-sections.ts';
import { recognize, type Intent } from './intents.ts';
import {
  actionsAnswer,
  audienceAnswer,
  campaignsAnswer,
  deliverabilityAnswer,
  errorsAnswer,
  forbiddenAnswer,
  mostUsedAnswer,
  NO_MODEL_DOCS_NOTE,
  noJourneysAnswer,
  unknownJourneyAnswer,
  performanceAnswer,
  waitingAnswer,
} from './templates.ts';
import type { AssistantAnswer, AssistantTools, DocSearch, ToolResult } from './types.ts';

export interface NoModelContext {
  readonly tools: AssistantTools;
  readonly docs: DocSearch;
  readonly now: number;
  /** The journey the conversation was last about ("how is it doing?"). */
  readonly previousJourney: string | null;
  /** The sandbox's custom actions' names, to recognize a question about one. */
  readonly actionNames?: readonly string[];
}

export interface NoModelAnswer extends AssistantAnswer {
  readonly intent: Intent['kind'];
  /** The journey this answer was about, remembered for the next question. */
  readonly journeyId?: string;
}

const value = <T>(r: ToolResult<T>): T | null => (r.ok ? r.value : null);

export async function answerWithoutModel(
  question: string,
  ctx: NoModelContext,
): Promise<NoModelAnswer> {
  const listed = await ctx.tools.journeys();
  const journeys = value(listed) ?? [];
  const intent = recognize(question, journeys, ctx.previousJourney, ctx.actionNames ?? []);
  const tag = <A extends AssistantAnswer>(a: A, journeyId?: string): NoModelAnswer => ({
    ...a,
    intent: intent.kind,
    ...(journeyId ? { journeyId } : {}),
  });
  switch (intent.kind) {
    case 'most-used-journey': {
      if (!listed.ok) return tag(refusal('journeys and their reports', listed));
      const top = [...journeys].sort((a, b) => b.entered - a.entered)[0];
      if (!top || top.entered === 0) return tag(noJourneysAnswer());
      const p = await ctx.tools.journeyPerformance(top.id);
      if (!p.ok) return tag(refusal('the journey report', p));
      return tag(mostUsedAnswer(journeys, p.value, ctx.now), top.id);
    }
    case 'journey-performance': {
      if (!listed.ok) return tag(refusal('journeys and their reports', listed));
      if (intent.journeyId === null) return tag(unknownJourneyAnswer(journeys));
      const p = await ctx.tools.journeyPerformance(intent.journeyId);
      if (!p.ok) return tag(refusal('the journey report', p));
      return tag(performanceAnswer(p.value, ctx.now), intent.journeyId);
    }
    case 'errors': {
      const status = await ctx.tools.status();
      if (!listed.ok && !status.ok) return tag(refusal('journey reports', listed));
      // Errors and timeouts counted per activity too (the report's), not only the journey's own.
      const withReports = listed.ok
        ? await Promise.all(
            journeys.map(async (j) => {
              const p = await ctx.tools.journeyPerformance(j.id);
              return p.ok ? { ...j, errors: p.value.errors, timeouts: p.value.timeouts } : j;
            }),
          )
        : null;
      return tag(errorsAnswer(withReports, value(status), ctx.now));
    }
    case 'deliverability': {
      const m = await ctx.tools.messageOutcomes();
      if (!m.ok) return tag(refusal('message outcomes', m));
      return tag(deliverabilityAnswer(m.value, ctx.now));
    }
    case 'audience-sizes': {
      const a = await ctx.tools.audienceSizes();
      if (!a.ok) return tag(refusal('audiences', a));
      return tag(audienceAnswer(a.value, ctx.now));
    }
    case 'waiting': {
      const status = await ctx.tools.status();
      return tag(waitingAnswer(value(status), value(listed), ctx.now));
    }
    case 'campaigns': {
      const c = await ctx.tools.campaigns();
      if (!c.ok) return tag(refusal('campaigns', c));
      return tag(campaignsAnswer(c.value, ctx.now));
    }
    case 'actions': {
      const a = await ctx.tools.actionHealth();
      if (!a.ok) return tag(refusal('custom action figures', a));
      return tag(actionsAnswer(a.value, intent.action, ctx.now));
    }
    case 'product':
      return tag(docsAnswer(question, ctx.docs));
    default: {
      const never: never = intent;
      throw new Error(`unknown intent ${JSON.stringify(never)}`);
    }
  }
}

function refusal(what: string, r: ToolResult<unknown>): AssistantAnswer {
  if (r.ok) throw new Error('not a refusal');
  return r.reason === 'forbidden'
    ? forbiddenAnswer(what, r.permission)
    : {
        answer: `I found no ${r.what} of that name in this sandbox.`,
        citations: [],
        mode: 'intent',
      };
}

/** The best passages for a product question: the top one quoted, the next ones named. */
export function docsAnswer(question: string, docs: DocSearch): AssistantAnswer {
  const hits = docs.search(question, 6);
  if (hits.length === 0)
    return {
      answer: `I found nothing in the documentation about that. Try other words, or browse /docs/.\n\n${NO_MODEL_DOCS_NOTE}`,
      citations: [{ title: 'Documentation', href: '/docs/' }],
      mode: 'docs',
    };
  const seen = new Set<string>();
  const best = hits[0]!.score;
  // The best passage, and those that match nearly as well (by their score) under it.
  const top = hits
    .filter((h) => (seen.has(h.href) ? false : (seen.add(h.href), true)))
    .filter((h, i) => i === 0 || h.score >= 0.35 * best)
    .slice(0, 3);
  const [first, ...rest] = top;
  const lines = [
    `From “${first!.title}”: ${excerpt(first!.text, 480, question)}`,
    ...(rest.length > 0 ? [`See also: ${rest.map((h) => `“${h.title}”`).join(', ')}.`] : []),
    '',
    NO_MODEL_DOCS_NOTE,
  ];
  return {
    answer: lines.join('\n'),
    citations: top.map((h) => ({ title: h.title, href: h.href })),
    mode: 'docs',
  };
}
