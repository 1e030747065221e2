// The personalization editor's API (the email designer): what can be inserted at a place, the helper
// functions, and checks and completions of a template source against that place.
//   GET  /v1/personalization/tree?journeyId=&nodeId=        -> {nodes: PersonalizationNode[]}
//   GET  /v1/personalization/helpers                        -> {items: [{name, category, signature, help, example, block?}]}
//   POST /v1/personalization/validate {source, journeyId?, nodeId?}          -> {valid, diagnostics: [{severity, code, message, line?, column?}]}
//   POST /v1/personalization/complete {source, cursor, journeyId?, nodeId?}  -> {from, completions: [{label, insert, detail}]}
// With journeyId (and nodeId, an activity of its latest version) the journey's events and custom-action
// responses upstream of the activity are in scope; without, the profile and audiences only.
// Unknown journey or activity: 404. Bad input: 400 naming the path, what was expected and received.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { helperCatalog } from '../../content/functions/catalog.ts';
import {
  checkPersonalization,
  completePersonalization,
} from '../../content/personalization-check.ts';
import { defaultLimits } from '../../content/limits.ts';
import {
  personalizationScope,
  type PersonalizationPlace,
  type PersonalizationScope,
} from '../../runtime/personalization.ts';
import type { Waymark } from '../../runtime/app.ts';
import { sandboxOf } from '../context.ts';
import { assertJourneyVisible, labelFilter, visibleLibrary } from '../label-access.ts';
import { openApi, parseInput } from './request-input.ts';
import type { Answer } from '../../shared/schema-types.ts';
import type {
  helperListAnswer,
  personalizationCheckAnswer,
  personalizationCompleteAnswer,
  personalizationTreeAnswer,
} from '../../isomorphic/api/personalization.ts';

const id = z.string().min(1).max(200);
const placeQuery = z.object({
  journeyId: id.optional().describe('A journey: its events and actions come in scope.'),
  nodeId: id
    .optional()
    .describe("An activity of the journey's latest version: only what is upstream of it."),
});
const source = z
  .string()
  .max(defaultLimits.maxTemplateChars)
  .describe('Template source (Handlebars or {% %} form).');
const validateBody = placeQuery.extend({ source });
const completeBody = placeQuery.extend({
  source,
  cursor: z.number().int().min(0).describe('Offset in source (UTF-16 code units).'),
});

/**
 * The place as the caller sees it (access labels): a journey it does not reach is missing (404),
 * audiences it does not reach are not offered, and fragments it does not reach do not resolve.
 */
export async function callerScope(
  app: Waymark,
  req: FastifyRequest,
  place: PersonalizationPlace,
): Promise<PersonalizationScope> {
  const sandbox = sandboxOf(req);
  if (place.journeyId !== undefined)
    await assertJourneyVisible(req, app.reads, sandbox, place.journeyId);
  const visible = labelFilter(req);
  const s = await personalizationScope(app, sandbox, place, visible);
  return { ...s, library: visibleLibrary(s.library, visible) };
}

export function personalizationRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    const tags = ['personalization'];
    f.get(
      '/personalization/tree',
      {
        schema: {
          tags,
          summary:
            'What the personalization editor can insert at a place: profile attributes, audiences, upstream events and action responses',
          querystring: openApi(placeQuery),
        },
      },
      async (req): Promise<Answer<typeof personalizationTreeAnswer>> => {
        const q = parseInput(placeQuery, req.query, 'query');
        return { nodes: (await callerScope(app, req, q)).tree };
      },
    );

    f.get(
      '/personalization/helpers',
      {
        schema: {
          tags,
          summary:
            'The personalization functions and block helpers with signatures, help and examples',
        },
      },
      async (): Promise<Answer<typeof helperListAnswer>> => ({ items: helperCatalog }),
    );

    f.post(
      '/personalization/validate',
      {
        schema: {
          tags,
          summary:
            'Compile a template source and check its references against the place (as publication does)',
          body: openApi(validateBody),
        },
      },
      async (req): Promise<Answer<typeof personalizationCheckAnswer>> => {
        const b = parseInput(validateBody, req.body, 'body');
        const s = await callerScope(app, req, b);
        return checkPersonalization(b.source, s.library, s.scope);
      },
    );

    f.post(
      '/personalization/complete',
      {
        schema: {
          tags,
          summary: 'Completions at a cursor: paths after {{ or {%= and helper names',
          body: openApi(completeBody),
        },
      },
      async (req): Promise<Answer<typeof personalizationCompleteAnswer>> => {
        const b = parseInput(completeBody, req.body, 'body');
        if (b.cursor > b.source.length)
          parseInput(
            z.object({ cursor: z.number().max(b.source.length) }),
            { cursor: b.cursor },
            'body',
          );
        const s = await callerScope(app, req, b);
        return completePersonalization(b.source, b.cursor, s.tree);
      },
    );
  };
}
