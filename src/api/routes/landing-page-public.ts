// Landing pages as people see them: GET and POST /lp/{sandbox}/{slug}[/{subPage}], no API key. The
// page renders on the server for the profile its signed link names (`?p=`, from an email's
// landingPageUrl) or for nobody. Its form posts back to the same address and is checked there, in
// this order: the per-address rate limit (429), the honeypot (robots fill it: 400), the CSRF token
// (signed for this page, profile and time: 403), then the fields (422 with every issue, nothing
// written). A valid submission is written to the profile through the writer, then the thank-you
// page follows (303) or the page says it is saved. No script anywhere: the policy forbids it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Waymark } from '../../runtime/app.ts';
import { sandboxNameSchema } from '../../model/common.ts';
import type { LandingPage } from '../../model/landing-page.ts';
import type { Profile } from '../../model/profile.ts';
import {
  CSRF_FIELD,
  HONEYPOT_FIELD,
  checkSubmission,
  parsePosted,
} from '../../content/landing-pages/form.ts';
import { findPage, messagePage, pageState } from '../../content/landing-pages/page.ts';
import { checkCsrf, verifyProfileLink } from '../../runtime/landing-pages/tokens.ts';
import { SubmissionLimiter } from '../../runtime/landing-pages/rate-limit.ts';
import { LANDING_PAGE_ROUTE } from '../../runtime/landing-pages/service.ts';

export interface LandingPagePublicOptions {
  /** Form posts per client address and page per window (default 10 a minute). */
  readonly submissionsPerWindow?: number;
  readonly windowMs?: number;
}

type Params = { sandbox: string; slug: string; subPage?: string };
type Query = { p?: string };

const NOT_FOUND = messagePage('Page not found', 'There is no page at this address.');
const GONE = messagePage('This page has ended', 'This page is no longer available.');
const UNAVAILABLE = messagePage(
  'This page cannot be shown',
  'Something went wrong on our side. Please try again later.',
);
const BAD_LINK = messagePage(
  'This link is not valid',
  'The link may be incomplete. Open it again from your email.',
);

export function landingPagePublicRoutes(app: Waymark, opts: LandingPagePublicOptions = {}) {
  const limiter = new SubmissionLimiter(
    opts.submissionsPerWindow ?? 10,
    opts.windowMs ?? 60_000,
    () => app.clock.now(),
  );
  return async (f: FastifyInstance): Promise<void> => {
    f.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16_384 },
      (_req, body, done) => done(null, body),
    );

    const html = (reply: FastifyReply, status: number, body: string): FastifyReply =>
      reply
        .status(status)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(body);

    /** The page and the profile a request is for, or the answer already sent. */
    const resolve = async (
      req: FastifyRequest<{ Params: Params; Querystring: Query }>,
      reply: FastifyReply,
    ): Promise<
      | {
          page: LandingPage;
          sandbox: string;
          subPage: string | undefined;
          profile: Profile | null;
          token: string | undefined;
        }
      | FastifyReply
    > => {
      const { sandbox, slug, subPage } = req.params;
      if (!sandboxNameSchema.safeParse(sandbox).success) return html(reply, 404, NOT_FOUND);
      const page = await app.landingPages.get(sandbox, slug);
      if (!page || findPage(page, subPage) === undefined) return html(reply, 404, NOT_FOUND);
      switch (pageState(page, app.clock.now())) {
        case 'draft':
        case 'unpublished':
          return html(reply, 404, NOT_FOUND);
        case 'expired':
          return html(reply, 410, GONE);
        case 'live':
          break;
      }
      const token = typeof req.query.p === 'string' && req.query.p !== '' ? req.query.p : undefined;
      let profile: Profile | null = null;
      if (token !== undefined) {
        const secret = app.landingPages.secret;
        const claims =
          secret === undefined ? undefined : verifyProfileLink(token, secret, sandbox, slug);
        if (claims === undefined) return html(reply, 400, BAD_LINK);
        profile = await app.landingPages.profile(sandbox, claims.profileId);
        if (profile === null) return html(reply, 400, BAD_LINK);
      }
      return { page, sandbox, subPage, profile, token };
    };

    const actionOf = (
      sandbox: string,
      slug: string,
      subPage: string | undefined,
      token: string | undefined,
    ): string =>
      `${LANDING_PAGE_ROUTE}${encodeURIComponent(sandbox)}/${encodeURIComponent(slug)}${subPage ? `/${encodeURIComponent(subPage)}` : ''}${token ? `?p=${encodeURIComponent(token)}` : ''}`;

    const view = async (
      req: FastifyRequest<{ Params: Params; Querystring: Query }>,
      reply: FastifyReply,
    ) => {
      const r = await resolve(req, reply);
      if (!('page' in r)) return r;
      let rendered: { html: string };
      try {
        rendered = await app.landingPages.render(r.sandbox, r.page, r.subPage, r.profile, {
          action: actionOf(r.sandbox, r.page.slug, r.subPage, r.token),
        });
      } catch (e) {
        // A page that no longer renders (a fragment deleted since it was published): a page, not JSON.
        req.log.warn({ err: e, slug: r.page.slug }, 'landing page not rendered');
        return html(reply, 500, UNAVAILABLE);
      }
      // A link scanner's HEAD is not a view.
      if (req.method === 'GET')
        await app.landingPages.count(r.sandbox, r.page.slug, r.subPage, 'views');
      return html(reply, 200, rendered.html);
    };

    const submit = async (
      req: FastifyRequest<{ Params: Params; Querystring: Query; Body: unknown }>,
      reply: FastifyReply,
    ) => {
      const r = await resolve(req, reply);
      if (!('page' in r)) return r;
      const { page, sandbox, subPage, profile, token } = r;
      const refuse = async (status: number, title: string, text: string) => {
        await app.landingPages.count(sandbox, page.slug, subPage, 'refused');
        return html(reply, status, messagePage(title, text));
      };
      const form = findPage(page, subPage)?.form;
      if (form === undefined)
        return html(reply, 405, messagePage('Nothing to send', 'This page has no form.'));
      const limited = limiter.take(req.ip, `${sandbox}/${page.slug}`);
      if (!limited.ok) {
        void reply.header('retry-after', String(Math.ceil(limited.retryAfterMs / 1000)));
        return refuse(429, 'Too many tries', 'Please wait a minute and try again.');
      }
      if (
        !/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '') ||
        typeof req.body !== 'string'
      )
        return refuse(
          415,
          'The form could not be read',
          'The form must be sent as application/x-www-form-urlencoded.',
        );
      const posted = parsePosted(req.body);
      if ((posted.get(HONEYPOT_FIELD) ?? []).some((v) => v !== ''))
        return refuse(400, 'Not sent', 'This submission looks automated and was not accepted.');
      const csrf = checkCsrf(
        posted.get(CSRF_FIELD)?.at(-1),
        app.landingPages.secret ?? '',
        { sandbox, slug: page.slug, subPage },
        profile?.id,
        app.clock.now(),
      );
      if (app.landingPages.secret === undefined || csrf !== 'ok')
        return refuse(
          403,
          'This form has expired',
          csrf === 'expired'
            ? 'The form was open too long. Open the page again and send it once more.'
            : 'The form could not be verified. Open the page again and send it once more.',
        );
      const action = actionOf(sandbox, page.slug, subPage, token);
      let checked = checkSubmission(form, posted);
      if (checked.ok && profile === null && checked.email === undefined)
        checked = {
          ok: false,
          issues: [
            {
              field: 'form',
              message: 'Open this page from your email link, or give your email address',
              expected: 'a signed link or an email field',
              received: 'neither',
            },
          ],
        };
      if (!checked.ok) {
        await app.landingPages.count(sandbox, page.slug, subPage, 'submissions');
        const again = await app.landingPages.render(sandbox, page, subPage, profile, {
          action,
          posted,
          issues: checked.issues,
        });
        return html(reply, 422, again.html);
      }
      // The profile write and the submissions and conversions counters: one unit of work.
      await app.landingPages.submit(
        sandbox,
        { slug: page.slug, subPage },
        profile?.id,
        checked.patch,
        checked.email,
      );
      if (form.thankYouPage !== undefined)
        return reply
          .header('cache-control', 'no-store')
          .redirect(actionOf(sandbox, page.slug, form.thankYouPage, token), 303);
      const fresh = await app.landingPages.profile(sandbox, profile?.id);
      const done = await app.landingPages.render(sandbox, page, subPage, fresh, {
        action,
        notice: 'Your choices are saved.',
      });
      return html(reply, 200, done.html);
    };

    const hidden = { schema: { hide: true }, config: { permission: 'public' as const } };
    f.get<{ Params: Params; Querystring: Query }>(
      `${LANDING_PAGE_ROUTE}:sandbox/:slug`,
      hidden,
      view,
    );
    f.get<{ Params: Params; Querystring: Query }>(
      `${LANDING_PAGE_ROUTE}:sandbox/:slug/:subPage`,
      hidden,
      view,
    );
    f.post<{ Params: Params; Querystring: Query; Body: unknown }>(
      `${LANDING_PAGE_ROUTE}:sandbox/:slug`,
      hidden,
      submit,
    );
    f.post<{ Params: Params; Querystring: Query; Body: unknown }>(
      `${LANDING_PAGE_ROUTE}:sandbox/:slug/:subPage`,
      hidden,
      submit,
    );
  };
}
