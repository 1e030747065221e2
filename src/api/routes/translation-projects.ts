// Translation projects and providers: start a project (202; the work runs in the background), list
// and read projects with each locale's status and the translated variants, and the review flow
// (approve, publish). Providers are the server's (its configuration); their keys never show.
import type { FastifyInstance } from 'fastify';
import type { Waymark } from '../../runtime/app.ts';
import { intParam, sandboxOf } from '../context.ts';
import { startTranslationSchema } from '../../runtime/translation-projects.ts';
import { openApi } from './request-input.ts';
import type { Answer } from '../../shared/schema-types.ts';
import type {
  translationProjectAnswer,
  translationProjectListAnswer,
  translationProjectSchema,
  translationProviderListAnswer,
} from '../../isomorphic/api/translations.ts';

const tags = ['translation'];
type IdParams = { Params: { id: string } };
type LocaleParams = { Params: { id: string; locale: string } };
type ProjectAnswer = Promise<Answer<typeof translationProjectAnswer>>;

export function translationProjectRoutes(app: Waymark) {
  const projects = app.translations;
  return async (f: FastifyInstance): Promise<void> => {
    f.get(
      '/translation-providers',
      {
        schema: {
          tags,
          summary:
            'The translation providers this server offers: name, kind (development, azure, deepl), whether it is the development translator (not a real translation); the default first',
        },
      },
      async (): Promise<Answer<typeof translationProviderListAnswer>> => ({
        items: projects.providers(),
      }),
    );
    f.post<{ Body: unknown }>(
      '/translation-projects',
      {
        schema: {
          tags,
          summary:
            'Start a translation project: {name?, source: {kind: "content-template", key} | {kind: "content", content}, languageSettings?, sourceLocale?, targets?, provider?, review?}; 202 with the project, translated in the background',
          body: openApi(startTranslationSchema),
        },
      },
      async (req, reply) => {
        const answer: Answer<typeof translationProjectAnswer> = {
          project: await projects.start(sandboxOf(req), req.body),
        };
        return reply.status(202).send(answer);
      },
    );
    f.get<{ Querystring: { limit?: string } }>(
      '/translation-projects',
      {
        schema: { tags, summary: 'Translation projects, newest first (?limit=N, default 100)' },
      },
      async (req): Promise<Answer<typeof translationProjectListAnswer>> => ({
        items: await projects.list(sandboxOf(req), intParam(req.query.limit, 'limit', 100, 1000)),
      }),
    );
    f.get<IdParams>(
      '/translation-projects/:id',
      {
        schema: {
          tags,
          summary:
            'One translation project: status per locale, errors, and result.locales (the translated variants)',
        },
      },
      async (req): Promise<Answer<typeof translationProjectSchema>> =>
        projects.get(sandboxOf(req), req.params.id),
    );
    f.post<LocaleParams>(
      '/translation-projects/:id/targets/:locale/approve',
      {
        schema: { tags, summary: 'Review flow: approve a locale that is ready for review' },
      },
      async (req): ProjectAnswer => ({
        project: await projects.approve(sandboxOf(req), req.params.id, req.params.locale),
      }),
    );
    f.post<LocaleParams>(
      '/translation-projects/:id/targets/:locale/publish',
      {
        schema: {
          tags,
          summary:
            'Review flow: publish an approved locale (a content template gets the variant in its locales)',
        },
      },
      async (req): ProjectAnswer => ({
        project: await projects.publish(sandboxOf(req), req.params.id, req.params.locale),
      }),
    );
  };
}
