// The in-app client routes the site's SDK calls (docs/concepts/in-app.md): a profile's in-app
// messages for what the visitor does, its code-based experiences by surface, and the interactions
// (displayed, clicked, dismissed) it reports. Authenticated like events: a key with events.ingest
// (the site's write key), in the key's sandbox. Answers: src/isomorphic/api/in-app.ts.
import type { FastifyInstance } from 'fastify';
import type { Answer } from '../../isomorphic/api/answer.ts';
import type {
  experienceQueryAnswer,
  inAppInteractionAnswer,
  inAppQueryAnswer,
} from '../../isomorphic/api/in-app.ts';
import type { Waymark } from '../../runtime/app.ts';
import {
  experienceQuerySchema,
  inAppInteractionSchema,
  inAppQuerySchema,
} from '../../runtime/in-app.ts';
import { openApi, parseInput } from './request-input.ts';
import { sandboxOf } from '../context.ts';

const tags = ['in-app'];

export function inAppRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    f.post(
      '/inapp/messages/query',
      {
        schema: {
          tags,
          summary: "A visitor's in-app messages for a trigger (app launch, page view, event)",
          body: openApi(inAppQuerySchema),
        },
        config: { permission: 'events.ingest' },
      },
      async (req): Promise<Answer<typeof inAppQueryAnswer>> => {
        const body = parseInput(inAppQuerySchema, req.body, 'body');
        return { items: [...(await app.inApp.query(sandboxOf(req), body))] };
      },
    );

    f.post(
      '/inapp/interactions',
      {
        schema: {
          tags,
          summary: 'An in-app message displayed, clicked or dismissed (message feedback)',
          body: openApi(inAppInteractionSchema),
        },
        config: { permission: 'events.ingest' },
      },
      async (req, reply) => {
        const body = parseInput(inAppInteractionSchema, req.body, 'body');
        await app.inApp.interact(sandboxOf(req), body);
        const answer: Answer<typeof inAppInteractionAnswer> = { recorded: true };
        return reply.status(202).send(answer);
      },
    );

    f.post(
      '/experiences/query',
      {
        schema: {
          tags,
          summary: "A visitor's code-based experiences for surfaces of a site or app",
          body: openApi(experienceQuerySchema),
        },
        config: { permission: 'events.ingest' },
      },
      async (req): Promise<Answer<typeof experienceQueryAnswer>> => {
        const body = parseInput(experienceQuerySchema, req.body, 'body');
        return { items: [...(await app.inApp.experiences(sandboxOf(req), body))] };
      },
    );
  };
}
