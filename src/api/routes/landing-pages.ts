// Landing pages beyond their CRUD (/v1/landing-pages, objects.ts): publish (validated) and unpublish,
// a preview for a test profile (or given attributes), the signed link a profile would get in an
// email, and the report (views, submissions, refusals, conversions, per page).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Waymark } from '../../runtime/app.ts';
import { ErrorCode, WaymarkError, notFound } from '../../errors.ts';
import type { LandingPage } from '../../model/landing-page.ts';
import type { Profile } from '../../model/profile.ts';
import type { StoredObject } from '../../store/ports.ts';
import { parseWith, sandboxOf } from '../context.ts';
import { openApi } from './request-input.ts';

const tags = ['landing pages'];

const previewSchema = z
  .object({
    subPage: z
      .string()
      .min(1)
      .optional()
      .describe('A sub-page (e.g. the thank-you page); absent: the primary page.'),
    profileId: z.string().min(1).optional().describe('A stored (test) profile, by id.'),
    identity: z
      .object({ namespace: z.string().min(1), id: z.string().min(1) })
      .strict()
      .optional()
      .describe('A stored (test) profile, by one of its identities.'),
    profile: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Profile attributes to render with, instead of a stored profile.'),
  })
  .strict()
  .describe('Who to render the page for; an empty body renders it for nobody.');

/** As GET /v1/landing-pages/:key answers: the key, the revision and the spec. */
const answer = (o: StoredObject) => ({
  key: o.key,
  revision: o.revision,
  updatedAt: o.updatedAt,
  spec: o.body as LandingPage,
});

export function landingPageRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    const page = async (sandbox: string, slug: string): Promise<LandingPage> => {
      const p = await app.landingPages.get(sandbox, slug);
      if (!p) throw notFound('landing page', slug);
      return p;
    };
    const profileOf = async (
      sandbox: string,
      profileId: string | undefined,
      identity: { namespace: string; id: string } | undefined,
    ): Promise<Profile | null> => {
      if (identity) return app.profiles.get(sandbox, identity.namespace, identity.id);
      if (profileId === undefined) return null;
      const p = await app.reads.getProfile(sandbox, profileId);
      if (!p) throw notFound('profile', profileId);
      return p;
    };

    f.post<{ Params: { key: string } }>(
      '/landing-pages/:key/publish',
      {
        schema: {
          tags,
          summary:
            'Publish a landing page: every page must render and its expiry must be ahead; then /lp/{sandbox}/{slug} answers',
        },
        config: { permission: 'content.manage' },
      },
      async (req) => answer(await app.landingPages.publish(sandboxOf(req), req.params.key)),
    );
    f.post<{ Params: { key: string } }>(
      '/landing-pages/:key/unpublish',
      {
        schema: { tags, summary: 'Unpublish a landing page: its address answers 404' },
        config: { permission: 'content.manage' },
      },
      async (req) => answer(await app.landingPages.unpublish(sandboxOf(req), req.params.key)),
    );
    f.post<{ Params: { key: string }; Body: unknown }>(
      '/landing-pages/:key/preview',
      {
        schema: {
          tags,
          // For the OpenAPI document only: the handler parses with zod.
          body: openApi(previewSchema),
          summary:
            'Render a page (or sub-page) of a landing page as a profile sees it: a stored (test) profile by id or identity, or given attributes; offers decided as a dry run',
        },
        // The render shows a profile's attributes, as POST /v1/render with a profile does.
        config: { permission: 'content.view' },
      },
      async (req) => {
        const sandbox = sandboxOf(req);
        const body = parseWith(previewSchema, req.body ?? {}, 'preview request');
        const p = await page(sandbox, req.params.key);
        if (body.subPage !== undefined && !p.subPages.some((s) => s.slug === body.subPage))
          throw new WaymarkError(
            ErrorCode.NotFound,
            `landing page "${p.slug}" has no sub-page "${body.subPage}"`,
            {
              issues: [
                {
                  path: 'subPage',
                  message: 'no such sub-page',
                  expected: p.subPages.map((s) => s.slug).join(', ') || 'none',
                  received: body.subPage,
                },
              ],
            },
          );
        const stored = await profileOf(sandbox, body.profileId, body.identity);
        const profile: Profile | null =
          stored ??
          (body.profile
            ? {
                id: 'preview',
                identities: [],
                attributes: body.profile,
                testProfile: true,
                createdAt: '',
                updatedAt: '',
              }
            : null);
        const r = await app.landingPages.render(sandbox, p, body.subPage, profile);
        return {
          html: r.html,
          title: r.title,
          status: p.status,
          url: app.landingPages.url(sandbox, p.slug, undefined, body.subPage),
          ...(stored
            ? { profileUrl: app.landingPages.url(sandbox, p.slug, stored.id, body.subPage) }
            : {}),
        };
      },
    );
    f.get<{
      Params: { key: string };
      Querystring: { profileId?: string; namespace?: string; id?: string };
    }>(
      '/landing-pages/:key/link',
      {
        schema: {
          tags,
          summary:
            "The page's address, and signed for a profile (?profileId= or ?namespace=&id=) as an email's landingPageUrl makes it: opening it acts as that profile",
        },
        // A signed link lets whoever holds it change that profile's consent: it is an edit.
        config: { permission: 'content.manage' },
      },
      async (req) => {
        const sandbox = sandboxOf(req);
        const p = await page(sandbox, req.params.key);
        const q = req.query;
        const profile = await profileOf(
          sandbox,
          q.profileId,
          q.namespace && q.id ? { namespace: q.namespace, id: q.id } : undefined,
        );
        return {
          url: app.landingPages.url(sandbox, p.slug),
          ...(profile
            ? {
                profileId: profile.id,
                profileUrl: app.landingPages.url(sandbox, p.slug, profile.id),
              }
            : {}),
        };
      },
    );
    f.get<{ Params: { key: string } }>(
      '/landing-pages/:key/report',
      {
        schema: {
          tags,
          summary:
            'Views, submissions (posts past the robot and token checks), refused posts (honeypot, missing or forged token, too many tries) and conversions (valid submissions written to a profile), per page',
        },
        config: { permission: 'content.view' },
      },
      async (req) => app.landingPages.report(sandboxOf(req), req.params.key),
    );
  };
}
